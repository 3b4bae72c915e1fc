import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../../src/clinical/demographics/reading';
import {
  readAdministrativeGender,
  readBirthSex,
  readGenderIdentity,
  readSex,
  readSexualOrientation,
  US_CORE_BIRTH_SEX_URL,
  US_CORE_GENDER_IDENTITY_URL,
  US_CORE_INDIVIDUAL_SEX_URL,
  US_CORE_SEX_URL,
} from '../../../../src/clinical/demographics/sex-gender';
import { concept, DAR, NULL_FLAVOR, observation, patient, SNOMED } from './fixtures';

const GI = 'http://terminology.hl7.org/CodeSystem/gender-identity';

/** `recorded:<value>` or the absence, for compact tables. */
function show<T>(r: Reading<T>, pick: (v: T) => string = String): string {
  return r.status === 'recorded' ? `recorded:${pick(r.value)}` : r.status;
}

describe('readBirthSex', () => {
  it.each([
    [undefined, 'not-collected'],
    ['F', 'recorded:female'],
    ['M', 'recorded:male'],
    ['UNK', 'unknown'],
    ['ASKU', 'asked-declined'],
    ['X', 'unknown'],
  ])('birth sex %s → %s', (code, expected) => {
    const p = patient(code === undefined ? [] : [{ url: US_CORE_BIRTH_SEX_URL, valueCode: code }]);
    expect(show(readBirthSex(p))).toBe(expected);
  });
});

describe('readSex', () => {
  it.each<[string, fhir4.Extension[], string, string[]]>([
    ['nothing', [], 'not-collected', []],
    [
      'us-core-sex female (6.1–8.0, valueCode)',
      [{ url: US_CORE_SEX_URL, valueCode: '248152002' }],
      'recorded:female/us-core-sex',
      [],
    ],
    [
      'us-core-sex male',
      [{ url: US_CORE_SEX_URL, valueCode: '248153007' }],
      'recorded:male/us-core-sex',
      [],
    ],
    [
      'us-core-individual-sex (8.0.1, valueCoding)',
      [{ url: US_CORE_INDIVIDUAL_SEX_URL, valueCoding: { system: SNOMED, code: '248153007' } }],
      'recorded:male/us-core-individual-sex',
      [],
    ],
    [
      'individual-sex asked-declined',
      [{ url: US_CORE_INDIVIDUAL_SEX_URL, valueCoding: { system: DAR, code: 'asked-declined' } }],
      'asked-declined',
      [],
    ],
    ['us-core-sex UNK', [{ url: US_CORE_SEX_URL, valueCode: 'UNK' }], 'unknown', []],
    [
      'both, disagreeing: individual-sex read, noted',
      [
        { url: US_CORE_SEX_URL, valueCode: '248152002' },
        { url: US_CORE_INDIVIDUAL_SEX_URL, valueCoding: { system: SNOMED, code: '248153007' } },
      ],
      'recorded:male/us-core-individual-sex',
      ['conflicting-values'],
    ],
    [
      'us-core-sex with "F"',
      [{ url: US_CORE_SEX_URL, valueCode: 'F' }],
      'recorded:female/us-core-sex',
      ['unrecognised-code'],
    ],
    [
      'birth sex alone is not sex',
      [{ url: US_CORE_BIRTH_SEX_URL, valueCode: 'F' }],
      'not-collected',
      [],
    ],
  ])('%s', (_name, extensions, expected, issues) => {
    const r = readSex(patient(extensions));
    expect(show(r, (v) => `${v.sex}/${v.source}`)).toBe(expected);
    expect(r.notes.map((n) => n.issue)).toEqual(issues);
  });

  it('does not read Patient.gender as sex', () => {
    expect(readSex(patient([], { gender: 'female' })).status).toBe('not-collected');
  });
});

describe('readAdministrativeGender', () => {
  it.each<[fhir4.Patient['gender'], string]>([
    ['female', 'recorded:female'],
    ['male', 'recorded:male'],
    ['other', 'recorded:other'],
    ['unknown', 'unknown'],
    [undefined, 'not-collected'],
  ])('%s → %s', (gender, expected) => {
    const p = gender === undefined ? patient() : patient([], { gender });
    expect(show(readAdministrativeGender(p))).toBe(expected);
  });
});

describe('readGenderIdentity', () => {
  const ext = (c: fhir4.CodeableConcept): fhir4.Extension => ({
    url: US_CORE_GENDER_IDENTITY_URL,
    valueCodeableConcept: c,
  });
  const obs = (
    date: string,
    value: Partial<fhir4.Observation>,
    status?: fhir4.Observation['status'],
  ) => observation('76691-5', date, value, status);

  it.each<[string, fhir4.Extension[], fhir4.Observation[], string]>([
    ['nothing', [], [], 'not-collected'],
    [
      'extension, SNOMED female',
      [ext(concept({ system: SNOMED, code: '446141000124107' }))],
      [],
      'recorded:female/extension',
    ],
    [
      'extension, HL7 gender-identity transgender-male',
      [ext(concept({ system: GI, code: 'transgender-male' }))],
      [],
      'recorded:transgender-male/extension',
    ],
    [
      'extension, non-disclose',
      [ext(concept({ system: GI, code: 'non-disclose' }))],
      [],
      'asked-declined',
    ],
    [
      'extension, ASKU',
      [ext(concept({ system: NULL_FLAVOR, code: 'ASKU' }))],
      [],
      'asked-declined',
    ],
    [
      'extension, OTH',
      [ext(concept({ system: NULL_FLAVOR, code: 'OTH' }))],
      [],
      'recorded:another-gender-identity/extension',
    ],
    [
      'Observation nonbinary',
      [],
      [
        obs('2024-01-01', {
          valueCodeableConcept: concept({ system: SNOMED, code: '33791000087105' }),
        }),
      ],
      'recorded:nonbinary/observation',
    ],
    [
      'latest Observation wins by date',
      [],
      [
        obs('2025-06-01', {
          valueCodeableConcept: concept({ system: SNOMED, code: '446151000124109' }),
        }),
        obs('2020-01-01', {
          valueCodeableConcept: concept({ system: SNOMED, code: '446141000124107' }),
        }),
        obs('2023-01-01', {
          valueCodeableConcept: concept({ system: SNOMED, code: '33791000087105' }),
        }),
      ],
      'recorded:male/observation',
    ],
    [
      'entered-in-error Observation ignored',
      [],
      [
        obs(
          '2025-06-01',
          { valueCodeableConcept: concept({ system: SNOMED, code: '446151000124109' }) },
          'entered-in-error',
        ),
        obs('2020-01-01', {
          valueCodeableConcept: concept({ system: SNOMED, code: '446141000124107' }),
        }),
      ],
      'recorded:female/observation',
    ],
    [
      'Observation over extension',
      [ext(concept({ system: SNOMED, code: '446141000124107' }))],
      [
        obs('2024-01-01', {
          valueCodeableConcept: concept({ system: SNOMED, code: '33791000087105' }),
        }),
      ],
      'recorded:nonbinary/observation',
    ],
    [
      'Observation declined',
      [],
      [obs('2024-01-01', { dataAbsentReason: concept({ system: DAR, code: 'asked-declined' }) })],
      'asked-declined',
    ],
    [
      'Observation text "Trans woman"',
      [],
      [obs('2024-01-01', { valueString: 'Trans woman' })],
      'recorded:transgender-female/observation',
    ],
    [
      'Observation unmapped text',
      [],
      [obs('2024-01-01', { valueString: 'Two-spirit' })],
      'unknown',
    ],
  ])('%s', (_name, extensions, observations, expected) => {
    const r = readGenderIdentity(patient(extensions), observations);
    expect(show(r, (v) => `${v.identity}/${v.source}`)).toBe(expected);
  });

  it('notes a disagreement between the extension and the Observation', () => {
    const r = readGenderIdentity(
      patient([ext(concept({ system: SNOMED, code: '446141000124107' }))]),
      [
        obs('2024-01-01', {
          valueCodeableConcept: concept({ system: SNOMED, code: '446151000124109' }),
        }),
      ],
    );
    expect(r.notes.map((n) => n.issue)).toEqual(['conflicting-values']);
  });
});

describe('readSexualOrientation', () => {
  const obs = (date: string, value: Partial<fhir4.Observation>) =>
    observation('76690-7', date, value);
  it.each<[string, fhir4.Observation[], string]>([
    ['none', [], 'not-collected'],
    [
      'heterosexual',
      [obs('2024-01-01', { valueCodeableConcept: concept({ system: SNOMED, code: '20430005' }) })],
      'recorded:heterosexual',
    ],
    [
      'homosexual',
      [obs('2024-01-01', { valueCodeableConcept: concept({ system: SNOMED, code: '38628009' }) })],
      'recorded:gay-or-lesbian',
    ],
    [
      'bisexual',
      [obs('2024-01-01', { valueCodeableConcept: concept({ system: SNOMED, code: '42035005' }) })],
      'recorded:bisexual',
    ],
    [
      'OTH',
      [obs('2024-01-01', { valueCodeableConcept: concept({ system: NULL_FLAVOR, code: 'OTH' }) })],
      'recorded:another-orientation',
    ],
    [
      'UNK',
      [obs('2024-01-01', { valueCodeableConcept: concept({ system: NULL_FLAVOR, code: 'UNK' }) })],
      'unknown',
    ],
    [
      'ASKU',
      [obs('2024-01-01', { valueCodeableConcept: concept({ system: NULL_FLAVOR, code: 'ASKU' }) })],
      'asked-declined',
    ],
    [
      'dataAbsentReason asked-declined',
      [obs('2024-01-01', { dataAbsentReason: concept({ system: DAR, code: 'asked-declined' }) })],
      'asked-declined',
    ],
    [
      'valueString "Heterosexual" (Synthea)',
      [obs('2024-01-01', { valueString: 'Heterosexual' })],
      'recorded:heterosexual',
    ],
    [
      'valueString "straight"',
      [obs('2024-01-01', { valueString: 'straight' })],
      'recorded:heterosexual',
    ],
    [
      'valueString "Lesbian"',
      [obs('2024-01-01', { valueString: 'Lesbian' })],
      'recorded:gay-or-lesbian',
    ],
    [
      'valueString "Queer"',
      [obs('2024-01-01', { valueString: 'Queer' })],
      'recorded:another-orientation',
    ],
    ['valueString "Questioning"', [obs('2024-01-01', { valueString: 'Questioning' })], 'unknown'],
    ['valueString unmapped', [obs('2024-01-01', { valueString: 'Demisexual maybe' })], 'unknown'],
    [
      'latest wins',
      [
        obs('2019-01-01', { valueString: 'Bisexual' }),
        obs('2024-01-01', { dataAbsentReason: concept({ system: DAR, code: 'asked-declined' }) }),
      ],
      'asked-declined',
    ],
  ])('%s', (_name, observations, expected) => {
    expect(show(readSexualOrientation(observations), (v) => v.orientation)).toBe(expected);
  });

  it('keeps the free text and notes how it was read', () => {
    const r = readSexualOrientation([obs('2024-01-01', { valueString: 'Pansexual' })]);
    expect(r.status === 'recorded' && r.value.text).toBe('Pansexual');
    expect(r.notes.map((n) => n.issue)).toEqual(['mapped-from-text']);
    const u = readSexualOrientation([obs('2024-01-01', { valueString: 'Demisexual maybe' })]);
    expect(u.notes[0]?.detail).toContain('Demisexual maybe');
  });
});
