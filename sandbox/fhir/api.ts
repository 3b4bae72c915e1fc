// The sandbox's FHIR R4 REST API as a pure request → response function (the HTTP server and
// the SMART authorization layer live elsewhere). Follows hl7.org/fhir/R4/http.html and
// search.html strictly: unknown or malformed parameters are errors, not silently ignored.
import type { FhirAccess, FhirRequest, FhirResponse, ReadGrant } from './access';
import { badRequest, FhirError, forbidden, methodNotAllowed, notFound } from './outcome';
import {
  compileClause,
  idPattern,
  isCompartmentType,
  isSortable,
  paramsFor,
  sortValue,
  tableTypes,
  type Clause,
  type SearchParamDef,
} from './search';
import type { FhirStore, StoreEntry, StoredResource } from './store';
import { forEachReference, isObject, patientIdsOf, type Json } from './values';

export interface FhirApiOptions {
  /** Absolute FHIR base URL, e.g. http://localhost:8080/fhir (no trailing slash needed). */
  baseUrl: string;
  oauth: { authorize: string; token: string; register?: string };
  /** Clock for meta.lastUpdated of created resources and Bundle/CapabilityStatement dates. */
  now?: () => Date;
}

export interface FhirApi {
  handle(req: FhirRequest, access: FhirAccess): FhirResponse;
  capabilityStatement(): fhir4.CapabilityStatement;
}

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 1000;

/** Types that accept create (POST /{type}); the app writes referrals and their Tasks. */
const creatable = new Set(['ServiceRequest', 'Task']);

// Required codes (R4 ServiceRequest.status/intent → request-status/request-intent,
// Task.status/intent → task-status/task-intent).
const requestStatus = [
  'draft',
  'active',
  'on-hold',
  'revoked',
  'completed',
  'entered-in-error',
  'unknown',
];
const requestIntent = [
  'proposal',
  'plan',
  'directive',
  'order',
  'original-order',
  'reflex-order',
  'filler-order',
  'instance-order',
  'option',
];
const taskStatus = [
  'draft',
  'requested',
  'received',
  'accepted',
  'rejected',
  'ready',
  'cancelled',
  'in-progress',
  'on-hold',
  'failed',
  'completed',
  'entered-in-error',
];
const taskIntent = ['unknown', ...requestIntent.filter((c) => c !== 'directive')];

const SUBSETTED: fhir4.Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'subsetted',
};

/** Accepted `_format` values (R4 http.html "Content Types and encodings"). */
const jsonFormats = new Set([
  'json',
  'application/json',
  'application/fhir+json',
  'application/json+fhir',
]);

/** Search result parameters (R4 search "Modifying Search Results" and http.html general parameters). */
const controlParams = new Set([
  '_count',
  '_offset',
  '_sort',
  '_summary',
  '_elements',
  '_total',
  '_format',
  '_pretty',
]);

const reasons: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

function fail(response: FhirResponse): never {
  throw new FhirError(response);
}

const json = (resource: fhir4.Resource): Json => resource as unknown as Json;

interface SearchControls {
  count: number;
  offset: number;
  sort: Array<{ def: SearchParamDef; descending: boolean }>;
  summaryCount: boolean;
  elements: string[] | undefined;
  total: boolean;
}

export function createFhirApi(store: FhirStore, options: FhirApiOptions): FhirApi {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());

  function knownType(type: string): boolean {
    return tableTypes.includes(type) || store.count(type) > 0;
  }

  function handle(req: FhirRequest, access: FhirAccess): FhirResponse {
    try {
      return route(req, access);
    } catch (error) {
      if (error instanceof FhirError) return error.response;
      throw error;
    }
  }

  function route(req: FhirRequest, access: FhirAccess): FhirResponse {
    const method = req.method.toUpperCase();
    const segments = req.path.split('/').filter((s) => s !== '');
    checkFormat(req.query);
    const [first, second, ...rest] = segments;
    if (first === undefined) {
      if (method !== 'POST') fail(methodNotAllowed(`${method} / is not supported (POST a batch)`));
      onlyParams(req.query, []);
      return batch(req.body, access);
    }
    if (first === 'metadata' && second === undefined) {
      if (method !== 'GET') fail(methodNotAllowed(`${method} /metadata is not supported`));
      onlyParams(req.query, []);
      return { status: 200, body: capabilityStatement() };
    }
    const type = first;
    if (!/^[A-Z][A-Za-z]+$/.test(type) || !knownType(type)) {
      // R4 http.html (read, search): "404 Not Found - resource type not supported".
      fail(notFound(`Resource type '${type}' is not supported by this server`));
    }
    if (rest.length > 0) {
      fail(
        badRequest(`${req.path}: history, vread and operations are not supported`, 'not-supported'),
      );
    }
    if (second === undefined) {
      if (method === 'GET') return search(type, req.query, access.read(type));
      if (method === 'POST') {
        onlyParams(req.query, []);
        return create(type, req.body, access.create(type));
      }
      fail(methodNotAllowed(`${method} /${type} is not supported`));
    }
    if (second === '_search') {
      if (method !== 'POST') fail(methodNotAllowed(`${method} /${type}/_search: use POST`));
      return search(type, req.query, access.read(type));
    }
    if (method === 'GET') return read(type, second, req.query, access.read(type));
    fail(
      methodNotAllowed(`${method} /${type}/${second} is not supported (read-only except create)`),
    );
  }

  // ---- read ----------------------------------------------------------------------------------

  function read(type: string, id: string, query: URLSearchParams, grant: ReadGrant): FhirResponse {
    onlyParams(query, ['_elements', '_summary']);
    const elements = parseElements(query.get('_elements'));
    checkSummary(query.get('_summary'), false);
    requireRead(type, grant);
    if (!idPattern.test(id)) fail(badRequest(`'${id}' is not a valid resource id`));
    const resource = store.get(type, id);
    if (!resource) fail(notFound(`${type}/${id} is not known`));
    if (grant.kind === 'patient' && !inCompartment(resource, grant.patientId)) {
      fail(
        forbidden(
          `${type}/${id} is outside the compartment of Patient/${grant.patientId} this token is limited to`,
        ),
      );
    }
    return {
      status: 200,
      body: elements ? subset(resource, elements) : resource,
      headers: versionHeaders(resource),
    };
  }

  function requireRead(type: string, grant: ReadGrant): void {
    if (grant.kind === 'none') fail(forbidden(`scope does not grant read of ${type}`));
  }

  function inCompartment(resource: StoredResource, patientId: string): boolean {
    if (!isCompartmentType(resource.resourceType)) return true;
    return patientIdsOf(json(resource)).includes(patientId);
  }

  // ---- search --------------------------------------------------------------------------------

  function search(type: string, query: URLSearchParams, grant: ReadGrant): FhirResponse {
    requireRead(type, grant);
    const params = paramsFor(type);
    const clauses: Clause[] = [];
    const controls: SearchControls = {
      count: DEFAULT_COUNT,
      offset: 0,
      sort: [],
      summaryCount: false,
      elements: undefined,
      total: true,
    };
    const seen = new Set<string>();
    for (const [key, value] of query) {
      const [name = '', modifier, ...more] = key.split(':');
      if (controlParams.has(name)) {
        if (modifier !== undefined) fail(badRequest(`${key}: no modifiers on ${name}`));
        if (seen.has(name)) fail(badRequest(`${name} is given more than once`));
        seen.add(name);
        if (value !== '') applyControl(type, params, name, value, controls);
        continue;
      }
      const def = params.get(name);
      if (!def) {
        fail(
          badRequest(
            `Unknown search parameter '${name}' for ${type}. Supported: ${[...params.keys(), ...controlParams].join(', ')}`,
          ),
        );
      }
      if (more.length > 0) fail(badRequest(`${key}: only one modifier is allowed`));
      // R4 search: a parameter given with no value (e.g. `code=`) is ignored.
      if (value === '') continue;
      const compiled = compileClause(type, def, modifier, value, baseUrl);
      if ('error' in compiled) fail(badRequest(compiled.error));
      clauses.push(compiled);
    }

    if (grant.kind === 'patient') confine(type, clauses, grant.patientId);

    const matches = runQuery(type, clauses);
    if (controls.sort.length > 0) sortEntries(matches, controls.sort);
    const total = matches.length;
    const bundle: fhir4.Bundle = {
      resourceType: 'Bundle',
      meta: { lastUpdated: now().toISOString() },
      type: 'searchset',
    };
    if (controls.total || controls.summaryCount) bundle.total = total;
    const link = (offset: number): string => pageUrl(type, query, controls.count, offset);
    if (controls.summaryCount || controls.count === 0) {
      bundle.link = [{ relation: 'self', url: link(controls.offset) }];
      return { status: 200, body: bundle };
    }
    const { count, offset } = controls;
    const page = matches.slice(offset, offset + count);
    bundle.link = [
      { relation: 'self', url: link(offset) },
      { relation: 'first', url: link(0) },
    ];
    if (offset > 0) {
      bundle.link.push({ relation: 'previous', url: link(Math.max(0, offset - count)) });
    }
    if (offset + count < total) bundle.link.push({ relation: 'next', url: link(offset + count) });
    bundle.entry = page.map((e) => ({
      fullUrl: `${baseUrl}/${type}/${e.resource.id}`,
      resource: (controls.elements
        ? subset(e.resource, controls.elements)
        : e.resource) as fhir4.FhirResource,
      search: { mode: 'match' },
    }));
    return { status: 200, body: bundle };
  }

  function applyControl(
    type: string,
    params: ReadonlyMap<string, SearchParamDef>,
    name: string,
    value: string,
    controls: SearchControls,
  ): void {
    switch (name) {
      case '_count':
        if (!/^\d+$/.test(value)) fail(badRequest(`_count must be a whole number, not '${value}'`));
        // The server may return fewer than asked (R4 search "Paging").
        controls.count = Math.min(Number(value), MAX_COUNT);
        return;
      case '_offset':
        if (!/^\d+$/.test(value))
          fail(badRequest(`_offset must be a whole number, not '${value}'`));
        controls.offset = Number(value);
        return;
      case '_sort':
        controls.sort = value.split(',').map((raw) => {
          const descending = raw.startsWith('-');
          const key = descending ? raw.slice(1) : raw;
          const def = params.get(key);
          if (!def || !isSortable(def)) {
            const sortable = [...params.values()].filter(isSortable).map((d) => d.name);
            fail(badRequest(`Cannot sort ${type} by '${raw}'. Sortable: ${sortable.join(', ')}`));
          }
          return { def, descending };
        });
        return;
      case '_summary':
        controls.summaryCount = checkSummary(value, true);
        return;
      case '_elements':
        controls.elements = parseElements(value);
        return;
      case '_total':
        if (!['none', 'estimate', 'accurate'].includes(value)) {
          fail(badRequest(`_total must be none, estimate or accurate, not '${value}'`));
        }
        controls.total = value !== 'none';
        return;
      default:
        // _format was checked for every request; _pretty only affects serialization.
        return;
    }
  }

  /** Limits a search to one patient's compartment, refusing searches for other patients. */
  function confine(type: string, clauses: Clause[], patientId: string): void {
    const refuse = (other: string): never =>
      fail(
        forbidden(
          `this token is limited to Patient/${patientId}; it may not search ${type} of Patient/${other}`,
        ),
      );
    if (type === 'Patient') {
      for (const clause of clauses) {
        const other = clause.ids?.find((id) => id !== patientId);
        if (other !== undefined) refuse(other);
      }
      clauses.push({
        param: '(compartment)',
        matches: (r) => r.id === patientId,
        ids: [patientId],
        namedPatients: [],
      });
    } else if (isCompartmentType(type)) {
      for (const clause of clauses) {
        const other = clause.namedPatients.find((id) => id !== patientId);
        if (other !== undefined) refuse(other);
      }
      clauses.push({
        param: '(compartment)',
        matches: (r) => patientIdsOf(r).includes(patientId),
        patientIds: [patientId],
        namedPatients: [],
      });
    }
  }

  /**
   * Matching entries in insertion order. Starts from the smallest index bucket any clause
   * offers (ids, a patient's compartment, token keys), else from the whole type.
   */
  function runQuery(type: string, clauses: Clause[]): StoreEntry[] {
    let best: { size: number; sets: Iterable<StoreEntry>[] } | undefined;
    for (const clause of clauses) {
      let sets: Iterable<StoreEntry>[] | undefined;
      let size = 0;
      if (clause.ids) {
        const found = clause.ids
          .map((id) => store.entry(type, id))
          .filter((e): e is StoreEntry => e !== undefined);
        sets = [found];
        size = found.length;
      } else if (clause.patientIds || clause.tokenKeys) {
        const buckets = clause.patientIds
          ? clause.patientIds.map((id) => store.entriesByPatient(type, id))
          : (clause.tokenKeys ?? []).map((key) => store.entriesByToken(type, key));
        sets = buckets;
        size = buckets.reduce((n, b) => n + b.size, 0);
      }
      if (sets && (!best || size < best.size)) best = { size, sets };
    }
    const results: StoreEntry[] = [];
    if (!best) {
      for (const entry of store.entries(type)) {
        if (clauses.every((c) => c.matches(json(entry.resource)))) results.push(entry);
      }
      return results;
    }
    const visited = new Set<StoreEntry>();
    for (const set of best.sets) {
      for (const entry of set) {
        if (visited.has(entry)) continue;
        visited.add(entry);
        if (clauses.every((c) => c.matches(json(entry.resource)))) results.push(entry);
      }
    }
    return results.sort((a, b) => a.seq - b.seq);
  }

  function sortEntries(
    entries: StoreEntry[],
    keys: Array<{ def: SearchParamDef; descending: boolean }>,
  ): void {
    const decorated = entries.map((entry) => ({
      entry,
      values: keys.map((k) => sortValue(k.def, json(entry.resource), k.descending)),
    }));
    decorated.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const x = a.values[i];
        const y = b.values[i];
        if (x === y) continue;
        // Missing values go last in either direction.
        if (x === undefined) return 1;
        if (y === undefined) return -1;
        const order = x < y ? -1 : 1;
        return keys[i]?.descending ? -order : order;
      }
      return a.entry.seq - b.entry.seq;
    });
    decorated.forEach((d, i) => (entries[i] = d.entry));
  }

  /** The absolute URL of a page: the query as given, with `_count`/`_offset` set. */
  function pageUrl(type: string, query: URLSearchParams, count: number, offset: number): string {
    const params = new URLSearchParams();
    for (const [key, value] of query) {
      if (key !== '_count' && key !== '_offset') params.append(key, value);
    }
    params.set('_count', String(count));
    params.set('_offset', String(offset));
    return `${baseUrl}/${type}?${params.toString()}`;
  }

  // ---- create --------------------------------------------------------------------------------

  function create(type: string, body: unknown, grant: ReadGrant): FhirResponse {
    if (!creatable.has(type)) {
      fail(
        methodNotAllowed(
          `create is not supported for ${type} (only ${[...creatable].join(' and ')})`,
        ),
      );
    }
    if (grant.kind === 'none') fail(forbidden(`scope does not grant create of ${type}`));
    if (!isObject(body)) fail(badRequest(`POST /${type} needs a JSON ${type} resource as body`));
    if (body.resourceType !== type) {
      fail(
        badRequest(
          `resourceType ${JSON.stringify(body.resourceType)} does not match the URL (/${type})`,
        ),
      );
    }
    const problems = validateForCreate(type, body);
    if (problems.length > 0) fail(badRequest(`Invalid ${type}: ${problems.join('; ')}`));
    if (grant.kind === 'patient') {
      const patients = patientIdsOf(body);
      if (patients.length !== 1 || patients[0] !== grant.patientId) {
        fail(
          forbidden(
            `this token may only create ${type} for Patient/${grant.patientId}; this one is for ${
              patients.map((p) => `Patient/${p}`).join(', ') || 'no patient'
            }`,
          ),
        );
      }
    }
    const resource = structuredClone(body);
    // R4 http.html "create": an id in the body SHALL be ignored; the server assigns one.
    delete resource.id;
    const meta = isObject(resource.meta) ? resource.meta : {};
    resource.meta = { ...meta, versionId: '1', lastUpdated: now().toISOString() };
    const stored = store.add(resource as unknown as fhir4.Resource);
    return {
      status: 201,
      body: stored,
      headers: {
        Location: `${baseUrl}/${type}/${stored.id}/_history/1`,
        ...versionHeaders(stored),
      },
    };
  }

  function validateForCreate(type: string, body: Json): string[] {
    const problems: string[] = [];
    const code = (field: string, allowed: string[]): void => {
      const value = body[field];
      if (value === undefined) problems.push(`${field} is required`);
      else if (typeof value !== 'string' || !allowed.includes(value)) {
        problems.push(`${field} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
      }
    };
    if (body.meta !== undefined && !isObject(body.meta)) problems.push('meta must be an object');
    if (type === 'ServiceRequest') {
      code('status', requestStatus);
      code('intent', requestIntent);
      if (!isObject(body.subject) || typeof body.subject.reference !== 'string') {
        problems.push('subject (a Reference with .reference) is required');
      }
    } else {
      code('status', taskStatus);
      code('intent', taskIntent);
    }
    forEachReference(body, (holder, path) => {
      const problem = checkReference(holder.reference);
      if (problem) problems.push(`${path}: ${problem}`);
    });
    return problems;
  }

  /** Literal references in a new resource must resolve in the store (or be contained/external). */
  function checkReference(ref: string): string | undefined {
    if (ref.startsWith('#')) return undefined;
    if (ref.startsWith('urn:')) return `'${ref}' only resolves inside a transaction`;
    let local = ref;
    if (ref.startsWith(`${baseUrl}/`)) local = ref.slice(baseUrl.length + 1);
    else if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return undefined; // another server's resource
    const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(local);
    if (!match?.[1] || !match[2]) return `'${ref}' is not a reference of the form Type/id`;
    if (!store.get(match[1], match[2])) return `${match[1]}/${match[2]} does not exist`;
    return undefined;
  }

  // ---- batch ---------------------------------------------------------------------------------

  function batch(body: unknown, access: FhirAccess): FhirResponse {
    if (!isObject(body) || body.resourceType !== 'Bundle') {
      fail(badRequest('POST / needs a Bundle of type batch'));
    }
    if (body.type === 'transaction') {
      fail(badRequest('transaction Bundles are not supported; send type batch', 'not-supported'));
    }
    if (body.type !== 'batch') {
      fail(badRequest(`POST / needs a Bundle of type batch, not ${JSON.stringify(body.type)}`));
    }
    if (body.entry !== undefined && !Array.isArray(body.entry)) {
      fail(badRequest('Bundle.entry must be an array'));
    }
    const entries = (body.entry ?? []) as unknown[];
    const responses = entries.map((entry, i) => batchEntry(entry, i, access));
    const bundle: fhir4.Bundle = {
      resourceType: 'Bundle',
      meta: { lastUpdated: now().toISOString() },
      type: 'batch-response',
      entry: responses,
    };
    return { status: 200, body: bundle };
  }

  function batchEntry(entry: unknown, index: number, access: FhirAccess): fhir4.BundleEntry {
    let response: FhirResponse;
    const request = isObject(entry) ? entry.request : undefined;
    if (
      !isObject(entry) ||
      !isObject(request) ||
      typeof request.method !== 'string' ||
      typeof request.url !== 'string'
    ) {
      response = badRequest(`entry[${index}] needs request.method and request.url`);
    } else {
      let url = request.url;
      if (url.startsWith(`${baseUrl}/`)) url = url.slice(baseUrl.length + 1);
      const queryAt = url.indexOf('?');
      const path = `/${(queryAt < 0 ? url : url.slice(0, queryAt)).replace(/^\/+/, '')}`;
      const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
      if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
        response = badRequest(`entry[${index}]: '${request.url}' is not under ${baseUrl}`);
      } else if (path === '/') {
        response = badRequest(`entry[${index}]: a batch may not contain a batch`);
      } else {
        response = handle({ method: request.method, path, query, body: entry.resource }, access);
      }
    }
    const ok = response.status < 300;
    const result: fhir4.BundleEntry = {
      response: {
        status: `${response.status} ${reasons[response.status] ?? ''}`.trim(),
      },
    };
    const headers = response.headers ?? {};
    if (result.response && headers.Location) result.response.location = headers.Location;
    if (result.response && headers.ETag) result.response.etag = headers.ETag;
    if (ok) result.resource = response.body as fhir4.FhirResource;
    else if (result.response) result.response.outcome = response.body as fhir4.OperationOutcome;
    return result;
  }

  // ---- shared --------------------------------------------------------------------------------

  function checkFormat(query: URLSearchParams): void {
    const format = query.get('_format');
    // URLSearchParams decodes an unencoded '+' as a space.
    if (format !== null && !jsonFormats.has(format.replace(/ /g, '+'))) {
      fail(
        badRequest(
          `_format '${format}' is not supported; this server speaks JSON only`,
          'not-supported',
        ),
      );
    }
  }

  /** Non-search requests accept only the general parameters (R4 http.html "General parameters"). */
  function onlyParams(query: URLSearchParams, extra: string[]): void {
    for (const key of query.keys()) {
      if (key !== '_format' && key !== '_pretty' && !extra.includes(key)) {
        fail(badRequest(`Parameter '${key}' is not supported on this interaction`));
      }
    }
  }

  function checkSummary(value: string | null, allowCount: boolean): boolean {
    if (value === null || value === 'false') return false;
    if (value === 'count' && allowCount) return true;
    fail(
      badRequest(
        `_summary=${value} is not supported (supported: ${allowCount ? 'count, ' : ''}false)`,
        'not-supported',
      ),
    );
  }

  function parseElements(value: string | null): string[] | undefined {
    if (value === null || value === '') return undefined;
    const names = value.split(',').map((n) => n.trim());
    const bad = names.find((n) => !/^[a-z][A-Za-z0-9]*$/.test(n));
    if (bad !== undefined) fail(badRequest(`_elements: '${bad}' is not an element name`));
    return names;
  }

  function versionHeaders(resource: StoredResource): Record<string, string> {
    const headers: Record<string, string> = {};
    if (resource.meta.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
    if (resource.meta.lastUpdated) {
      headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    }
    return headers;
  }

  // ---- CapabilityStatement ------------------------------------------------------------------

  function capabilityStatement(): fhir4.CapabilityStatement {
    const types = [...new Set([...tableTypes, ...store.resourceTypes()])].sort();
    const oauth: fhir4.Extension[] = [
      { url: 'authorize', valueUri: options.oauth.authorize },
      { url: 'token', valueUri: options.oauth.token },
    ];
    if (options.oauth.register) oauth.push({ url: 'register', valueUri: options.oauth.register });
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: now().toISOString(),
      kind: 'instance',
      software: { name: 'Equity Lens sandbox FHIR server' },
      implementation: { description: 'Local SMART on FHIR sandbox (in-memory)', url: baseUrl },
      fhirVersion: '4.0.1',
      format: ['json', 'application/fhir+json'],
      rest: [
        {
          mode: 'server',
          security: {
            cors: true,
            service: [
              {
                coding: [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                    code: 'SMART-on-FHIR',
                    display: 'SMART-on-FHIR',
                  },
                ],
                text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
              },
            ],
            extension: [
              {
                url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                extension: oauth,
              },
            ],
          },
          resource: types.map((type) => ({
            type,
            interaction: [
              { code: 'read' },
              { code: 'search-type' },
              ...(creatable.has(type) ? [{ code: 'create' as const }] : []),
            ],
            versioning: 'no-version',
            readHistory: false,
            updateCreate: false,
            searchParam: [...paramsFor(type).values()].map((def) => ({
              name: def.name,
              type: def.kind,
              definition: def.definition,
              documentation: def.documentation ?? def.paths.map((p) => `${type}.${p}`).join(' | '),
            })),
          })),
          interaction: [{ code: 'batch' }],
        },
      ],
    };
  }

  return { handle, capabilityStatement };
}

/** Keeps the listed top-level elements (plus id, meta, resourceType) and tags the copy. */
function subset(resource: StoredResource, elements: string[]): Json {
  const source = json(resource);
  const out: Json = { resourceType: resource.resourceType, id: resource.id };
  for (const [key, value] of Object.entries(source)) {
    if (key === 'resourceType' || key === 'id' || key === 'meta') continue;
    const base = key.startsWith('_') ? key.slice(1) : key; // primitive extensions (_birthDate)
    // A choice element is listed by its name without [x]: `effective` keeps effectiveDateTime.
    const kept = elements.some(
      (e) => base === e || (base.startsWith(e) && /^[A-Z]/.test(base.slice(e.length))),
    );
    if (kept) out[key] = value;
  }
  out.meta = { ...resource.meta, tag: [...(resource.meta.tag ?? []), SUBSETTED] };
  return out;
}
