// The page's side of the panel session: `createPanelSession()` returns the typed
// `PanelSessionApi`. It runs the session in a module Worker where the platform has one; otherwise
// (jsdom tests, old runtimes) it runs the same core in-thread, cloning every message both ways so
// the in-thread path sees exactly what would cross the worker boundary. Every method rejects with
// a `PanelSessionFailure`.

import type {
  DrillDownView,
  PanelView,
  PanelViewParams,
  PeriodChoice,
  DrillDownParams,
  TrendParams,
  TrendView,
} from '../analysis/panel-view-model';
import { createPanelSessionCore, type PanelSessionCoreOptions } from './panel-session-core';
import { PanelSessionFailure, cancelledSessionError } from './panel-session-failure';
import type {
  LoadPanelRequestBody,
  PanelLoaded,
  PanelSessionApi,
  PanelSessionProgress,
  PanelSessionRequest,
  PanelSessionResponse,
} from './panel-session-protocol';

/** What the client needs of a Worker, in plain data (a seam for tests). */
export interface PanelSessionPort {
  postMessage(message: PanelSessionRequest): void;
  terminate(): void;
  /** Receives each response. */
  onmessage: ((data: unknown) => void) | null;
  /** Receives the message of an error the worker could not handle (e.g. its script failed). */
  onerror: ((message: string) => void) | null;
}

export interface PanelSessionOptions {
  /**
   * Where the session runs. Default: a module Worker when `Worker` exists, else in-thread. Tests
   * force the in-thread path (with core options such as a fetch or value sets) or pass a port.
   */
  run?:
    | { kind: 'worker'; create: () => PanelSessionPort }
    | { kind: 'in-thread'; core?: PanelSessionCoreOptions };
}

function createModuleWorkerPort(): PanelSessionPort {
  const worker = new Worker(new URL('./panel-session-worker.ts', import.meta.url), {
    type: 'module',
  });
  const port: PanelSessionPort = {
    postMessage: (message) => worker.postMessage(message),
    terminate: () => worker.terminate(),
    onmessage: null,
    onerror: null,
  };
  worker.onmessage = (event: MessageEvent) => port.onmessage?.(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    port.onerror?.(event.message || 'The panel worker failed to start.');
  };
  return port;
}

const clone = <T>(value: T): T =>
  typeof structuredClone === 'function' ? structuredClone(value) : value;

/** The same core on this thread, answering asynchronously as a worker would. */
function createInThreadPort(core: PanelSessionCoreOptions | undefined): PanelSessionPort {
  let terminated = false;
  const port: PanelSessionPort = {
    postMessage: (message) => {
      const copy = clone(message);
      setTimeout(() => {
        if (!terminated) session.handle(copy);
      }, 0);
    },
    terminate: () => {
      terminated = true;
    },
    onmessage: null,
    onerror: null,
  };
  const session = createPanelSessionCore((response) => {
    if (terminated) return;
    const copy = clone(response);
    setTimeout(() => {
      if (!terminated) port.onmessage?.(copy);
    }, 0);
  }, core);
  return port;
}

interface Pending {
  resolve: (response: PanelSessionResponse) => void;
  reject: (failure: PanelSessionFailure) => void;
  onProgress: ((progress: PanelSessionProgress) => void) | undefined;
}

type RequestBody = PanelSessionRequest extends infer R
  ? R extends { requestId: number }
    ? Omit<R, 'requestId'>
    : never
  : never;

const RESPONSE_TYPES: ReadonlySet<string> = new Set([
  'progress',
  'loaded',
  'view',
  'drill-down',
  'trend',
  'error',
]);

function isResponse(value: unknown): value is PanelSessionResponse {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { type?: unknown; requestId?: unknown };
  return (
    typeof r.type === 'string' && RESPONSE_TYPES.has(r.type) && typeof r.requestId === 'number'
  );
}

export function createPanelSession(options: PanelSessionOptions = {}): PanelSessionApi {
  const run =
    options.run ??
    (typeof Worker === 'function'
      ? { kind: 'worker' as const, create: createModuleWorkerPort }
      : { kind: 'in-thread' as const });
  const port = run.kind === 'worker' ? run.create() : createInThreadPort(run.core);
  const pending = new Map<number, Pending>();
  let nextRequestId = 1;
  let disposed = false;

  const failAll = (failure: PanelSessionFailure) => {
    const all = [...pending.values()];
    pending.clear();
    for (const p of all) p.reject(failure);
  };

  port.onmessage = (data) => {
    if (!isResponse(data)) return;
    const entry = pending.get(data.requestId);
    if (entry === undefined) return;
    if (data.type === 'progress') {
      entry.onProgress?.(data.progress);
      return;
    }
    pending.delete(data.requestId);
    if (data.type === 'error') entry.reject(new PanelSessionFailure(data.error));
    else entry.resolve(data);
  };
  port.onerror = (message) => failAll(new PanelSessionFailure({ kind: 'internal', message }));

  function send(
    body: RequestBody,
    extra: {
      onProgress?: (progress: PanelSessionProgress) => void;
      signal?: AbortSignal;
    } = {},
  ): Promise<PanelSessionResponse> {
    if (disposed)
      return Promise.reject(
        new PanelSessionFailure({ kind: 'internal', message: 'The panel session has ended.' }),
      );
    const { signal } = extra;
    if (signal?.aborted) return Promise.reject(new PanelSessionFailure(cancelledSessionError()));
    const requestId = nextRequestId;
    nextRequestId += 1;
    return new Promise<PanelSessionResponse>((resolve, reject) => {
      const onAbort = () => {
        if (!pending.delete(requestId)) return;
        port.postMessage({ type: 'cancel', requestId });
        reject(new PanelSessionFailure(cancelledSessionError()));
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      pending.set(requestId, {
        resolve: (response) => {
          done();
          resolve(response);
        },
        reject: (failure) => {
          done();
          reject(failure);
        },
        onProgress: extra.onProgress,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      port.postMessage({ ...body, requestId });
    });
  }

  const unexpected = (response: PanelSessionResponse): PanelSessionFailure =>
    new PanelSessionFailure({
      kind: 'internal',
      message: `unexpected response "${response.type}" from the panel session`,
    });

  const loaded = async (response: Promise<PanelSessionResponse>): Promise<PanelLoaded> => {
    const r = await response;
    if (r.type !== 'loaded') throw unexpected(r);
    return r.result;
  };

  return {
    load: (body: LoadPanelRequestBody, opts = {}) =>
      loaded(send({ type: 'load-panel', ...body }, opts)),
    loadResources: (resources: unknown[], period: PeriodChoice, today: string, opts = {}) =>
      loaded(send({ type: 'load-resources', resources, period, today }, opts)),
    setPeriod: (period: PeriodChoice, today: string, opts = {}) =>
      loaded(send({ type: 'set-period', period, today }, opts)),
    async view(params: PanelViewParams): Promise<PanelView> {
      const r = await send({ type: 'view', params });
      if (r.type !== 'view') throw unexpected(r);
      return r.result;
    },
    async drillDown(params: DrillDownParams): Promise<DrillDownView> {
      const r = await send({ type: 'drill-down', params });
      if (r.type !== 'drill-down') throw unexpected(r);
      return r.result;
    },
    async trend(params: TrendParams): Promise<TrendView> {
      const r = await send({ type: 'trend', params });
      if (r.type !== 'trend') throw unexpected(r);
      return r.result;
    },
    updateAccessToken(accessToken: string) {
      if (!disposed) port.postMessage({ type: 'access-token', accessToken });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      port.terminate();
      failAll(
        new PanelSessionFailure({ kind: 'cancelled', message: 'The panel session has ended.' }),
      );
    },
  };
}

export { PanelSessionFailure };
