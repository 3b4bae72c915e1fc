// The contract between the sandbox's authorization layer (sandbox/auth) and its FHIR API
// (sandbox/fhir). The auth layer verifies the bearer token and turns its SMART scopes into a
// FhirAccess; the FHIR API enforces it on every read, search, batch entry and create.

/** What a token may read of one resource type. */
export type ReadGrant =
  /** No scope covers this type: 403. */
  | { kind: 'none' }
  /** patient/ scopes (or user/ scopes of a Patient user): only this patient's compartment. */
  | { kind: 'patient'; patientId: string }
  /** user/ scopes of a Practitioner: everything the practitioner may see (the whole sandbox). */
  | { kind: 'all' };

export interface FhirAccess {
  read(resourceType: string): ReadGrant;
  /** May the token create resources of this type (v1 `.write`/`.*`, v2 `.c`)? */
  create(resourceType: string): ReadGrant;
  /** May the token update resources of this type (v1 `.write`/`.*`, v2 `.u`)? */
  update(resourceType: string): ReadGrant;
}

/** A request to the FHIR API, relative to the FHIR base URL. */
export interface FhirRequest {
  method: string;
  /** Path below the FHIR base: '/metadata', '/Patient', '/Patient/123', '/' (batch). */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body, when there is one. */
  body: unknown;
  /** Request headers the API reads (lower-case names): `if-none-exist`, `if-match`. */
  headers?: Readonly<Record<string, string>>;
}

export interface FhirResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Full access, for loaders, tests and tools that bypass SMART. */
export const fullAccess: FhirAccess = {
  read: () => ({ kind: 'all' }),
  create: () => ({ kind: 'all' }),
  update: () => ({ kind: 'all' }),
};
