// A real FhirSession for tests (architecture.md rule 2): resources held in memory, failures
// injected per URL. No casts, no module mocks.
import type {
  FhirCreateInit,
  FhirRequestInit,
  FhirSession,
  FhirUserRef,
} from '../../../src/fhir/fhir-session';
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
  /**
   * Writes that fail, in order: each create/update/transaction takes the next entry (undefined:
   * succeed). `after-commit` stores the write and then fails, like a timeout on the way back.
   */
  writeOutcomes?: readonly (SessionFailure | { kind: 'after-commit' } | undefined)[];
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
  readonly #writeOutcomes: (SessionFailure | { kind: 'after-commit' } | undefined)[];
  /** Every write attempted, in order (`POST Type`, `PUT Type/id`, `POST transaction`). */
  readonly writes: string[] = [];
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
    this.#writeOutcomes = [...(options.writeOutcomes ?? [])];
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

  /** Every stored resource of a type (what the server holds, for assertions). */
  stored(resourceType: string): fhir4.FhirResource[] {
    return [...this.#resources.values()].filter((r) => r.resourceType === resourceType);
  }

  #outcome(): SessionFailure | { kind: 'after-commit' } | undefined {
    return this.#writeOutcomes.shift();
  }

  #match(resourceType: string, ifNoneExist: string | undefined): fhir4.FhirResource | undefined {
    // Only `identifier=system|value`, the form the app sends.
    const value = /^identifier=(.*)$/.exec(ifNoneExist ?? '')?.[1];
    if (value === undefined) return undefined;
    return this.stored(resourceType).find((r) =>
      ('identifier' in r && Array.isArray(r.identifier) ? r.identifier : []).some(
        (id) => `${id.system ?? ''}|${id.value ?? ''}` === value,
      ),
    );
  }

  #store<T extends fhir4.Resource>(resource: T, ifNoneExist?: string): T {
    const existing = this.#match(resource.resourceType, ifNoneExist);
    if (existing) return structuredClone(existing) as unknown as T;
    const stored = { ...resource, id: resource.id ?? String(this.#nextId++) };
    this.#resources.set(
      `${stored.resourceType}/${stored.id}`,
      stored as unknown as fhir4.FhirResource,
    );
    return structuredClone(stored);
  }

  #write<T>(label: string, apply: () => T): Promise<T> {
    this.writes.push(label);
    const outcome = this.#outcome();
    if (outcome === undefined) return Promise.resolve(apply());
    if (outcome.kind === 'after-commit') {
      apply();
      return Promise.reject(new SessionError({ kind: 'unreachable' }));
    }
    return Promise.reject(new SessionError(outcome));
  }

  create<T extends fhir4.Resource>(resource: T, init?: FhirCreateInit): Promise<T> {
    return this.#write(`POST ${resource.resourceType}`, () =>
      this.#store({ ...resource, id: undefined }, init?.ifNoneExist),
    );
  }

  update<T extends fhir4.Resource & { id: string }>(resource: T): Promise<T> {
    return this.#write(`PUT ${resource.resourceType}/${resource.id}`, () => this.#store(resource));
  }

  transaction(bundle: fhir4.Bundle): Promise<fhir4.Bundle> {
    return this.#write('POST transaction', () => {
      // Bundle-local references (urn:uuid) become the ids assigned here (R4 http.html#trules).
      const assigned = new Map<string, string>();
      const entries = bundle.entry ?? [];
      const created = entries.map((entry) => {
        const resource = entry.resource;
        if (!resource) throw new SessionError({ kind: 'server', status: 400 });
        const text = JSON.stringify(resource).replace(/"urn:uuid:[^"]+"/g, (ref) => {
          const id = assigned.get(ref.slice(1, -1));
          return id === undefined ? ref : `"${id}"`;
        });
        const stored = this.#store(
          JSON.parse(text) as fhir4.FhirResource,
          entry.request?.ifNoneExist,
        );
        if (entry.fullUrl) assigned.set(entry.fullUrl, `${stored.resourceType}/${stored.id ?? ''}`);
        return stored;
      });
      return {
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: created.map((resource) => ({
          resource,
          response: {
            status: '201 Created',
            location: `${resource.resourceType}/${resource.id ?? ''}`,
          },
        })),
      };
    });
  }
}
