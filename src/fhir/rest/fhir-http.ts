// HTTP for the panel loader: one shared concurrency limit, bounded retries that honour
// `Retry-After` (RFC 9110 §10.2.3: seconds or an HTTP date), 401 ends the whole load at once, and
// an abort stops every request in flight. Plain `fetch` only, so it runs in a Worker and in Node.

import { PanelLoadError } from './panel-load-types';
import type { LoadTuning } from './panel-load-types';

export type Tuning = Required<LoadTuning>;

const defaultTuning: Tuning = {
  maxRetries: 3,
  backoffMs: 1000,
  maxWaitMs: 60_000,
  minPollMs: 500,
  exportTimeoutMs: 60 * 60_000,
  pageSize: 1000,
  maxUrlLength: 8000,
  maxIdsPerQuery: 200,
  batchSize: 50,
  ndjsonBatchSize: 500,
};

export function resolveTuning(tuning: LoadTuning | undefined): Tuning {
  const merged = { ...defaultTuning };
  if (tuning === undefined) return merged;
  for (const key of Object.keys(defaultTuning) as (keyof Tuning)[]) {
    const value = tuning[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) merged[key] = value;
  }
  merged.pageSize = Math.max(1, Math.floor(merged.pageSize));
  merged.maxIdsPerQuery = Math.max(1, Math.floor(merged.maxIdsPerQuery));
  merged.batchSize = Math.max(1, Math.floor(merged.batchSize));
  merged.ndjsonBatchSize = Math.max(1, Math.floor(merged.ndjsonBatchSize));
  return merged;
}

export function cancelledError(): PanelLoadError {
  return new PanelLoadError('cancelled', 'The panel load was cancelled.');
}

/** A first-in-first-out semaphore: every request of one load holds a slot while it runs. */
export class Limiter {
  private active = 0;
  private readonly waiting: { grant: () => void; reject: (error: Error) => void }[] = [];
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  /** Resolves with a release function once a slot is free; rejects when `signal` aborts. */
  acquire(signal: AbortSignal, onAbort: () => Error): Promise<() => void> {
    if (signal.aborted) return Promise.reject(onAbort());
    if (this.active < this.capacity) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal.removeEventListener('abort', abort);
          resolve(this.releaser());
        },
        reject,
      };
      const abort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(onAbort());
      };
      signal.addEventListener('abort', abort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` is unchanged.
      if (next) next.grant();
      else this.active--;
    };
  }
}

/** Waits `ms`, or rejects with `onAbort()` as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal, onAbort: () => Error): Promise<void> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal.addEventListener('abort', abort, { once: true });
  });
}

/** `Retry-After` as milliseconds from `nowMs`: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date always names its day or month (`Sun, 06 Nov 1994 08:49:37 GMT`); without one,
  // Date.parse would take `-5` or `12` for a year.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Server text shortened and stripped of what could identify a patient: `Patient/<id>` references
 * and the values of patient/id search parameters.
 */
export function scrubMessage(message: string): string {
  const scrubbed = message
    .replace(/\bPatient\/[^\s,&"'|)]+/g, 'Patient/<id>')
    .replace(/\b(patient|subject|_id|member|identifier)=[^\s&"']+/gi, '$1=<ids>')
    .replace(/\s+/g, ' ')
    .trim();
  return scrubbed.length > 200 ? `${scrubbed.slice(0, 199)}…` : scrubbed;
}

/** The server's diagnostics from an OperationOutcome body, else the HTTP status text. */
export function outcomeText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const outcome = body as Partial<fhir4.OperationOutcome>;
  if (outcome.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) {
    return undefined;
  }
  const texts = outcome.issue
    .map((issue) => issue.diagnostics ?? issue.details?.text ?? issue.code)
    .filter((text): text is string => typeof text === 'string' && text.length > 0);
  return texts.length > 0 ? texts.join('; ') : undefined;
}

/** Thrown by a response reader when the body is not what the protocol promises. */
export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponseError';
  }
}

/** Wraps an error thrown by the caller's own callback, so it is not taken for a network error. */
export class ConsumerError extends Error {
  readonly original: unknown;

  constructor(original: unknown) {
    super('The resource consumer failed.');
    this.name = 'ConsumerError';
    this.original = original;
  }
}

export type HttpResult<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; status: number | undefined; message: string };

export type HttpFailure = Extract<HttpResult<unknown>, { ok: false }>;

export interface RequestSpec {
  method?: 'GET' | 'POST' | 'DELETE';
  accept?: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Send the bearer token (default true; false for pre-signed export file URLs). */
  auth?: boolean;
  /** Statuses retried after `Retry-After` or a backoff (default 429, 500, 502, 503, 504). */
  retryStatuses?: readonly number[];
  /**
   * Whether a 401 ends the load (default true). False for public documents such as
   * `.well-known/smart-configuration`, where a 401 says nothing about the session.
   */
  fatal401?: boolean;
}

export interface FhirHttpOptions {
  fhirBaseUrl: string;
  accessToken: () => string | undefined;
  fetch: typeof fetch | undefined;
  concurrency: number | undefined;
  signal: AbortSignal | undefined;
  tuning: Tuning;
  /** Called once per request sent (retries and the export DELETE included). */
  onRequest?: () => void;
}

const defaultRetryStatuses: readonly number[] = [429, 500, 502, 503, 504];

/** The loader's HTTP client: every request of one load goes through one instance. */
export class FhirHttp {
  readonly baseUrl: string;
  readonly tuning: Tuning;
  readonly concurrency: number;
  private readonly controller = new AbortController();
  private readonly limiter: Limiter;
  private readonly fetchFn: typeof fetch;
  private readonly accessToken: () => string | undefined;
  private readonly onRequest: (() => void) | undefined;
  private readonly external: AbortSignal | undefined;
  private readonly unlink: () => void;
  private fatal: unknown;
  requests = 0;

  constructor(options: FhirHttpOptions) {
    this.baseUrl = options.fhirBaseUrl.replace(/\/+$/, '');
    this.tuning = options.tuning;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
    this.limiter = new Limiter(this.concurrency);
    const given = options.fetch;
    // Called through a closure so a browser's window.fetch keeps its receiver, and msw's
    // interception of the global fetch applies to the global at call time.
    this.fetchFn = given ?? ((input, init) => globalThis.fetch(input, init));
    this.accessToken = options.accessToken;
    this.onRequest = options.onRequest;
    this.external = options.signal;
    const abort = () => this.controller.abort();
    if (this.external?.aborted) this.controller.abort();
    this.external?.addEventListener('abort', abort, { once: true });
    this.unlink = () => this.external?.removeEventListener('abort', abort);
  }

  /** Aborts everything in flight or queued (the load cannot go on). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get cancelledByCaller(): boolean {
    return this.external?.aborted === true;
  }

  /** Stops every other request: the first fatal error wins and is what the load throws. */
  stop(error: unknown): void {
    if (this.fatal === undefined) this.fatal = error;
    this.controller.abort();
  }

  /** Detaches from the caller's signal once the load is over. */
  dispose(): void {
    this.unlink();
  }

  /** The error to throw when stopped: the fatal error that stopped the load, else "cancelled". */
  stopError(): Error {
    if (this.cancelledByCaller) return cancelledError();
    return this.fatal instanceof Error ? this.fatal : cancelledError();
  }

  throwIfStopped(): void {
    if (this.controller.signal.aborted) throw this.stopError();
  }

  /** `relative` (e.g. `Patient?_id=…`) against the FHIR base; absolute URLs are kept as given. */
  url(relative: string): string {
    return /^[a-z][a-z0-9+.-]*:/i.test(relative) ? relative : `${this.baseUrl}/${relative}`;
  }

  /** GET (by default) a JSON body; a body that is not JSON becomes a failure. */
  getJson(url: string, spec: RequestSpec = {}): Promise<HttpResult<unknown>> {
    return this.request(url, spec, async (response) => parseJson(await response.text()));
  }

  /**
   * Sends one request, retrying 429/5xx and network errors a bounded number of times; `read`
   * runs on a 2xx response while the request still holds its concurrency slot. A 401 throws
   * `PanelLoadError('session-expired')` and stops the load; an abort throws as well.
   */
  async request<T>(
    url: string,
    spec: RequestSpec,
    read: (response: Response) => Promise<T>,
  ): Promise<HttpResult<T>> {
    const retryStatuses = spec.retryStatuses ?? defaultRetryStatuses;
    for (let attempt = 0; ; attempt++) {
      this.throwIfStopped();
      const release = await this.limiter.acquire(this.signal, () => this.stopError());
      let failure: HttpFailure;
      let retryInMs: number | undefined;
      try {
        const outcome = await this.attempt(url, spec, read);
        if (outcome.ok) return outcome;
        failure = outcome;
        const retryable =
          outcome.status === undefined
            ? !outcome.malformed
            : retryStatuses.includes(outcome.status);
        if (retryable) {
          retryInMs = outcome.retryAfterMs ?? this.tuning.backoffMs * 2 ** attempt;
        }
      } finally {
        release();
      }
      if (retryInMs === undefined || attempt >= this.tuning.maxRetries) {
        return { ok: false, status: failure.status, message: failure.message };
      }
      await sleep(Math.min(retryInMs, this.tuning.maxWaitMs), this.signal, () => this.stopError());
    }
  }

  private async attempt<T>(
    url: string,
    spec: RequestSpec,
    read: (response: Response) => Promise<T>,
  ): Promise<
    | { ok: true; status: number; value: T }
    | {
        ok: false;
        status: number | undefined;
        message: string;
        retryAfterMs?: number;
        malformed?: boolean;
      }
  > {
    // The slot may have been granted just before an abort: send nothing then.
    this.throwIfStopped();
    const headers = new Headers(spec.headers);
    headers.set('Accept', spec.accept ?? 'application/fhir+json');
    if (spec.body !== undefined && !headers.has('Content-Type')) {
      headers.set('Content-Type', 'application/fhir+json');
    }
    const token = spec.auth === false ? undefined : this.accessToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    this.requests++;
    this.onRequest?.();
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method: spec.method ?? 'GET',
        headers,
        body: spec.body,
        signal: this.signal,
      });
    } catch (error) {
      if (this.signal.aborted) throw this.stopError();
      return { ok: false, status: undefined, message: networkMessage(error) };
    }
    if (response.status === 401 && spec.fatal401 !== false) {
      discard(response);
      const error = new PanelLoadError(
        'session-expired',
        'The FHIR server answered 401: the session has ended.',
        { status: 401 },
      );
      this.stop(error);
      throw error;
    }
    if (response.ok) {
      try {
        return { ok: true, status: response.status, value: await read(response) };
      } catch (error) {
        if (this.signal.aborted) throw this.stopError();
        if (error instanceof ConsumerError) throw error.original;
        if (error instanceof PanelLoadError) throw error;
        if (error instanceof MalformedResponseError) {
          return { ok: false, status: response.status, message: error.message, malformed: true };
        }
        if (error instanceof SyntaxError) {
          return {
            ok: false,
            status: response.status,
            message: 'The response was not valid JSON.',
            malformed: true,
          };
        }
        // The body broke off mid-way (connection reset): its start may have been used already,
        // so it is not retried.
        return {
          ok: false,
          status: response.status,
          message: `The response broke off: ${networkMessage(error)}`,
          malformed: true,
        };
      }
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), Date.now());
    const message = await errorMessage(response, this.signal);
    return {
      ok: false,
      status: response.status,
      message,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }

  /**
   * A best-effort DELETE (an export's status URL) that still goes out when the load was
   * cancelled: its own short timeout, outside the concurrency limit.
   */
  async deleteQuietly(url: string): Promise<void> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), 5000);
    const headers = new Headers({ Accept: 'application/fhir+json' });
    const token = this.accessToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    this.requests++;
    this.onRequest?.();
    try {
      const response = await this.fetchFn(url, {
        method: 'DELETE',
        headers,
        signal: timeout.signal,
      });
      discard(response);
    } catch {
      // Cleanup only: the server expires abandoned exports on its own.
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

function networkMessage(error: unknown): string {
  const detail = error instanceof Error ? error.message : '';
  return scrubMessage(detail ? `Network error: ${detail}` : 'Network error');
}

/**
 * Releases a body the loader will not read. Not awaited: a cancel may settle only when the
 * other end acknowledges it, and nothing depends on that.
 */
export function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

async function errorMessage(response: Response, signal: AbortSignal): Promise<string> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    if (signal.aborted) return `HTTP ${response.status}`;
  }
  let fromOutcome: string | undefined;
  try {
    fromOutcome = outcomeText(JSON.parse(text) as unknown);
  } catch {
    fromOutcome = undefined;
  }
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return scrubMessage(fromOutcome ? `${status}: ${fromOutcome}` : status);
}
