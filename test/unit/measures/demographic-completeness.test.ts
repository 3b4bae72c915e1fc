import { describe, expect, it } from 'vitest';
import type { DemographicCompleteness } from '../../../src/measures/demographic-completeness';
import { evaluateDemographicCompleteness } from '../../../src/measures/demographic-completeness';
import { generatePopulation } from '../../../sandbox/generate/population';
import { buildPatientRecords } from '../../../src/clinical/build-patient-records';
import { ageInYearsAt } from '../../../src/clinical/cql-time';
import { PATIENT_ID, patient, recordOf } from './sdoh-fixtures';

const TODAY = { year: 2026, month: 6, day: 30 };
const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/';
const omb = (url: string, system: string, code: string): fhir4.Extension => ({
  url: `${US_CORE}${url}`,
  extension: [{ url: 'ombCategory', valueCoding: { system, code } }],
});
const CDC = 'urn:oid:2.16.840.1.113883.6.238';
const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';

const observation = (loinc: string, value: Partial<fhir4.Observation>): fhir4.Observation => ({
  resourceType: 'Observation',
  id: `obs-${loinc}`,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
  subject: { reference: `Patient/${PATIENT_ID}` },
  effectiveDateTime: '2026-03-01',
  ...value,
});

describe('demographic completeness', () => {
  it.each<[string, fhir4.Resource[], string, DemographicCompleteness]>([
    [
      'race recorded',
      [patient('1980-01-01', { extension: [omb('us-core-race', CDC, '2054-5')] })],
      'race',
      'recorded',
    ],
    [
      'race asked and declined (ASKU)',
      [patient('1980-01-01', { extension: [omb('us-core-race', NULL_FLAVOR, 'ASKU')] })],
      'race',
      'asked-declined',
    ],
    [
      'race unknown (UNK)',
      [patient('1980-01-01', { extension: [omb('us-core-race', NULL_FLAVOR, 'UNK')] })],
      'race',
      'unknown',
    ],
    ['race not collected', [patient('1980-01-01')], 'race', 'not-collected'],
    [
      'ethnicity recorded',
      [patient('1980-01-01', { extension: [omb('us-core-ethnicity', CDC, '2135-2')] })],
      'ethnicity',
      'recorded',
    ],
    [
      'preferred language recorded',
      [
        patient('1980-01-01', {
          communication: [{ language: { coding: [{ code: 'es' }] }, preferred: true }],
        }),
      ],
      'preferred-language',
      'recorded',
    ],
    [
      'preferred language not collected',
      [patient('1980-01-01')],
      'preferred-language',
      'not-collected',
    ],
    [
      'sexual orientation recorded as free text',
      [patient('1980-01-01'), observation('76690-7', { valueString: 'queer' })],
      'sexual-orientation',
      'recorded',
    ],
    [
      'sexual orientation asked and declined',
      [
        patient('1980-01-01'),
        observation('76690-7', {
          dataAbsentReason: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
                code: 'asked-declined',
              },
            ],
          },
        }),
      ],
      'sexual-orientation',
      'asked-declined',
    ],
    [
      'sexual orientation unknown',
      [
        patient('1980-01-01'),
        observation('76690-7', {
          valueCodeableConcept: { coding: [{ system: NULL_FLAVOR, code: 'UNK' }] },
        }),
      ],
      'sexual-orientation',
      'unknown',
    ],
    [
      'gender identity recorded in an Observation',
      [
        patient('1980-01-01'),
        observation('76691-5', {
          valueCodeableConcept: {
            coding: [{ system: 'http://snomed.info/sct', code: '446141000124107' }],
          },
        }),
      ],
      'gender-identity',
      'recorded',
    ],
    ['gender identity not collected', [patient('1980-01-01')], 'gender-identity', 'not-collected'],
  ])('%s', (_name, resources, element, expected) => {
    const result = evaluateDemographicCompleteness(recordOf(resources));
    expect(result.elements[element as keyof typeof result.elements]).toBe(expected);
  });

  it('matches the sandbox marginals for race and sexual orientation', () => {
    const { resources } = generatePopulation({ seed: 3, patients: 2000, today: '2026-06-30' });
    const records = buildPatientRecords(resources);
    const counts = new Map<DemographicCompleteness, number>();
    const orientation = new Map<DemographicCompleteness, number>();
    let adults = 0;
    for (const record of records) {
      const { elements } = evaluateDemographicCompleteness(record);
      counts.set(elements.race, (counts.get(elements.race) ?? 0) + 1);
      if (record.birthDate !== null && ageInYearsAt(record.birthDate, TODAY) >= 18) {
        adults++;
        const so = elements['sexual-orientation'];
        orientation.set(so, (orientation.get(so) ?? 0) + 1);
      }
    }
    // Sexual orientation among adults: not collected ~30%, asked-declined ~8% (sandbox README).
    const soShare = (k: DemographicCompleteness): number => (orientation.get(k) ?? 0) / adults;
    expect(soShare('not-collected')).toBeGreaterThan(0.24);
    expect(soShare('not-collected')).toBeLessThan(0.36);
    expect(soShare('asked-declined')).toBeGreaterThan(0.05);
    expect(soShare('asked-declined')).toBeLessThan(0.11);
    const share = (k: DemographicCompleteness): number => (counts.get(k) ?? 0) / records.length;
    expect(share('not-collected')).toBeGreaterThan(0.05);
    expect(share('not-collected')).toBeLessThan(0.11);
    expect(share('asked-declined')).toBeGreaterThan(0.02);
    expect(share('asked-declined')).toBeLessThan(0.06);
    expect(share('unknown')).toBeGreaterThan(0.005);
    expect(share('unknown')).toBeLessThan(0.035);
  });
});
