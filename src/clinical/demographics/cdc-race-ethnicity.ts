// The CDC Race & Ethnicity Code Set (urn:oid:2.16.840.1.113883.6.238) as the hierarchy the
// readers need: which OMB category a detailed code rolls up to.
//
// The code set assigns its concept codes in hierarchy order (hierarchical codes R1 … R5 for race,
// E1 … E2 for ethnicity), so each OMB category owns a contiguous run of code numbers, from the
// category's own code up to the next category's. The table below is that run per category, plus
// the few later additions outside the runs. Codes carry a mod-10 check digit (the LOINC
// algorithm), which `isValidCdcCode` verifies, so a mistyped code is reported, not rolled up.
// Hazard: check the runs against the published code set (v1.2) before relying on a rare code.

export const CDC_RACE_ETHNICITY_SYSTEM = 'urn:oid:2.16.840.1.113883.6.238';

/** The 1997 OMB race categories (SPD 15 1997), plus CDC 2131-1 "Other Race". */
export type OmbRace =
  | 'american-indian-or-alaska-native'
  | 'asian'
  | 'black-or-african-american'
  | 'native-hawaiian-or-other-pacific-islander'
  | 'white'
  | 'other-race';

export const OMB_RACES: readonly OmbRace[] = [
  'american-indian-or-alaska-native',
  'asian',
  'black-or-african-american',
  'native-hawaiian-or-other-pacific-islander',
  'white',
  'other-race',
];

export const OMB_RACE_CODES: Readonly<Record<OmbRace, string>> = {
  'american-indian-or-alaska-native': '1002-5',
  asian: '2028-9',
  'black-or-african-american': '2054-5',
  'native-hawaiian-or-other-pacific-islander': '2076-8',
  white: '2106-3',
  'other-race': '2131-1',
};

export const OMB_RACE_LABELS: Readonly<Record<OmbRace, string>> = {
  'american-indian-or-alaska-native': 'American Indian or Alaska Native',
  asian: 'Asian',
  'black-or-african-american': 'Black or African American',
  'native-hawaiian-or-other-pacific-islander': 'Native Hawaiian or Other Pacific Islander',
  white: 'White',
  'other-race': 'Some Other Race',
};

export type OmbEthnicity = 'hispanic-or-latino' | 'not-hispanic-or-latino';

export const OMB_ETHNICITIES: readonly OmbEthnicity[] = [
  'hispanic-or-latino',
  'not-hispanic-or-latino',
];

export const OMB_ETHNICITY_CODES: Readonly<Record<OmbEthnicity, string>> = {
  'hispanic-or-latino': '2135-2',
  'not-hispanic-or-latino': '2186-5',
};

export const OMB_ETHNICITY_LABELS: Readonly<Record<OmbEthnicity, string>> = {
  'hispanic-or-latino': 'Hispanic or Latino',
  'not-hispanic-or-latino': 'Not Hispanic or Latino',
};

/** 2118-8 Middle Eastern or North African: a detailed category under White in the code set. */
export const MENA_CODE = '2118-8';

/** 2118-8 and its detailed codes, as listed in the code set (all inside the MENA run below). */
export const MENA_DETAILED_CODES: readonly string[] = [
  MENA_CODE,
  '2119-6', // Assyrian
  '2120-4', // Egyptian
  '2121-2', // Iranian
  '2122-0', // Iraqi
  '2123-8', // Lebanese
  '2124-6', // Palestinian
  '2125-3', // Syrian
  '2126-1', // Afghanistani
  '2127-9', // Israeili (sic, the code set's spelling)
  '2129-5', // Arab
];

type Rollup =
  | { kind: 'race'; category: OmbRace; mena: boolean }
  | { kind: 'ethnicity'; category: OmbEthnicity };

/** Runs of code numbers (without the check digit), both ends inclusive. */
const RUNS: readonly { from: number; to: number; rollup: Rollup }[] = [
  {
    from: 1002,
    to: 2027,
    rollup: { kind: 'race', category: 'american-indian-or-alaska-native', mena: false },
  },
  { from: 2028, to: 2053, rollup: { kind: 'race', category: 'asian', mena: false } },
  {
    from: 2054,
    to: 2075,
    rollup: { kind: 'race', category: 'black-or-african-american', mena: false },
  },
  {
    from: 2076,
    to: 2105,
    rollup: { kind: 'race', category: 'native-hawaiian-or-other-pacific-islander', mena: false },
  },
  // White: European 2108-9 … 2117-0; Middle Eastern or North African 2118-8 … 2129-5.
  { from: 2106, to: 2117, rollup: { kind: 'race', category: 'white', mena: false } },
  { from: 2118, to: 2130, rollup: { kind: 'race', category: 'white', mena: true } },
  { from: 2131, to: 2132, rollup: { kind: 'race', category: 'other-race', mena: false } },
  // 2133-7 is the "Ethnicity" root itself, not a category.
  { from: 2135, to: 2185, rollup: { kind: 'ethnicity', category: 'hispanic-or-latino' } },
  { from: 2186, to: 2187, rollup: { kind: 'ethnicity', category: 'not-hispanic-or-latino' } },
];

/** Codes added after the runs were laid out. */
const EXTRA: ReadonlyMap<string, Rollup> = new Map([
  // 2500-7 Other Pacific Islander (R3 under 2076-8).
  [
    '2500-7',
    { kind: 'race', category: 'native-hawaiian-or-other-pacific-islander', mena: false },
  ] as const,
]);

/** Display names of the detailed codes the tests and the sandbox use (not the whole set). */
export const DETAILED_DISPLAYS: ReadonlyMap<string, string> = new Map([
  ['1004-1', 'American Indian'],
  ['1735-0', 'Alaska Native'],
  ['2029-7', 'Asian Indian'],
  ['2034-7', 'Chinese'],
  ['2036-2', 'Filipino'],
  ['2039-6', 'Japanese'],
  ['2040-4', 'Korean'],
  ['2047-9', 'Vietnamese'],
  ['2058-6', 'African American'],
  ['2060-2', 'African'],
  ['2079-2', 'Native Hawaiian'],
  ['2080-0', 'Samoan'],
  ['2086-7', 'Guamanian or Chamorro'],
  ['2108-9', 'European'],
  [MENA_CODE, 'Middle Eastern or North African'],
  ['2119-6', 'Assyrian'],
  ['2120-4', 'Egyptian'],
  ['2121-2', 'Iranian'],
  ['2122-0', 'Iraqi'],
  ['2123-8', 'Lebanese'],
  ['2124-6', 'Palestinian'],
  ['2125-3', 'Syrian'],
  ['2126-1', 'Afghanistani'],
  ['2127-9', 'Israeili'],
  ['2129-5', 'Arab'],
  ['2148-5', 'Mexican'],
  ['2161-8', 'Salvadoran'],
  ['2180-8', 'Puerto Rican'],
  ['2182-4', 'Cuban'],
  ['2184-0', 'Dominican'],
]);

/** The LOINC mod-10 check digit of the digits before the hyphen. */
export function cdcCheckDigit(digits: string): number {
  const reversed = [...digits].reverse();
  const odd = reversed.filter((_, i) => i % 2 === 0).reverse();
  const even = reversed.filter((_, i) => i % 2 === 1).reverse();
  const doubled = String(Number(odd.join('')) * 2);
  const sum = [...`${even.join('')}${doubled}`].reduce((s, d) => s + Number(d), 0);
  return (10 - (sum % 10)) % 10;
}

export function isValidCdcCode(code: string): boolean {
  const m = /^(\d{4})-(\d)$/.exec(code);
  return m !== null && cdcCheckDigit(m[1] ?? '') === Number(m[2]);
}

/** The OMB category a CDC race or ethnicity code rolls up to; undefined for unknown codes. */
export function rollUpCdcCode(code: string): Rollup | undefined {
  const extra = EXTRA.get(code);
  if (extra !== undefined) return extra;
  if (!isValidCdcCode(code)) return undefined;
  const n = Number(code.slice(0, 4));
  return RUNS.find((r) => n >= r.from && n <= r.to)?.rollup;
}
