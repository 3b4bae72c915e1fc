// CMS130 Colorectal Cancer Screening (FHIR v0.4.000), from CMS130FHIRColorectalCancerScreening.cql.

import {
  addYears,
  dayIn,
  dayOfDate,
  latest,
  prevalenceDays,
  type DayInterval,
} from '../clinical/cql-time';
import type { PatientRecord } from '../clinical/patient-record';
import { qualifyingEncounters } from './adult-outpatient-encounters';
import { sharedExclusion } from './common-exclusions';
import { ageReason, Evaluation, type Finding, type MeasureEvaluationContext } from './evaluation';
import { membership, OUT, type ClinicalMeasureDefinition } from './measure-definition';
import type { PatientMeasureResult } from './measure-result';
import {
  isDiagnosticStudyPerformed,
  isObservationFinal,
  isProcedurePerformed,
  isVerified,
} from './status';
import { VS } from './value-sets';

/** Interval[start of "Measurement Period" - n years, end of "Measurement Period"] in days. */
function lookback(ev: Evaluation, years: number): DayInterval {
  return { lo: dayOfDate(addYears(ev.period.startDate, -years)), hi: ev.period.days.hi };
}

function colonExclusion(ev: Evaluation): Finding | null {
  const lastDay = ev.period.days.hi;
  // define "Malignant Neoplasm": prevalence starts on or before day of end of MP
  for (const c of ev.record.conditions) {
    if (
      ev.in(c.codes, VS.malignantNeoplasmOfColon) &&
      isVerified(c) &&
      prevalenceDays(c, ev.offset).lo <= lastDay
    ) {
      return { rule: 'Malignant Neoplasm', refs: [c.ref] };
    }
  }
  // define "Total Colectomy Performed": performed ends on or before day of end of MP
  for (const p of ev.record.procedures) {
    if (!ev.in(p.codes, VS.totalColectomy) || !isProcedurePerformed(p)) continue;
    const days = ev.days(p.performed);
    if (days !== null && days.hi <= lastDay)
      return { rule: 'Total Colectomy Performed', refs: [p.ref] };
  }
  return null;
}

/** The numerator defines, in the CQL's order; the first satisfied one. */
function screening(ev: Evaluation): Finding | null {
  const r = ev.record;
  for (const o of r.observations) {
    // define "Fecal Occult Blood Test Performed": a result, latest during day of the period
    if (
      ev.in(o.codes, VS.fecalOccultBloodTest) &&
      isObservationFinal(o) &&
      o.value.kind !== 'absent'
    ) {
      if (dayIn(ev.day(latest(o.effective)), ev.period.days)) {
        return { rule: 'Fecal Occult Blood Test Performed', refs: [o.ref] };
      }
    }
    // define "Stool DNA with FIT Test Performed": within the period and the 2 years before
    if (ev.in(o.codes, VS.sDnaFitTest) && isObservationFinal(o) && o.value.kind !== 'absent') {
      if (dayIn(ev.day(latest(o.effective)), lookback(ev, 2))) {
        return { rule: 'Stool DNA with FIT Test Performed', refs: [o.ref] };
      }
    }
    // define "CT Colonography Performed": ends within the period and the 4 years before
    if (ev.in(o.codes, VS.ctColonography) && isDiagnosticStudyPerformed(o)) {
      const days = ev.days(o.effective);
      if (days !== null && dayIn(days.hi, lookback(ev, 4)))
        return { rule: 'CT Colonography Performed', refs: [o.ref] };
    }
  }
  for (const p of r.procedures) {
    if (!isProcedurePerformed(p)) continue;
    const days = ev.days(p.performed);
    if (days === null) continue;
    // define "Flexible Sigmoidoscopy Performed": ends within the period and the 4 years before
    if (ev.in(p.codes, VS.flexibleSigmoidoscopy) && dayIn(days.hi, lookback(ev, 4))) {
      return { rule: 'Flexible Sigmoidoscopy Performed', refs: [p.ref] };
    }
    // define "Colonoscopy Performed": ends within the period and the 9 years before
    if (ev.in(p.codes, VS.colonoscopy) && dayIn(days.hi, lookback(ev, 9))) {
      return { rule: 'Colonoscopy Performed', refs: [p.ref] };
    }
  }
  return null;
}

function evaluate(record: PatientRecord, context: MeasureEvaluationContext): PatientMeasureResult {
  const ev = new Evaluation(record, context);
  // define "Initial Population"
  const age = ev.ageAtEnd();
  const ageOk = age !== null && age >= 46 && age <= 75;
  if (!ageOk) ev.reason(ageReason(age, 46, 75, 'end'));
  const encounters = qualifyingEncounters(ev);
  const initialPopulation = ageOk && encounters.length > 0;
  if (!initialPopulation) return ev.result('CMS130', { ...OUT });
  ev.note('initial-population', {
    rule: 'Qualifying Encounters',
    refs: encounters.map((e) => e.ref),
  });

  // define "Denominator Exclusions"
  const exclusion = sharedExclusion(ev, 'age-66-or-older') ?? colonExclusion(ev);
  if (exclusion !== null) ev.note('denominator-exclusion', exclusion);

  // define "Numerator"
  const screened = screening(ev);
  if (screened !== null) ev.note('numerator', screened);
  else
    ev.reason(
      'no colorectal cancer screening in its look-back window (FOBT, FIT-DNA, sigmoidoscopy, CT colonography, colonoscopy)',
    );
  return ev.result(
    'CMS130',
    membership({
      initialPopulation,
      denominatorExclusion: exclusion !== null,
      numerator: screened !== null,
    }),
  );
}

export const cms130: ClinicalMeasureDefinition = {
  id: 'CMS130',
  title: 'Colorectal Cancer Screening',
  url: 'https://madie.cms.gov/Measure/CMS130FHIRColorectalCancerScreening',
  version: '0.4.000',
  scoring: 'proportion',
  improvementNotation: 'increase',
  hasDenominatorException: false,
  ageStrata: [
    { define: 'Stratification 1', low: 46, high: 49 },
    { define: 'Stratification 2', low: 50, high: 75 },
  ],
  evaluate,
};
