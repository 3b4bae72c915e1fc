import type {
  FhirCreateInit,
  FhirRequestInit,
  FhirSession,
  FhirUserRef,
} from '../fhir/fhir-session';

/**
 * The launch's session with another patient in context, for a chart opened from the dashboard.
 * The patient view reads `patientId` like any launch; the server still checks every request
 * against the token (user-level scopes). The EHR shows no banner for this patient, so the app
 * shows its own; no encounter comes with it.
 */
class PatientContextSession implements FhirSession {
  readonly serverUrl: string;
  readonly patientId: string;
  readonly encounterId = undefined;
  readonly user: FhirUserRef | undefined;
  readonly grantedScopes: readonly string[];
  readonly needPatientBanner = true;
  readonly #launch: FhirSession;

  constructor(launch: FhirSession, patientId: string) {
    this.#launch = launch;
    this.serverUrl = launch.serverUrl;
    this.patientId = patientId;
    this.user = launch.user;
    this.grantedScopes = launch.grantedScopes;
  }

  request<T>(url: string, init?: FhirRequestInit): Promise<T> {
    return this.#launch.request<T>(url, init);
  }

  create<T extends fhir4.Resource>(resource: T, init?: FhirCreateInit): Promise<T> {
    return this.#launch.create(resource, init);
  }

  update<T extends fhir4.Resource & { id: string }>(
    resource: T,
    init?: FhirRequestInit,
  ): Promise<T> {
    return this.#launch.update(resource, init);
  }

  transaction(bundle: fhir4.Bundle, init?: FhirRequestInit): Promise<fhir4.Bundle> {
    return this.#launch.transaction(bundle, init);
  }

  accessToken(): Promise<string | undefined> {
    return this.#launch.accessToken();
  }
}

export function withPatientInContext(launch: FhirSession, patientId: string): FhirSession {
  return new PatientContextSession(launch, patientId);
}
