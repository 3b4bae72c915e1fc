// The panel run itself, independent of where it runs: build records, evaluate each requested
// measure for each patient. A generator, so a worker can post progress and the in-thread fallback
// can yield to the event loop (and notice cancellation) between steps.

import type { MeasureEngine } from './measure-engine';
import { buildRecords, stratificationFactsOfRecord } from './measure-engine';
import type { PanelProgress, PanelRequestBody, PanelResult } from './protocol';
import type { PatientMeasureResult } from '../measures/measure-result';

/** Progress is reported about every this many patients. */
export const PROGRESS_EVERY = 250;

export function* evaluatePanelSteps(
  engine: MeasureEngine,
  request: PanelRequestBody,
): Generator<PanelProgress, PanelResult> {
  const known = new Set(engine.measures.map((m) => m.id));
  const unknown = request.measureIds.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new Error(`unknown measure: ${unknown.join(', ')}`);

  let records;
  if (request.input.kind === 'resources') {
    const total = request.input.resources.length;
    yield { phase: 'building', done: 0, total };
    records = buildRecords(engine, request.input.resources);
    yield { phase: 'building', done: total, total };
  } else records = request.input.records;

  const results: PatientMeasureResult[] = [];
  const total = records.length;
  for (const [i, record] of records.entries()) {
    if (i % PROGRESS_EVERY === 0) yield { phase: 'evaluating', done: i, total };
    for (const measureId of request.measureIds)
      results.push(engine.evaluate(measureId, record, request.period));
  }
  yield { phase: 'evaluating', done: total, total };
  return {
    patients: records.map((r) => ({ patientId: r.id, facts: stratificationFactsOfRecord(r) })),
    results,
  };
}

/** The whole run at once (no progress), for callers that do not need to interleave. */
export function evaluatePanelNow(engine: MeasureEngine, request: PanelRequestBody): PanelResult {
  const steps = evaluatePanelSteps(engine, request);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
