// An msw stand-in for a SMART EHR (the local sandbox's protocol): discovery, the token endpoint
// and a FHIR R4 read and search API that checks the bearer token. Serves real FHIR JSON; every
// response shape here is what fhirclient meets in production. Search answers a searchset Bundle of
// the given resources of that type for the patient (and code/category tokens), so the patient
// view's query wave is answered like an EHR with nothing more on file would answer it.
import { HttpResponse, http } from 'msw';
import type { HttpHandler } from 'msw';

export const origin = 'http://127.0.0.1:4010';
export const fhirBase = `${origin}/fhir`;
export const authorizeEndpoint = `${origin}/auth/authorize`;
export const tokenEndpoint = `${origin}/auth/token`;
export const appOrigin = 'http://localhost:3000';

const fhirJson = { 'content-type': 'application/fhir+json' };

export function operationOutcome(code: string, diagnostics: string): fhir4.OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

export const smartConfiguration = {
  issuer: fhirBase,
  authorization_endpoint: authorizeEndpoint,
  token_endpoint: tokenEndpoint,
  token_endpoint_auth_methods_supported: ['none'],
  grant_types_supported: ['authorization_code', 'refresh_token'],
  scopes_supported: ['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access'],
  response_types_supported: ['code'],
  code_challenge_methods_supported: ['S256'],
  capabilities: [
    'launch-ehr',
    'launch-standalone',
    'client-public',
    'context-ehr-patient',
    'context-standalone-patient',
    'sso-openid-connect',
    'context-passthrough-banner',
    'permission-offline',
    'permission-patient',
    'permission-user',
    'permission-v1',
    'permission-v2',
  ],
};

const patientSearch: fhir4.CapabilityStatementRestResourceSearchParam[] = [
  { name: 'patient', type: 'reference' },
  { name: 'subject', type: 'reference' },
  { name: 'code', type: 'token' },
  { name: 'date', type: 'date' },
];

/** The types the patient view searches by patient (src/features/patient/load-patient-data.ts). */
const SEARCHABLE_TYPES = [
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

export const capabilityStatement: fhir4.CapabilityStatement = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2026-01-01',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  rest: [
    {
      mode: 'server',
      security: {
        service: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                code: 'SMART-on-FHIR',
              },
            ],
          },
        ],
        extension: [
          {
            url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
            extension: [
              { url: 'authorize', valueUri: authorizeEndpoint },
              { url: 'token', valueUri: tokenEndpoint },
            ],
          },
        ],
      },
      resource: [
        {
          type: 'Patient',
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: [
            { name: '_id', type: 'token' },
            { name: 'identifier', type: 'token' },
            { name: 'name', type: 'string' },
          ],
        },
        { type: 'Practitioner', interaction: [{ code: 'read' }] },
        ...SEARCHABLE_TYPES.map((type) => ({
          type,
          interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
          searchParam: patientSearch,
        })),
      ],
    },
  ],
};

/** An unsigned JWT-shaped id_token (fhirclient and the app read it without verifying). */
export function idToken(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${encode({
    iss: fhirBase,
    aud: 'equity-lens',
    iat: 1_700_000_000,
    exp: 4_000_000_000,
    ...claims,
  })}.c2lnbmF0dXJl`;
}

export interface FhirServerOptions {
  resources: readonly fhir4.FhirResource[];
  /** The bearer token the FHIR API accepts. */
  accessToken: string;
  /** Answers a token request (authorization_code or refresh_token), given its form body. */
  token?: (form: URLSearchParams) => Record<string, unknown> | Response;
  /** Every form body POSTed to the token endpoint, for assertions. */
  tokenRequests?: URLSearchParams[];
}

/** The patient a resource is about (subject, patient, Task.for, Coverage.beneficiary). */
function patientIdOf(resource: fhir4.FhirResource): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  const record = resource as unknown as Record<string, fhir4.Reference | undefined>;
  const ref = record.subject ?? record.patient ?? record.for ?? record.beneficiary;
  return /(?:^|\/)Patient\/([^/]+)$/.exec(ref?.reference ?? '')?.[1];
}

/** `system|code` of every coding under a CodeableConcept element (or a list of them). */
function tokensOf(resource: fhir4.FhirResource, element: 'code' | 'category'): string[] {
  const value = (resource as unknown as Record<string, unknown>)[element];
  const concepts = (
    Array.isArray(value) ? value : value === undefined ? [] : [value]
  ) as fhir4.CodeableConcept[];
  return concepts.flatMap((c) => (c.coding ?? []).map((x) => `${x.system ?? ''}|${x.code ?? ''}`));
}

/** R4 token search: `system|code`, or a bare code in any system; comma-separated values OR. */
function matchesToken(tokens: readonly string[], query: string): boolean {
  return query
    .split(',')
    .some((wanted) =>
      wanted.includes('|') ? tokens.includes(wanted) : tokens.some((t) => t.endsWith(`|${wanted}`)),
    );
}

function searchset(resources: readonly fhir4.FhirResource[], self: string): fhir4.Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: self }],
    entry: resources.map((resource) => ({
      fullUrl: `${fhirBase}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' as const },
    })),
  };
}

export function smartFhirServer(options: FhirServerOptions): HttpHandler[] {
  const byReference = new Map(
    options.resources.map((resource) => [
      `${resource.resourceType}/${resource.id ?? ''}`,
      resource,
    ]),
  );
  const unauthorized = (request: Request) =>
    request.headers.get('authorization') === `Bearer ${options.accessToken}`
      ? undefined
      : HttpResponse.json(operationOutcome('login', 'Missing or expired access token'), {
          status: 401,
          headers: fhirJson,
        });
  return [
    http.get(`${fhirBase}/.well-known/smart-configuration`, () =>
      HttpResponse.json(smartConfiguration),
    ),
    http.get(`${fhirBase}/metadata`, () =>
      HttpResponse.json(capabilityStatement, { headers: fhirJson }),
    ),
    http.post(tokenEndpoint, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      options.tokenRequests?.push(form);
      if (!options.token) {
        return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
      }
      const answer = options.token(form);
      return answer instanceof Response ? answer : HttpResponse.json(answer);
    }),
    http.get(`${fhirBase}/:type`, ({ request, params }) => {
      const denied = unauthorized(request);
      if (denied) return denied;
      const type = String(params.type);
      if (!SEARCHABLE_TYPES.includes(type) && type !== 'Patient') {
        // R4 http.html (search): "404 Not Found - resource type not supported".
        return HttpResponse.json(
          operationOutcome('not-supported', `Resource type '${type}' is not supported`),
          { status: 404, headers: fhirJson },
        );
      }
      const url = new URL(request.url);
      let found = options.resources.filter((r) => r.resourceType === type);
      for (const [name, value] of url.searchParams) {
        if (name === 'patient' || name === 'subject') {
          const id = value.replace(/^.*Patient\//, '');
          found = found.filter((r) => patientIdOf(r) === id);
        } else if (name === '_id') {
          found = found.filter((r) => value.split(',').includes(r.id ?? ''));
        } else if (name === 'code' || name === 'category') {
          found = found.filter((r) => matchesToken(tokensOf(r, name), value));
        } else if (name !== '_count') {
          return HttpResponse.json(
            operationOutcome('not-supported', `Search parameter '${name}' is not supported`),
            { status: 400, headers: fhirJson },
          );
        }
      }
      return HttpResponse.json(searchset(found, request.url), { headers: fhirJson });
    }),
    http.get(`${fhirBase}/:type/:id`, ({ request, params }) => {
      const denied = unauthorized(request);
      if (denied) return denied;
      const reference = `${String(params.type)}/${String(params.id)}`;
      const resource = byReference.get(reference);
      if (!resource) {
        return HttpResponse.json(operationOutcome('not-found', `${reference} is not known`), {
          status: 404,
          headers: fhirJson,
        });
      }
      return HttpResponse.json(resource, { headers: fhirJson });
    }),
  ];
}

/** Points the jsdom page at `path` (the adapter inside fhirclient reads it on first use). */
export function visit(path: string): void {
  window.history.replaceState({}, '', new URL(path, appOrigin).href);
}
