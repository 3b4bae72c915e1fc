import { describe, expect, it } from 'vitest';
import { readDemographicItems } from '../../../../src/features/patient/demographic-items';

const CDC = 'urn:oid:2.16.840.1.113883.6.238';

function byKey(patient: fhir4.Patient, observations: fhir4.Observation[] = []) {
  return new Map(readDemographicItems(patient, observations).map((i) => [i.key, i]));
}

describe('readDemographicItems', () => {
  it('lists the seven items of issue 8, each with a status', () => {
    const items = readDemographicItems({ resourceType: 'Patient', id: 'p' }, []);
    expect(items.map((i) => i.key)).toEqual([
      'race',
      'ethnicity',
      'preferred-language',
      'interpreter-needed',
      'sex',
      'gender-identity',
      'sexual-orientation',
    ]);
    expect(new Set(items.map((i) => i.status))).toEqual(new Set(['not-collected']));
  });

  it('shows OMB race categories with the detailed codes, and a declined ethnicity as declined', () => {
    const items = byKey({
      resourceType: 'Patient',
      extension: [
        {
          url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
          extension: [
            { url: 'ombCategory', valueCoding: { system: CDC, code: '2028-9', display: 'Asian' } },
            {
              url: 'detailed',
              valueCoding: { system: CDC, code: '2047-9', display: 'Vietnamese' },
            },
            { url: 'text', valueString: 'Vietnamese' },
          ],
        },
        {
          url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
          extension: [
            {
              url: 'ombCategory',
              valueCoding: {
                system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor',
                code: 'ASKU',
              },
            },
            { url: 'text', valueString: 'Declined' },
          ],
        },
      ],
    });
    expect(items.get('race')).toMatchObject({
      status: 'recorded',
      value: 'Asian',
      detail: 'Vietnamese',
    });
    expect(items.get('ethnicity')).toMatchObject({ status: 'asked-declined', value: undefined });
  });

  it('puts data-quality notes in plain words (an ethnicity code recorded as a race)', () => {
    const items = byKey({
      resourceType: 'Patient',
      extension: [
        {
          url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
          extension: [
            {
              url: 'ombCategory',
              valueCoding: { system: CDC, code: '2135-2', display: 'Hispanic or Latino' },
            },
            { url: 'text', valueString: 'Hispanic' },
          ],
        },
      ],
    });
    expect(items.get('race')?.notes.join(' ')).toMatch(/An ethnicity code is recorded as a race/);
  });

  it('falls back to birth sex and says so', () => {
    const items = byKey({
      resourceType: 'Patient',
      extension: [
        { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: 'M' },
      ],
    });
    expect(items.get('sex')).toMatchObject({
      status: 'recorded',
      value: 'Male',
      detail: 'recorded as sex assigned at birth',
    });
  });
});
