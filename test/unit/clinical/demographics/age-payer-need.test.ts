import { describe, expect, it } from 'vitest';
import { DEFAULT_AGE_BANDS, readAgeBand } from '../../../../src/clinical/demographics/age-band';
import {
  summariseCompleteness,
  completenessRate,
} from '../../../../src/clinical/demographics/completeness';
import { readPayer, payerCategoryOfSopt } from '../../../../src/clinical/demographics/payer';
import { readRace } from '../../../../src/clinical/demographics/race-ethnicity';
import { readSocialNeed } from '../../../../src/clinical/demographics/social-need';
import { cdc, concept, DAR, LOINC, NULL_FLAVOR, observation, patient, race } from './fixtures';

describe('readAgeBand', () => {
  it.each<[string | undefined, string, string]>([
    ['2008-11-24', '2026-11-23', 'recorded:0–17 (17)'],
    ['2008-11-23', '2026-11-23', 'recorded:18–44 (18)'],
    ['1982-01-01', '2026-11-23', 'recorded:18–44 (44)'],
    ['1961-11-23', '2026-11-23', 'recorded:65–74 (65)'],
    ['1940-02-29', '2026-11-23', 'recorded:75+ (86)'],
    ['2026-11-23', '2026-11-23', 'recorded:0–17 (0)'],
    ['1990', '2026-11-23', 'recorded:18–44 (35)'],
    ['2008', '2026-11-23', 'unknown'],
    ['2008-05', '2026-11-23', 'recorded:18–44 (18)'],
    ['2027-01-01', '2026-11-23', 'unknown'],
    [undefined, '2026-11-23', 'not-collected'],
  ])('born %s, at %s → %s', (birthDate, asOf, expected) => {
    const p = birthDate === undefined ? patient() : patient([], { birthDate });
    const r = readAgeBand(p, asOf);
    expect(
      r.status === 'recorded' ? `recorded:${r.value.band.label} (${r.value.age})` : r.status,
    ).toBe(expected);
  });

  it('notes a partial birth date and one after the reference date', () => {
    expect(readAgeBand(patient([], { birthDate: '2008' }), '2026-11-23').notes[0]?.issue).toBe(
      'partial-birth-date',
    );
    expect(
      readAgeBand(patient([], { birthDate: '2027-01-01' }), '2026-11-23').notes[0]?.issue,
    ).toBe('birth-date-after-reference-date');
  });

  it('reads a data-absent-reason on birthDate', () => {
    const p = patient([], {
      _birthDate: {
        extension: [
          {
            url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
            valueCode: 'unknown',
          },
        ],
      },
    });
    expect(readAgeBand(p, '2026-11-23').status).toBe('unknown');
  });

  it('takes configurable bands', () => {
    const bands = [
      { label: 'under 65', min: 0, max: 64 },
      { label: '65 and over', min: 65, max: null },
    ];
    const r = readAgeBand(patient([], { birthDate: '1950-06-01' }), '2026-11-23', bands);
    expect(r.status === 'recorded' && r.value.band.label).toBe('65 and over');
    expect(DEFAULT_AGE_BANDS.map((b) => b.label)).toEqual([
      '0–17',
      '18–44',
      '45–64',
      '65–74',
      '75+',
    ]);
  });
});

describe('readPayer', () => {
  const SOPT = 'urn:oid:2.16.840.1.113883.3.221.5';
  const coverage = (
    code: string | undefined,
    period: fhir4.Period = { start: '2020-01-01' },
    more: Partial<fhir4.Coverage> = {},
  ): fhir4.Coverage => ({
    resourceType: 'Coverage',
    id: `cov-${code ?? 'none'}`,
    status: 'active',
    beneficiary: { reference: 'Patient/p1' },
    payor: [{ reference: 'Organization/o1' }],
    ...(code === undefined ? {} : { type: { coding: [{ system: SOPT, code }] } }),
    period,
    ...more,
  });
  const period = { start: '2026-01-01', end: '2026-12-31' };

  it.each([
    ['1', 'medicare'],
    ['11', 'medicare'],
    ['2', 'medicaid'],
    ['21', 'medicaid'],
    ['311', 'other-government'],
    ['4', 'other-government'],
    ['5', 'commercial'],
    ['512', 'commercial'],
    ['6', 'commercial'],
    ['7', 'other'],
    ['81', 'uninsured-self-pay'],
    ['95', 'other'],
    ['99', 'unknown'],
    ['x', undefined],
  ])('SOPT %s → %s', (code, category) => {
    expect(payerCategoryOfSopt(code)).toBe(category);
  });

  it.each<[string, fhir4.Coverage[], string]>([
    ['no coverage', [], 'not-collected'],
    ['Medicare', [coverage('1')], 'recorded:medicare [medicare]'],
    [
      'nahdo system',
      [
        {
          ...coverage(undefined),
          type: { coding: [{ system: 'https://nahdo.org/sopt', code: '21' }] },
        },
      ],
      'recorded:medicaid [medicaid]',
    ],
    ['self-pay', [coverage('81')], 'recorded:uninsured-self-pay [uninsured-self-pay]'],
    [
      'ended before the period',
      [coverage('5', { start: '2020-01-01', end: '2025-12-31' })],
      'not-collected',
    ],
    [
      'ends on the first day',
      [coverage('5', { start: '2020-01-01', end: '2026-01-01' })],
      'recorded:commercial [commercial]',
    ],
    ['starts after the period', [coverage('5', { start: '2027-01-01' })], 'not-collected'],
    ['cancelled', [coverage('5', undefined, { status: 'cancelled' })], 'not-collected'],
    ['dual eligible', [coverage('2'), coverage('1')], 'recorded:medicare [medicare,medicaid] dual'],
    [
      'Coverage.order decides',
      [coverage('1', undefined, { order: 2 }), coverage('5', undefined, { order: 1 })],
      'recorded:commercial [medicare,commercial]',
    ],
    [
      'insurance beats self-pay',
      [coverage('81'), coverage('2')],
      'recorded:medicaid [medicaid,uninsured-self-pay]',
    ],
    ['no typology code', [coverage(undefined)], 'unknown'],
    ['SOPT 99', [coverage('99')], 'unknown'],
  ])('%s', (_name, coverages, expected) => {
    const r = readPayer(coverages, period);
    expect(
      r.status === 'recorded'
        ? `recorded:${r.value.primary} [${r.value.all.join(',')}]${r.value.dualEligible ? ' dual' : ''}`
        : r.status,
    ).toBe(expected);
  });

  it('reads no coverage as uninsured only when asked to', () => {
    const r = readPayer([], period, { noCoverage: 'uninsured-self-pay' });
    expect(r.status === 'recorded' && r.value.primary).toBe('uninsured-self-pay');
  });

  it('notes a Coverage without a payer typology code', () => {
    expect(readPayer([coverage(undefined)], period).notes.map((n) => n.issue)).toEqual([
      'no-payer-typology',
    ]);
  });
});

describe('readSocialNeed', () => {
  const item = (loinc: string, date: string, answer: string) =>
    observation(
      loinc,
      date,
      answer === 'declined'
        ? { dataAbsentReason: concept({ system: DAR, code: 'asked-declined' }) }
        : { valueCodeableConcept: concept({ system: LOINC, code: answer }) },
    );
  const window = { start: '2026-01-01', end: '2026-11-23' };
  const often = 'LA28397-0'; // Often true: positive for 88122-7
  const never = 'LA28398-8'; // Never true
  it.each<[string, fhir4.Observation[], string]>([
    ['not screened', [], 'not-collected'],
    [
      'negative',
      [item('88122-7', '2026-05-01', never), item('88123-5', '2026-05-01', never)],
      'recorded:negative-screen []',
    ],
    ['positive food', [item('88122-7', '2026-05-01', often)], 'recorded:positive-screen [food]'],
    [
      'positive transportation among negatives',
      [item('88122-7', '2026-05-01', never), item('93030-5', '2026-05-01', 'LA33-6')],
      'recorded:positive-screen [transportation]',
    ],
    [
      'all declined',
      [item('88122-7', '2026-05-01', 'declined'), item('93030-5', '2026-05-01', 'declined')],
      'asked-declined',
    ],
    ['positive before the window', [item('88122-7', '2025-05-01', often)], 'not-collected'],
    [
      'on the last day',
      [item('88122-7', '2026-11-23T15:00:00Z', often)],
      'recorded:positive-screen [food]',
    ],
    ['not a screening question', [item('4548-4', '2026-05-01', often)], 'not-collected'],
  ])('%s', (_name, observations, expected) => {
    const r = readSocialNeed(observations, window);
    expect(
      r.status === 'recorded'
        ? `recorded:${r.value.group} [${r.value.positiveDomains.join(',')}]`
        : r.status,
    ).toBe(expected);
  });
});

describe('summariseCompleteness', () => {
  it('counts recorded, asked-declined, unknown and not-collected per element', () => {
    const patients = [
      patient([race({ omb: [cdc('2106-3')] })], { birthDate: '1980-01-01' }),
      patient([race({ omb: [{ system: NULL_FLAVOR, code: 'ASKU' }] })]),
      patient([race({ omb: [cdc('2135-2')], text: 'Other' })], { birthDate: '2000-01-01' }),
      patient([race({ text: 'Martian' })]),
      patient(),
    ];
    const summary = summariseCompleteness(
      patients.map((p) => ({ race: readRace(p), age: readAgeBand(p, '2026-11-23') })),
    );
    const raceCounts = summary.get('race');
    expect(raceCounts).toMatchObject({
      patients: 5,
      recorded: 2,
      'asked-declined': 1,
      unknown: 1,
      'not-collected': 1,
    });
    expect(raceCounts?.issues).toEqual({
      'ethnicity-code-in-race': 1,
      'mapped-from-text': 1,
      'unmapped-text': 1,
    });
    expect(summary.get('age')).toMatchObject({ recorded: 2, 'not-collected': 3 });
    expect(raceCounts === undefined ? undefined : completenessRate(raceCounts)).toBe(0.4);
  });
});
