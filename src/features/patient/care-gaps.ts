// Care gaps for one patient: the panel's engine (src/worker/clinical-engine.ts over the value sets
// shipped with the app) and the SDOH-1 screening rule (src/measures/sdoh-screening.ts), run for
// one record over the calendar-year measurement period the eCQMs use. For each measure the
// patient is in: met / not met / excluded, the evidence (latest HbA1c, BP, screening…) and what
// would close the gap. No React: the view renders what this returns.
import { createPatientRecordBuilder } from '../../clinical/build-patient-records';
import { readMeasurementPeriod } from '../../clinical/cql-time';
import type { ValueSetRegistry } from '../../clinical/patient-record';
import { clinicalMeasure } from '../../measures/clinical-measures';
import type { ClinicalMeasureId, PatientMeasureResult } from '../../measures/measure-result';
import type { ReportPeriod } from '../../measures/measure-report';
import { SDOH_SCREENING_MEASURE_ID, evaluateSdohScreening } from '../../measures/sdoh-screening';
import { CODE, VS } from '../../measures/value-sets';
import type { MeasureEngine } from '../../worker/measure-engine';
import type { PatientResources } from './load-patient-data';

export type GapMeasureId = ClinicalMeasureId | typeof SDOH_SCREENING_MEASURE_ID;

export type GapStatus =
  /** In the denominator, and the measure's goal is met (for CMS122: HbA1c not above 9%). */
  | 'met'
  | 'not-met'
  /** Denominator exclusion or exception: the measure does not apply this year. */
  | 'excluded';

export interface CareGap {
  measureId: GapMeasureId;
  title: string;
  status: GapStatus;
  /** Plain-language facts behind the result, latest first. */
  evidence: string[];
  /** What would close the gap (for `not-met`), or why it is excluded. */
  action: string;
  /** Where the rule comes from. */
  source: string;
}

export type CareGapsResult =
  | { kind: 'evaluated'; period: ReportPeriod; gaps: CareGap[] }
  | { kind: 'not-in-any-measure'; period: ReportPeriod };

/** The eCQMs' measurement period: the calendar year of `today` (analysis/panel-periods.ts). */
export function calendarYearOf(today: string): ReportPeriod {
  const year = today.slice(0, 4);
  return { start: `${year}-01-01`, end: `${year}-12-31` };
}

/** What closes each gap (the numerator's CQL in words; CMS122 is inverse). */
const CLOSE_THE_GAP: Readonly<Record<GapMeasureId, string>> = {
  CMS122:
    'Record an HbA1c (or GMI) this year; the most recent result must be 9.0% or lower (CMS122 counts a missing or >9% result as poor control).',
  CMS165:
    'Record a blood pressure at a visit this year; the most recent must be below 140/90 mmHg.',
  CMS125: 'A mammogram between October 1 two years before the period and the end of this year.',
  CMS130:
    'Colonoscopy within 10 years, FIT this year, FIT-DNA within 3 years, or CT colonography or flexible sigmoidoscopy within 5 years.',
  CMS2: 'Screen for depression with a standardised tool at a visit this year; if positive, document a follow-up plan the same day.',
  'SDOH-1':
    'Screen for food, housing instability, transportation, utilities and interpersonal safety this year (all five).',
};

const SOURCES: Readonly<Record<GapMeasureId, string>> = {
  CMS122: 'CMS122 (eCQM 2026)',
  CMS165: 'CMS165 (eCQM 2026)',
  CMS125: 'CMS125 (eCQM 2026)',
  CMS130: 'CMS130 (eCQM 2026)',
  CMS2: 'CMS2 (eCQM 2026)',
  'SDOH-1': 'Modelled on CMS SDOH-1 / MIPS #487 (src/measures/sdoh-screening.ts)',
};

function codesOf(concept: fhir4.CodeableConcept | undefined): string[] {
  return (concept?.coding ?? []).flatMap((c) =>
    c.system !== undefined && c.code !== undefined ? [`${c.system}|${c.code}`] : [],
  );
}

function inAny(registry: ValueSetRegistry, valueSets: readonly string[], codes: string[]): boolean {
  return valueSets.some((vs) => registry.hasAny(vs, codes));
}

function observationDate(o: fhir4.Observation): string | undefined {
  return (o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued)?.slice(0, 10);
}

function procedureDate(p: fhir4.Procedure): string | undefined {
  return (p.performedDateTime ?? p.performedPeriod?.end ?? p.performedPeriod?.start)?.slice(0, 10);
}

function label(concept: fhir4.CodeableConcept | undefined, fallback: string): string {
  return concept?.text ?? concept?.coding?.find((c) => c.display)?.display ?? fallback;
}

function quantity(q: fhir4.Quantity | undefined): string | undefined {
  if (q?.value === undefined) return undefined;
  const unit = q.unit ?? q.code ?? '';
  return unit === '' ? String(q.value) : `${q.value} ${unit}`;
}

function byDateDesc<T>(items: readonly T[], date: (t: T) => string | undefined): T[] {
  return [...items]
    .filter((t) => date(t) !== undefined)
    .sort((a, b) => ((date(b) ?? '') < (date(a) ?? '') ? -1 : 1));
}

function latestObservationLine(
  observations: readonly fhir4.Observation[],
  matches: (o: fhir4.Observation) => boolean,
  what: string,
  describe: (o: fhir4.Observation) => string | undefined,
): string {
  const latest = byDateDesc(observations.filter(matches), observationDate)[0];
  if (latest === undefined) return `No ${what} on record`;
  const value = describe(latest);
  return `Latest ${what}: ${value === undefined ? 'no result recorded' : value} on ${observationDate(latest) ?? 'an unknown date'}`;
}

function latestProcedureLines(
  resources: PatientResources,
  registry: ValueSetRegistry,
  valueSets: readonly string[],
  what: string,
): string[] {
  const procedures = byDateDesc(
    resources.procedures.filter(
      (p) => p.status === 'completed' && inAny(registry, valueSets, codesOf(p.code)),
    ),
    procedureDate,
  );
  const observations = byDateDesc(
    resources.observations.filter((o) => inAny(registry, valueSets, codesOf(o.code))),
    observationDate,
  );
  const lines = [
    ...procedures
      .slice(0, 1)
      .map((p) => `Latest ${label(p.code, what)}: ${procedureDate(p) ?? 'unknown date'}`),
    ...observations
      .slice(0, 1)
      .map((o) => `Latest ${label(o.code, what)}: ${observationDate(o) ?? 'unknown date'}`),
  ];
  return lines.length > 0 ? lines : [`No ${what} on record`];
}

function bloodPressureOf(o: fhir4.Observation): string | undefined {
  const component = (code: string) =>
    o.component?.find((c) => codesOf(c.code).includes(code))?.valueQuantity?.value;
  const systolic = component(CODE.systolicBloodPressure);
  const diastolic = component(CODE.diastolicBloodPressure);
  if (systolic === undefined || diastolic === undefined) return undefined;
  return `${systolic}/${diastolic} mmHg`;
}

/** The facts a clinician looks for first, per measure (the evidence beyond the engine's rules). */
function keyEvidence(
  measureId: GapMeasureId,
  resources: PatientResources,
  registry: ValueSetRegistry,
): string[] {
  const obs = resources.observations;
  switch (measureId) {
    case 'CMS122':
      return [
        latestObservationLine(
          obs,
          (o) =>
            registry.hasAny(VS.hbA1cLaboratoryTest, codesOf(o.code)) ||
            codesOf(o.code).includes(CODE.glucoseManagementIndicator),
          'HbA1c',
          (o) => quantity(o.valueQuantity),
        ),
      ];
    case 'CMS165':
      return [
        latestObservationLine(
          obs,
          (o) => bloodPressureOf(o) !== undefined,
          'blood pressure',
          bloodPressureOf,
        ),
      ];
    case 'CMS125':
      return latestProcedureLines(resources, registry, [VS.mammography], 'mammogram');
    case 'CMS130':
      return latestProcedureLines(
        resources,
        registry,
        [
          VS.colonoscopy,
          VS.fecalOccultBloodTest,
          VS.sDnaFitTest,
          VS.ctColonography,
          VS.flexibleSigmoidoscopy,
        ],
        'colorectal cancer screening',
      );
    case 'CMS2':
      return [
        latestObservationLine(
          obs,
          (o) =>
            codesOf(o.code).some(
              (c) =>
                c === CODE.adultDepressionScreening || c === CODE.adolescentDepressionScreening,
            ),
          'depression screening',
          (o) => label(o.valueCodeableConcept, quantity(o.valueQuantity) ?? 'recorded'),
        ),
      ];
    case 'SDOH-1':
      return [];
  }
}

function statusOf(result: PatientMeasureResult, inverse: boolean): GapStatus | undefined {
  const p = result.populations;
  if (!p.initialPopulation || !p.denominator) return undefined;
  if (p.denominatorExclusion || p.denominatorException) return 'excluded';
  return p.numerator !== inverse ? 'met' : 'not-met';
}

function evidenceLines(result: PatientMeasureResult): string[] {
  return result.evidence.map(
    (e) =>
      `${e.rule}${e.resources.length > 0 ? ` (${e.resources.length} record${e.resources.length === 1 ? '' : 's'})` : ''}`,
  );
}

/**
 * Evaluates the five eCQMs and SDOH-1 for the patient. `engine` is `shippedClinicalEngine()`;
 * `registry` the same shipped value sets (for the evidence look-ups).
 */
export function evaluateCareGaps(
  patient: fhir4.Patient,
  resources: PatientResources,
  period: ReportPeriod,
  engine: MeasureEngine,
  registry: ValueSetRegistry,
): CareGapsResult {
  // Unfiltered: SDOH-1 reads screening Observations the eCQM code filter would drop.
  const builder = createPatientRecordBuilder();
  builder.add(patient);
  for (const list of Object.values(resources) as fhir4.Resource[][]) {
    for (const resource of list) builder.add(resource);
  }
  const record = builder.build().find((r) => r.id === patient.id);
  if (record === undefined) return { kind: 'not-in-any-measure', period };

  const gaps: CareGap[] = [];
  for (const measure of engine.measures) {
    const result = engine.evaluate(measure.id, record, period);
    const inverse = clinicalMeasure(measure.id).improvementNotation === 'decrease';
    const status = statusOf(result, inverse);
    if (status === undefined) continue;
    gaps.push({
      measureId: measure.id,
      title: measure.title,
      status,
      evidence: [...keyEvidence(measure.id, resources, registry), ...evidenceLines(result)],
      action:
        status === 'excluded'
          ? `Excluded this year: ${result.evidence.find((e) => e.population !== 'initial-population' && e.population !== 'numerator')?.rule ?? 'a denominator exclusion applies'}.`
          : CLOSE_THE_GAP[measure.id],
      source: SOURCES[measure.id],
    });
  }
  const sdoh = evaluateSdohScreening(record, readMeasurementPeriod(period));
  const sdohStatus = statusOf(sdoh, false);
  if (sdohStatus !== undefined) {
    gaps.push({
      measureId: SDOH_SCREENING_MEASURE_ID,
      title: 'Screening for social drivers of health',
      status: sdohStatus,
      evidence: [...evidenceLines(sdoh), ...sdoh.reasons],
      action:
        sdohStatus === 'excluded'
          ? 'Excluded this year: the patient declined screening.'
          : CLOSE_THE_GAP['SDOH-1'],
      source: SOURCES['SDOH-1'],
    });
  }
  return gaps.length === 0
    ? { kind: 'not-in-any-measure', period }
    : { kind: 'evaluated', period, gaps };
}
