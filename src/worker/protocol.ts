// The typed messages between the main thread and the panel worker (architecture.md rule 11).
// Everything here is plain, structured-clone-safe data.

import type { PatientRecord } from '../clinical/patient-record';
import type { ReportPeriod, StratificationFacts } from '../measures/measure-report';
import type { ClinicalMeasureId, PatientMeasureResult } from '../measures/measure-result';

/** A panel as raw FHIR resources (any mix of patients) or as records already built. */
export type PanelInput =
  | { kind: 'resources'; resources: fhir4.FhirResource[] }
  | { kind: 'records'; records: PatientRecord[] };

export interface PanelRequestBody {
  input: PanelInput;
  period: ReportPeriod;
  measureIds: ClinicalMeasureId[];
  /**
   * Parsed `valuesets.json` Bundles (the official VSAC expansions) the eCQMs need. Sent with the
   * request because a Worker shares no memory with the page; engines given directly ignore it.
   */
  valueSets?: unknown[];
}

export interface PanelPatient {
  patientId: string;
  facts: StratificationFacts;
}

export interface PanelResult {
  patients: PanelPatient[];
  /** One result per patient per requested measure, patient-major, measures in request order. */
  results: PatientMeasureResult[];
}

export interface PanelProgress {
  /** 'building' counts resources turned into records; 'evaluating' counts patients. */
  phase: 'building' | 'evaluating';
  done: number;
  total: number;
}

export type PanelRequest = { type: 'evaluate-panel'; requestId: number } & PanelRequestBody;

export type PanelResponse =
  | ({ type: 'progress'; requestId: number } & PanelProgress)
  | { type: 'result'; requestId: number; result: PanelResult }
  | { type: 'error'; requestId: number; message: string };

const MEASURE_IDS: ReadonlySet<string> = new Set<ClinicalMeasureId>([
  'CMS122',
  'CMS165',
  'CMS125',
  'CMS130',
  'CMS2',
]);

export function isClinicalMeasureId(value: unknown): value is ClinicalMeasureId {
  return typeof value === 'string' && MEASURE_IDS.has(value);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Checks a message really is a request before the worker acts on it (messages are untyped at runtime). */
export function isPanelRequest(value: unknown): value is PanelRequest {
  if (!isObject(value) || value.type !== 'evaluate-panel') return false;
  if (typeof value.requestId !== 'number') return false;
  const { input, period, measureIds } = value;
  if (!isObject(period) || typeof period.start !== 'string' || typeof period.end !== 'string')
    return false;
  if (!Array.isArray(measureIds) || !measureIds.every(isClinicalMeasureId)) return false;
  if (value.valueSets !== undefined && !Array.isArray(value.valueSets)) return false;
  if (!isObject(input)) return false;
  return (
    (input.kind === 'resources' && Array.isArray(input.resources)) ||
    (input.kind === 'records' && Array.isArray(input.records))
  );
}

export function isPanelResponse(value: unknown): value is PanelResponse {
  if (!isObject(value) || typeof value.requestId !== 'number') return false;
  switch (value.type) {
    case 'progress':
      return typeof value.done === 'number' && typeof value.total === 'number';
    case 'result':
      return isObject(value.result);
    case 'error':
      return typeof value.message === 'string';
    default:
      return false;
  }
}
