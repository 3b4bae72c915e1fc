// Why a patient does not meet a measure ("why the gap"), as data plus a small predicate per
// measure. Each predicate reads what the engine already said — the CQL define that decided the
// numerator (`evidence[].rule`) or its plain-language reason — and never re-decides membership;
// the record is read only to show the deciding evidence (the last value and its date).
// A patient a rule cannot place falls in "other" with the engine's reason, so a reworded reason
// shows up as "other" in the tests rather than as a wrong category.

import { latest } from '../clinical/cql-time';
import type { MeasurementPeriod } from '../clinical/cql-time';
import type {
  ObservationFact,
  ObservationValue,
  PatientRecord,
  ProcedureFact,
  ValueSetRegistry,
} from '../clinical/patient-record';
import type { PatientMeasureResult } from '../measures/measure-result';
import { CODE, VS } from '../measures/value-sets';
import type { PanelMeasureId, RootCauseCategory } from './panel-view-model';

/** The deciding evidence shown beside a patient, e.g. "Last HbA1c", "9.4 %", "2026-03-02". */
export interface DecidingEvidence {
  label: string;
  value: string;
  date: string | undefined;
}

export interface RootCauseInput {
  result: PatientMeasureResult;
  record: PatientRecord;
  valueSets: ValueSetRegistry;
  period: MeasurementPeriod;
}

export interface RootCause {
  /** A category id of the rule. */
  category: string;
  /** Patient-level detail, e.g. which domains were not screened. */
  detail?: string;
  evidence?: DecidingEvidence;
}

export interface RootCauseRule {
  categories: readonly RootCauseCategory[];
  /** Classifies a patient with the adverse outcome (eligible and not meeting the measure). */
  classify(input: RootCauseInput): RootCause;
}

export const OTHER_CAUSE: RootCauseCategory = { id: 'other', label: 'Other reason' };

const day = (ms: number | null | undefined): string | undefined =>
  ms === null || ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 10);

function formatValue(value: ObservationValue): string {
  switch (value.kind) {
    case 'quantity':
      return value.unit === null ? String(value.value) : `${value.value} ${value.unit}`;
    case 'integer':
      return String(value.value);
    case 'concept':
      return value.codes[0]?.split('|')[1] ?? 'coded result';
    case 'other':
      return 'non-numeric result';
    case 'absent':
      return 'no result';
  }
}

const byRef = <T extends { ref: string }>(list: readonly T[], ref: string | undefined) =>
  ref === undefined ? undefined : list.find((f) => f.ref === ref);

function latestOf<T>(list: readonly T[], time: (t: T) => number | null): T | undefined {
  let best: T | undefined;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const item of list) {
    const t = time(item);
    if (t !== null && t >= bestTime) {
      best = item;
      bestTime = t;
    }
  }
  return best;
}

const observationTime = (o: ObservationFact) => latest(o.effective) ?? o.issued;
const procedureTime = (p: ProcedureFact) => latest(p.performed);

/** The latest Observation matching `pick` on or before the period end. */
function lastObservation(
  input: RootCauseInput,
  pick: (o: ObservationFact) => boolean,
): ObservationFact | undefined {
  const end = input.period.end;
  return latestOf(
    input.record.observations.filter((o) => {
      const t = observationTime(o);
      return pick(o) && t !== null && t <= end;
    }),
    observationTime,
  );
}

const numeratorRule = (result: PatientMeasureResult) =>
  result.evidence.find((e) => e.population === 'numerator');

const hasReason = (result: PatientMeasureResult, prefix: string) =>
  result.reasons.some((r) => r.startsWith(prefix));

// ---------------------------------------------------------------- CMS122

const isHbA1c = (input: RootCauseInput) => (o: ObservationFact) =>
  input.valueSets.hasAny(VS.hbA1cLaboratoryTest, o.codes) ||
  o.codes.includes(CODE.glucoseManagementIndicator);

/** CMS122's adverse outcome is its numerator: the three "Numerator" defines, in CQL order. */
const CMS122: RootCauseRule = {
  categories: [
    { id: 'no-test', label: 'No HbA1c in the period' },
    { id: 'no-result', label: 'Most recent HbA1c has no result' },
    { id: 'elevated', label: 'Most recent HbA1c > 9%' },
  ],
  classify(input) {
    const rule = numeratorRule(input.result);
    const fact = byRef(input.record.observations, rule?.resources[0]);
    const shown = (o: ObservationFact | undefined, label: string): DecidingEvidence | undefined =>
      o === undefined
        ? undefined
        : { label, value: formatValue(o.value), date: day(observationTime(o)) };
    switch (rule?.rule) {
      // define "Has No Record Of Glycemic Status Assessment": the last one before the period.
      case 'Has No Record Of Glycemic Status Assessment': {
        const before = lastObservation(input, isHbA1c(input));
        return {
          category: 'no-test',
          ...(before === undefined
            ? {}
            : { evidence: shown(before, 'Last HbA1c (before the period)') }),
        };
      }
      // define "Has Most Recent Glycemic Status Assessment Without Result"
      case 'Has Most Recent Glycemic Status Assessment Without Result':
        return { category: 'no-result', ...(fact ? { evidence: shown(fact, 'Last HbA1c') } : {}) };
      // define "Has Most Recent Elevated Glycemic Status Assessment"
      case 'Has Most Recent Elevated Glycemic Status Assessment':
        return { category: 'elevated', ...(fact ? { evidence: shown(fact, 'Last HbA1c') } : {}) };
      default:
        return { category: OTHER_CAUSE.id };
    }
  },
};

// ---------------------------------------------------------------- CMS165

const SYSTOLIC_DIASTOLIC =
  /lowest (?:systolic (\d+(?:\.\d+)?)|systolic missing), (?:diastolic (\d+(?:\.\d+)?)|diastolic missing)/;

function bloodPressureText(o: ObservationFact): string {
  const part = (code: string) => {
    const c = o.components.find((x) => x.codes.includes(code));
    return c?.value.kind === 'quantity' ? String(c.value.value) : '?';
  };
  return `${part(CODE.systolicBloodPressure)}/${part(CODE.diastolicBloodPressure)} mmHg`;
}

/**
 * CMS165 "Numerator": lowest systolic < 140 and diastolic < 90 on the most recent BP day. The
 * engine says why not: no "Qualifying Systolic/Diastolic Blood Pressure Reading", or the values.
 */
const CMS165: RootCauseRule = {
  categories: [
    { id: 'no-bp', label: 'No BP in the period' },
    { id: 'uncontrolled', label: 'Most recent BP ≥ 140/90' },
    { id: 'incomplete', label: 'Most recent BP lacks a systolic or diastolic value' },
  ],
  classify(input) {
    const { result } = input;
    const last = lastObservation(
      input,
      (o) =>
        o.bloodPressure &&
        (o.status === 'final' || o.status === 'amended' || o.status === 'corrected'),
    );
    if (hasReason(result, 'no qualifying blood pressure reading')) {
      return {
        category: 'no-bp',
        ...(last === undefined
          ? {}
          : {
              evidence: {
                label: 'Last BP (before the period)',
                value: bloodPressureText(last),
                date: day(observationTime(last)),
              },
            }),
      };
    }
    const reason = result.reasons.find((r) => r.startsWith('most recent blood pressure day'));
    if (reason === undefined) return { category: OTHER_CAUSE.id };
    const values = SYSTOLIC_DIASTOLIC.exec(reason);
    const complete = values?.[1] !== undefined && values[2] !== undefined;
    return {
      category: complete ? 'uncontrolled' : 'incomplete',
      evidence: {
        label: 'Last BP (lowest that day)',
        value: complete
          ? `${values[1]}/${values[2]} mmHg`
          : last === undefined
            ? 'incomplete'
            : bloodPressureText(last),
        date: day(last === undefined ? null : observationTime(last)),
      },
    };
  },
};

// ---------------------------------------------------------------- CMS125

/** CMS125 "Numerator": a mammogram ending between October 1 two years before the period and its end. */
const CMS125: RootCauseRule = {
  categories: [
    { id: 'none-recorded', label: 'No mammogram on record' },
    { id: 'out-of-window', label: 'No mammogram in the 27-month window' },
  ],
  classify(input) {
    const last = lastObservation(input, (o) => input.valueSets.hasAny(VS.mammography, o.codes));
    const evidence: Partial<RootCause> =
      last === undefined
        ? {}
        : {
            evidence: {
              label: 'Last mammogram',
              value: last.status,
              date: day(observationTime(last)),
            },
          };
    if (hasReason(input.result, 'no mammography result')) return { category: 'none-recorded' };
    if (hasReason(input.result, 'no final imaging mammography'))
      return { category: 'out-of-window', ...evidence };
    return { category: OTHER_CAUSE.id, ...evidence };
  },
};

// ---------------------------------------------------------------- CMS130

const CRC_OBSERVATIONS: readonly [string, string][] = [
  [VS.fecalOccultBloodTest, 'FOBT'],
  [VS.sDnaFitTest, 'FIT-DNA'],
  [VS.ctColonography, 'CT colonography'],
];
const CRC_PROCEDURES: readonly [string, string][] = [
  [VS.colonoscopy, 'Colonoscopy'],
  [VS.flexibleSigmoidoscopy, 'Sigmoidoscopy'],
];

/** CMS130 "Numerator": any of the five screenings within its own look-back. */
const CMS130: RootCauseRule = {
  categories: [{ id: 'no-screening', label: 'No screening in its look-back window' }],
  classify(input) {
    const { record, valueSets, period } = input;
    const kindOf = (codes: readonly string[], table: readonly [string, string][]) =>
      table.find(([url]) => valueSets.hasAny(url, codes))?.[1];
    const candidates: { kind: string; time: number }[] = [];
    for (const o of record.observations) {
      const kind = kindOf(o.codes, CRC_OBSERVATIONS);
      const t = observationTime(o);
      if (kind !== undefined && t !== null && t <= period.end) candidates.push({ kind, time: t });
    }
    for (const p of record.procedures) {
      const kind = kindOf(p.codes, CRC_PROCEDURES);
      const t = procedureTime(p);
      if (kind !== undefined && t !== null && t <= period.end) candidates.push({ kind, time: t });
    }
    const last = latestOf(candidates, (c) => c.time);
    if (!hasReason(input.result, 'no colorectal cancer screening'))
      return { category: OTHER_CAUSE.id };
    return {
      category: 'no-screening',
      ...(last === undefined
        ? {}
        : {
            evidence: { label: 'Last screening (too old)', value: last.kind, date: day(last.time) },
          }),
    };
  },
};

// ---------------------------------------------------------------- CMS2

const DEPRESSION_SCREENS = [CODE.adultDepressionScreening, CODE.adolescentDepressionScreening];

/**
 * CMS2 "Numerator": most recent screening negative, or positive with a follow-up
 * ("… Depression Screening Positive and Follow Up Provided"). Not met: a positive screen in the
 * period without that follow-up, else no screening tied to a qualifying visit.
 */
const CMS2: RootCauseRule = {
  categories: [
    { id: 'not-screened', label: 'Not screened at a qualifying visit' },
    { id: 'positive-no-follow-up', label: 'Positive screen without a follow-up plan' },
  ],
  classify(input) {
    const last = lastObservation(
      input,
      (o) =>
        DEPRESSION_SCREENS.some((c) => o.codes.includes(c)) &&
        (o.status === 'final' || o.status === 'corrected') &&
        o.value.kind === 'concept',
    );
    const positive =
      last !== undefined &&
      last.value.kind === 'concept' &&
      last.value.codes.includes(CODE.depressionScreeningPositive);
    const t = last === undefined ? null : observationTime(last);
    const inPeriod = t !== null && t >= input.period.start;
    const evidence: Partial<RootCause> =
      last === undefined
        ? {}
        : {
            evidence: {
              label: 'Last depression screen',
              value: positive
                ? 'positive'
                : last.value.kind === 'concept' &&
                    last.value.codes.includes(CODE.depressionScreeningNegative)
                  ? 'negative'
                  : formatValue(last.value),
              date: day(t),
            },
          };
    return {
      category: positive && inPeriod ? 'positive-no-follow-up' : 'not-screened',
      ...evidence,
    };
  },
};

// ---------------------------------------------------------------- social needs

const NOT_SCREENED_FOR = 'not screened in the measurement period for: ';

/** SDOH-1 "Numerator": all five core domains answered in the period (src/measures/sdoh-screening.ts). */
const SDOH1: RootCauseRule = {
  categories: [
    { id: 'none', label: 'Not screened in the period' },
    { id: 'some-domains', label: 'Not screened in every domain' },
  ],
  classify(input) {
    const reason = input.result.reasons.find((r) => r.startsWith(NOT_SCREENED_FOR));
    if (reason === undefined) return { category: OTHER_CAUSE.id };
    const missing = reason.slice(NOT_SCREENED_FOR.length).split(', ');
    return {
      category: missing.length >= 5 ? 'none' : 'some-domains',
      detail: `not screened for ${missing.join(', ')}`,
    };
  },
};

function snseScreening(domain: string): RootCauseRule {
  return {
    categories: [
      { id: 'not-screened', label: `No ${domain} screening by 30 days before the period end` },
    ],
    classify: () => ({ category: 'not-screened' }),
  };
}

/** SNS-E intervention: the first positive screen (denominator evidence) without an intervention. */
function snseIntervention(): RootCauseRule {
  return {
    categories: [{ id: 'no-intervention', label: 'No intervention within 30 days' }],
    classify(input) {
      const screen = input.result.evidence.find((e) => e.population === 'denominator');
      const fact = byRef(input.record.observations, screen?.resources[0]);
      return {
        category: 'no-intervention',
        ...(fact === undefined
          ? {}
          : {
              evidence: {
                label: 'First positive screen',
                value: 'positive',
                date: day(observationTime(fact)),
              },
            }),
      };
    },
  };
}

// ---------------------------------------------------------------- encounters, completeness

/** READMIT-30: the first readmission (numerator evidence: index stay, readmission). */
const READMISSION: RootCauseRule = {
  categories: [{ id: 'readmitted', label: 'Readmitted within 30 days' }],
  classify(input) {
    const rule = numeratorRule(input.result);
    const index = byRef(input.record.encounters, rule?.resources[0]);
    const again = byRef(input.record.encounters, rule?.resources[1]);
    const discharge = index?.period?.end ?? null;
    const admission = again?.period?.start ?? null;
    return {
      category: 'readmitted',
      ...(admission === null
        ? {}
        : {
            evidence: {
              label: 'Readmission',
              value:
                discharge === null
                  ? 'readmitted'
                  : `${Math.round((admission - discharge) / 86_400_000)} days after discharge`,
              date: day(admission),
            },
          }),
    };
  },
};

const MORTALITY: RootCauseRule = {
  categories: [{ id: 'died', label: 'Died in hospital' }],
  classify(input) {
    const rule = numeratorRule(input.result);
    const stay = byRef(input.record.encounters, rule?.resources[0]);
    return {
      category: 'died',
      evidence: {
        label: 'Discharge',
        value: rule?.rule ?? 'died',
        date: day(stay?.period?.end ?? null),
      },
    };
  },
};

/** Completeness elements, in the order the measure lists them. */
export const COMPLETENESS_MEASURE_ELEMENTS = [
  'race',
  'ethnicity',
  'language',
  'sexual-orientation',
  'gender-identity',
] as const;
export type CompletenessMeasureElement = (typeof COMPLETENESS_MEASURE_ELEMENTS)[number];

const ELEMENT_LABELS: Readonly<Record<CompletenessMeasureElement, string>> = {
  race: 'Race',
  ethnicity: 'Ethnicity',
  language: 'Preferred language',
  'sexual-orientation': 'Sexual orientation',
  'gender-identity': 'Gender identity',
};

export const MISSING_PREFIX = 'not collected: ';

/** Completeness: which element is missing (one), or several. */
const COMPLETENESS: RootCauseRule = {
  categories: [
    ...COMPLETENESS_MEASURE_ELEMENTS.map((e) => ({
      id: e,
      label: `${ELEMENT_LABELS[e]} not collected`,
    })),
    { id: 'several', label: 'Two or more elements not collected' },
  ],
  classify(input) {
    const reason = input.result.reasons.find((r) => r.startsWith(MISSING_PREFIX));
    const missing = (reason?.slice(MISSING_PREFIX.length).split(', ') ?? []).filter(
      (e): e is CompletenessMeasureElement =>
        (COMPLETENESS_MEASURE_ELEMENTS as readonly string[]).includes(e),
    );
    const [only] = missing;
    if (only === undefined) return { category: OTHER_CAUSE.id };
    return {
      category: missing.length === 1 ? only : 'several',
      detail: `not collected: ${missing.map((e) => ELEMENT_LABELS[e].toLowerCase()).join(', ')}`,
    };
  },
};

/** The rules, for the quality measures (context measures have no "not met"). */
export const ROOT_CAUSE_RULES: Partial<Readonly<Record<PanelMeasureId, RootCauseRule>>> = {
  CMS122,
  CMS165,
  CMS125,
  CMS130,
  CMS2,
  'SDOH-1': SDOH1,
  'SNSE-food-screening': snseScreening('food'),
  'SNSE-housing-screening': snseScreening('housing'),
  'SNSE-transportation-screening': snseScreening('transportation'),
  'SNSE-food-intervention': snseIntervention(),
  'SNSE-housing-intervention': snseIntervention(),
  'SNSE-transportation-intervention': snseIntervention(),
  'READMISSION-30': READMISSION,
  'IN-HOSPITAL-MORTALITY': MORTALITY,
  'DEMOGRAPHIC-COMPLETENESS': COMPLETENESS,
};

/** A rule's categories with "other" appended (where a rule could not place a patient). */
export function rootCauseCategories(measureId: PanelMeasureId): RootCauseCategory[] {
  const rule = ROOT_CAUSE_RULES[measureId];
  return rule === undefined ? [] : [...rule.categories, OTHER_CAUSE];
}
