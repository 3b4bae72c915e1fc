import { describe, expect, it, vi } from 'vitest';
import { evaluatePanelNow } from '../../../src/worker/evaluate-panel';
import { buildRecords } from '../../../src/worker/measure-engine';
import { evaluatePanel, type PanelWorkerPort } from '../../../src/worker/panel-client';
import { handlePanelMessage } from '../../../src/worker/panel-handler';
import {
  isPanelRequest,
  isPanelResponse,
  type PanelProgress,
  type PanelRequest,
  type PanelRequestBody,
  type PanelResponse,
} from '../../../src/worker/protocol';
import { panelResources, period2026 } from './panel-fixtures';
import { smallEngine } from './small-engine';

const body: PanelRequestBody = {
  input: { kind: 'resources', resources: panelResources },
  period: period2026,
  measureIds: ['CMS122', 'CMS165'],
};

const numeratorOf = (
  results: { measureId: string; patientId: string; populations: { numerator: boolean } }[],
) =>
  Object.fromEntries(
    results
      .filter((r) => r.measureId === 'CMS122')
      .map((r) => [r.patientId, r.populations.numerator]),
  );

/**
 * A Worker stand-in that behaves like one at the boundary: messages are structured-cloned both
 * ways and delivered asynchronously, and the handler is the one the real Worker entry calls.
 */
function clonedPort(): PanelWorkerPort & { posted: PanelRequest[]; terminated: boolean } {
  const port = {
    posted: [] as PanelRequest[],
    terminated: false,
    onmessage: null as ((data: unknown) => void) | null,
    onerror: null as ((message: string) => void) | null,
    postMessage(message: PanelRequest) {
      port.posted.push(message);
      const request: unknown = structuredClone(message);
      setTimeout(() => {
        handlePanelMessage(
          () => smallEngine,
          request,
          (response) => {
            const data: unknown = structuredClone(response);
            setTimeout(() => {
              if (!port.terminated) port.onmessage?.(data);
            }, 0);
          },
        );
      }, 0);
    },
    terminate() {
      port.terminated = true;
    },
  };
  return port;
}

describe('evaluatePanel in-thread (no Worker in this environment)', () => {
  it('has no Worker global under the vitest node environment', () => {
    expect(typeof (globalThis as { Worker?: unknown }).Worker).toBe('undefined');
  });

  it('builds records from resources and evaluates each requested measure per patient', async () => {
    const progress: PanelProgress[] = [];
    const result = await evaluatePanel(body, {
      run: { kind: 'in-thread', engine: smallEngine },
      onProgress: (p) => progress.push(p),
    });
    expect(result.patients.map((p) => p.patientId)).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(result.patients[0]?.facts).toEqual({ gender: 'female', birthDate: '1970-03-02' });
    expect(result.results).toHaveLength(8);
    expect(numeratorOf(result.results)).toEqual({ p1: true, p2: false, p3: true, p4: false });
    expect(progress.at(-1)).toEqual({ phase: 'evaluating', done: 4, total: 4 });
    expect(progress[0]).toEqual({ phase: 'building', done: 0, total: panelResources.length });
  });

  it('accepts records already built, with the same results', async () => {
    const records = buildRecords(smallEngine, panelResources);
    const fromRecords = await evaluatePanel(
      { ...body, input: { kind: 'records', records } },
      { run: { kind: 'in-thread', engine: smallEngine } },
    );
    expect(fromRecords).toEqual(evaluatePanelNow(smallEngine, body));
  });

  it('returns plain data that survives structured cloning unchanged', async () => {
    const result = await evaluatePanel(body, { run: { kind: 'in-thread', engine: smallEngine } });
    expect(structuredClone(result)).toEqual(result);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('stops when the signal aborts, rejecting with an AbortError', async () => {
    const controller = new AbortController();
    const run = evaluatePanel(body, {
      run: { kind: 'in-thread', engine: smallEngine },
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects at once when the signal has already aborted', async () => {
    await expect(
      evaluatePanel(body, {
        run: { kind: 'in-thread', engine: smallEngine },
        signal: AbortSignal.abort(),
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects with the engine error message for a measure the engine lacks', async () => {
    await expect(
      evaluatePanel(
        { ...body, measureIds: ['CMS2'] },
        { run: { kind: 'in-thread', engine: smallEngine } },
      ),
    ).rejects.toThrow('unknown measure: CMS2');
  });
});

describe('evaluatePanel through the worker protocol', () => {
  it('round-trips a request and its progress and result, matching the in-thread run', async () => {
    const port = clonedPort();
    const progress: PanelProgress[] = [];
    const result = await evaluatePanel(body, {
      run: { kind: 'worker', create: () => port },
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual(evaluatePanelNow(smallEngine, body));
    expect(progress.length).toBeGreaterThan(0);
    expect(isPanelRequest(structuredClone(port.posted[0]))).toBe(true);
    expect(port.terminated).toBe(true);
  });

  it('terminates the worker when the signal aborts', async () => {
    const port = clonedPort();
    const controller = new AbortController();
    const run = evaluatePanel(body, {
      run: { kind: 'worker', create: () => port },
      signal: controller.signal,
    });
    controller.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(port.terminated).toBe(true);
  });

  it('rejects with the message of an error response', async () => {
    await expect(
      evaluatePanel(
        { ...body, measureIds: ['CMS130'] },
        { run: { kind: 'worker', create: clonedPort } },
      ),
    ).rejects.toThrow('unknown measure: CMS130');
  });

  it('rejects when the worker itself fails', async () => {
    const port = clonedPort();
    port.postMessage = () => {
      setTimeout(() => port.onerror?.('script failed to load'), 0);
    };
    const terminate = vi.spyOn(port, 'terminate');
    await expect(
      evaluatePanel(body, { run: { kind: 'worker', create: () => port } }),
    ).rejects.toThrow('panel worker failed: script failed to load');
    expect(terminate).toHaveBeenCalled();
  });
});

describe('handlePanelMessage', () => {
  const run = (data: unknown) => {
    const responses: PanelResponse[] = [];
    handlePanelMessage(
      () => smallEngine,
      data,
      (r) => responses.push(r),
    );
    return responses;
  };

  it('answers progress then one result, all valid responses with the request id', () => {
    const responses = run({ type: 'evaluate-panel', requestId: 7, ...body });
    expect(responses.every((r) => isPanelResponse(r) && r.requestId === 7)).toBe(true);
    expect(responses.at(-1)?.type).toBe('result');
    expect(responses.slice(0, -1).every((r) => r.type === 'progress')).toBe(true);
  });

  it.each([
    ['not an object', 'hello'],
    ['an unknown type', { type: 'evaluate', requestId: 1, ...body }],
    [
      'an unknown measure id',
      { type: 'evaluate-panel', requestId: 1, ...body, measureIds: ['CMS999'] },
    ],
    [
      'a period without an end',
      { type: 'evaluate-panel', requestId: 1, ...body, period: { start: '2026-01-01' } },
    ],
    [
      'an input of an unknown kind',
      { type: 'evaluate-panel', requestId: 1, ...body, input: { kind: 'csv' } },
    ],
  ])('answers %s with an error message', (_, data) => {
    const responses = run(data);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ type: 'error', message: 'not a panel request' });
  });
});
