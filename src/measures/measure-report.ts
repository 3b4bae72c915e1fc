// FHIR R4 MeasureReports from per-patient results: `individual` (one patient, one measure) and
// `summary` (a panel, one measure, optionally stratified). Pure: the report date, the period and
// the stratum of each patient are arguments. Shapes follow the R4 MeasureReport resource
// (http://hl7.org/fhir/R4/measurereport.html) and the way the official MADiE test cases report
// populations (see ../shared/data/ecqm-2026/*/tests).

import type { PatientMeasureResult, PopulationCode, PopulationMembership } from './measure-result';
import { membership } from './measure-definition';
import { POPULATION_CODES } from './measure-result';

export const MEASURE_POPULATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-population';

const POPULATION_DISPLAY: Record<PopulationCode, string> = {
  'initial-population': 'Initial Population',
  denominator: 'Denominator',
  'denominator-exclusion': 'Denominator Exclusion',
  'denominator-exception': 'Denominator Exception',
  numerator: 'Numerator',
};

/** What a report needs to know about the measure. */
export interface ReportedMeasure {
  id: string;
  /** The canonical URL of the FHIR Measure, e.g. https://madie.cms.gov/Measure/CMS122FHIR…. */
  url: string;
  /**
   * The populations the measure defines, in report order (CMS122 has no exception). Defaults to
   * all five standard populations.
   */
  populations?: readonly PopulationCode[];
}

export interface ReportPeriod {
  /** YYYY-MM-DD */
  start: string;
  /** YYYY-MM-DD */
  end: string;
}

/** Counts per population code. */
export type PopulationCounts = Record<PopulationCode, number>;

function isMember(p: PopulationMembership, code: PopulationCode): boolean {
  switch (code) {
    case 'initial-population':
      return p.initialPopulation;
    case 'denominator':
      return p.denominator;
    case 'denominator-exclusion':
      return p.denominatorExclusion;
    case 'denominator-exception':
      return p.denominatorException;
    case 'numerator':
      return p.numerator;
  }
}

export function emptyCounts(): PopulationCounts {
  return {
    'initial-population': 0,
    denominator: 0,
    'denominator-exclusion': 0,
    'denominator-exception': 0,
    numerator: 0,
  };
}

export function addToCounts(counts: PopulationCounts, populations: PopulationMembership): void {
  const reported = membership(populations);
  for (const code of POPULATION_CODES) if (isMember(reported, code)) counts[code] += 1;
}

/**
 * numerator / (denominator − exclusions − exceptions), or undefined when that denominator is 0:
 * a rate over nobody is not a rate.
 */
export function proportionScore(counts: PopulationCounts): number | undefined {
  const performanceDenominator =
    counts.denominator - counts['denominator-exclusion'] - counts['denominator-exception'];
  if (performanceDenominator <= 0) return undefined;
  return counts.numerator / performanceDenominator;
}

function populationCode(code: PopulationCode): fhir4.CodeableConcept {
  return {
    coding: [{ system: MEASURE_POPULATION_SYSTEM, code, display: POPULATION_DISPLAY[code] }],
  };
}

function groupPopulations(
  measure: ReportedMeasure,
  counts: PopulationCounts,
): fhir4.MeasureReportGroupPopulation[] {
  return (measure.populations ?? POPULATION_CODES).map((code) => ({
    code: populationCode(code),
    count: counts[code],
  }));
}

function stratumPopulations(
  measure: ReportedMeasure,
  counts: PopulationCounts,
): fhir4.MeasureReportGroupStratifierStratumPopulation[] {
  return (measure.populations ?? POPULATION_CODES).map((code) => ({
    code: populationCode(code),
    count: counts[code],
  }));
}

const score = (value: number | undefined): { measureScore?: fhir4.Quantity } =>
  value === undefined ? {} : { measureScore: { value } };

export interface IndividualReportInput {
  measure: ReportedMeasure;
  result: PatientMeasureResult;
  period: ReportPeriod;
  /** When the report was made (FHIR dateTime); passed in so the builder stays pure. */
  date: string;
  id?: string;
}

/** One patient, one measure: population counts of 0 or 1 (MeasureReport.type = individual). */
export function individualMeasureReport(input: IndividualReportInput): fhir4.MeasureReport {
  const counts = emptyCounts();
  addToCounts(counts, input.result.populations);
  return {
    resourceType: 'MeasureReport',
    ...(input.id === undefined ? {} : { id: input.id }),
    status: 'complete',
    type: 'individual',
    measure: input.measure.url,
    subject: { reference: `Patient/${input.result.patientId}` },
    date: input.date,
    period: { start: input.period.start, end: input.period.end },
    group: [
      {
        population: groupPopulations(input.measure, counts),
        ...score(proportionScore(counts)),
      },
    ],
  };
}

/** A stratifier: its name, and the stratum each patient falls in. */
export interface ReportStratifier {
  /** Shown as `stratifier.code.text`, e.g. "Administrative gender". */
  text: string;
  /** The stratum label for a patient; absence is a label too ("unknown"), never undefined. */
  stratumOf: (patientId: string) => string;
  /** A coding for a label, where the stratum is a code of a known system. */
  codingOf?: (label: string) => fhir4.Coding | undefined;
  /**
   * Report order of known labels (e.g. categories, then the absences). Labels not listed come
   * first, sorted; without `order` every stratum is sorted by label.
   */
  order?: readonly string[];
}

/**
 * Running totals for one measure over a panel. Built incrementally so a CLI can stream 100,000
 * patients without holding their results.
 */
export interface SummaryTally {
  measure: ReportedMeasure;
  stratifiers: readonly ReportStratifier[];
  counts: PopulationCounts;
  /** Per stratifier (same order), stratum label → counts, in first-seen order. */
  strata: Map<string, PopulationCounts>[];
}

export function createSummaryTally(
  measure: ReportedMeasure,
  stratifiers: readonly ReportStratifier[] = [],
): SummaryTally {
  return {
    measure,
    stratifiers,
    counts: emptyCounts(),
    strata: stratifiers.map(() => new Map<string, PopulationCounts>()),
  };
}

export function addToSummaryTally(tally: SummaryTally, result: PatientMeasureResult): void {
  addToCounts(tally.counts, result.populations);
  tally.stratifiers.forEach((stratifier, i) => {
    const strata = tally.strata[i];
    if (!strata) return;
    const label = stratifier.stratumOf(result.patientId);
    let counts = strata.get(label);
    if (!counts) {
      counts = emptyCounts();
      strata.set(label, counts);
    }
    addToCounts(counts, result.populations);
  });
}

function stratumValue(stratifier: ReportStratifier, label: string): fhir4.CodeableConcept {
  const coding = stratifier.codingOf?.(label);
  return coding === undefined ? { text: label } : { coding: [coding], text: label };
}

export interface SummaryReportInput {
  period: ReportPeriod;
  date: string;
  id?: string;
}

const byLabel = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Strata in the stratifier's order: unlisted labels first (sorted), then the listed ones. */
function stratumOrder(order: readonly string[] | undefined): (a: string, b: string) => number {
  if (order === undefined) return byLabel;
  const rank = new Map(order.map((label, i) => [label, i]));
  return (a, b) => {
    const [ra, rb] = [rank.get(a) ?? -1, rank.get(b) ?? -1];
    return ra !== rb ? ra - rb : byLabel(a, b);
  };
}

/**
 * A finished tally as a summary MeasureReport. Strata that met no patient are left out; the rest
 * follow the stratifier's `order`, else their labels, for stable output.
 */
export function summaryReportFromTally(
  tally: SummaryTally,
  input: SummaryReportInput,
): fhir4.MeasureReport {
  const stratifier: fhir4.MeasureReportGroupStratifier[] = tally.stratifiers.map((s, i) => {
    const compare = stratumOrder(s.order);
    return {
      code: [{ text: s.text }],
      stratum: [...(tally.strata[i] ?? new Map<string, PopulationCounts>()).entries()]
        .sort(([a], [b]) => compare(a, b))
        .map(([label, counts]) => ({
          value: stratumValue(s, label),
          population: stratumPopulations(tally.measure, counts),
          ...score(proportionScore(counts)),
        })),
    };
  });
  return {
    resourceType: 'MeasureReport',
    ...(input.id === undefined ? {} : { id: input.id }),
    status: 'complete',
    type: 'summary',
    measure: tally.measure.url,
    date: input.date,
    period: { start: input.period.start, end: input.period.end },
    group: [
      {
        population: groupPopulations(tally.measure, tally.counts),
        ...score(proportionScore(tally.counts)),
        ...(stratifier.length > 0 ? { stratifier } : {}),
      },
    ],
  };
}

/** One measure over a panel already in memory (MeasureReport.type = summary). */
export function summaryMeasureReport(
  input: SummaryReportInput & {
    measure: ReportedMeasure;
    results: Iterable<PatientMeasureResult>;
    stratifiers?: readonly ReportStratifier[];
  },
): fhir4.MeasureReport {
  const tally = createSummaryTally(input.measure, input.stratifiers);
  for (const result of input.results) addToSummaryTally(tally, result);
  return summaryReportFromTally(tally, input);
}

/** What the simple stratifiers read about a patient. */
export interface StratificationFacts {
  /** Patient.gender: male | female | other | unknown, or undefined when not recorded. */
  gender?: string;
  /** Patient.birthDate: YYYY, YYYY-MM or YYYY-MM-DD. */
  birthDate?: string;
}

/** Age in whole years on `on` (YYYY-MM-DD); partial birth dates count from their earliest day. */
export function ageOn(birthDate: string, on: string): number | undefined {
  const b = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(birthDate);
  const d = /^(\d{4})-(\d{2})-(\d{2})/.exec(on);
  if (!b || !d) return undefined;
  const [by, bm, bd] = [Number(b[1]), Number(b[2] ?? '1'), Number(b[3] ?? '1')];
  const [dy, dm, dd] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const beforeBirthday = dm < bm || (dm === bm && dd < bd);
  const age = dy - by - (beforeBirthday ? 1 : 0);
  return age < 0 ? undefined : age;
}

/** Age bands used by the default age stratifier (upper bound exclusive; the last is open). */
export const AGE_BANDS: readonly { label: string; from: number }[] = [
  { label: '0-17', from: 0 },
  { label: '18-44', from: 18 },
  { label: '45-64', from: 45 },
  { label: '65-74', from: 65 },
  { label: '75+', from: 75 },
];

export function ageBand(age: number): string {
  let label = AGE_BANDS[0]?.label ?? 'unknown';
  for (const band of AGE_BANDS) if (age >= band.from) label = band.label;
  return label;
}

export const UNKNOWN_STRATUM = 'unknown';

export const ADMINISTRATIVE_GENDER_SYSTEM = 'http://hl7.org/fhir/administrative-gender';
const ADMINISTRATIVE_GENDERS = new Set(['male', 'female', 'other', 'unknown']);

/**
 * Administrative gender (Patient.gender), coded in its FHIR code system; a label outside it
 * (e.g. the record's "not-recorded") stays text only.
 */
export function genderStratifier(
  factsOf: (patientId: string) => StratificationFacts | undefined,
): ReportStratifier {
  return {
    text: 'Administrative gender',
    stratumOf: (id) => factsOf(id)?.gender ?? UNKNOWN_STRATUM,
    codingOf: (label) =>
      ADMINISTRATIVE_GENDERS.has(label)
        ? { system: ADMINISTRATIVE_GENDER_SYSTEM, code: label }
        : undefined,
  };
}

/** Age band at the end of the measurement period, as the eCQMs compute age. */
export function ageBandStratifier(
  factsOf: (patientId: string) => StratificationFacts | undefined,
  periodEnd: string,
): ReportStratifier {
  return {
    text: 'Age band at end of measurement period',
    stratumOf: (id) => {
      const birthDate = factsOf(id)?.birthDate;
      const age = birthDate === undefined ? undefined : ageOn(birthDate, periodEnd);
      return age === undefined ? UNKNOWN_STRATUM : ageBand(age);
    },
  };
}

/** Facts for the simple stratifiers, straight from a Patient resource. */
export function stratificationFactsOf(patient: fhir4.Patient): StratificationFacts {
  return {
    ...(patient.gender === undefined ? {} : { gender: patient.gender }),
    ...(patient.birthDate === undefined ? {} : { birthDate: patient.birthDate }),
  };
}
