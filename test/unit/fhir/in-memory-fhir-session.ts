// A real FhirSession for tests (architecture.md rule 2): resources held in memory, failures
// injected per URL. No casts, no module mocks.
import type { FhirRequestInit, FhirSession, FhirUserRef } from '../../../src/fhir/fhir-session';
import type { SessionFailure } from '../../../src/fhir/session-failure';
import { SessionError } from '../../../src/fhir/session-failure';

export interface InMemorySessionOptions {
  serverUrl?: string;
  patientId?: string;
  encounterId?: string;
  user?: FhirUserRef;
  grantedScopes?: readonly string[];
  needPatientBanner?: boolean;
  resources?: readonly fhir4.FhirResource[];
  /** Raw response bodies by relative URL, for servers that answer with the wrong thing. */
  bodies?: Readonly<Record<string, unknown>>;
  /** Requests (by relative URL) that fail with the given failure. */
  failures?: Readonly<Record<string, SessionFailure>>;
  /** The token `accessToken()` hands out (undefined: an open server). */
  accessToken?: string;
}

export class InMemoryFhirSession implements FhirSession {
  readonly serverUrl: string;
  readonly patientId: string | undefined;
  readonly encounterId: string | undefined;
  readonly user: FhirUserRef | undefined;
  readonly grantedScopes: readonly string[];
  readonly needPatientBanner: boolean;
  readonly requested: string[] = [];
  readonly #resources = new Map<string, fhir4.FhirResource>();
  readonly #failures: Readonly<Record<string, SessionFailure>>;
  readonly #bodies: Readonly<Record<string, unknown>>;
  readonly #accessToken: string | undefined;
  #nextId = 1;

  constructor(options: InMemorySessionOptions = {}) {
    this.serverUrl = options.serverUrl ?? 'https://ehr.example.test/fhir';
    this.patientId = options.patientId;
    this.encounterId = options.encounterId;
    this.user = options.user;
    this.grantedScopes = options.grantedScopes ?? [];
    this.needPatientBanner = options.needPatientBanner ?? true;
    this.#failures = options.failures ?? {};
    this.#bodies = options.bodies ?? {};
    this.#accessToken = options.accessToken;
    for (const resource of options.resources ?? []) {
      this.#resources.set(`${resource.resourceType}/${resource.id ?? ''}`, resource);
    }
  }

  request<T>(url: string, init?: FhirRequestInit): Promise<T> {
    this.requested.push(url);
    if (init?.signal?.aborted) {
      return Promise.reject(new DOMException('The operation was aborted.', 'AbortError'));
    }
    const failure = this.#failures[url];
    if (failure) return Promise.reject(new SessionError(failure));
    const body: unknown = url in this.#bodies ? this.#bodies[url] : this.#resources.get(url);
    if (body === undefined)
      return Promise.reject(new SessionError({ kind: 'server', status: 404 }));
    // The seam's contract: the caller names the type it asked for, unchecked.
    return Promise.resolve(structuredClone(body) as T);
  }

  accessToken(): Promise<string | undefined> {
    return Promise.resolve(this.#accessToken);
  }

  create<T extends fhir4.Resource>(resource: T): Promise<T> {
    const stored = { ...resource, id: String(this.#nextId++) };
    return Promise.resolve(stored);
  }
}
