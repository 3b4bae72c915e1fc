// CMS125 Breast Cancer Screening (FHIR v0.4.000), from CMS125FHIRBreastCancerScreening.cql.

import { dayIn, dayOf, prevalenceStartMs } from '../clinical/cql-time';
import type { ConditionFact, PatientRecord, ProcedureFact } from '../clinical/patient-record';
import { qualifyingEncounters } from './adult-outpatient-encounters';
import { sharedExclusion } from './common-exclusions';
import { ageReason, Evaluation, type Finding, type MeasureEvaluationContext } from './evaluation';
import { membership, OUT, type ClinicalMeasureDefinition } from './measure-definition';
import type { PatientMeasureResult } from './measure-result';
import { isDiagnosticStudyPerformed, isProcedurePerformed, isVerified } from './status';
import { CODE, VS } from './value-sets';

/** A verified diagnosis whose prevalence starts on or before the end of the period. */
function diagnosisBy(ev: Evaluation, matches: (c: ConditionFact) => boolean): string[] {
  const refs: string[] = [];
  for (const c of ev.record.conditions) {
    if (matches(c) && isVerified(c) && prevalenceStartMs(c) <= ev.period.end) refs.push(c.ref);
  }
  return refs;
}

/** A completed procedure whose `performed.toInterval()` ends on or before the end of the period. */
function procedureBy(ev: Evaluation, valueSet: string): string[] {
  const refs: string[] = [];
  for (const p of ev.record.procedures) {
    if (!ev.in(p.codes, valueSet) || !isProcedurePerformed(p)) continue;
    if (endsOnOrBefore(p, ev.period.end)) refs.push(p.ref);
  }
  return refs;
}

function endsOnOrBefore(p: ProcedureFact, limit: number): boolean {
  if (p.performed === null) return false;
  const end = p.performed.end ?? Number.POSITIVE_INFINITY;
  return end <= limit;
}

function mastectomyExclusion(ev: Evaluation): Finding | null {
  const unilateral = (side: string) => (c: ConditionFact) =>
    ev.in(c.codes, VS.unilateralMastectomyUnspecified) && c.bodySite.includes(side);
  // define "Right Mastectomy Diagnosis" / "Right Mastectomy Procedure"
  const right = [
    ...diagnosisBy(
      ev,
      (c) => ev.in(c.codes, VS.statusPostRightMastectomy) || unilateral(CODE.right)(c),
    ),
    ...procedureBy(ev, VS.unilateralMastectomyRight),
  ];
  // define "Left Mastectomy Diagnosis" / "Left Mastectomy Procedure"
  const left = [
    ...diagnosisBy(
      ev,
      (c) => ev.in(c.codes, VS.statusPostLeftMastectomy) || unilateral(CODE.left)(c),
    ),
    ...procedureBy(ev, VS.unilateralMastectomyLeft),
  ];
  if (right.length > 0 && left.length > 0)
    return { rule: 'Right and Left Mastectomy', refs: [...right, ...left] };
  // define "Bilateral Mastectomy Diagnosis"
  const bilateralDx = diagnosisBy(ev, (c) => ev.in(c.codes, VS.historyOfBilateralMastectomy));
  if (bilateralDx.length > 0) return { rule: 'Bilateral Mastectomy Diagnosis', refs: bilateralDx };
  // define "Bilateral Mastectomy Procedure"
  const bilateralProc = procedureBy(ev, VS.bilateralMastectomy);
  if (bilateralProc.length > 0)
    return { rule: 'Bilateral Mastectomy Procedure', refs: bilateralProc };
  return null;
}

function evaluate(record: PatientRecord, context: MeasureEvaluationContext): PatientMeasureResult {
  const ev = new Evaluation(record, context);
  // define "Initial Population"
  const age = ev.ageAtEnd();
  const ageOk = age !== null && age >= 42 && age <= 74;
  if (!ageOk) ev.reason(ageReason(age, 42, 74, 'end'));
  // Patient.sex = '248152002' (us-core-sex female); administrative gender is not read.
  const female = record.sexCode === CODE.femaleFinding;
  if (!female) {
    ev.reason(
      record.sexCode === ''
        ? 'no us-core-sex recorded (the measure reads sex, not administrative gender)'
        : `us-core-sex ${record.sexCode} is not female (248152002)`,
    );
  }
  const encounters = qualifyingEncounters(ev);
  const initialPopulation = ageOk && female && encounters.length > 0;
  if (!initialPopulation) return ev.result('CMS125', { ...OUT });
  ev.note('initial-population', {
    rule: 'Qualifying Encounters',
    refs: encounters.map((e) => e.ref),
  });

  // define "Denominator Exclusions"
  const exclusion = sharedExclusion(ev, 'age-66-or-older') ?? mastectomyExclusion(ev);
  if (exclusion !== null) ev.note('denominator-exclusion', exclusion);

  // define "Numerator": a mammogram ending during day of [October 1 two years prior, end of MP]
  const october1 = dayOf(Date.UTC(ev.period.startDate.year - 2, 9, 1), ev.offset);
  const window = { lo: october1, hi: ev.period.days.hi };
  const mammograms: string[] = [];
  for (const o of record.observations) {
    if (!ev.in(o.codes, VS.mammography) || !isDiagnosticStudyPerformed(o)) continue;
    const days = ev.days(o.effective);
    if (days !== null && dayIn(days.hi, window)) mammograms.push(o.ref);
  }
  const numerator = mammograms.length > 0;
  if (numerator) ev.note('numerator', { rule: 'Numerator', refs: mammograms });
  else {
    const coded = record.observations.filter((o) => ev.in(o.codes, VS.mammography)).length;
    ev.reason(
      coded === 0
        ? 'no mammography result (Observation in the Mammography value set)'
        : `no final imaging mammography ending between October 1 two years before the period and its end (${coded} coded)`,
    );
  }
  return ev.result(
    'CMS125',
    membership({
      initialPopulation,
      denominatorExclusion: exclusion !== null,
      numerator,
    }),
  );
}

export const cms125: ClinicalMeasureDefinition = {
  id: 'CMS125',
  title: 'Breast Cancer Screening',
  url: 'https://madie.cms.gov/Measure/CMS125FHIRBreastCancerScreening',
  version: '0.4.000',
  scoring: 'proportion',
  improvementNotation: 'increase',
  hasDenominatorException: false,
  ageStrata: [
    { define: 'Stratification 1', low: 42, high: 51 },
    { define: 'Stratification 2', low: 52, high: 74 },
  ],
  evaluate,
};
