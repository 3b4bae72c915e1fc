import { describe, expect, it } from 'vitest';
import {
  cdcCheckDigit,
  isValidCdcCode,
  MENA_DETAILED_CODES,
  rollUpCdcCode,
  type OmbRace,
} from '../../../../src/clinical/demographics/cdc-race-ethnicity';
import {
  ethnicityStratum,
  raceAloneOrInCombinationStrata,
  raceAloneStratum,
  readEthnicity,
  readRace,
  readSpd15Categories,
  spd15Stratum,
  tabulateRace,
  type Spd15Stratum,
} from '../../../../src/clinical/demographics/race-ethnicity';
import type { DataQualityIssue } from '../../../../src/clinical/demographics/reading';
import { cdc, DAR, ethnicity, NULL_FLAVOR, patient, race, RACE_URL } from './fixtures';

const issues = (notes: readonly { issue: DataQualityIssue }[]) => notes.map((n) => n.issue);

describe('CDC race & ethnicity hierarchy', () => {
  it.each([
    ['2106', 3],
    ['2135', 2],
    ['2054', 5],
    ['2118', 8],
    ['1002', 5],
    ['2186', 5],
  ])('computes the mod-10 check digit of %s as %i', (digits, check) => {
    expect(cdcCheckDigit(digits)).toBe(check);
  });

  it.each<[string, string | undefined, boolean | undefined]>([
    ['1004-1', 'american-indian-or-alaska-native', false],
    ['1735-0', 'american-indian-or-alaska-native', false],
    ['2034-7', 'asian', false],
    ['2047-9', 'asian', false],
    ['2058-6', 'black-or-african-american', false],
    ['2060-2', 'black-or-african-american', false],
    ['2079-2', 'native-hawaiian-or-other-pacific-islander', false],
    ['2500-7', 'native-hawaiian-or-other-pacific-islander', false],
    ['2108-9', 'white', false],
    ['2118-8', 'white', true],
    ['2121-2', 'white', true],
    ['2123-8', 'white', true],
    ['2129-5', 'white', true],
    ['2131-1', 'other-race', false],
    ['2148-5', 'hispanic-or-latino', undefined],
    ['2186-5', 'not-hispanic-or-latino', undefined],
    ['2106-4', undefined, undefined],
    ['9999-9', undefined, undefined],
  ])('rolls detailed code %s up to %s (MENA %s)', (code, category, mena) => {
    const r = rollUpCdcCode(code);
    expect(r?.category).toBe(category);
    if (r?.kind === 'race') expect(r.mena).toBe(mena);
  });

  it('rolls every listed MENA code up to White with the MENA flag', () => {
    for (const code of MENA_DETAILED_CODES) {
      expect(isValidCdcCode(code)).toBe(true);
      expect(rollUpCdcCode(code)).toEqual({ kind: 'race', category: 'white', mena: true });
    }
  });

  it('rejects codes with a wrong check digit', () => {
    expect(isValidCdcCode('2106-3')).toBe(true);
    expect(isValidCdcCode('2106-2')).toBe(false);
    expect(isValidCdcCode('2106')).toBe(false);
  });
});

type RaceCase = [
  name: string,
  p: fhir4.Patient,
  status: string,
  categories: OmbRace[] | undefined,
  noteIssues: DataQualityIssue[],
];

describe('readRace', () => {
  it.each<RaceCase>([
    ['no extension: not collected', patient(), 'not-collected', undefined, []],
    [
      'one OMB category',
      patient([race({ omb: [cdc('2054-5', 'Black or African American')], text: 'Black' })]),
      'recorded',
      ['black-or-african-american'],
      [],
    ],
    [
      'several races',
      patient([race({ omb: [cdc('2106-3'), cdc('2028-9')], text: 'White, Asian' })]),
      'recorded',
      ['asian', 'white'],
      [],
    ],
    [
      'detailed codes with their category',
      patient([race({ omb: [cdc('2028-9')], detailed: [cdc('2047-9', 'Vietnamese')] })]),
      'recorded',
      ['asian'],
      [],
    ],
    [
      'detailed code without its category rolls up (noted)',
      patient([race({ detailed: [cdc('2034-7', 'Chinese')] })]),
      'recorded',
      ['asian'],
      ['detailed-without-category'],
    ],
    [
      'ASKU: asked-declined',
      patient([race({ omb: [{ system: NULL_FLAVOR, code: 'ASKU' }], text: 'Asked but declined' })]),
      'asked-declined',
      undefined,
      [],
    ],
    [
      'UNK: unknown',
      patient([race({ omb: [{ system: NULL_FLAVOR, code: 'UNK' }], text: 'Unknown' })]),
      'unknown',
      undefined,
      [],
    ],
    [
      'data-absent-reason asked-declined coding (US Core 8.0)',
      patient([race({ omb: [{ system: DAR, code: 'asked-declined' }] })]),
      'asked-declined',
      undefined,
      [],
    ],
    [
      'data-absent-reason extension on the race extension',
      patient([
        {
          url: RACE_URL,
          extension: [
            {
              url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
              valueCode: 'asked-declined',
            },
          ],
        },
      ]),
      'asked-declined',
      undefined,
      [],
    ],
    [
      'ASKU next to a category (us-core-23 violation): the category, noted',
      patient([race({ omb: [cdc('2106-3'), { system: NULL_FLAVOR, code: 'ASKU' }] })]),
      'recorded',
      ['white'],
      ['null-flavor-with-categories'],
    ],
    [
      'legacy extension URL',
      patient([
        {
          url: 'http://hl7.org/fhir/Profile/us-core#race',
          extension: [{ url: 'ombCategory', valueCoding: cdc('2106-3') }],
        },
      ]),
      'recorded',
      ['white'],
      ['legacy-extension-url'],
    ],
    [
      'flat valueCodeableConcept',
      patient([{ url: RACE_URL, valueCodeableConcept: { coding: [cdc('2076-8')] } }]),
      'recorded',
      ['native-hawaiian-or-other-pacific-islander'],
      ['flat-extension-value'],
    ],
    [
      'flat valueCoding with a detailed code',
      patient([{ url: RACE_URL, valueCoding: cdc('1004-1', 'American Indian') }]),
      'recorded',
      ['american-indian-or-alaska-native'],
      ['flat-extension-value'],
    ],
    [
      'Synthea: ethnicity code 2135-2 as race, text "Other"',
      patient([race({ omb: [cdc('2135-2', 'Other')], text: 'Other' })]),
      'recorded',
      ['other-race'],
      ['ethnicity-code-in-race', 'mapped-from-text'],
    ],
    [
      'ethnicity code in race, text "Hispanic": no race',
      patient([race({ omb: [cdc('2135-2')], text: 'Hispanic' })]),
      'unknown',
      undefined,
      ['ethnicity-code-in-race', 'ethnicity-code-in-race'],
    ],
    [
      'text only, obvious',
      patient([race({ text: 'Caucasian' })]),
      'recorded',
      ['white'],
      ['mapped-from-text'],
    ],
    [
      'text only, a list',
      patient([race({ text: 'Black, White' })]),
      'recorded',
      ['black-or-african-american', 'white'],
      ['mapped-from-text'],
    ],
    [
      'text only, unmapped: unknown with the text kept',
      patient([race({ text: 'Martian' })]),
      'unknown',
      undefined,
      ['unmapped-text'],
    ],
    [
      'text "Declined": asked-declined',
      patient([race({ text: 'Declined' })]),
      'asked-declined',
      undefined,
      [],
    ],
    [
      'unknown system: unknown, noted',
      patient([race({ omb: [{ system: 'http://example.org/race', code: 'W' }] })]),
      'unknown',
      undefined,
      ['unrecognised-code'],
    ],
    [
      'bad check digit: not rolled up',
      patient([race({ omb: [cdc('2106-4')], text: '' })]),
      'unknown',
      undefined,
      ['unrecognised-code'],
    ],
    ['empty extension: unknown', patient([{ url: RACE_URL }]), 'unknown', undefined, []],
    [
      'Other Race code',
      patient([race({ omb: [cdc('2131-1', 'Other Race')] })]),
      'recorded',
      ['other-race'],
      [],
    ],
  ])('%s', (_name, p, status, categories, noteIssues) => {
    const r = readRace(p);
    expect(r.status).toBe(status);
    if (r.status === 'recorded') expect(r.value.categories).toEqual(categories);
    expect(issues(r.notes)).toEqual(noteIssues);
  });

  it('keeps the text of an unmapped race in the note', () => {
    const r = readRace(patient([race({ text: 'Martian' })]));
    expect(r.notes[0]?.detail).toContain('Martian');
  });

  it('notes the ethnicity code found in the race extension', () => {
    const r = readRace(patient([race({ omb: [cdc('2135-2', 'Other')], text: 'Other' })]));
    expect(r.notes[0]?.detail).toMatch(/ethnicity code 2135-2 found in the race extension/);
  });

  it.each([
    ['detailed 2118-8', race({ omb: [cdc('2106-3')], detailed: [cdc('2118-8')] }), true],
    ['detailed Iranian', race({ omb: [cdc('2106-3')], detailed: [cdc('2121-2')] }), true],
    ['text "Middle Eastern"', race({ text: 'Middle Eastern' }), true],
    ['White, text "Lebanese"', race({ omb: [cdc('2106-3')], text: 'Lebanese' }), true],
    ['European detail', race({ omb: [cdc('2106-3')], detailed: [cdc('2108-9')] }), false],
  ])('derives MENA from %s', (_name, ext, mena) => {
    const r = readRace(patient([ext]));
    expect(r.status === 'recorded' && r.value.mena).toBe(mena);
  });
});

describe('readEthnicity', () => {
  it.each<[string, fhir4.Patient, string, string | undefined, DataQualityIssue[]]>([
    ['not collected', patient(), 'not-collected', undefined, []],
    [
      'Hispanic with detail',
      patient([ethnicity({ omb: [cdc('2135-2')], detailed: [cdc('2148-5', 'Mexican')] })]),
      'recorded',
      'hispanic-or-latino',
      [],
    ],
    [
      'detail only',
      patient([ethnicity({ detailed: [cdc('2180-8', 'Puerto Rican')] })]),
      'recorded',
      'hispanic-or-latino',
      [],
    ],
    [
      'Not Hispanic',
      patient([ethnicity({ omb: [cdc('2186-5')] })]),
      'recorded',
      'not-hispanic-or-latino',
      [],
    ],
    [
      'ASKU',
      patient([ethnicity({ omb: [{ system: NULL_FLAVOR, code: 'ASKU' }] })]),
      'asked-declined',
      undefined,
      [],
    ],
    [
      'UNK',
      patient([ethnicity({ omb: [{ system: NULL_FLAVOR, code: 'UNK' }] })]),
      'unknown',
      undefined,
      [],
    ],
    [
      'race code in ethnicity',
      patient([ethnicity({ omb: [cdc('2106-3')] })]),
      'unknown',
      undefined,
      ['race-code-in-ethnicity'],
    ],
    [
      'both categories: conflicting',
      patient([ethnicity({ omb: [cdc('2135-2'), cdc('2186-5')] })]),
      'unknown',
      undefined,
      ['conflicting-values'],
    ],
    [
      'text only',
      patient([ethnicity({ text: 'Non-Hispanic' })]),
      'recorded',
      'not-hispanic-or-latino',
      ['mapped-from-text'],
    ],
    [
      'legacy URL, flat value',
      patient([
        {
          url: 'http://hl7.org/fhir/Profile/us-core#ethnicity',
          valueCodeableConcept: { coding: [cdc('2135-2')] },
        },
      ]),
      'recorded',
      'hispanic-or-latino',
      ['legacy-extension-url', 'flat-extension-value'],
    ],
  ])('%s', (_name, p, status, category, noteIssues) => {
    const r = readEthnicity(p);
    expect(r.status).toBe(status);
    expect(ethnicityStratum(r)).toBe(category ?? status);
    expect(issues(r.notes)).toEqual(noteIssues);
  });
});

describe('race tabulations', () => {
  const white = readRace(patient([race({ omb: [cdc('2106-3')] })]));
  const black = readRace(patient([race({ omb: [cdc('2054-5')] })]));
  const whiteAsian = readRace(patient([race({ omb: [cdc('2106-3'), cdc('2028-9')] })]));
  const whiteOther = readRace(patient([race({ omb: [cdc('2106-3'), cdc('2131-1')] })]));
  const declined = readRace(patient([race({ omb: [{ system: NULL_FLAVOR, code: 'ASKU' }] })]));
  const none = readRace(patient());

  it.each([
    [white, 'white'],
    [whiteAsian, 'two-or-more-races'],
    [whiteOther, 'two-or-more-races'],
    [declined, 'asked-declined'],
    [none, 'not-collected'],
  ])('race alone stratum %#', (r, stratum) => {
    expect(raceAloneStratum(r)).toBe(stratum);
  });

  it('counts a multiracial patient in each race (alone or in combination)', () => {
    expect(raceAloneOrInCombinationStrata(whiteAsian)).toEqual(['asian', 'white']);
    expect(raceAloneOrInCombinationStrata(none)).toEqual(['not-collected']);
  });

  it('alone sums to the patients; alone-or-in-combination is flagged as overlapping', () => {
    const all = [white, black, whiteAsian, declined, none];
    const alone = tabulateRace(all, 'alone');
    expect(alone.overlapping).toBe(false);
    expect([...alone.counts.values()].reduce((a, b) => a + b, 0)).toBe(5);
    expect(alone.counts.get('two-or-more-races')).toBe(1);
    const combo = tabulateRace(all, 'alone-or-in-combination');
    expect(combo.overlapping).toBe(true);
    expect(combo.counts.get('white')).toBe(2);
    expect(combo.counts.has('two-or-more-races')).toBe(false);
    expect([...combo.counts.values()].reduce((a, b) => a + b, 0)).toBe(6);
  });
});

describe('SPD 15 (2024) combined race/ethnicity', () => {
  const hispanic = ethnicity({ omb: [cdc('2135-2')] });
  const notHispanic = ethnicity({ omb: [cdc('2186-5')] });
  const asku = { system: NULL_FLAVOR, code: 'ASKU' };
  it.each<[string, fhir4.Extension[], Spd15Stratum, string[] | undefined]>([
    ['White, not Hispanic', [race({ omb: [cdc('2106-3')] }), notHispanic], 'white', ['white']],
    [
      'White + Hispanic: multiethnic',
      [race({ omb: [cdc('2106-3')] }), hispanic],
      'multiracial-and-or-multiethnic',
      ['hispanic-or-latino', 'white'],
    ],
    [
      'Other Race + Hispanic: Hispanic or Latino',
      [race({ omb: [cdc('2131-1')] }), hispanic],
      'hispanic-or-latino',
      ['hispanic-or-latino'],
    ],
    ['no race + Hispanic', [hispanic], 'hispanic-or-latino', ['hispanic-or-latino']],
    [
      'White with only MENA detail: MENA',
      [race({ omb: [cdc('2106-3')], detailed: [cdc('2121-2', 'Iranian')] }), notHispanic],
      'middle-eastern-or-north-african',
      ['middle-eastern-or-north-african'],
    ],
    [
      'White with European and MENA detail: both',
      [race({ omb: [cdc('2106-3')], detailed: [cdc('2108-9'), cdc('2123-8')] })],
      'multiracial-and-or-multiethnic',
      ['middle-eastern-or-north-african', 'white'],
    ],
    [
      'Black + Asian',
      [race({ omb: [cdc('2054-5'), cdc('2028-9')] }), notHispanic],
      'multiracial-and-or-multiethnic',
      ['asian', 'black-or-african-american'],
    ],
    [
      'race declined, ethnicity not collected: declined',
      [race({ omb: [asku] })],
      'asked-declined',
      undefined,
    ],
    ['nothing: not collected', [], 'not-collected', undefined],
    [
      'race unknown, not Hispanic: unknown',
      [race({ omb: [{ system: NULL_FLAVOR, code: 'UNK' }] }), notHispanic],
      'unknown',
      undefined,
    ],
  ])('%s', (_name, extensions, stratum, categories) => {
    const p = patient(extensions);
    const c = readSpd15Categories(readRace(p), readEthnicity(p));
    expect(spd15Stratum(c)).toBe(stratum);
    if (c.status === 'recorded') expect(c.value).toEqual(categories);
  });
});
