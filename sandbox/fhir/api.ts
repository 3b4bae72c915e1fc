// The sandbox's FHIR R4 REST API as a pure request → response function (the HTTP server and
// the SMART authorization layer live elsewhere). Follows hl7.org/fhir/R4/http.html and
// search.html strictly: unknown or malformed parameters are errors, not silently ignored.
import type { FhirAccess, FhirRequest, FhirResponse, ReadGrant } from './access';
import {
  badRequest,
  errorResponse,
  FhirError,
  forbidden,
  methodNotAllowed,
  notFound,
} from './outcome';
import {
  compileClause,
  idPattern,
  isCompartmentType,
  isSortable,
  paramsFor,
  referenceValues,
  sortValue,
  tableTypes,
  type Clause,
  type SearchParamDef,
} from './search';
import type { FhirStore, StoreEntry, StoredResource } from './store';
import { forEachReference, isObject, patientIdsOf, type Json } from './values';

/**
 * Capabilities a test can switch off to stand in for a less capable server (each on by default).
 * What is off is refused with an OperationOutcome and left out of the CapabilityStatement.
 */
export interface FhirFeatures {
  /** Bulk Data `Group/[id]/$export` and `Patient/$export` (served by bulk-export.ts). */
  bulkExport?: boolean;
  /** Several comma-separated values on one reference parameter (`patient=a,b,c`). */
  referenceLists?: boolean;
  /** Batch Bundles POSTed to the base URL. */
  batch?: boolean;
  /** Transaction Bundles POSTed to the base URL (all-or-nothing, urn:uuid references). */
  transaction?: boolean;
}

export interface FhirApiOptions {
  /** Absolute FHIR base URL, e.g. http://localhost:8080/fhir (no trailing slash needed). */
  baseUrl: string;
  oauth: { authorize: string; token: string; register?: string };
  /** Clock for meta.lastUpdated of created resources and Bundle/CapabilityStatement dates. */
  now?: () => Date;
  features?: FhirFeatures;
}

/**
 * What a selection covers: these patients' compartments (for Patient: these Patients), every
 * patient's, or (any type) these ids.
 */
export type SelectionScope =
  | { kind: 'patients'; ids: ReadonlySet<string> }
  | { kind: 'all-patients' }
  | { kind: 'ids'; ids: ReadonlySet<string> };

export type Selection =
  { ok: true; resources: StoredResource[] } | { ok: false; response: FhirResponse };

export interface FhirApi {
  handle(req: FhirRequest, access: FhirAccess): FhirResponse;
  capabilityStatement(): fhir4.CapabilityStatement;
  /**
   * Every resource of a type within `scope` that matches any of `queries` (search parameters
   * only; none = no filter), in the default order, without paging: the search compiler for Bulk
   * Data `_typeFilter`. Result parameters (`_count`, `_sort`, …) are refused.
   */
  select(
    type: string,
    queries: readonly URLSearchParams[],
    grant: ReadGrant,
    scope: SelectionScope,
  ): Selection;
}

/** Bulk Data v2.0.0 OperationDefinitions the sandbox implements (CapabilityStatement). */
export const BULK_DATA = {
  capabilityStatement: 'http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data',
  groupExport: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export',
  patientExport: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
} as const;

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 1000;

/**
 * Types that accept create (POST /{type}): the app writes referrals and their Tasks, and records
 * a patient's decline of help (a not-done Procedure or an Observation, sdoh.md §4).
 */
const creatable = new Set(['ServiceRequest', 'Task', 'Procedure', 'Observation']);

/**
 * Types that accept update (PUT /{type}/{id}): a community organization accepts, rejects or
 * completes a Task; a referrer revokes its ServiceRequest (sdoh.md §1.4, Gravity RI).
 */
const updatable = new Set(['ServiceRequest', 'Task']);

// R4 Procedure.status (event-status) and Observation.status (observation-status), required.
const eventStatus = [
  'preparation',
  'in-progress',
  'not-done',
  'on-hold',
  'stopped',
  'completed',
  'entered-in-error',
  'unknown',
];
const observationStatus = [
  'registered',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'cancelled',
  'entered-in-error',
  'unknown',
];

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
  409: 'Conflict',
  412: 'Precondition Failed',
};

/** One `_include=Type:param[:target]` of a search. */
interface Include {
  def: SearchParamDef;
  target: string | undefined;
}

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
  includes: Include[];
}

export function createFhirApi(store: FhirStore, options: FhirApiOptions): FhirApi {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const features = {
    bulkExport: options.features?.bulkExport ?? true,
    referenceLists: options.features?.referenceLists ?? true,
    batch: options.features?.batch ?? true,
    transaction: options.features?.transaction ?? true,
  };

  /** `Type/id` a running transaction is about to create: references to them are valid. */
  let pendingTargets = new Set<string>();

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
      const accepted = [features.batch ? 'batch' : '', features.transaction ? 'transaction' : '']
        .filter(Boolean)
        .join(' or ');
      if (accepted === '') {
        fail(
          methodNotAllowed(
            `${method} / is not supported: this server accepts neither batch nor transaction`,
          ),
        );
      }
      if (method !== 'POST') {
        fail(methodNotAllowed(`${method} / is not supported (POST a ${accepted} Bundle)`));
      }
      onlyParams(req.query, []);
      if (isObject(req.body) && req.body.type === 'transaction') {
        if (!features.transaction) {
          fail(
            badRequest('transaction Bundles are not supported; send type batch', 'not-supported'),
          );
        }
        return transaction(req.body, access);
      }
      if (!features.batch) {
        fail(badRequest('batch Bundles are not supported by this server', 'not-supported'));
      }
      return batch(req.body, access);
    }
    const operation = segments.find((s) => s.startsWith('$'));
    if (operation !== undefined) {
      // Bulk export, when on, is routed before this API (server.ts → bulk-export.ts).
      fail(
        badRequest(
          `The ${operation} operation is not supported by this server (${req.path})`,
          'not-supported',
        ),
      );
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
        return create(type, req.body, access, { ifNoneExist: req.headers?.['if-none-exist'] });
      }
      fail(methodNotAllowed(`${method} /${type} is not supported`));
    }
    if (second === '_search') {
      if (method !== 'POST') fail(methodNotAllowed(`${method} /${type}/_search: use POST`));
      return search(type, req.query, access.read(type));
    }
    if (method === 'GET') return read(type, second, req.query, access.read(type));
    if (method === 'PUT') {
      onlyParams(req.query, []);
      return update(type, second, req.body, access, req.headers?.['if-match']);
    }
    fail(
      methodNotAllowed(
        `${method} /${type}/${second} is not supported (read, and update of ${[...updatable].join(' and ')})`,
      ),
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
    const { clauses, controls } = compileQuery(type, query, true);
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
    for (const included of includedResources(page, controls.includes, grant)) {
      bundle.entry.push({
        fullUrl: `${baseUrl}/${included.resourceType}/${included.id}`,
        resource: included as fhir4.FhirResource,
        search: { mode: 'include' },
      });
    }
    return { status: 200, body: bundle };
  }

  /**
   * The resources a page's `_include`s reference, each once and not repeating a match (R4 search
   * "Including other resources"). Only local references resolve; what the token may not read is
   * left out (R4: the server may omit included resources the client is not authorised to see).
   */
  function includedResources(
    page: readonly StoreEntry[],
    includes: readonly Include[],
    grant: ReadGrant,
  ): StoredResource[] {
    if (includes.length === 0) return [];
    const seen = new Set(page.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
    const out: StoredResource[] = [];
    for (const { def, target } of includes) {
      for (const entry of page) {
        for (const reference of referenceValues(def, json(entry.resource))) {
          const local = localReference(reference);
          if (!local || (target !== undefined && local.type !== target)) continue;
          const key = `${local.type}/${local.id}`;
          if (seen.has(key)) continue;
          const resource = store.get(local.type, local.id);
          if (!resource) continue;
          const readable =
            grant.kind === 'patient' ? inCompartment(resource, grant.patientId) : true;
          if (!readable) continue;
          seen.add(key);
          out.push(resource);
        }
      }
    }
    return out;
  }

  function localReference(reference: string): { type: string; id: string } | undefined {
    let local = reference;
    if (reference.startsWith(`${baseUrl}/`)) local = reference.slice(baseUrl.length + 1);
    const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(local);
    return match?.[1] && match[2] ? { type: match[1], id: match[2] } : undefined;
  }

  /**
   * Parses a search query into clauses and result controls. `withControls` false (a Bulk Data
   * `_typeFilter`) refuses result parameters.
   */
  function compileQuery(
    type: string,
    query: URLSearchParams,
    withControls: boolean,
  ): { clauses: Clause[]; controls: SearchControls } {
    const params = paramsFor(type);
    const clauses: Clause[] = [];
    const controls: SearchControls = {
      count: DEFAULT_COUNT,
      offset: 0,
      sort: [],
      summaryCount: false,
      elements: undefined,
      total: true,
      includes: [],
    };
    const seen = new Set<string>();
    for (const [key, value] of query) {
      const [name = '', modifier, ...more] = key.split(':');
      if (name === '_include' && withControls) {
        if (modifier !== undefined) fail(badRequest(`${key}: _include takes no modifier here`));
        controls.includes.push(parseInclude(type, params, value));
        continue;
      }
      if (controlParams.has(name)) {
        if (!withControls) {
          fail(badRequest(`${type}?${name}: result parameters are not allowed here`));
        }
        if (modifier !== undefined) fail(badRequest(`${key}: no modifiers on ${name}`));
        if (seen.has(name)) fail(badRequest(`${name} is given more than once`));
        seen.add(name);
        if (value !== '') applyControl(type, params, name, value, controls);
        continue;
      }
      const def = params.get(name);
      if (!def) {
        const supported = [...params.keys(), ...(withControls ? controlParams : [])];
        fail(
          badRequest(
            `Unknown search parameter '${name}' for ${type}. Supported: ${supported.join(', ')}`,
          ),
        );
      }
      if (more.length > 0) fail(badRequest(`${key}: only one modifier is allowed`));
      // R4 search: a parameter given with no value (e.g. `code=`) is ignored.
      if (value === '') continue;
      const compiled = compileClause(type, def, modifier, value, baseUrl, {
        referenceLists: features.referenceLists,
      });
      if ('error' in compiled) fail(badRequest(compiled.error, compiled.code));
      clauses.push(compiled);
    }
    return { clauses, controls };
  }

  function select(
    type: string,
    queries: readonly URLSearchParams[],
    grant: ReadGrant,
    scope: SelectionScope,
  ): Selection {
    try {
      requireRead(type, grant);
      const scoped = scopeClause(type, scope);
      const compiled = (queries.length > 0 ? queries : [new URLSearchParams()]).map((query) => {
        const { clauses } = compileQuery(type, query, false);
        if (grant.kind === 'patient') confine(type, clauses, grant.patientId);
        return [...clauses, scoped];
      });
      // Queries are alternatives (Bulk Data: several _typeFilter for one type are ORed).
      const union = new Set<StoreEntry>();
      for (const clauses of compiled) for (const entry of runQuery(type, clauses)) union.add(entry);
      const entries = [...union];
      if (compiled.length > 1) entries.sort((a, b) => a.seq - b.seq);
      return { ok: true, resources: entries.map((e) => e.resource) };
    } catch (error) {
      if (error instanceof FhirError) return { ok: false, response: error.response };
      throw error;
    }
  }

  function scopeClause(type: string, scope: SelectionScope): Clause {
    const base = { param: '(scope)', namedPatients: [] };
    switch (scope.kind) {
      case 'ids':
        return {
          ...base,
          matches: (r) => typeof r.id === 'string' && scope.ids.has(r.id),
          ids: [...scope.ids],
        };
      case 'patients':
        if (type === 'Patient') {
          return {
            ...base,
            matches: (r) => typeof r.id === 'string' && scope.ids.has(r.id),
            ids: [...scope.ids],
          };
        }
        if (!isCompartmentType(type)) break;
        return {
          ...base,
          matches: (r) => patientIdsOf(r).some((id) => scope.ids.has(id)),
          patientIds: [...scope.ids],
        };
      case 'all-patients':
        if (type === 'Patient') return { ...base, matches: () => true };
        if (!isCompartmentType(type)) break;
        return { ...base, matches: (r) => patientIdsOf(r).length > 0 };
    }
    return fail(badRequest(`${type} is outside the Patient compartment: select it by id`));
  }

  /** `_include=Type:param[:target]` on a reference parameter of the searched type. */
  function parseInclude(
    type: string,
    params: ReadonlyMap<string, SearchParamDef>,
    value: string,
  ): Include {
    const [source, name = '', target, ...more] = value.split(':');
    const def = params.get(name);
    if (source !== type || !def || def.kind !== 'reference' || more.length > 0) {
      const references = [...params.values()].filter((d) => d.kind === 'reference');
      fail(
        badRequest(
          `_include '${value}' is not supported; use ${type}:<reference parameter>[:<type>] with one of ${references.map((d) => d.name).join(', ')}`,
        ),
      );
    }
    if (target !== undefined && !/^[A-Z][A-Za-z]+$/.test(target)) {
      fail(badRequest(`_include '${value}': '${target}' is not a resource type`));
    }
    return { def, target };
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
    const consider = (sets: Iterable<StoreEntry>[], size: number): void => {
      if (!best || size < best.size) best = { size, sets };
    };
    const bucketsOf = (buckets: ReadonlySet<StoreEntry>[]): void =>
      consider(
        buckets,
        buckets.reduce((n, b) => n + b.size, 0),
      );
    for (const clause of clauses) {
      if (clause.ids) {
        const found = clause.ids
          .map((id) => store.entry(type, id))
          .filter((e): e is StoreEntry => e !== undefined);
        consider([found], found.length);
      }
      if (clause.patientIds)
        bucketsOf(clause.patientIds.map((id) => store.entriesByPatient(type, id)));
      if (clause.indexKeys) bucketsOf(clause.indexKeys.map((key) => store.entriesByKey(type, key)));
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

  interface CreateOptions {
    /** `If-None-Exist` (header, or a transaction entry's request.ifNoneExist): a search query. */
    ifNoneExist?: string | undefined;
    /** The id to store under (a transaction assigns ids before it writes). */
    id?: string;
  }

  function create(
    type: string,
    body: unknown,
    access: FhirAccess,
    options: CreateOptions = {},
  ): FhirResponse {
    if (!creatable.has(type)) {
      fail(
        methodNotAllowed(`create is not supported for ${type} (only ${[...creatable].join(', ')})`),
      );
    }
    const grant = access.create(type);
    if (grant.kind === 'none') fail(forbidden(`scope does not grant create of ${type}`));
    if (options.ifNoneExist !== undefined) {
      // R4 http.html "Conditional create": one match → 200 with it, nothing created; several →
      // 412; none → create.
      const existing = conditionalMatches(type, options.ifNoneExist, access.read(type));
      if (existing.length > 1) {
        fail(
          errorResponse(
            412,
            'processing',
            `If-None-Exist '${options.ifNoneExist}' matches ${existing.length} ${type} resources; nothing was created`,
          ),
        );
      }
      const [match] = existing;
      if (match) {
        return {
          status: 200,
          body: match,
          headers: {
            Location: `${baseUrl}/${type}/${match.id}/_history/${match.meta.versionId ?? '1'}`,
            ...versionHeaders(match),
          },
        };
      }
    }
    const resource = checkedBody(type, body, grant, 'POST');
    // R4 http.html "create": an id in the body SHALL be ignored; the server assigns one.
    delete resource.id;
    if (options.id !== undefined) resource.id = options.id;
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

  /** The resources an If-None-Exist query matches (search parameters only, within the grant). */
  function conditionalMatches(type: string, query: string, grant: ReadGrant): StoredResource[] {
    const params = new URLSearchParams(query.replace(/^\?/, ''));
    if ([...params.keys()].length === 0) {
      fail(badRequest('If-None-Exist needs a search query, e.g. identifier=system|value'));
    }
    requireRead(type, grant);
    const { clauses } = compileQuery(type, params, false);
    if (grant.kind === 'patient') confine(type, clauses, grant.patientId);
    return runQuery(type, clauses).map((e) => e.resource);
  }

  /** A create or update body, validated and copied (the caller's object is never stored). */
  function checkedBody(type: string, body: unknown, grant: ReadGrant, verb: string): Json {
    if (!isObject(body)) fail(badRequest(`${verb} /${type} needs a JSON ${type} resource as body`));
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
            `this token may only write ${type} for Patient/${grant.patientId}; this one is for ${
              patients.map((p) => `Patient/${p}`).join(', ') || 'no patient'
            }`,
          ),
        );
      }
    }
    return structuredClone(body);
  }

  // ---- update --------------------------------------------------------------------------------

  /**
   * PUT /{type}/{id} (R4 http.html "update"): replaces an existing resource as a new version.
   * Update-as-create is not supported; `If-Match: W/"n"` makes it a version-aware update.
   */
  function update(
    type: string,
    id: string,
    body: unknown,
    access: FhirAccess,
    ifMatch: string | undefined,
  ): FhirResponse {
    if (!updatable.has(type)) {
      fail(
        methodNotAllowed(`update is not supported for ${type} (only ${[...updatable].join(', ')})`),
      );
    }
    const grant = access.update(type);
    if (grant.kind === 'none') fail(forbidden(`scope does not grant update of ${type}`));
    if (!idPattern.test(id)) fail(badRequest(`'${id}' is not a valid resource id`));
    const current = store.get(type, id);
    if (!current) {
      fail(notFound(`${type}/${id} is not known (this server does not create by update)`));
    }
    if (grant.kind === 'patient' && !inCompartment(current, grant.patientId)) {
      fail(forbidden(`${type}/${id} is outside the compartment of Patient/${grant.patientId}`));
    }
    if (isObject(body) && body.id !== id) {
      // R4 http.html "update": the body SHALL carry an id equal to the URL's, else 400.
      fail(badRequest(`The body's id ${JSON.stringify(body.id)} does not match the URL (${id})`));
    }
    const version = current.meta.versionId ?? '1';
    if (ifMatch !== undefined && ifMatch.replace(/^W\//, '').replace(/"/g, '') !== version) {
      fail(
        errorResponse(
          412,
          'processing',
          `If-Match ${ifMatch} does not match the current version W/"${version}" of ${type}/${id}`,
        ),
      );
    }
    const resource = checkedBody(type, body, grant, 'PUT');
    const meta = isObject(resource.meta) ? resource.meta : {};
    resource.meta = {
      ...meta,
      versionId: String(Number(version) + 1),
      lastUpdated: now().toISOString(),
    };
    const stored = store.add(resource as unknown as fhir4.Resource);
    return {
      status: 200,
      body: stored,
      headers: {
        Location: `${baseUrl}/${type}/${id}/_history/${stored.meta.versionId ?? ''}`,
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
    } else if (type === 'Task') {
      code('status', taskStatus);
      code('intent', taskIntent);
    } else if (type === 'Procedure') {
      code('status', eventStatus);
      if (!isObject(body.subject) || typeof body.subject.reference !== 'string') {
        problems.push('subject (a Reference with .reference) is required');
      }
      if (!isObject(body.code)) problems.push('code is required');
    } else {
      code('status', observationStatus);
      if (!isObject(body.code)) problems.push('code is required');
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
    if (!store.get(match[1], match[2]) && !pendingTargets.has(`${match[1]}/${match[2]}`)) {
      return `${match[1]}/${match[2]} does not exist`;
    }
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

  // ---- transaction ---------------------------------------------------------------------------

  /**
   * A transaction Bundle (R4 http.html "Transaction"): every entry succeeds or nothing changes.
   * POST entries get their ids first so references to their `fullUrl` (`urn:uuid:…`) are rewritten
   * to `Type/id` in every entry; a POST with `request.ifNoneExist` that matches one resource maps
   * its fullUrl to that resource instead. Entries run POST, then PUT, then GET (R4 processing
   * order); the response lists them in request order.
   */
  function transaction(body: Json, access: FhirAccess): FhirResponse {
    if (body.entry !== undefined && !Array.isArray(body.entry)) {
      fail(badRequest('Bundle.entry must be an array'));
    }
    interface Planned {
      index: number;
      method: 'POST' | 'PUT' | 'GET';
      type: string;
      id: string | undefined;
      path: string;
      query: URLSearchParams;
      resource: Json | undefined;
      ifNoneExist: string | undefined;
      ifMatch: string | undefined;
      fullUrl: string | undefined;
    }
    const planned: Planned[] = ((body.entry ?? []) as unknown[]).map((entry, index) => {
      const request = isObject(entry) ? entry.request : undefined;
      if (!isObject(entry) || !isObject(request)) {
        fail(badRequest(`entry[${index}] needs a request`));
      }
      const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
      if (method !== 'POST' && method !== 'PUT' && method !== 'GET') {
        fail(
          badRequest(
            `entry[${index}]: request.method ${JSON.stringify(request.method)} is not supported in a transaction (POST, PUT, GET)`,
            'not-supported',
          ),
        );
      }
      let url = typeof request.url === 'string' ? request.url : '';
      if (url.startsWith(`${baseUrl}/`)) url = url.slice(baseUrl.length + 1);
      const queryAt = url.indexOf('?');
      const pathPart = (queryAt < 0 ? url : url.slice(0, queryAt)).replace(/^\/+/, '');
      const [type = '', id, ...more] = pathPart.split('/');
      if (
        !/^[A-Z][A-Za-z]+$/.test(type) ||
        more.length > 0 ||
        (method === 'POST' && id !== undefined)
      ) {
        fail(
          badRequest(
            `entry[${index}]: request.url '${String(request.url)}' is not [type] or [type]/[id]`,
          ),
        );
      }
      if (method === 'PUT' && id === undefined) {
        fail(badRequest(`entry[${index}]: PUT needs request.url [type]/[id]`));
      }
      if (entry.resource !== undefined && !isObject(entry.resource)) {
        fail(badRequest(`entry[${index}]: resource must be an object`));
      }
      return {
        index,
        method,
        type,
        id,
        path: `/${pathPart}`,
        query: new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1)),
        resource: isObject(entry.resource) ? structuredClone(entry.resource) : undefined,
        ifNoneExist: typeof request.ifNoneExist === 'string' ? request.ifNoneExist : undefined,
        ifMatch: typeof request.ifMatch === 'string' ? request.ifMatch : undefined,
        fullUrl: typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined,
      };
    });
    const fullUrls = planned.map((p) => p.fullUrl).filter((u): u is string => u !== undefined);
    if (new Set(fullUrls).size !== fullUrls.length) {
      fail(badRequest('Two entries of the transaction share a fullUrl'));
    }

    // Resolve each POST's target: an existing match (conditional create) or a new id.
    const targets = new Map<string, string>();
    const matched = new Map<number, StoredResource>();
    const newIds = new Map<number, string>();
    for (const p of planned) {
      if (p.method !== 'POST') continue;
      if (!creatable.has(p.type)) {
        fail(methodNotAllowed(`entry[${p.index}]: create is not supported for ${p.type}`));
      }
      let target: string;
      const existing =
        p.ifNoneExist === undefined
          ? []
          : conditionalMatches(p.type, p.ifNoneExist, access.read(p.type));
      if (existing.length > 1) {
        fail(
          errorResponse(
            412,
            'processing',
            `entry[${p.index}]: ifNoneExist '${p.ifNoneExist ?? ''}' matches ${existing.length} resources; nothing was changed`,
          ),
        );
      }
      const [match] = existing;
      if (match) {
        matched.set(p.index, match);
        target = `${p.type}/${match.id}`;
      } else {
        const id = store.reserveId(p.type);
        newIds.set(p.index, id);
        target = `${p.type}/${id}`;
      }
      if (p.fullUrl !== undefined) targets.set(p.fullUrl, target);
    }
    for (const p of planned) {
      forEachReference(p.resource, (holder) => {
        const target = targets.get(holder.reference);
        if (target !== undefined) holder.reference = target;
      });
    }

    const responses = new Map<number, FhirResponse>();
    const undo: (() => void)[] = [];
    pendingTargets = new Set(targets.values());
    const order = { POST: 0, PUT: 1, GET: 2 } as const;
    try {
      for (const p of [...planned].sort((a, b) => order[a.method] - order[b.method])) {
        let response: FhirResponse;
        const found = matched.get(p.index);
        if (p.method === 'POST' && found) {
          response = { status: 200, body: found, headers: versionHeaders(found) };
        } else if (p.method === 'POST') {
          const id = newIds.get(p.index);
          response = create(p.type, p.resource, access, { ...(id ? { id } : {}) });
          undo.push(() => store.remove(p.type, id ?? ''));
        } else if (p.method === 'PUT') {
          const previous = store.get(p.type, p.id ?? '');
          response = update(p.type, p.id ?? '', p.resource, access, p.ifMatch);
          if (previous) undo.push(() => store.add(previous));
        } else {
          response = route(
            { method: 'GET', path: p.path, query: p.query, body: undefined },
            access,
          );
        }
        responses.set(p.index, response);
      }
    } catch (error) {
      pendingTargets = new Set();
      for (const step of undo.reverse()) step();
      if (error instanceof FhirError) {
        const outcome = error.response.body as fhir4.OperationOutcome;
        const issue = outcome.issue[0];
        if (issue) {
          issue.diagnostics = `Transaction failed after ${responses.size} of ${planned.length} entries; nothing was changed: ${issue.diagnostics ?? ''}`;
        }
      }
      throw error;
    }
    pendingTargets = new Set();
    const bundle: fhir4.Bundle = {
      resourceType: 'Bundle',
      meta: { lastUpdated: now().toISOString() },
      type: 'transaction-response',
      entry: planned.map((p) => {
        const response = responses.get(p.index) ?? { status: 500, body: undefined };
        const entry: fhir4.BundleEntry = {
          response: { status: `${response.status} ${reasons[response.status] ?? ''}`.trim() },
        };
        const headers = response.headers ?? {};
        if (entry.response && headers.Location) entry.response.location = headers.Location;
        if (entry.response && headers.ETag) entry.response.etag = headers.ETag;
        if (entry.response && headers['Last-Modified']) {
          entry.response.lastModified = new Date(headers['Last-Modified']).toISOString();
        }
        if (p.fullUrl !== undefined) entry.fullUrl = p.fullUrl;
        entry.resource = response.body as fhir4.FhirResource;
        return entry;
      }),
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
    const operations: Record<string, fhir4.CapabilityStatementRestResourceOperation[]> =
      features.bulkExport
        ? {
            Group: [{ name: 'export', definition: BULK_DATA.groupExport }],
            Patient: [{ name: 'export', definition: BULK_DATA.patientExport }],
          }
        : {};
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: now().toISOString(),
      kind: 'instance',
      ...(features.bulkExport ? { instantiates: [BULK_DATA.capabilityStatement] } : {}),
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
              ...(updatable.has(type) ? [{ code: 'update' as const }] : []),
            ],
            versioning: 'no-version',
            readHistory: false,
            updateCreate: false,
            ...(creatable.has(type) ? { conditionalCreate: true } : {}),
            ...(hasReferenceParam(type) ? { searchInclude: includeNames(type) } : {}),
            searchParam: [...paramsFor(type).values()].map((def) => ({
              name: def.name,
              type: def.kind,
              definition: def.definition,
              documentation: def.documentation ?? def.paths.map((p) => `${type}.${p}`).join(' | '),
            })),
            ...(operations[type] ? { operation: operations[type] } : {}),
          })),
          ...(features.batch || features.transaction
            ? {
                interaction: [
                  ...(features.batch ? [{ code: 'batch' as const }] : []),
                  ...(features.transaction ? [{ code: 'transaction' as const }] : []),
                ],
              }
            : {}),
        },
      ],
    };
  }

  return { handle, capabilityStatement, select };
}

function hasReferenceParam(type: string): boolean {
  return [...paramsFor(type).values()].some((d) => d.kind === 'reference');
}

/** `Type:param` for every reference parameter: what `_include` accepts. */
function includeNames(type: string): string[] {
  return [...paramsFor(type).values()]
    .filter((d) => d.kind === 'reference')
    .map((d) => `${type}:${d.name}`);
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
