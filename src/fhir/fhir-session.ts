// The one seam between the app and the FHIR client library (architecture.md rule 2). Features
// talk to this interface; the fhirclient adapter and the tests' in-memory session implement it.

/** Resource types SMART allows in `fhirUser` (App Launch 2.x, §2.0.9 "Scopes for requesting identity data"). */
export type FhirUserType = 'Practitioner' | 'Patient' | 'RelatedPerson' | 'Person';

export interface FhirUserRef {
  readonly resourceType: FhirUserType;
  readonly id: string;
}

export interface FhirRequestInit {
  readonly signal?: AbortSignal;
}

export interface FhirCreateInit extends FhirRequestInit {
  /**
   * A conditional create (R4 http.html#ccreate): the `If-None-Exist` search (without `?`, e.g.
   * `identifier=urn:ietf:rfc:3986|urn:uuid:…`). A server that honours it returns the existing
   * match instead of creating a second resource.
   */
  readonly ifNoneExist?: string;
}

export interface FhirSession {
  /** The FHIR base URL (the launch's `iss`). */
  readonly serverUrl: string;
  /** The patient in context; undefined on a practitioner-only launch. */
  readonly patientId: string | undefined;
  readonly encounterId: string | undefined;
  /** The signed-in user from the id_token's `fhirUser`; undefined when no identity was granted. */
  readonly user: FhirUserRef | undefined;
  /** The scopes the server granted (may be narrower than the ones requested). */
  readonly grantedScopes: readonly string[];
  /** False when the EHR already shows its own patient banner (`need_patient_banner`). */
  readonly needPatientBanner: boolean;
  /**
   * GETs a URL relative to `serverUrl` (e.g. `Patient/123`, `Observation?patient=123`). The body
   * is trusted to be `T`: callers name the resource type they asked for. Rejects with a
   * `SessionError`.
   */
  request<T>(url: string, init?: FhirRequestInit): Promise<T>;
  /**
   * POSTs a new resource and resolves with the server's copy (or, for a conditional create that
   * matched, the existing one). Rejects with a `SessionError`.
   */
  create<T extends fhir4.Resource>(resource: T, init?: FhirCreateInit): Promise<T>;
  /** PUTs `resource` to `Type/id` and resolves with the server's copy. Rejects with a `SessionError`. */
  update<T extends fhir4.Resource & { id: string }>(
    resource: T,
    init?: FhirRequestInit,
  ): Promise<T>;
  /**
   * POSTs a `transaction` Bundle to the base URL (R4 http.html#transaction) and resolves with the
   * `transaction-response`. All or nothing: a failed transaction rejects with a `SessionError`.
   */
  transaction(bundle: fhir4.Bundle, init?: FhirRequestInit): Promise<fhir4.Bundle>;
  /**
   * A current access token (refreshed first when it is about to expire), for the panel worker's
   * own REST requests; undefined for an open server. Hand it only to code that keeps it in
   * memory: never a URL, storage or a log. Rejects with a `SessionError` when the session ended.
   */
  accessToken(): Promise<string | undefined>;
}

const userTypes: readonly FhirUserType[] = ['Practitioner', 'Patient', 'RelatedPerson', 'Person'];

function isFhirUserType(value: string): value is FhirUserType {
  return (userTypes as readonly string[]).includes(value);
}

/**
 * Reads a `fhirUser` claim, relative (`Practitioner/123`) or absolute
 * (`https://ehr.example/fhir/Practitioner/123`, as Epic and the local sandbox send it).
 */
export function parseFhirUser(fhirUser: string | undefined): FhirUserRef | undefined {
  if (!fhirUser) return undefined;
  const path = fhirUser.split(/[?#]/)[0] ?? '';
  const segments = path.split('/').filter((segment) => segment !== '');
  // A versioned reference ends in `_history/<vid>`: step over it.
  const history = segments.lastIndexOf('_history');
  const usable = history > 0 ? segments.slice(0, history) : segments;
  const id = usable.at(-1);
  const resourceType = usable.at(-2);
  if (!id || !resourceType || !isFhirUserType(resourceType)) return undefined;
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) return undefined;
  return { resourceType, id };
}

/** Splits a token response's space-separated `scope`. */
export function splitScopes(scope: string | undefined): readonly string[] {
  return (scope ?? '').split(/\s+/).filter((word) => word !== '');
}
