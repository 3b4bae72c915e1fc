// Every panel measure for every patient over one measurement period, kept compact: per measure a
// column of population flags (one byte per patient), the root-cause category and deciding
// evidence of the patients with the adverse outcome, and — for the card that explains an empty
// denominator — the engine's reasons for patients outside the initial population, counted.
// Strata of every stratifier are assigned for the same period. Nothing here crosses the worker
// boundary: views (./panel-view.ts) turn it into plain data.

import type { MeasurementPeriod } from '../clinical/cql-time';
import { readMeasurementPeriod } from '../clinical/cql-time';
import type { PatientRecord } from '../clinical/patient-record';
import { clinicalMeasure } from '../measures/clinical-measures';
import {
  evaluateEdVisits,
  evaluateInHospitalMortality,
  evaluateLengthOfStay,
  evaluateReadmissions,
} from '../measures/encounter-outcomes';
import { membership } from '../measures/measure-definition';
import type { PatientMeasureResult } from '../measures/measure-result';
import { evaluateSdohPositiveRates } from '../measures/sdoh-positive-rate';
import { evaluateSdohScreening } from '../measures/sdoh-screening';
import {
  SNS_E_INTERVENTION_DAYS,
  evaluateSocialNeedScreeningAndIntervention,
} from '../measures/social-need-intervention';
import { adverseNotation, CLINICAL_PANEL_MEASURE_IDS, panelMeasureInfo } from './panel-catalog';
import type { DatasetPatient, PanelDataset } from './panel-dataset';
import { assignStrata, PANEL_STRATIFIER_IDS, type StratumAssignment } from './panel-strata';
import type {
  ClinicalPanelMeasureId,
  DateRange,
  PanelMeasureId,
  PanelStratifierId,
  RootCauseCategory,
} from './panel-view-model';
import {
  COMPLETENESS_MEASURE_ELEMENTS,
  MISSING_PREFIX,
  OTHER_CAUSE,
  type CompletenessMeasureElement,
  ROOT_CAUSE_RULES,
  rootCauseCategories,
  type DecidingEvidence,
} from './root-causes';

/** Population flags, after population relevance (src/measures/measure-definition.ts membership). */
export const IN_INITIAL_POPULATION = 1;
export const IN_DENOMINATOR = 2;
export const EXCLUDED = 4;
export const EXCEPTED = 8;
export const IN_NUMERATOR = 16;

/** One proportion measure over the panel, patient by patient (dataset order). */
export interface ProportionColumn {
  measureId: PanelMeasureId;
  flags: Uint8Array;
  /** Adverse patients: index + 1 into `categories` (0 for everyone else). */
  rootCause: Uint8Array;
  categories: RootCauseCategory[];
  /** Adverse patients' detail and deciding evidence, by patient index. */
  details: Map<number, { detail?: string; evidence?: DecidingEvidence }>;
}

export interface EventColumn {
  /** 1 when the patient has person-time in the period. */
  applicable: Uint8Array;
  events: Float64Array;
  personYears: Float64Array;
}

export interface ContinuousColumn {
  /** Values per patient (stays' lengths in days); empty when none. */
  values: readonly (readonly number[])[];
}

export interface EvaluatedPanel {
  dataset: PanelDataset;
  period: DateRange;
  /** Some data could not be loaded: every rate is computed on partial data. */
  partial: boolean;
  measurementPeriod: MeasurementPeriod;
  strata: ReadonlyMap<PanelStratifierId, StratumAssignment>;
  proportions: ReadonlyMap<PanelMeasureId, ProportionColumn>;
  edVisits: EventColumn;
  lengthOfStay: ContinuousColumn;
  /** Why patients are outside each measure's initial population, most common first. */
  emptyReasons: ReadonlyMap<PanelMeasureId, { reason: string; patients: number }[]>;
  /** Alive at the period end (the completeness measure's population; outreach lists). */
  living: Uint8Array;
  /** Tables computed over this evaluation, by key (views reuse them). */
  cache: Map<string, unknown>;
}

export interface EvaluationProgressStep {
  done: number;
  total: number;
}

/** Progress is reported about every this many patients. */
export const EVALUATION_PROGRESS_EVERY = 250;

const EMPTY_VALUES: readonly number[] = Object.freeze([]);

function flagsOf(result: PatientMeasureResult): number {
  const m = membership(result.populations);
  return (
    (m.initialPopulation ? IN_INITIAL_POPULATION : 0) |
    (m.denominator ? IN_DENOMINATOR : 0) |
    (m.denominatorExclusion ? EXCLUDED : 0) |
    (m.denominatorException ? EXCEPTED : 0) |
    (m.numerator ? IN_NUMERATOR : 0)
  );
}

/** In the eligible denominator (denominator − exclusions − exceptions). */
export const isEligible = (flags: number): boolean =>
  (flags & IN_DENOMINATOR) !== 0 && (flags & (EXCLUDED | EXCEPTED)) === 0;

export const inNumerator = (flags: number): boolean => (flags & IN_NUMERATOR) !== 0;

/**
 * A reason, grouped so patients with the same cause count together: the text before its first
 * colon, with ages written as "below/above N" (e.g. "age 12 at the end of the period: below 18"
 * → "age below 18 at the end of the period").
 */
export function reasonGroup(reason: string): string {
  const age = /^age \d+ at the (start|end) of the period: (below|above) (\S+)$/.exec(reason);
  if (age) return `age ${age[2]} ${age[3]} at the ${age[1]} of the period`;
  const colon = reason.indexOf(':');
  return (colon < 0 ? reason : reason.slice(0, colon)).trim();
}

function livingAtEnd(record: PatientRecord, period: MeasurementPeriod): boolean {
  return (
    record.deceased === null ||
    (typeof record.deceased === 'number' && record.deceased > period.end)
  );
}

const base = (measureId: string, patientId: string) => ({ measureId, patientId });

/** Per patient: any index stay discharged in the period (denominator), any readmitted (numerator). */
function readmissionResult(record: PatientRecord, mp: MeasurementPeriod): PatientMeasureResult {
  const r = evaluateReadmissions(record, mp);
  const readmitted = r.indexStays.find((s) => s.readmission !== null);
  const inPopulation = r.indexStays.length > 0;
  return {
    ...base('READMISSION-30', record.id),
    populations: {
      initialPopulation: inPopulation,
      denominator: inPopulation,
      denominatorExclusion: false,
      denominatorException: false,
      numerator: readmitted !== undefined,
    },
    evidence:
      readmitted?.readmission == null
        ? []
        : [
            {
              population: 'numerator',
              rule: 'Readmitted within 30 days',
              resources: [readmitted.encounter, readmitted.readmission.encounter],
            },
          ],
    reasons: r.reasons,
  };
}

/** Per patient: any inpatient stay discharged in the period (denominator), died in one (numerator). */
function mortalityResult(record: PatientRecord, mp: MeasurementPeriod): PatientMeasureResult {
  const r = evaluateInHospitalMortality(record, mp);
  const died = r.stays.find((s) => s.died);
  const inPopulation = r.stays.length > 0;
  return {
    ...base('IN-HOSPITAL-MORTALITY', record.id),
    populations: {
      initialPopulation: inPopulation,
      denominator: inPopulation,
      denominatorExclusion: false,
      denominatorException: false,
      numerator: died !== undefined,
    },
    evidence:
      died === undefined
        ? []
        : [
            {
              population: 'numerator',
              rule:
                died.source === 'discharge-disposition'
                  ? 'discharged expired'
                  : 'death recorded during the stay',
              resources: [died.encounter],
            },
          ],
    reasons: inPopulation
      ? r.reasons
      : [...r.reasons, 'no inpatient stay discharged in the measurement period'],
  };
}

/**
 * Demographic data completeness (measures.md "Equity's own measures"; the equity toolkit's
 * Opportunity 2; equity.md §0.5 — declined is an answer, unknown is not): among patients alive at
 * the end of the period, those with race, ethnicity, preferred language, sexual orientation and
 * gender identity each COLLECTED, i.e. recorded or asked and declined, as the demographics readers
 * (src/clinical/demographics, the same readers as the strata) read them. Unknown (UNK, an
 * unmapped code) and not collected are missing. Unlike src/measures/demographic-completeness.ts,
 * gender identity recorded only in the us-core-genderIdentity extension counts.
 */
function completenessResult(
  record: PatientRecord,
  mp: MeasurementPeriod,
  collected: (element: CompletenessMeasureElement) => boolean,
): PatientMeasureResult {
  const living = livingAtEnd(record, mp);
  const missing = COMPLETENESS_MEASURE_ELEMENTS.filter((e) => !collected(e));
  return {
    ...base('DEMOGRAPHIC-COMPLETENESS', record.id),
    populations: {
      initialPopulation: living,
      denominator: living,
      denominatorExclusion: false,
      denominatorException: false,
      numerator: living && missing.length === 0,
    },
    evidence: [],
    reasons: !living
      ? ['deceased by the end of the measurement period']
      : missing.length > 0
        ? [`${MISSING_PREFIX}${missing.join(', ')}`]
        : [],
  };
}

/** What evaluating one patient needs; `memo` shares work between measures of one family. */
interface PatientContext {
  patient: DatasetPatient;
  dataset: PanelDataset;
  period: DateRange;
  mp: MeasurementPeriod;
  collected: (element: CompletenessMeasureElement) => boolean;
  memo: <T>(key: string, compute: () => T) => T;
}

type ProportionEvaluator = (ctx: PatientContext) => PatientMeasureResult;

const clinical =
  (id: ClinicalPanelMeasureId): ProportionEvaluator =>
  (ctx) =>
    clinicalMeasure(id).evaluate(ctx.patient.record, {
      measurementPeriod: ctx.period,
      valueSets: ctx.dataset.valueSets,
    });

/** One result of a family evaluated once per patient (SDOH-2's five, SNS-E's six). */
function pick(
  family: string,
  evaluate: (ctx: PatientContext) => PatientMeasureResult[],
  measureId: PanelMeasureId,
): ProportionEvaluator {
  return (ctx) => {
    const results = ctx.memo(family, () => evaluate(ctx));
    const found = results.find((r) => r.measureId === measureId);
    if (found === undefined) throw new Error(`${family} gave no ${measureId} result`);
    return found;
  };
}

const sdoh2 = (id: PanelMeasureId) =>
  pick('SDOH-2', (ctx) => evaluateSdohPositiveRates(ctx.patient.record, ctx.mp), id);
const snse = (id: PanelMeasureId) =>
  pick(
    'SNS-E',
    (ctx) =>
      evaluateSocialNeedScreeningAndIntervention(ctx.patient.record, ctx.mp, {
        interventionWindowDays: SNS_E_INTERVENTION_DAYS,
      }),
    id,
  );

/** The proportion measures and how each is evaluated for one patient. */
const PROPORTION_EVALUATORS: ReadonlyMap<PanelMeasureId, ProportionEvaluator> = new Map<
  PanelMeasureId,
  ProportionEvaluator
>([
  ...CLINICAL_PANEL_MEASURE_IDS.map((id): [PanelMeasureId, ProportionEvaluator] => [
    id,
    clinical(id),
  ]),
  ['SDOH-1', (ctx) => evaluateSdohScreening(ctx.patient.record, ctx.mp)],
  ['SDOH2-food', sdoh2('SDOH2-food')],
  ['SDOH2-housing', sdoh2('SDOH2-housing')],
  ['SDOH2-transportation', sdoh2('SDOH2-transportation')],
  ['SDOH2-utilities', sdoh2('SDOH2-utilities')],
  ['SDOH2-safety', sdoh2('SDOH2-safety')],
  ['SNSE-food-screening', snse('SNSE-food-screening')],
  ['SNSE-food-intervention', snse('SNSE-food-intervention')],
  ['SNSE-housing-screening', snse('SNSE-housing-screening')],
  ['SNSE-housing-intervention', snse('SNSE-housing-intervention')],
  ['SNSE-transportation-screening', snse('SNSE-transportation-screening')],
  ['SNSE-transportation-intervention', snse('SNSE-transportation-intervention')],
  ['READMISSION-30', (ctx) => readmissionResult(ctx.patient.record, ctx.mp)],
  ['IN-HOSPITAL-MORTALITY', (ctx) => mortalityResult(ctx.patient.record, ctx.mp)],
  [
    'DEMOGRAPHIC-COMPLETENESS',
    (ctx) => completenessResult(ctx.patient.record, ctx.mp, ctx.collected),
  ],
]);

/** Proportion measures, in catalog order. */
export const PROPORTION_MEASURE_IDS: readonly PanelMeasureId[] = [...PROPORTION_EVALUATORS.keys()];

/** Stratifiers whose stratum says whether a completeness element is collected. */
const ELEMENT_STRATIFIER: Readonly<Record<CompletenessMeasureElement, PanelStratifierId>> = {
  race: 'race',
  ethnicity: 'ethnicity',
  language: 'language',
  'sexual-orientation': 'sexual-orientation',
  'gender-identity': 'gender-identity',
};

function newProportionColumn(id: PanelMeasureId, total: number): ProportionColumn {
  return {
    measureId: id,
    flags: new Uint8Array(total),
    rootCause: new Uint8Array(total),
    categories: rootCauseCategories(id),
    details: new Map(),
  };
}

/** Records one patient's result in a column; returns the reason groups when outside the IP. */
function record(
  column: ProportionColumn,
  i: number,
  result: PatientMeasureResult,
  ctx: PatientContext,
): string[] | undefined {
  const flags = flagsOf(result);
  column.flags[i] = flags;
  if ((flags & IN_INITIAL_POPULATION) === 0) return [...new Set(result.reasons.map(reasonGroup))];
  const rule = ROOT_CAUSE_RULES[column.measureId];
  if (rule === undefined || !isEligible(flags)) return undefined;
  const met = inNumerator(flags);
  const adverse = adverseNotation(panelMeasureInfo(column.measureId)) === 'increase' ? !met : met;
  if (!adverse) return undefined;
  const cause = rule.classify({
    result,
    record: ctx.patient.record,
    valueSets: ctx.dataset.valueSets,
    period: ctx.mp,
  });
  const at = column.categories.findIndex((c) => c.id === cause.category);
  const other = at < 0 || cause.category === OTHER_CAUSE.id;
  column.rootCause[i] =
    (other ? column.categories.findIndex((c) => c.id === OTHER_CAUSE.id) : at) + 1;
  const detail = other ? (cause.detail ?? result.reasons.join('; ')) : cause.detail;
  if ((detail !== undefined && detail !== '') || cause.evidence !== undefined)
    column.details.set(i, {
      ...(detail === undefined || detail === '' ? {} : { detail }),
      ...(cause.evidence === undefined ? {} : { evidence: cause.evidence }),
    });
  return undefined;
}

function contextFor(
  dataset: PanelDataset,
  index: number,
  period: DateRange,
  mp: MeasurementPeriod,
  strata: ReadonlyMap<PanelStratifierId, StratumAssignment>,
): PatientContext | undefined {
  const patient = dataset.patients[index];
  if (patient === undefined) return undefined;
  const memo = new Map<string, unknown>();
  return {
    patient,
    dataset,
    period,
    mp,
    collected: (element) => {
      const assignment = strata.get(ELEMENT_STRATIFIER[element]);
      const s = assignment?.strata[assignment.index[index] ?? 0]?.stratum;
      return (
        s !== undefined &&
        (s.kind === 'category' || (s.kind === 'absent' && s.reason === 'asked-declined'))
      );
    },
    memo: <T>(key: string, compute: () => T): T => {
      if (memo.has(key)) return memo.get(key) as T;
      const value = compute();
      memo.set(key, value);
      return value;
    },
  };
}

function recordEncounterMeasures(
  i: number,
  ctx: PatientContext,
  ed: EventColumn | undefined,
  los: (readonly number[])[] | undefined,
): void {
  if (ed !== undefined) {
    const visits = evaluateEdVisits(ctx.patient.record, ctx.mp);
    if (visits.kind === 'value') {
      ed.applicable[i] = 1;
      ed.events[i] = visits.events;
      ed.personYears[i] = visits.personYears;
    }
  }
  if (los !== undefined) {
    const stays = evaluateLengthOfStay(ctx.patient.record, ctx.mp).stays;
    los[i] = stays.length === 0 ? EMPTY_VALUES : stays.map((s) => s.days);
  }
}

const newEventColumn = (total: number): EventColumn => ({
  applicable: new Uint8Array(total),
  events: new Float64Array(total),
  personYears: new Float64Array(total),
});

export interface EvaluateOptions {
  /** Some data could not be loaded: every rate is marked partial. */
  partial?: boolean;
}

/**
 * Evaluates every panel measure for every patient, yielding progress between chunks of
 * patients (a worker posts it; the in-thread fallback yields to the event loop).
 */
export function* evaluatePanelSteps(
  dataset: PanelDataset,
  period: DateRange,
  options: EvaluateOptions = {},
): Generator<EvaluationProgressStep, EvaluatedPanel> {
  const mp = readMeasurementPeriod(period);
  const total = dataset.patients.length;
  yield { done: 0, total };
  const strata = new Map<PanelStratifierId, StratumAssignment>();
  for (const id of PANEL_STRATIFIER_IDS) strata.set(id, assignStrata(id, dataset.patients, period));

  const proportions = new Map<PanelMeasureId, ProportionColumn>(
    PROPORTION_MEASURE_IDS.map((id) => [id, newProportionColumn(id, total)]),
  );
  const edVisits = newEventColumn(total);
  const los: (readonly number[])[] = new Array<readonly number[]>(total).fill(EMPTY_VALUES);
  const living = new Uint8Array(total);
  const reasonCounts = new Map<PanelMeasureId, Map<string, number>>();

  for (let i = 0; i < total; i += 1) {
    if (i > 0 && i % EVALUATION_PROGRESS_EVERY === 0) yield { done: i, total };
    const ctx = contextFor(dataset, i, period, mp, strata);
    if (ctx === undefined) continue;
    living[i] = livingAtEnd(ctx.patient.record, mp) ? 1 : 0;
    for (const [id, evaluate] of PROPORTION_EVALUATORS) {
      const column = proportions.get(id);
      if (column === undefined) continue;
      const groups = record(column, i, evaluate(ctx), ctx);
      if (groups === undefined) continue;
      let counts = reasonCounts.get(id);
      if (counts === undefined) {
        counts = new Map();
        reasonCounts.set(id, counts);
      }
      for (const group of groups) counts.set(group, (counts.get(group) ?? 0) + 1);
    }
    recordEncounterMeasures(i, ctx, edVisits, los);
  }
  yield { done: total, total };

  const emptyReasons = new Map<PanelMeasureId, { reason: string; patients: number }[]>();
  for (const [id, counts] of reasonCounts)
    emptyReasons.set(
      id,
      [...counts]
        .map(([reason, patients]) => ({ reason, patients }))
        .sort((a, b) => b.patients - a.patients || (a.reason < b.reason ? -1 : 1)),
    );
  return {
    dataset,
    period: { start: period.start, end: period.end },
    partial: options.partial ?? false,
    measurementPeriod: mp,
    strata,
    proportions,
    edVisits,
    lengthOfStay: { values: los },
    emptyReasons,
    living,
    cache: new Map(),
  };
}

/** The whole evaluation at once (no progress). */
export function evaluatePanel(
  dataset: PanelDataset,
  period: DateRange,
  options: EvaluateOptions = {},
): EvaluatedPanel {
  const steps = evaluatePanelSteps(dataset, period, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** One measure's column, as the trend evaluates it (one measure, one period). */
export type MeasureColumn =
  | { kind: 'proportion'; column: ProportionColumn }
  | { kind: 'event-rate'; column: EventColumn }
  | { kind: 'continuous'; column: ContinuousColumn };

/**
 * Evaluates ONE measure for every patient over a period (the trend's points). `strata` must hold
 * the completeness elements' stratifiers when the measure is the completeness measure.
 */
export function evaluateMeasure(
  dataset: PanelDataset,
  measureId: PanelMeasureId,
  period: DateRange,
  strata: ReadonlyMap<PanelStratifierId, StratumAssignment>,
): MeasureColumn {
  const mp = readMeasurementPeriod(period);
  const total = dataset.patients.length;
  const evaluate = PROPORTION_EVALUATORS.get(measureId);
  if (evaluate !== undefined) {
    const column = newProportionColumn(measureId, total);
    for (let i = 0; i < total; i += 1) {
      const ctx = contextFor(dataset, i, period, mp, strata);
      if (ctx !== undefined) record(column, i, evaluate(ctx), ctx);
    }
    return { kind: 'proportion', column };
  }
  if (measureId === 'ED-VISITS') {
    const column = newEventColumn(total);
    for (let i = 0; i < total; i += 1) {
      const ctx = contextFor(dataset, i, period, mp, strata);
      if (ctx !== undefined) recordEncounterMeasures(i, ctx, column, undefined);
    }
    return { kind: 'event-rate', column };
  }
  const values: (readonly number[])[] = new Array<readonly number[]>(total).fill(EMPTY_VALUES);
  for (let i = 0; i < total; i += 1) {
    const ctx = contextFor(dataset, i, period, mp, strata);
    if (ctx !== undefined) recordEncounterMeasures(i, ctx, undefined, values);
  }
  return { kind: 'continuous', column: { values } };
}

/** The stratifiers the completeness measure reads. */
export const COMPLETENESS_STRATIFIERS: readonly PanelStratifierId[] =
  Object.values(ELEMENT_STRATIFIER);
