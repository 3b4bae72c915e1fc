// What loading a panel from a FHIR server asks for and reports (../shared/reference/panel-loading.md).
// The loader (./panel-loader.ts) runs in the panel worker and in Node; it uses plain `fetch`, never
// fhirclient, and streams resources to its caller page by page so raw JSON is never held whole.

/** How the panel's patients are chosen (panel-loading.md §3 "Choosing the panel"). */
export type PanelSource =
  /** `Patient?general-practitioner=Practitioner/[id]` (US Core). */
  | { kind: 'my-patients'; practitionerId: string }
  /** Distinct subjects of `Encounter?participant=Practitioner/[id]&date=ge[since]`. */
  | { kind: 'seen-by-me'; practitionerId: string; since: string }
  /** `Group/[id]` members (`member.entity`). */
  | { kind: 'group'; groupId: string }
  /** `List/[id]` entries (`entry.item`). */
  | { kind: 'list'; listId: string }
  /** Every Patient the token can see, paged, up to `cap`. */
  | { kind: 'all'; cap: number };

export type PanelSourceKind = PanelSource['kind'];

/**
 * One resource type to load for the panel's patients. `codes` (`system|code`) narrows the search
 * with `code=` (a comma is OR; long lists are split into several queries and the results merged);
 * the caller still filters on the client, as servers may ignore filters.
 */
export interface ResourceQuery {
  resourceType: string;
  /** Search parameter linking the type to the patient (default `patient`). */
  patientParam?: string;
  codes?: readonly string[];
  /** Extra search parameters, e.g. `{ category: 'survey' }`. */
  params?: Readonly<Record<string, string>>;
}

export interface QueryPlan {
  /** Patient-linked types to load (Patient itself always comes with the source). */
  queries: readonly ResourceQuery[];
}

/** The rungs of the ladder, best first (panel-loading.md §1). */
export type LoadStrategy = 'bulk-export' | 'multi-patient-search' | 'batch' | 'per-patient';

export const LOAD_STRATEGIES: readonly LoadStrategy[] = [
  'bulk-export',
  'multi-patient-search',
  'batch',
  'per-patient',
];

export type LoadPhase =
  'capabilities' | 'finding-patients' | 'exporting' | 'downloading' | 'resolving-references';

export interface LoadProgress {
  phase: LoadPhase;
  strategy: LoadStrategy | undefined;
  patientsFound: number;
  resources: number;
  requests: number;
  /** Pages (or NDJSON files) done, and the total where known (undefined: unknown). */
  pagesDone: number;
  pagesTotal: number | undefined;
}

/** A query that could not be loaded, described without patient identifiers. */
export interface LoadFailure {
  /** e.g. "Observation?patient=<50 patients>&code=<12 codes>" (ids masked). */
  query: string;
  /** HTTP status, or undefined for a network failure. */
  status: number | undefined;
  /** The server's OperationOutcome diagnostics or the network error, shortened. */
  message: string;
  resourceType: string;
}

/** Why a panel source found nobody (panel-loading.md §3: many servers set no generalPractitioner). */
export type EmptySourceReason =
  /** The search, Group or List worked and named no patients. */
  | 'no-matches'
  /** The server refused the source's search (400/422/501) or ignored its filter. */
  | 'not-supported';

/** A source that found nobody, so the UI can say so and offer the others. */
export interface EmptySource {
  kind: PanelSourceKind;
  reason: EmptySourceReason;
  /** The other sources worth offering, best first (Group and List need an id from the user). */
  alternatives: PanelSourceKind[];
}

export interface LoadReport {
  strategy: LoadStrategy;
  /** Why this rung (e.g. "Group/$export is not in the CapabilityStatement"), in plain words. */
  strategyNotes: string[];
  source: { kind: PanelSourceKind; description: string; patientsFound: number };
  /** Present when the `all` source stopped at its cap with more patients left. */
  capped: { cap: number } | undefined;
  requests: number;
  pages: number;
  resources: number;
  failures: LoadFailure[];
  /** True when any failure means some data is missing: rates are then marked partial. */
  partial: boolean;
  cancelled: boolean;
  /** Present when the source found no patients (nothing else was loaded). */
  emptySource?: EmptySource;
}

/** What `loadPanel` (./panel-loader.ts) takes. */
export interface PanelLoadOptions {
  fhirBaseUrl: string;
  /** Read before every request, so a token refreshed mid-load is used from then on. */
  accessToken: () => string | undefined;
  source: PanelSource;
  plan: QueryPlan;
  /**
   * The scopes the token was granted (the token response's space-separated `scope`), when known:
   * Bulk Data export is then tried only with user- or system-level read access to Patient.
   */
  grantedScopes?: string;
  /** Force a rung (tests, benchmarks); default: the best the server supports. */
  strategy?: LoadStrategy;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Defaults to the global fetch (Worker, browser, Node 20). */
  fetch?: typeof fetch;
  /** Resources as each page or NDJSON chunk arrives; the caller keeps what it needs and drops them. */
  onResources: (resources: fhir4.FhirResource[]) => void;
  onProgress?: (progress: LoadProgress) => void;
  /** Waits and sizes (tests, benchmarks); defaults suit a real server. */
  tuning?: LoadTuning;
}

/**
 * Why a whole load could not go on (a single failed query is a `LoadFailure` in the report
 * instead): the session ended (401), the source itself is forbidden or missing, the server is
 * unreachable, or the caller cancelled.
 */
export type PanelLoadErrorKind =
  'session-expired' | 'forbidden' | 'not-found' | 'unreachable' | 'server' | 'cancelled';

/** The error `loadPanel` and `fetchResourcesByReference` throw; its message carries no PHI. */
export class PanelLoadError extends Error {
  readonly kind: PanelLoadErrorKind;
  readonly status?: number;

  constructor(
    kind: PanelLoadErrorKind,
    message: string,
    options?: { status?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PanelLoadError';
    this.kind = kind;
    if (options?.status !== undefined) this.status = options.status;
  }
}

/**
 * Waits and sizes the loader uses; tests shorten the waits, benchmarks may raise the page size.
 * Every field is optional; the defaults suit a real server.
 */
export interface LoadTuning {
  /** Retries of one request after 429/5xx or a network error (default 3). */
  maxRetries?: number;
  /** First backoff when the server sends no `Retry-After`, doubled per retry (default 1000 ms). */
  backoffMs?: number;
  /** Longest single wait, whatever `Retry-After` asks (default 60 000 ms). */
  maxWaitMs?: number;
  /** Shortest wait between two export status polls, whatever `Retry-After` says (default 500 ms). */
  minPollMs?: number;
  /** Give up an export that is not complete after this long and fall down a rung (default 1 h). */
  exportTimeoutMs?: number;
  /** `_count` asked of every search; servers may lower it silently (default 1000). */
  pageSize?: number;
  /** Longest URL the loader builds, in characters (default 8000). */
  maxUrlLength?: number;
  /** Most patient ids in one comma list, whatever the URL length allows (default 200). */
  maxIdsPerQuery?: number;
  /** GET entries in one batch Bundle (default 50). */
  batchSize?: number;
  /** NDJSON resources handed to `onResources` at a time (default 500). */
  ndjsonBatchSize?: number;
}

/** What `fetchResourcesByReference` (./panel-loader.ts) takes. */
export interface ReferenceFetchOptions {
  fhirBaseUrl: string;
  accessToken: () => string | undefined;
  fetch?: typeof fetch;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  tuning?: LoadTuning;
  /** Progress in the `resolving-references` phase (requests, pages done / total). */
  onProgress?: (progress: LoadProgress) => void;
}

export interface ReferenceFetchResult {
  resources: fhir4.FhirResource[];
  failures: LoadFailure[];
}
