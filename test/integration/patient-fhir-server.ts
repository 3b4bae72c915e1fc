// An msw FHIR R4 server for the patient view: SMART discovery, a CapabilityStatement whose write
// support each test chooses, search over a small store (patient, code, category, identifier,
// service-category tokens), conditional create (If-None-Exist), transactions with bundle-local
// references, and failures injected per search type or per write. Real FHIR JSON throughout.
import { HttpResponse, delay, http } from 'msw';
import type { HttpHandler } from 'msw';
import { fhirBase, operationOutcome, smartConfiguration } from './smart-fhir-server';

const fhirJson = { 'content-type': 'application/fhir+json' };

export type WriteOutcome =
  | { kind: 'ok' }
  /** Fails before anything is stored. */
  | { kind: 'fail'; status: number }
  /** Stores the write, then answers 504 (the answer was lost on the way back). */
  | { kind: 'commit-then-fail'; status: number };

export interface PatientServerOptions {
  accessToken: string;
  resources: fhir4.FhirResource[];
  /** Types whose search answers this status. */
  searchFailures?: Readonly<Record<string, number>>;
  /** Resource types the CapabilityStatement lists with create. */
  creatable?: readonly string[];
  transaction?: boolean;
  conditionalCreate?: boolean;
  /** Outcomes of successive writes (POST/PUT); missing entries succeed. */
  writeOutcomes?: WriteOutcome[];
  /** `metadata` answers this status instead. */
  metadataStatus?: number;
  /**
   * Types this server does not serve (as the sandbox has no DeviceRequest): left out of the
   * CapabilityStatement, and their searches answer 404 (R4 http.html "resource type not supported").
   */
  unsupportedTypes?: readonly string[];
}

export interface PatientServer {
  handlers: HttpHandler[];
  /** Everything stored, including what the app wrote. */
  store: fhir4.FhirResource[];
  /** Relative URLs of every GET search/read, in arrival order. */
  reads: string[];
  /** `METHOD path` of every write, in arrival order. */
  writes: string[];
  /** Arrival/answer events of the initial wave, for the one-wave assertion. */
  events: string[];
}

const SEARCHABLE = [
  'Observation',
  'QuestionnaireResponse',
  'Condition',
  'Encounter',
  'Procedure',
  'ServiceRequest',
  'Task',
  'Coverage',
  'MedicationRequest',
  'DeviceRequest',
];

export function patientCapabilityStatement(
  options: PatientServerOptions,
): fhir4.CapabilityStatement {
  const creatable = new Set(options.creatable ?? []);
  const search: fhir4.CapabilityStatementRestResourceSearchParam[] = [
    { name: 'patient', type: 'reference' },
    { name: 'identifier', type: 'token' },
    { name: 'code', type: 'token' },
    { name: 'category', type: 'token' },
  ];
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
        resource: [
          { type: 'Patient', interaction: [{ code: 'read' }] },
          { type: 'Practitioner', interaction: [{ code: 'read' }] },
          {
            type: 'HealthcareService',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [{ name: 'service-category', type: 'token' }],
          },
          ...SEARCHABLE.filter((type) => !(options.unsupportedTypes ?? []).includes(type)).map(
            (type) => ({
              type,
              interaction: [
                { code: 'read' as const },
                { code: 'search-type' as const },
                ...(creatable.has(type) ? [{ code: 'create' as const }] : []),
              ],
              ...(creatable.has(type) && options.conditionalCreate
                ? { conditionalCreate: true }
                : {}),
              searchParam: search,
            }),
          ),
        ],
        ...(options.transaction ? { interaction: [{ code: 'transaction' as const }] } : {}),
      },
    ],
  };
}

function tokens(resource: fhir4.FhirResource, param: string): string[] {
  const record = resource as unknown as Record<string, unknown>;
  const concepts = (value: unknown): fhir4.CodeableConcept[] =>
    value === undefined
      ? []
      : Array.isArray(value)
        ? (value as fhir4.CodeableConcept[])
        : [value as fhir4.CodeableConcept];
  const fromConcepts = (value: unknown) =>
    concepts(value).flatMap((c) =>
      (c.coding ?? []).map((x) => `${x.system ?? ''}|${x.code ?? ''}`),
    );
  switch (param) {
    case 'code':
      return fromConcepts(record.code);
    case 'category':
      return fromConcepts(record.category);
    case 'service-category':
      return fromConcepts(record.category);
    case 'identifier':
      return ((record.identifier as fhir4.Identifier[] | undefined) ?? []).map(
        (i) => `${i.system ?? ''}|${i.value ?? ''}`,
      );
    default:
      return [];
  }
}

function matchesToken(values: string[], query: string): boolean {
  return query
    .split(',')
    .some((wanted) =>
      wanted.includes('|') ? values.includes(wanted) : values.some((v) => v.endsWith(`|${wanted}`)),
    );
}

function patientOf(resource: fhir4.FhirResource): string | undefined {
  const record = resource as unknown as Record<string, fhir4.Reference | undefined>;
  const ref = record.subject ?? record.patient ?? record.for ?? record.beneficiary;
  return ref?.reference?.replace(/^.*Patient\//, '');
}

function bundle(resources: fhir4.FhirResource[]): fhir4.Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource) => ({
      fullUrl: `${fhirBase}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

export function patientFhirServer(options: PatientServerOptions): PatientServer {
  const store = structuredClone(options.resources);
  const reads: string[] = [];
  const writes: string[] = [];
  const events: string[] = [];
  const outcomes = [...(options.writeOutcomes ?? [])];
  let nextId = 1;

  const unauthorized = (request: Request) =>
    request.headers.get('authorization') === `Bearer ${options.accessToken}`
      ? undefined
      : HttpResponse.json(operationOutcome('login', 'Missing or expired access token'), {
          status: 401,
          headers: fhirJson,
        });

  const matchIdentifier = (type: string, ifNoneExist: string | null | undefined) => {
    const value = /^identifier=(.*)$/.exec(decodeURIComponent(ifNoneExist ?? ''))?.[1];
    if (value === undefined || !options.conditionalCreate) return undefined;
    return store.find((r) => r.resourceType === type && tokens(r, 'identifier').includes(value));
  };

  const save = (resource: fhir4.FhirResource): fhir4.FhirResource => {
    const stored = {
      ...resource,
      id: `w${nextId++}`,
      meta: { lastUpdated: '2026-11-30T10:00:00Z' },
    };
    store.push(stored);
    return stored;
  };

  const creatable = new Set(options.creatable ?? []);

  const handlers: HttpHandler[] = [
    http.get(`${fhirBase}/.well-known/smart-configuration`, () =>
      HttpResponse.json(smartConfiguration),
    ),
    http.get(`${fhirBase}/metadata`, () => {
      reads.push('metadata');
      if (options.metadataStatus !== undefined) {
        return HttpResponse.json(operationOutcome('exception', 'unavailable'), {
          status: options.metadataStatus,
          headers: fhirJson,
        });
      }
      return HttpResponse.json(patientCapabilityStatement(options), { headers: fhirJson });
    }),
    http.get(`${fhirBase}/:type/:id`, ({ request, params }) => {
      const denied = unauthorized(request);
      if (denied) return denied;
      const reference = `${String(params.type)}/${String(params.id)}`;
      reads.push(reference);
      const resource = store.find((r) => `${r.resourceType}/${r.id ?? ''}` === reference);
      return resource
        ? HttpResponse.json(resource, { headers: fhirJson })
        : HttpResponse.json(operationOutcome('not-found', `${reference} is not known`), {
            status: 404,
            headers: fhirJson,
          });
    }),
    http.get(`${fhirBase}/:type`, async ({ request, params }) => {
      const denied = unauthorized(request);
      if (denied) return denied;
      const type = String(params.type);
      const url = new URL(request.url);
      const relative = `${type}${url.search}`;
      reads.push(relative);
      events.push(`arrive ${type}`);
      // Answers take a moment, so a second wave would show up as arrivals after answers.
      await delay(15);
      events.push(`answer ${type}`);
      if (options.unsupportedTypes?.includes(type) === true) {
        return HttpResponse.json(
          operationOutcome(
            'not-supported',
            `Resource type '${type}' is not supported by this server`,
          ),
          { status: 404, headers: fhirJson },
        );
      }
      const failure = options.searchFailures?.[type];
      if (failure !== undefined) {
        return HttpResponse.json(operationOutcome('forbidden', `${type} is not shared`), {
          status: failure,
          headers: fhirJson,
        });
      }
      let found = store.filter((r) => r.resourceType === type);
      for (const [name, value] of url.searchParams) {
        if (name === '_count') continue;
        if (name === 'patient') found = found.filter((r) => patientOf(r) === value);
        else found = found.filter((r) => matchesToken(tokens(r, name), value));
      }
      return HttpResponse.json(bundle(found), { headers: fhirJson });
    }),
    http.post(`${fhirBase}/:type`, async ({ request, params }) => {
      const denied = unauthorized(request);
      if (denied) return denied;
      const type = String(params.type);
      writes.push(`POST ${type}`);
      if (!creatable.has(type)) {
        return HttpResponse.json(operationOutcome('not-supported', `no create for ${type}`), {
          status: 405,
          headers: fhirJson,
        });
      }
      const outcome = outcomes.shift() ?? { kind: 'ok' };
      if (outcome.kind === 'fail') {
        return HttpResponse.json(operationOutcome('exception', 'write failed'), {
          status: outcome.status,
          headers: fhirJson,
        });
      }
      const body = (await request.json()) as fhir4.FhirResource;
      const existing = matchIdentifier(type, request.headers.get('if-none-exist'));
      const stored = existing ?? save(body);
      if (outcome.kind === 'commit-then-fail') {
        return HttpResponse.json(operationOutcome('timeout', 'gateway timeout'), {
          status: outcome.status,
          headers: fhirJson,
        });
      }
      return HttpResponse.json(stored, {
        status: existing ? 200 : 201,
        headers: { ...fhirJson, location: `${fhirBase}/${type}/${stored.id ?? ''}/_history/1` },
      });
    }),
    http.post(fhirBase, async ({ request }) => {
      const denied = unauthorized(request);
      if (denied) return denied;
      writes.push('POST transaction');
      if (!options.transaction) {
        return HttpResponse.json(operationOutcome('not-supported', 'no transactions'), {
          status: 400,
          headers: fhirJson,
        });
      }
      const outcome = outcomes.shift() ?? { kind: 'ok' };
      if (outcome.kind === 'fail') {
        return HttpResponse.json(operationOutcome('exception', 'transaction failed'), {
          status: outcome.status,
          headers: fhirJson,
        });
      }
      const body = (await request.json()) as fhir4.Bundle;
      const assigned = new Map<string, string>();
      const entries = (body.entry ?? []).map((entry) => {
        const text = JSON.stringify(entry.resource).replace(/"urn:uuid:[^"]+"/g, (ref) => {
          const id = assigned.get(ref.slice(1, -1));
          return id === undefined ? ref : `"${id}"`;
        });
        const resource = JSON.parse(text) as fhir4.FhirResource;
        const existing = matchIdentifier(resource.resourceType, entry.request?.ifNoneExist);
        const stored = existing ?? save(resource);
        if (entry.fullUrl) assigned.set(entry.fullUrl, `${stored.resourceType}/${stored.id ?? ''}`);
        return {
          resource: stored,
          response: {
            status: existing ? '200 OK' : '201 Created',
            location: `${stored.resourceType}/${stored.id ?? ''}/_history/1`,
          },
        };
      });
      if (outcome.kind === 'commit-then-fail') {
        return HttpResponse.json(operationOutcome('timeout', 'gateway timeout'), {
          status: outcome.status,
          headers: fhirJson,
        });
      }
      return HttpResponse.json(
        { resourceType: 'Bundle', type: 'transaction-response', entry: entries },
        { headers: fhirJson },
      );
    }),
  ];
  return { handlers, store, reads, writes, events };
}
