// CMS165 Controlling High Blood Pressure (FHIR v0.5.000), from
// CMS165FHIRControllingHighBloodPressure.cql.

import {
  addMonths,
  dayIn,
  dayOfDate,
  latest,
  prevalenceMs,
  startOfDay,
} from '../clinical/cql-time';
import type { ObservationFact, PatientRecord } from '../clinical/patient-record';
import { qualifyingEncounters } from './adult-outpatient-encounters';
import { sharedExclusion } from './common-exclusions';
import { hasHospiceServices } from './hospice';
import { ageReason, Evaluation, type Finding, type MeasureEvaluationContext } from './evaluation';
import { membership, OUT, type ClinicalMeasureDefinition } from './measure-definition';
import type { PatientMeasureResult } from './measure-result';
import {
  isEncounterPerformed,
  isObservationFinal,
  isProcedurePerformed,
  isVerified,
} from './status';
import { CODE, VS } from './value-sets';

/** Encounter classes that disqualify a reading taken during them (getEncounter().class.code). */
const ACUTE_CLASSES = new Set(['EMER', 'IMP', 'ACUTE', 'NONAC', 'PRENC', 'SS']);

const PREGNANCY_OR_RENAL = [
  VS.pregnancy,
  VS.endStageRenalDisease,
  VS.kidneyTransplantRecipient,
  VS.chronicKidneyDiseaseStage5,
];

/** define "Essential Hypertension Diagnosis": prevalence overlaps [start of MP, start + 6 months). */
function essentialHypertension(ev: Evaluation): string[] {
  const window = {
    lo: ev.period.start,
    hi: startOfDay(dayOfDate(addMonths(ev.period.startDate, 6)), ev.offset) - 1,
  };
  const refs: string[] = [];
  for (const c of ev.record.conditions) {
    if (!ev.in(c.codes, VS.essentialHypertension) || !isVerified(c)) continue;
    const p = prevalenceMs(c);
    if (p.lo <= window.hi && p.hi >= window.lo) refs.push(c.ref);
  }
  return refs;
}

/** Pregnancy/ESRD diagnoses, ESRD procedures and encounters (the measure's own exclusions). */
function renalOrPregnancyExclusion(ev: Evaluation): Finding | null {
  const r = ev.record;
  const mp = { lo: ev.period.start, hi: ev.period.end };
  // define "Pregnancy or Renal Diagnosis": prevalence overlaps "Measurement Period"
  for (const c of r.conditions) {
    if (!isVerified(c) || !PREGNANCY_OR_RENAL.some((url) => ev.in(c.codes, url))) continue;
    const p = prevalenceMs(c);
    if (p.lo <= mp.hi && p.hi >= mp.lo)
      return { rule: 'Pregnancy or Renal Diagnosis', refs: [c.ref] };
  }
  // define "End Stage Renal Disease Procedures": performed ends on or before end of MP
  for (const p of r.procedures) {
    if (!(ev.in(p.codes, VS.kidneyTransplant) || ev.in(p.codes, VS.dialysisServices))) continue;
    if (!isProcedurePerformed(p) || p.performed === null) continue;
    const end = p.performed.end ?? Number.POSITIVE_INFINITY;
    if (end <= mp.hi) return { rule: 'End Stage Renal Disease Procedures', refs: [p.ref] };
  }
  // define "End Stage Renal Disease Encounter": period starts on or before end of MP
  for (const e of r.encounters) {
    if (!ev.in(e.codes, VS.esrdMonthlyOutpatientServices) || !isEncounterPerformed(e)) continue;
    const start = e.period?.start ?? null;
    if (start !== null && start <= mp.hi)
      return { rule: 'End Stage Renal Disease Encounter', refs: [e.ref] };
  }
  return null;
}

/**
 * define "Qualifying Systolic/Diastolic Blood Pressure Reading" (the two are the same set):
 * BP observations not taken during an inpatient/ED encounter, union those in the period whose
 * own encounter is not of an acute class.
 */
function qualifyingReadings(ev: Evaluation): ObservationFact[] {
  const r = ev.record;
  const disqualifying = r.encounters.filter(
    (e) =>
      isEncounterPerformed(e) &&
      (ev.in(e.codes, VS.encounterInpatient) || ev.in(e.codes, VS.emergencyDepartmentVisit)),
  );
  const readings: ObservationFact[] = [];
  for (const o of r.observations) {
    if (!o.bloodPressure || !isObservationFinal(o)) continue;
    const day = ev.day(latest(o.effective));
    let duringDisqualifying = false;
    for (const e of disqualifying) {
      const days = ev.days(e.period);
      if (days !== null && dayIn(day, days)) {
        duringDisqualifying = true;
        break;
      }
    }
    if (!duringDisqualifying) {
      readings.push(o);
      continue;
    }
    const own = o.encounterId === '' ? undefined : r.encounters.find((e) => e.id === o.encounterId);
    const acute = own !== undefined && ACUTE_CLASSES.has(own.classCode);
    if (!acute && dayIn(day, ev.period.days)) readings.push(o);
  }
  return readings;
}

/** `singleton from (component where code ~ X return value as Quantity)` in mm[Hg], or null. */
function componentMmHg(o: ObservationFact, code: string): number | null {
  for (const c of o.components) {
    if (!c.codes.includes(code)) continue;
    if (c.value.kind !== 'quantity') return null;
    const unit = c.value.unit;
    // Only UCUM mm[Hg] compares with 140 'mm[Hg]' (no unit reads as '1', which does not convert).
    return unit === 'mm[Hg]' ? c.value.value : null;
  }
  return null;
}

function evaluate(record: PatientRecord, context: MeasureEvaluationContext): PatientMeasureResult {
  const ev = new Evaluation(record, context);
  // define "Initial Population"
  const age = ev.ageAtEnd();
  const ageOk = age !== null && age >= 18 && age <= 85;
  if (!ageOk) ev.reason(ageReason(age, 18, 85, 'end'));
  const hypertension = essentialHypertension(ev);
  if (hypertension.length === 0) {
    const coded = record.conditions.filter((c) => ev.in(c.codes, VS.essentialHypertension)).length;
    ev.reason(
      coded === 0
        ? 'no diagnosis in the Essential Hypertension value set'
        : `no essential hypertension overlapping the first six months of the period (${coded} coded, unverified or outside it)`,
    );
  }
  const encounters = qualifyingEncounters(ev);
  const initialPopulation = ageOk && hypertension.length > 0 && encounters.length > 0;
  if (!initialPopulation) return ev.result('CMS165', { ...OUT });
  ev.note('initial-population', { rule: 'Essential Hypertension Diagnosis', refs: hypertension });
  ev.note('initial-population', {
    rule: 'Qualifying Encounters',
    refs: encounters.map((e) => e.ref),
  });

  // define "Denominator Exclusions"
  const exclusion =
    hasHospiceServices(ev) ??
    renalOrPregnancyExclusion(ev) ??
    sharedExclusion(ev, 'age-66-to-80-or-81-or-older');
  if (exclusion !== null) ev.note('denominator-exclusion', exclusion);

  // define "Numerator": lowest systolic < 140 and lowest diastolic < 90 on the most recent BP day
  const readings = qualifyingReadings(ev);
  let numerator = false;
  if (readings.length === 0) {
    ev.reason(
      'no qualifying blood pressure reading (US Core blood pressure panel, final) in the period',
    );
  } else {
    let mostRecentDay = Number.NEGATIVE_INFINITY;
    for (const o of readings) {
      const day = ev.day(latest(o.effective));
      if (day > mostRecentDay) mostRecentDay = day;
    }
    // Sort ascending puts a missing value first, so one reading without it makes the lowest null.
    let systolic: number | null = Number.POSITIVE_INFINITY;
    let diastolic: number | null = Number.POSITIVE_INFINITY;
    const refs: string[] = [];
    for (const o of readings) {
      if (ev.day(latest(o.effective)) !== mostRecentDay) continue;
      refs.push(o.ref);
      const s = componentMmHg(o, CODE.systolicBloodPressure);
      const d = componentMmHg(o, CODE.diastolicBloodPressure);
      systolic = s === null || systolic === null ? null : Math.min(systolic, s);
      diastolic = d === null || diastolic === null ? null : Math.min(diastolic, d);
    }
    numerator = systolic !== null && systolic < 140 && diastolic !== null && diastolic < 90;
    if (numerator) ev.note('numerator', { rule: 'Numerator', refs });
    else {
      ev.reason(
        `most recent blood pressure day: lowest ${systolic === null ? 'systolic missing' : `systolic ${systolic}`}, ` +
          `${diastolic === null ? 'diastolic missing' : `diastolic ${diastolic}`} mm[Hg] (controlled is < 140/90)`,
      );
    }
  }
  return ev.result(
    'CMS165',
    membership({
      initialPopulation,
      denominatorExclusion: exclusion !== null,
      numerator,
    }),
  );
}

export const cms165: ClinicalMeasureDefinition = {
  id: 'CMS165',
  title: 'Controlling High Blood Pressure',
  url: 'https://madie.cms.gov/Measure/CMS165FHIRControllingHighBloodPressure',
  version: '0.5.000',
  scoring: 'proportion',
  improvementNotation: 'increase',
  hasDenominatorException: false,
  ageStrata: [],
  evaluate,
};
