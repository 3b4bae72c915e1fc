import { describe, expect, it } from 'vitest';
import { readDemographics } from '../../../../src/clinical/demographics/read-demographics';
import { cdc, ethnicity, patient, race } from './fixtures';

describe('readDemographics', () => {
  const p = patient(
    [
      race({ omb: [cdc('2106-3')], detailed: [cdc('2121-2', 'Iranian')], text: 'Iranian' }),
      ethnicity({ omb: [cdc('2186-5')] }),
      {
        url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex',
        valueCoding: { system: 'http://snomed.info/sct', code: '248152002' },
      },
    ],
    {
      gender: 'female',
      birthDate: '1970-03-04',
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'fa' }] } }],
    },
  );

  it('reads every element, with an explicit absence where nothing was recorded', () => {
    const d = readDemographics(
      { patient: p, observations: [], coverages: [] },
      { asOf: '2026-12-31', period: { start: '2026-01-01', end: '2026-12-31' } },
    );
    expect(d.raceEthnicitySpd15).toMatchObject({
      status: 'recorded',
      value: ['middle-eastern-or-north-african'],
    });
    expect(d.sex).toMatchObject({ status: 'recorded', value: { sex: 'female' } });
    expect(d.birthSex.status).toBe('not-collected');
    expect(d.preferredLanguage).toMatchObject({ status: 'recorded', value: { label: 'Persian' } });
    expect(d.age).toMatchObject({ status: 'recorded', value: { age: 56 } });
    expect(d.payer.status).toBe('not-collected');
    expect(d.socialNeed.status).toBe('not-collected');
    expect(d.sexualOrientation.status).toBe('not-collected');
    expect(d.genderIdentity.status).toBe('not-collected');
    expect(d.interpreterNeeded.status).toBe('not-collected');
  });

  it('passes the payer choice for no coverage through', () => {
    const d = readDemographics(
      { patient: p, observations: [], coverages: [] },
      {
        asOf: '2026-12-31',
        period: { start: '2026-01-01', end: '2026-12-31' },
        noCoverage: 'uninsured-self-pay',
      },
    );
    expect(d.payer).toMatchObject({ status: 'recorded', value: { primary: 'uninsured-self-pay' } });
  });
});
