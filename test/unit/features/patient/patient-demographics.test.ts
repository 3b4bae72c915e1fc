import { describe, expect, it } from 'vitest';
import type {
  Age,
  BannerIdentifier,
  CalendarDate,
  Deceased,
} from '../../../../src/features/patient/patient-demographics';
import {
  ageInYears,
  calendarDateOf,
  describeAdministrativeSex,
  formatAge,
  parseFhirDate,
  pickBannerIdentifier,
  readDeceased,
} from '../../../../src/features/patient/patient-demographics';

const today: CalendarDate = { year: 2026, month: 3, day: 15 };

describe('ageInYears', () => {
  it.each<[string | undefined, Age]>([
    ['1970-03-15', { kind: 'years', years: 56 }],
    ['1970-03-16', { kind: 'years', years: 55 }],
    ['1970-03-14', { kind: 'years', years: 56 }],
    ['1970-12-31', { kind: 'years', years: 55 }],
    ['2026-03-15', { kind: 'years', years: 0 }],
    ['2025-03-16', { kind: 'years', years: 0 }],
    ['2025-03-15', { kind: 'years', years: 1 }],
    // A year alone could mean any day of it: never overstate the age.
    ['1970', { kind: 'years', years: 55 }],
    ['1970-02', { kind: 'years', years: 56 }],
    ['1970-03', { kind: 'years', years: 55 }],
    ['2000-02-29', { kind: 'years', years: 26 }],
    ['2027-01-01', { kind: 'unknown' }],
    ['not a date', { kind: 'unknown' }],
    ['1970-13-01', { kind: 'unknown' }],
    ['1970-02-30', { kind: 'unknown' }],
    [undefined, { kind: 'unknown' }],
  ])('born %s is %j on 2026-03-15', (birthDate, expected) => {
    expect(ageInYears(birthDate, today)).toEqual(expected);
  });

  it('counts a 29 February birthday as passed on 1 March', () => {
    expect(ageInYears('2000-02-29', { year: 2025, month: 3, day: 1 })).toEqual({
      kind: 'years',
      years: 25,
    });
    expect(ageInYears('2000-02-29', { year: 2025, month: 2, day: 28 })).toEqual({
      kind: 'years',
      years: 24,
    });
  });
});

describe('formatAge', () => {
  it.each<[Age, string]>([
    [{ kind: 'years', years: 0 }, '0 years'],
    [{ kind: 'years', years: 1 }, '1 year'],
    [{ kind: 'years', years: 42 }, '42 years'],
    [{ kind: 'unknown' }, 'Unknown'],
  ])('formats %j as %s', (age, text) => {
    expect(formatAge(age)).toBe(text);
  });
});

describe('parseFhirDate', () => {
  it.each<[string, CalendarDate | undefined]>([
    ['2020-01-05', { year: 2020, month: 1, day: 5 }],
    ['2020-01-05T23:30:00-05:00', { year: 2020, month: 1, day: 5 }],
    ['2021-02', { year: 2021, month: 2, day: 28 }],
    ['2024-02', { year: 2024, month: 2, day: 29 }],
    ['2020', { year: 2020, month: 12, day: 31 }],
    ['20', undefined],
  ])('reads %s', (text, expected) => {
    expect(parseFhirDate(text)).toEqual(expected);
  });
});

describe('calendarDateOf', () => {
  it('takes the local calendar date of a clock reading', () => {
    expect(calendarDateOf(new Date(2026, 0, 31, 23, 59))).toEqual({
      year: 2026,
      month: 1,
      day: 31,
    });
  });
});

describe('describeAdministrativeSex', () => {
  it.each<[fhir4.Patient['gender'], string]>([
    ['female', 'Female'],
    ['male', 'Male'],
    ['other', 'Other'],
    ['unknown', 'Unknown'],
    [undefined, 'Not recorded'],
  ])('describes %s as %s', (gender, text) => {
    expect(describeAdministrativeSex(gender)).toBe(text);
  });
});

describe('readDeceased', () => {
  it.each<[string, fhir4.Patient, Deceased]>([
    ['a living patient', { resourceType: 'Patient' }, { kind: 'living' }],
    [
      'deceasedBoolean false',
      { resourceType: 'Patient', deceasedBoolean: false },
      { kind: 'living' },
    ],
    [
      'deceasedBoolean true',
      { resourceType: 'Patient', deceasedBoolean: true },
      { kind: 'deceased', on: undefined },
    ],
    [
      'a deceasedDateTime',
      { resourceType: 'Patient', deceasedDateTime: '2019-07-04T10:00:00Z' },
      { kind: 'deceased', on: { year: 2019, month: 7, day: 4 } },
    ],
  ])('reads %s', (_case, patient, expected) => {
    expect(readDeceased(patient)).toEqual(expected);
  });
});

const v2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const typed = (
  code: string,
  value: string,
  extra: Partial<fhir4.Identifier> = {},
): fhir4.Identifier => ({
  type: { coding: [{ system: v2, code, display: code === 'MR' ? 'Medical Record Number' : code }] },
  value,
  ...extra,
});

describe('pickBannerIdentifier', () => {
  it.each<[string, fhir4.Identifier[] | undefined, BannerIdentifier]>([
    [
      'the MRN',
      [typed('SS', '999-12-3456'), typed('MR', 'MRN-1')],
      { kind: 'mrn', value: 'MRN-1' },
    ],
    [
      'the usual MRN over a secondary one',
      [typed('MR', 'OLD-ISH', { use: 'secondary' }), typed('MR', 'MRN-2', { use: 'usual' })],
      { kind: 'mrn', value: 'MRN-2' },
    ],
    ['no retired MRN', [typed('MR', 'GONE', { use: 'old' })], { kind: 'none' }],
    [
      'no MRN whose period has ended',
      [typed('MR', 'ENDED', { period: { end: '2020-01-01' } })],
      { kind: 'none' },
    ],
    [
      'an MRN coded without a system',
      [{ type: { coding: [{ code: 'MR' }] }, value: 'M-3' }],
      { kind: 'mrn', value: 'M-3' },
    ],
    [
      'a labelled non-sensitive identifier when there is no MRN',
      [typed('SS', '999-12-3456'), { type: { text: 'Member ID' }, value: 'MEM-7' }],
      { kind: 'other', label: 'Member ID', value: 'MEM-7' },
    ],
    [
      'never a social security, licence or passport number',
      [typed('SS', '1'), typed('DL', '2'), typed('PPN', '3')],
      { kind: 'none' },
    ],
    [
      'nothing from untyped identifiers',
      [{ system: 'https://github.com/synthetichealth/synthea', value: 'uuid' }],
      { kind: 'none' },
    ],
    ['nothing without identifiers', undefined, { kind: 'none' }],
  ])('picks %s', (_case, identifiers, expected) => {
    expect(pickBannerIdentifier(identifiers, today)).toEqual(expected);
  });
});
