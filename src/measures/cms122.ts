// CMS122 Diabetes: Glycemic Status Assessment Greater Than 9% (FHIR v0.5.000), from
// CMS122FHIRDiabetesAssessGreaterThan9Percent.cql. Inverse measure: the numerator is poor control.

import { dayIn, daysOverlap, latest, prevalenceDays } from '../clinical/cql-time';
import type { ObservationFact, PatientRecord } from '../clinical/patient-record';
import { qualifyingEncounters, type EncounterValueSet } from './adult-outpatient-encounters';
import { sharedExclusion } from './common-exclusions';
import { ageReason, Evaluation, type MeasureEvaluationContext } from './evaluation';
import { membership, OUT, type ClinicalMeasureDefinition } from './measure-definition';
import type { PatientMeasureResult } from './measure-result';
import { isObservationFinal, isVerified } from './status';
import { CODE, VS } from './value-sets';

const CPT = 'http://www.ama-assn.org/go/cpt|';
const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets|';

/** "Qualifying Encounters" (the measure's own list, with medical nutrition therapy codes). */
const ENCOUNTER_VALUE_SETS: readonly EncounterValueSet[] = [
  { name: 'Office Visit', url: VS.officeVisit },
  { name: 'Annual Wellness Visit', url: VS.annualWellnessVisit },
  {
    name: 'Preventive Care Services Established Office Visit, 18 and Up',
    url: VS.preventiveCareEstablished18AndUp,
  },
  {
    name: 'Preventive Care Services Initial Office Visit, 18 and Up',
    url: VS.preventiveCareInitial18AndUp,
  },
  { name: 'Home Healthcare Services', url: VS.homeHealthcareServices },
  { name: 'Nutrition Services', url: VS.nutritionServices },
  { name: 'Telephone Visits', url: VS.telephoneVisits },
];
const NUTRITION_THERAPY_CODES = [
  `${CPT}97802`,
  `${CPT}97803`,
  `${CPT}97804`,
  `${HCPCS}G0270`,
  `${HCPCS}G0271`,
];

/** define "Glycemic Status Assessment": HbA1c or GMI, final, latest effective during the period. */
function isGlycemicStatusAssessment(ev: Evaluation, o: ObservationFact): boolean {
  if (!(
    ev.in(o.codes, VS.hbA1cLaboratoryTest) || o.codes.includes(CODE.glucoseManagementIndicator)
  ))
    return false;
  return isObservationFinal(o) && dayIn(ev.day(latest(o.effective)), ev.period.days);
}

/**
 * `value as Quantity` in percent, for sorting and for `> 9 '%'`. FHIRHelpers reads a quantity
 * without code or unit as unit '1' (9 % = 0.09). Not a Quantity (a code, a string, nothing):
 * null, which sorts first. A unit that does not convert to % (mmol/mol): NaN, never > 9.
 */
function percentValue(o: ObservationFact): number | null {
  if (o.value.kind !== 'quantity') return null;
  const unit = o.value.unit;
  if (unit === '%') return o.value.value;
  if (unit === null || unit === '' || unit === '1') return o.value.value * 100;
  return Number.NaN;
}

function formatDay(ms: number | null): string {
  return ms === null ? 'unknown date' : new Date(ms).toISOString().slice(0, 10);
}

function evaluate(record: PatientRecord, context: MeasureEvaluationContext): PatientMeasureResult {
  const ev = new Evaluation(record, context);
  // define "Initial Population"
  const age = ev.ageAtEnd();
  const ageOk = age !== null && age >= 18 && age <= 75;
  if (!ageOk) ev.reason(ageReason(age, 18, 75, 'end'));
  const encounters = qualifyingEncounters(ev, ENCOUNTER_VALUE_SETS, NUTRITION_THERAPY_CODES);
  // [ConditionEncounterDiagnosis: "Diabetes"].verified() overlapping day of the period.
  // Hazard: the retrieve names a QI-Core profile; like the reference engine without profile
  // tagging required, any Condition with the code is read (problem-list entries included).
  const diabetes = record.conditions.filter(
    (c) =>
      ev.in(c.codes, VS.diabetes) &&
      isVerified(c) &&
      daysOverlap(prevalenceDays(c, ev.offset), ev.period.days),
  );
  if (diabetes.length === 0) {
    const coded = record.conditions.filter((c) => ev.in(c.codes, VS.diabetes)).length;
    ev.reason(
      coded === 0
        ? 'no diabetes diagnosis in the Diabetes value set'
        : `no diabetes diagnosis active during the period: ${coded} coded diabetes conditions are unverified or outside it`,
    );
  }
  const initialPopulation = ageOk && encounters.length > 0 && diabetes.length > 0;
  if (!initialPopulation) return ev.result('CMS122', { ...OUT });
  ev.note('initial-population', {
    rule: 'Qualifying Encounters',
    refs: encounters.map((e) => e.ref),
  });
  ev.note('initial-population', { rule: 'Diabetes', refs: diabetes.map((c) => c.ref) });

  // define "Denominator Exclusions"
  const exclusion = sharedExclusion(ev, 'age-66-or-older');
  if (exclusion !== null) ev.note('denominator-exclusion', exclusion);

  // define "Numerator"
  const assessments = record.observations.filter((o) => isGlycemicStatusAssessment(ev, o));
  let numerator = false;
  if (assessments.length === 0) {
    // "Has No Record Of Glycemic Status Assessment"
    numerator = true;
    ev.note('numerator', { rule: 'Has No Record Of Glycemic Status Assessment', refs: [] });
  } else {
    // "Most Recent Glycemic Status Date", then the lowest reading that day (nulls sort first).
    let mostRecentDay = Number.NEGATIVE_INFINITY;
    for (const o of assessments)
      mostRecentDay = Math.max(mostRecentDay, ev.day(latest(o.effective)));
    let lowest: ObservationFact | null = null;
    let lowestValue: number | null = null;
    for (const o of assessments) {
      if (ev.day(latest(o.effective)) !== mostRecentDay) continue;
      const value = percentValue(o);
      if (lowest === null || (lowestValue !== null && (value === null || value < lowestValue))) {
        lowest = o;
        lowestValue = value;
      }
    }
    // "Has Most Recent Glycemic Status Assessment Without Result": the reading's value is null
    // (a coded or text value is a value: neither without result nor above 9 %).
    if (lowest !== null && lowest.value.kind === 'absent') {
      numerator = true;
      ev.note('numerator', {
        rule: 'Has Most Recent Glycemic Status Assessment Without Result',
        refs: [lowest.ref],
      });
    } else if (lowest !== null && lowestValue !== null && lowestValue > 9) {
      // "Has Most Recent Elevated Glycemic Status Assessment"
      numerator = true;
      ev.note('numerator', {
        rule: 'Has Most Recent Elevated Glycemic Status Assessment',
        refs: [lowest.ref],
      });
    } else if (lowest !== null) {
      const shown =
        lowest.value.kind === 'quantity'
          ? `${lowest.value.value} ${lowest.value.unit ?? '(no unit)'}, not above 9 %`
          : `a ${lowest.value.kind === 'concept' ? 'coded' : 'non-numeric'} result, not a percentage`;
      ev.reason(
        `most recent glycemic status assessment on ${formatDay(latest(lowest.effective))}: ${shown}`,
      );
    }
  }
  return ev.result(
    'CMS122',
    membership({
      initialPopulation,
      denominatorExclusion: exclusion !== null,
      numerator,
    }),
  );
}

export const cms122: ClinicalMeasureDefinition = {
  id: 'CMS122',
  title: 'Diabetes: Glycemic Status Assessment Greater Than 9%',
  url: 'https://madie.cms.gov/Measure/CMS122FHIRDiabetesAssessGreaterThan9Percent',
  version: '0.5.000',
  scoring: 'proportion',
  improvementNotation: 'decrease',
  hasDenominatorException: false,
  ageStrata: [],
  evaluate,
};
