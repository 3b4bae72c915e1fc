// An msw stand-in for a FHIR R4 server as the panel loader meets them in the field: a
// CapabilityStatement that declares (or not) Group $export and batch, searches with comma lists
// that work, are refused or are misread, opaque cursor next links, a `_count` lowered silently,
// Bulk Data v2.0.0 export (kick-off, status polling with Retry-After, NDJSON files, DELETE), and
// a hook to inject failures. It counts requests and the most in flight at once.
import { HttpResponse, http } from 'msw';
import type { HttpHandler } from 'msw';

export const origin = 'http://127.0.0.1:4010';
export const fhirBase = `${origin}/fhir`;
export const accessToken = 'panel-token-1';

const fhirJson = { 'content-type': 'application/fhir+json' };

export const loinc = 'http://loinc.org';
export const hba1c = `${loinc}|4548-4`;
export const bloodPressure = `${loinc}|85354-9`;
export const bmi = `${loinc}|39156-5`;

export function operationOutcome(code: string, diagnostics: string): fhir4.OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

export interface PanelServerOptions {
  resources: readonly fhir4.FhirResource[];
  /** Declares `Group/$export` in the CapabilityStatement and serves it (default true). */
  groupExport?: boolean;
  /** Declares and serves batch (default true). */
  batch?: boolean;
  /**
   * Comma lists in reference parameters (`patient=a,b`): OR (default), refused with 400, only the
   * first value read, or the whole list taken as one id.
   */
  referenceLists?: 'or' | 'refused' | 'first-only' | 'literal';
  /** Comma lists in `_id`: OR (default) or refused with 400. */
  idLists?: 'or' | 'refused';
  /** The largest page the server serves, whatever `_count` asks (default 1000). */
  maxPageSize?: number;
  /** Next links as opaque `_getpages` cursors (default false: `_offset`). */
  cursors?: boolean;
  /** After this many pages of one search, `next` points back at its first page. */
  loopAfterPages?: number;
  /** Bundle.total on searchsets (default false, like `_total=none`). */
  totals?: boolean;
  /** 202 answers before an export is complete (default 1). */
  exportPolls?: number;
  /** `Retry-After` on a pending export status (default '0'). */
  exportRetryAfter?: string;
  /** Manifest `requiresAccessToken` (default true). */
  requiresAccessToken?: boolean;
  /** OperationOutcome lines for the manifest's `error` array (default none). */
  exportErrors?: fhir4.OperationOutcome[];
  /** Answers first when it returns a Response (failure injection). */
  intercept?: (request: SeenRequest) => Response | undefined;
  /** Milliseconds each answer waits, so requests overlap (default 2). */
  latencyMs?: number;
  /**
   * Declares `searchInclude: MedicationRequest:medication` and serves `_include` (default true);
   * when false, `_include` is refused with 400 like any unknown parameter.
   */
  includes?: boolean;
  /** The `.well-known/smart-configuration` body, or 'missing' for a 404 (default: user scopes). */
  smartConfiguration?: Record<string, unknown> | 'missing';
}

/** A SMART configuration like the sandbox's: user- and patient-level scopes (SMART 2.x). */
export const userLevelSmartConfiguration: Record<string, unknown> = {
  issuer: 'http://127.0.0.1:4010/fhir',
  authorization_endpoint: 'http://127.0.0.1:4010/auth/authorize',
  token_endpoint: 'http://127.0.0.1:4010/auth/token',
  grant_types_supported: ['authorization_code', 'refresh_token'],
  scopes_supported: ['openid', 'fhirUser', 'launch', 'patient/*.rs', 'user/*.rs', 'offline_access'],
  capabilities: ['launch-ehr', 'launch-standalone', 'permission-user', 'permission-v2'],
};

export interface SeenRequest {
  method: string;
  url: URL;
  /** The resource type a FHIR request is about (`Observation`), when it has one. */
  resourceType: string | undefined;
  authorization: string | null;
  /** This request's 1-based index among all requests. */
  index: number;
}

export interface ServerStats {
  requests: SeenRequest[];
  inFlight: number;
  maxInFlight: number;
  /** Export status URLs DELETEd. */
  deleted: string[];
  /** Pages of searches answered (batch entries included). */
  searchPages: number;
}

type Json = Record<string, unknown>;

function refId(reference: string | undefined, type: string): string | undefined {
  const match = /([A-Za-z]+)\/([^/]+)$/.exec(reference ?? '');
  return match?.[1] === type ? match[2] : undefined;
}

function patientOf(resource: fhir4.FhirResource): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  const holder = resource as unknown as { subject?: fhir4.Reference; patient?: fhir4.Reference };
  return refId(holder.subject?.reference ?? holder.patient?.reference, 'Patient');
}

function codesOf(resource: fhir4.FhirResource): string[] {
  const holder = resource as unknown as {
    code?: fhir4.CodeableConcept;
    medicationCodeableConcept?: fhir4.CodeableConcept;
  };
  const concept = holder.code ?? holder.medicationCodeableConcept;
  return (concept?.coding ?? []).flatMap((coding) => [
    `${coding.system ?? ''}|${coding.code ?? ''}`,
    coding.code ?? '',
  ]);
}

function splitList(value: string): string[] {
  return value.split(',').map((part) => part.trim());
}

class BadRequest extends Error {}

interface Query {
  type: string;
  params: URLSearchParams;
}

export function panelFhirServer(options: PanelServerOptions): {
  handlers: HttpHandler[];
  stats: ServerStats;
} {
  const stats: ServerStats = {
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
    deleted: [],
    searchPages: 0,
  };
  const byType = new Map<string, fhir4.FhirResource[]>();
  for (const resource of options.resources) {
    byType.set(resource.resourceType, [...(byType.get(resource.resourceType) ?? []), resource]);
  }
  const cursors = new Map<string, { query: Query; offset: number; first: string }>();
  const exports = new Map<
    string,
    { polls: number; types: string[]; filters: Map<string, Query[]> }
  >();
  let nextKey = 1;
  const maxPage = options.maxPageSize ?? 1000;
  const groupExport = options.groupExport ?? true;
  const batch = options.batch ?? true;
  const includes = options.includes ?? true;
  const medicationInclude = 'MedicationRequest:medication';

  function capabilityStatement(): fhir4.CapabilityStatement {
    const searchParam = (names: string[]) =>
      names.map((name) => ({ name, type: 'token' as const }));
    const clinical = ['patient', 'subject', 'code', 'date', 'category'];
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: '2026-01-01',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json'],
      rest: [
        {
          mode: 'server',
          ...(batch ? { interaction: [{ code: 'batch' as const }] } : {}),
          resource: [
            {
              type: 'Patient',
              searchParam: searchParam(['_id', 'general-practitioner']),
            },
            {
              type: 'Group',
              ...(groupExport
                ? {
                    operation: [
                      {
                        name: 'export',
                        definition:
                          'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export',
                      },
                    ],
                  }
                : {}),
            },
            { type: 'Encounter', searchParam: searchParam([...clinical, 'participant']) },
            ...['Observation', 'Condition'].map((type) => ({
              type,
              searchParam: searchParam(clinical),
            })),
            {
              type: 'MedicationRequest',
              searchParam: searchParam(clinical),
              ...(includes ? { searchInclude: [medicationInclude] } : {}),
            },
            { type: 'Medication', searchParam: searchParam(['_id']) },
          ],
        },
      ],
    };
  }

  function matches(resource: fhir4.FhirResource, name: string, value: string): boolean {
    switch (name) {
      case 'patient':
      case 'subject': {
        const id = patientOf(resource);
        const values = splitList(value);
        if (values.length > 1) {
          switch (options.referenceLists ?? 'or') {
            case 'refused':
              throw new BadRequest(`${name}: only one reference is supported`);
            case 'first-only':
              return refId(values[0], 'Patient') === id || values[0] === id;
            case 'literal':
              return id === value;
            case 'or':
              break;
          }
        }
        return values.some((v) => v === id || refId(v, 'Patient') === id);
      }
      case '_id': {
        const values = splitList(value);
        if (values.length > 1 && options.idLists === 'refused') {
          throw new BadRequest('_id: only one id is supported');
        }
        return values.includes(resource.id ?? '');
      }
      case 'code': {
        const codes = codesOf(resource);
        return splitList(value).some((code) => codes.includes(code));
      }
      case 'category': {
        const categories = (
          (resource as unknown as { category?: fhir4.CodeableConcept[] }).category ?? []
        ).flatMap((c) => (c.coding ?? []).map((coding) => coding.code ?? ''));
        return splitList(value).some((code) => categories.includes(code));
      }
      case 'general-practitioner':
        return (
          resource.resourceType === 'Patient' &&
          (resource.generalPractitioner ?? []).some(
            (ref) => refId(ref.reference, 'Practitioner') === refId(value, 'Practitioner'),
          )
        );
      case 'participant':
        return (
          resource.resourceType === 'Encounter' &&
          (resource.participant ?? []).some(
            (p) => refId(p.individual?.reference, 'Practitioner') === refId(value, 'Practitioner'),
          )
        );
      case 'date': {
        const bound = value.replace(/^ge/, '');
        const start =
          resource.resourceType === 'Encounter'
            ? (resource.period?.start ?? '')
            : ((resource as unknown as { effectiveDateTime?: string }).effectiveDateTime ?? '');
        return start >= bound;
      }
      default:
        throw new BadRequest(`Unknown search parameter '${name}' for ${resource.resourceType}`);
    }
  }

  const controls = new Set(['_count', '_elements', '_summary', '_offset', '_total', '_include']);

  /** Medications the MedicationRequests among `found` reference (`Medication/[id]`). */
  function referencedMedications(found: readonly fhir4.FhirResource[]): fhir4.FhirResource[] {
    const ids = new Set<string>();
    for (const resource of found) {
      if (resource.resourceType !== 'MedicationRequest') continue;
      const id = refId(resource.medicationReference?.reference, 'Medication');
      if (id !== undefined) ids.add(id);
    }
    return (byType.get('Medication') ?? []).filter((m) => ids.has(m.id ?? ''));
  }

  function run(query: Query): fhir4.FhirResource[] {
    const include = query.params.get('_include');
    if (include !== null && (!includes || include !== medicationInclude)) {
      throw new BadRequest(`_include=${include} is not supported`);
    }
    const filters = [...query.params.entries()].filter(([name]) => !controls.has(name));
    return (byType.get(query.type) ?? []).filter((resource) =>
      filters.every(([name, value]) => matches(resource, name, value)),
    );
  }

  function page(query: Query, offset: number, first: string): fhir4.Bundle {
    const found = run(query);
    if (query.params.get('_summary') === 'count') {
      return { resourceType: 'Bundle', type: 'searchset', total: found.length };
    }
    const count = Math.min(Number(query.params.get('_count') ?? '50'), maxPage);
    const slice = found.slice(offset, offset + count);
    stats.searchPages++;
    const bundle: fhir4.Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(options.totals ? { total: found.length } : {}),
      link: [],
      entry: [
        ...slice.map((resource) => ({ resource, mode: 'match' as const })),
        // R4 search.html §3.1.1.5.5: included resources come on the page of what includes them.
        ...(query.params.get('_include') === medicationInclude
          ? referencedMedications(slice).map((resource) => ({ resource, mode: 'include' as const }))
          : []),
      ].map(({ resource, mode }) => ({
        fullUrl: `${fhirBase}/${resource.resourceType}/${resource.id ?? ''}`,
        resource,
        search: { mode },
      })),
    };
    const pageIndex = Math.floor(offset / Math.max(count, 1)) + 1;
    let next: string | undefined;
    if (options.loopAfterPages !== undefined && pageIndex >= options.loopAfterPages) {
      next = first;
    } else if (offset + count < found.length) {
      if (options.cursors) {
        const key = `c${nextKey++}x${Math.random().toString(36).slice(2, 8)}`;
        cursors.set(key, { query, offset: offset + count, first });
        next = `${fhirBase}?_getpages=${key}`;
      } else {
        const params = new URLSearchParams(query.params);
        params.set('_offset', String(offset + count));
        next = `${fhirBase}/${query.type}?${params.toString()}`;
      }
    }
    if (next !== undefined) bundle.link?.push({ relation: 'next', url: next });
    return bundle;
  }

  function search(type: string, params: URLSearchParams, url: string): fhir4.Bundle {
    const offset = Number(params.get('_offset') ?? '0');
    const first = new URL(url);
    first.searchParams.delete('_offset');
    return page({ type, params }, offset, first.href);
  }

  function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
    return HttpResponse.json(body as Json, { status, headers: { ...fhirJson, ...headers } });
  }

  function readQuery(text: string): Query {
    const [type = '', query = ''] = text.split('?');
    return { type, params: new URLSearchParams(query) };
  }

  function exportKickOff(request: Request, url: URL, groupId: string): Response {
    if (!groupExport) return json(operationOutcome('not-supported', 'No $export here'), 404);
    if (request.headers.get('prefer') !== 'respond-async') {
      return json(operationOutcome('invalid', 'Prefer: respond-async is required'), 400);
    }
    const group = (byType.get('Group') ?? []).find((g) => g.id === groupId);
    if (!group) return json(operationOutcome('not-found', 'Unknown Group'), 404);
    const types = splitList(url.searchParams.get('_type') ?? 'Patient');
    const filters = new Map<string, Query[]>();
    for (const value of url.searchParams.getAll('_typeFilter')) {
      for (const text of splitList(value)) {
        const query = readQuery(text);
        filters.set(query.type, [...(filters.get(query.type) ?? []), query]);
      }
    }
    const job = `job-${nextKey++}`;
    exports.set(job, { polls: 0, types, filters });
    return new HttpResponse(null, {
      status: 202,
      headers: { 'Content-Location': `${origin}/bulk/status/${job}` },
    });
  }

  function members(job: string): Set<string> {
    const group = (byType.get('Group') ?? [])[0] as fhir4.Group | undefined;
    void job;
    return new Set(
      (group?.member ?? [])
        .filter((m) => m.inactive !== true)
        .map((m) => refId(m.entity.reference, 'Patient') ?? ''),
    );
  }

  function exported(job: string, type: string): fhir4.FhirResource[] {
    const state = exports.get(job);
    const patients = members(job);
    const filters = state?.filters.get(type);
    // Bulk Data v2.0.0 lets a Group export include the resources its data references.
    if (type === 'Medication') return referencedMedications(exported(job, 'MedicationRequest'));
    return (byType.get(type) ?? []).filter((resource) => {
      const patient = patientOf(resource);
      if (patient === undefined || !patients.has(patient)) return false;
      if (filters === undefined) return true;
      return filters.some((filter) =>
        [...filter.params.entries()].every(([name, value]) => matches(resource, name, value)),
      );
    });
  }

  function ndjson(lines: readonly unknown[]): Response {
    const text = lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
    const bytes = new TextEncoder().encode(text);
    // Odd-sized chunks: lines and multi-byte characters straddle chunk boundaries.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 37) controller.enqueue(bytes.slice(at, at + 37));
        controller.close();
      },
    });
    return new HttpResponse(stream, { headers: { 'Content-Type': 'application/fhir+ndjson' } });
  }

  async function answer(request: Request, url: URL, seen: SeenRequest): Promise<Response> {
    const intercepted = options.intercept?.(seen);
    if (intercepted) return intercepted;
    const path = url.pathname;
    if (path === '/fhir/.well-known/smart-configuration') {
      const config = options.smartConfiguration ?? userLevelSmartConfiguration;
      return config === 'missing'
        ? json(operationOutcome('not-found', 'No SMART configuration'), 404)
        : HttpResponse.json(config);
    }
    const bulk = /^\/bulk\/(status|file|error)\/([^/]+)(?:\/([A-Za-z]+))?/.exec(path);
    const requiresToken =
      bulk === null || bulk[1] === 'status' || options.requiresAccessToken !== false;
    if (requiresToken && seen.authorization !== `Bearer ${accessToken}`) {
      return json(operationOutcome('login', 'Missing or expired access token'), 401);
    }
    if (bulk) {
      const [, kind, job = '', type = ''] = bulk;
      const state = exports.get(job);
      if (!state) return json(operationOutcome('not-found', 'Unknown export'), 404);
      if (kind === 'status') {
        if (request.method === 'DELETE') {
          stats.deleted.push(url.href);
          exports.delete(job);
          return new HttpResponse(null, { status: 202 });
        }
        if (state.polls < (options.exportPolls ?? 1)) {
          state.polls++;
          return new HttpResponse(null, {
            status: 202,
            headers: { 'Retry-After': options.exportRetryAfter ?? '0', 'X-Progress': 'working' },
          });
        }
        return HttpResponse.json({
          transactionTime: '2026-12-02T08:00:00Z',
          request: `${fhirBase}/Group/g-1/$export`,
          requiresAccessToken: options.requiresAccessToken ?? true,
          output: state.types.map((t) => ({
            type: t,
            url: `${origin}/bulk/file/${job}/${t}`,
            count: exported(job, t).length,
          })),
          error: options.exportErrors?.length
            ? [{ type: 'OperationOutcome', url: `${origin}/bulk/error/${job}` }]
            : [],
        });
      }
      if (kind === 'file') return ndjson(exported(job, type));
      return ndjson(options.exportErrors ?? []);
    }
    if (!path.startsWith('/fhir')) return json(operationOutcome('not-found', 'No such path'), 404);
    const rest = path.slice('/fhir'.length).replace(/^\//, '');
    try {
      if (rest === '' && request.method === 'POST') {
        if (!batch) return json(operationOutcome('not-supported', 'No batch here'), 405);
        const body = (await request.json()) as fhir4.Bundle;
        if (body.type !== 'batch') return json(operationOutcome('invalid', 'Not a batch'), 400);
        const entries = (body.entry ?? []).map((entry): fhir4.BundleEntry => {
          const target = entry.request?.url ?? '';
          const query = readQuery(target);
          const inner = options.intercept?.({
            ...seen,
            url: new URL(`${fhirBase}/${target}`),
            resourceType: query.type,
          });
          if (inner) return { response: { status: String(inner.status) } };
          try {
            return {
              resource: search(query.type, query.params, `${fhirBase}/${target}`),
              response: { status: '200 OK' },
            };
          } catch (error) {
            if (!(error instanceof BadRequest)) throw error;
            return {
              response: {
                status: '400 Bad Request',
                outcome: operationOutcome('invalid', error.message),
              },
            };
          }
        });
        return json({ resourceType: 'Bundle', type: 'batch-response', entry: entries });
      }
      if (rest === '' && url.searchParams.has('_getpages')) {
        const cursor = cursors.get(url.searchParams.get('_getpages') ?? '');
        if (!cursor) return json(operationOutcome('not-found', 'Expired cursor'), 410);
        return json(page(cursor.query, cursor.offset, cursor.first));
      }
      if (rest === 'metadata') return json(capabilityStatement());
      const exportMatch = /^Group\/([^/]+)\/\$export$/.exec(rest);
      if (exportMatch?.[1]) return exportKickOff(request, url, exportMatch[1]);
      const [type = '', id] = rest.split('/');
      if (id !== undefined) {
        const resource = (byType.get(type) ?? []).find((r) => r.id === id);
        if (!resource)
          return json(operationOutcome('not-found', `${type}/${id} is not known`), 404);
        return json(resource);
      }
      return json(search(type, url.searchParams, url.href));
    } catch (error) {
      if (error instanceof BadRequest) return json(operationOutcome('invalid', error.message), 400);
      throw error;
    }
  }

  const handler = http.all(`${origin}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const fhirPath = url.pathname.startsWith('/fhir/') ? url.pathname.slice(6) : '';
    const seen: SeenRequest = {
      method: request.method,
      url,
      resourceType: /^[A-Z][A-Za-z]+/.exec(fhirPath)?.[0],
      authorization: request.headers.get('authorization'),
      index: stats.requests.length + 1,
    };
    stats.requests.push(seen);
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, options.latencyMs ?? 2));
      return await answer(request, url, seen);
    } finally {
      stats.inFlight--;
    }
  });
  return { handlers: [handler], stats };
}

// A small panel: practitioner pr-1 looks after p1–p5 (p6 belongs to pr-2). Observations carry
// codes in and out of the plan, so code filters show.

function patient(id: string, practitioner: string): fhir4.Patient {
  return {
    resourceType: 'Patient',
    id,
    name: [{ family: `Family-${id}`, given: ['Zoë'] }],
    gender: 'female',
    birthDate: '1960-04-01',
    generalPractitioner: [{ reference: `Practitioner/${practitioner}` }],
  };
}

function observation(id: string, patientId: string, code: string): fhir4.Observation {
  const [system, value] = code.split('|');
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/observation-category',
            code: 'laboratory',
          },
        ],
      },
    ],
    code: { coding: [{ system: system ?? loinc, code: value ?? code }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2026-03-01',
    valueQuantity: { value: 7.1, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
  };
}

function encounter(
  id: string,
  patientId: string,
  practitioner: string,
  start: string,
): fhir4.Encounter {
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'AMB',
    },
    subject: { reference: `Patient/${patientId}` },
    participant: [{ individual: { reference: `Practitioner/${practitioner}` } }],
    period: { start, end: start },
  };
}

function condition(id: string, patientId: string): fhir4.Condition {
  return {
    resourceType: 'Condition',
    id,
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
      ],
    },
    code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006' }] },
    subject: { reference: `Patient/${patientId}` },
  };
}

/** RxNorm 860975 (metformin ER), referenced by med-1. */
export const rxnorm = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/**
 * The shapes EHRs send: `medicationReference` to a shared Medication (`Medication/[id]`), or to
 * a Medication contained in the request (`#id`).
 */
function medicationRequest(
  id: string,
  patientId: string,
  medication: string,
): fhir4.MedicationRequest {
  const base: fhir4.MedicationRequest = {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    authoredOn: '2026-02-10',
    subject: { reference: `Patient/${patientId}` },
  };
  if (medication.startsWith('#')) {
    return {
      ...base,
      contained: [
        {
          resourceType: 'Medication',
          id: medication.slice(1),
          code: { coding: [{ system: rxnorm, code: '314076' }] },
        },
      ],
      medicationReference: { reference: medication },
    };
  }
  return { ...base, medicationReference: { reference: medication } };
}

/** Which Medication each patient's request names (p3 and p6 have none). */
const medicationOf: Readonly<Record<string, string>> = {
  p1: 'Medication/med-1',
  p2: 'Medication/med-2',
  p4: '#lisinopril',
  p5: 'Medication/med-1',
};

export const panelPatientIds = ['p1', 'p2', 'p3', 'p4', 'p5'];

/** p1–p5 (pr-1's) and p6 (pr-2's), each with encounters, observations, a condition and meds. */
export function panelResources(extraPatients = 0): fhir4.FhirResource[] {
  const ids = [
    ...panelPatientIds,
    'p6',
    ...Array.from({ length: extraPatients }, (_, i) => `x${i + 1}`),
  ];
  const resources: fhir4.FhirResource[] = [];
  ids.forEach((id, index) => {
    const practitioner = id === 'p6' ? 'pr-2' : 'pr-1';
    resources.push(patient(id, practitioner));
    resources.push(encounter(`enc-${id}-old`, id, practitioner, '2023-01-10'));
    resources.push(encounter(`enc-${id}-new`, id, practitioner, '2026-02-10'));
    resources.push(observation(`obs-${id}-a1c`, id, hba1c));
    if (index % 2 === 0) resources.push(observation(`obs-${id}-bp`, id, bloodPressure));
    resources.push(observation(`obs-${id}-bmi`, id, bmi));
    resources.push(condition(`cond-${id}`, id));
    const medication = medicationOf[id];
    if (medication !== undefined) resources.push(medicationRequest(`mr-${id}`, id, medication));
  });
  resources.push(
    {
      resourceType: 'Practitioner',
      id: 'pr-1',
      name: [{ family: 'Adams', given: ['Rhea'] }],
    },
    {
      resourceType: 'Group',
      id: 'g-1',
      type: 'person',
      actual: true,
      member: [
        ...panelPatientIds.map((id) => ({ entity: { reference: `Patient/${id}` } })),
        { entity: { reference: 'Patient/p6' }, inactive: true },
      ],
    },
    {
      resourceType: 'List',
      id: 'l-1',
      status: 'current',
      mode: 'working',
      entry: [
        { item: { reference: 'Patient/p2' } },
        { item: { reference: 'Patient/p3' } },
        { item: { reference: 'Patient/p4' }, deleted: true },
      ],
    },
    {
      resourceType: 'Medication',
      id: 'med-1',
      code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '860975' }] },
    },
    {
      resourceType: 'Medication',
      id: 'med-2',
      code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '310798' }] },
    },
    {
      resourceType: 'Medication',
      id: 'med-3',
      code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361' }] },
    },
  );
  return resources;
}

/**
 * What a correct load of `patientIds` with `panelPlan` must deliver, as `Type/id` keys: their
 * resources, and (unless `medications` is false) the shared Medications their requests reference.
 */
export function expectedKeys(
  patientIds: readonly string[],
  options: { medications?: boolean } = {},
): string[] {
  const wanted = new Set(patientIds);
  const all = panelResources(20);
  const mine = all.filter((resource) => {
    const patient = patientOf(resource);
    if (patient === undefined || !wanted.has(patient)) return false;
    if (resource.resourceType === 'Observation') {
      return codesOf(resource).some((code) => code === hba1c || code === bloodPressure);
    }
    return true;
  });
  const medicationIds = new Set(
    mine.flatMap((resource) =>
      resource.resourceType === 'MedicationRequest'
        ? [refId(resource.medicationReference?.reference, 'Medication') ?? '']
        : [],
    ),
  );
  const medications =
    options.medications === false
      ? []
      : all.filter((r) => r.resourceType === 'Medication' && medicationIds.has(r.id ?? ''));
  return [...mine, ...medications]
    .map((resource) => `${resource.resourceType}/${resource.id ?? ''}`)
    .sort();
}
