// A small, real MeasureEngine for tests of the runners (worker, CLI): the real record builder and
// two deliberately simple measures, so runner tests do not depend on the eCQM logic.
//   CMS122 (simplified): 18–75 at the period end; numerator: latest HbA1c (LOINC 4548-4) in the
//   period above 9 %, or none.
//   CMS165 (simplified): anyone with an Encounter in the period; numerator: never.

import { createPatientRecordBuilder } from '../../../src/clinical/build-patient-records';
import type { PatientRecord } from '../../../src/clinical/patient-record';
import { ageOn, type ReportPeriod } from '../../../src/measures/measure-report';
import type { PatientMeasureResult } from '../../../src/measures/measure-result';
import type { MeasureEngine } from '../../../src/worker/measure-engine';
import { stratificationFactsOfRecord } from '../../../src/worker/measure-engine';

const HBA1C = 'http://loinc.org|4548-4';
const populations = [
  'initial-population',
  'denominator',
  'denominator-exclusion',
  'numerator',
] as const;

const ms = (date: string, endOfDay = false) =>
  Date.parse(`${date}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z`);

function within(t: number | null, period: ReportPeriod): boolean {
  return t !== null && t >= ms(period.start) && t <= ms(period.end, true);
}

function poorControl(record: PatientRecord, period: ReportPeriod): PatientMeasureResult {
  const birthDate = stratificationFactsOfRecord(record).birthDate;
  const age = birthDate === undefined ? undefined : ageOn(birthDate, period.end);
  const inPopulation = age !== undefined && age >= 18 && age <= 75;
  const latest = record.observations
    .filter((o) => o.codes.includes(HBA1C) && within(o.effective?.start ?? null, period))
    .at(-1);
  const value = latest?.value.kind === 'quantity' ? latest.value.value : undefined;
  const numerator = inPopulation && (value === undefined || value > 9);
  return {
    measureId: 'CMS122',
    patientId: record.id,
    populations: {
      initialPopulation: inPopulation,
      denominator: inPopulation,
      denominatorExclusion: false,
      denominatorException: false,
      numerator,
    },
    evidence:
      latest && numerator
        ? [{ population: 'numerator', rule: 'latest HbA1c', resources: [latest.ref] }]
        : [],
    reasons: inPopulation ? [] : ['not 18–75 at the end of the period'],
  };
}

function anyVisit(record: PatientRecord, period: ReportPeriod): PatientMeasureResult {
  const visit = record.encounters.some((e) => within(e.period?.start ?? null, period));
  return {
    measureId: 'CMS165',
    patientId: record.id,
    populations: {
      initialPopulation: visit,
      denominator: visit,
      denominatorExclusion: false,
      denominatorException: false,
      numerator: false,
    },
    evidence: [],
    reasons: visit ? [] : ['no encounter in the period'],
  };
}

export const smallEngine: MeasureEngine = {
  measures: [
    {
      id: 'CMS122',
      url: 'https://example.org/Measure/small-CMS122',
      title: 'HbA1c > 9 %',
      populations,
    },
    {
      id: 'CMS165',
      url: 'https://example.org/Measure/small-CMS165',
      title: 'Any visit',
      populations,
    },
  ],
  resourceTypes: new Set(['Patient', 'Observation', 'Encounter']),
  createRecordBuilder() {
    const builder = createPatientRecordBuilder();
    return {
      add: (r) => builder.add(r),
      unresolvedMedicationReferences: () => builder.unresolvedMedicationReferences(),
      build: () => builder.build(),
    };
  },
  evaluate(measureId, record, period) {
    switch (measureId) {
      case 'CMS122':
        return poorControl(record, period);
      case 'CMS165':
        return anyVisit(record, period);
      default:
        throw new Error(`small engine has no ${measureId}`);
    }
  },
};
