// Main-thread API for panel runs: `evaluatePanel(body, {signal, onProgress})`. Runs in a module
// Worker where the platform has one, and otherwise (Node tests, old runtimes) runs the same pure
// steps in-thread, yielding to the event loop between chunks so cancellation still works.

import type { MeasureEngine } from './measure-engine';
import { evaluatePanelSteps } from './evaluate-panel';
import {
  isPanelResponse,
  type PanelProgress,
  type PanelRequest,
  type PanelRequestBody,
  type PanelResult,
} from './protocol';

/** What the client needs of a Worker, in plain data (a seam for tests). */
export interface PanelWorkerPort {
  postMessage(message: PanelRequest): void;
  terminate(): void;
  /** Receives each message's `data`. */
  onmessage: ((data: unknown) => void) | null;
  /** Receives the message of an error the worker could not handle (e.g. its script failed). */
  onerror: ((message: string) => void) | null;
}

export interface EvaluatePanelOptions {
  signal?: AbortSignal;
  onProgress?: (progress: PanelProgress) => void;
  /**
   * Where to run. Default: a module Worker when `Worker` exists, else in-thread. Tests pass a
   * port or force the in-thread path.
   */
  run?:
    | { kind: 'worker'; create: () => PanelWorkerPort }
    | { kind: 'in-thread'; engine?: MeasureEngine };
}

export class PanelAbortedError extends Error {
  constructor() {
    super('panel evaluation was cancelled');
    this.name = 'AbortError';
  }
}

let nextRequestId = 1;

function createModuleWorker(): PanelWorkerPort {
  const worker = new Worker(new URL('./panel-worker.ts', import.meta.url), { type: 'module' });
  const port: PanelWorkerPort = {
    postMessage: (message) => worker.postMessage(message),
    terminate: () => worker.terminate(),
    onmessage: null,
    onerror: null,
  };
  worker.onmessage = (event: MessageEvent) => port.onmessage?.(event.data);
  worker.onerror = (event) => port.onerror?.(event.message);
  return port;
}

export function evaluatePanel(
  body: PanelRequestBody,
  options: EvaluatePanelOptions = {},
): Promise<PanelResult> {
  const run: NonNullable<EvaluatePanelOptions['run']> =
    options.run ??
    (typeof Worker === 'function'
      ? { kind: 'worker', create: createModuleWorker }
      : { kind: 'in-thread' });
  if (options.signal?.aborted) return Promise.reject(new PanelAbortedError());
  return run.kind === 'worker'
    ? inWorker(run.create, body, options)
    : inThread(run.engine, body, options);
}

function inWorker(
  create: () => PanelWorkerPort,
  body: PanelRequestBody,
  { signal, onProgress }: EvaluatePanelOptions,
): Promise<PanelResult> {
  return new Promise((resolve, reject) => {
    const requestId = nextRequestId++;
    const worker = create();
    const finish = () => {
      signal?.removeEventListener('abort', onAbort);
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
    };
    const onAbort = () => {
      finish();
      reject(new PanelAbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onerror = (text) => {
      finish();
      reject(new Error(`panel worker failed: ${text}`));
    };
    worker.onmessage = (message) => {
      if (!isPanelResponse(message) || message.requestId !== requestId) return;
      switch (message.type) {
        case 'progress':
          onProgress?.({ phase: message.phase, done: message.done, total: message.total });
          return;
        case 'result':
          finish();
          resolve(message.result);
          return;
        case 'error':
          finish();
          reject(new Error(message.message));
          return;
      }
    };
    worker.postMessage({ type: 'evaluate-panel', requestId, ...body });
  });
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function inThread(
  engine: MeasureEngine | undefined,
  body: PanelRequestBody,
  { signal, onProgress }: EvaluatePanelOptions,
): Promise<PanelResult> {
  const clinical = engine === undefined ? await import('./clinical-engine') : undefined;
  // The official Bundles when given (CLI --valuesets, tests), else the value sets shipped.
  const resolved =
    engine ??
    (body.valueSets !== undefined
      ? clinical?.clinicalEngineFor(body.valueSets)
      : await clinical?.shippedClinicalEngine());
  if (resolved === undefined) throw new Error('no measure engine');
  const steps = evaluatePanelSteps(resolved, body);
  for (;;) {
    if (signal?.aborted) throw new PanelAbortedError();
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.(step.value);
    await yieldToEventLoop();
  }
}
