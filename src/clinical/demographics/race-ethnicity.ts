// Race and ethnicity from US Core `us-core-race` / `us-core-ethnicity` (6.1 → 9.0, equity.md §3)
// and the shapes real servers send instead, with the tabulations equity reports use: race alone,
// race alone or in combination, a "Two or more races" group, ethnicity, and the 2024 SPD 15
// combined race/ethnicity categories (Hispanic or Latino and MENA as categories).
//
// Unmapped free text is never a category: it reads as `unknown` with an `unmapped-text` note that
// keeps the text (equity.md §2.1: "Unknown" = no usable value and no decline). CDC 2131-1 "Other
// Race" and texts like "Other" are the recorded category `other-race`, not an absence.

import {
  CDC_RACE_ETHNICITY_SYSTEM,
  OMB_ETHNICITY_CODES,
  OMB_RACE_CODES,
  OMB_RACES,
  rollUpCdcCode,
  type OmbEthnicity,
  type OmbRace,
} from './cdc-race-ethnicity';
import {
  absenceOfCoding,
  absenceOfExtensions,
  absenceOfText,
  absent,
  extensionsOf,
  normaliseText,
  recorded,
  type Absence,
  type DataQualityNote,
  type Reading,
} from './reading';

export const US_CORE_RACE_URL = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
export const US_CORE_ETHNICITY_URL =
  'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity';

/** The current URL first, then legacy ones seen in the wild (DSTU2 US Core, Argonaut). */
export const RACE_EXTENSION_URLS: readonly string[] = [
  US_CORE_RACE_URL,
  'http://hl7.org/fhir/Profile/us-core#race',
  'http://hl7.org/fhir/StructureDefinition/us-core-race',
  'http://fhir.org/guides/argonaut/StructureDefinition/argo-race',
];

export const ETHNICITY_EXTENSION_URLS: readonly string[] = [
  US_CORE_ETHNICITY_URL,
  'http://hl7.org/fhir/Profile/us-core#ethnicity',
  'http://hl7.org/fhir/StructureDefinition/us-core-ethnicity',
  'http://fhir.org/guides/argonaut/StructureDefinition/argo-ethnicity',
];

/** Systems that carry CDC race & ethnicity codes (v3-Race is the same code set). */
const CDC_SYSTEMS: readonly string[] = [
  CDC_RACE_ETHNICITY_SYSTEM,
  'http://terminology.hl7.org/CodeSystem/v3-Race',
  'http://hl7.org/fhir/v3/Race',
  'http://terminology.hl7.org/CodeSystem/v3-Ethnicity',
];

export interface DetailedCode {
  code: string;
  display: string | undefined;
}

export interface Race {
  /** Distinct OMB (1997) categories, in OMB_RACES order; detailed codes roll up here. */
  categories: OmbRace[];
  detailed: (DetailedCode & { category: OmbRace; mena: boolean })[];
  /** Middle Eastern or North African (SPD 15, 2024), from detailed codes 2118-8… or the text. */
  mena: boolean;
  text: string | undefined;
}

export interface Ethnicity {
  category: OmbEthnicity;
  detailed: DetailedCode[];
  text: string | undefined;
}

type Role = 'ombCategory' | 'detailed' | 'flat';

interface Parsed {
  codings: { coding: fhir4.Coding; role: Role }[];
  texts: string[];
  absences: Absence[];
  notes: DataQualityNote[];
}

/** Collects the codings and texts of every matching extension, in complex or flat form. */
function parseExtensions(patient: fhir4.Patient, urls: readonly string[]): Parsed | undefined {
  const found = extensionsOf(patient, urls);
  if (found.length === 0) return undefined;
  const out: Parsed = { codings: [], texts: [], absences: [], notes: [] };
  if (found.length > 1) {
    out.notes.push({
      issue: 'conflicting-values',
      detail: `${found.length} extensions (${found.map((f) => f.ext.url).join(', ')}); read together`,
    });
  }
  for (const { ext, legacy } of found) {
    if (legacy) out.notes.push({ issue: 'legacy-extension-url', detail: ext.url });
    const dar = absenceOfExtensions(ext.extension);
    if (dar !== undefined) out.absences.push(dar);
    for (const sub of ext.extension ?? []) {
      if ((sub.url === 'ombCategory' || sub.url === 'detailed') && sub.valueCoding !== undefined) {
        out.codings.push({ coding: sub.valueCoding, role: sub.url });
      } else if (sub.url === 'text' && sub.valueString !== undefined) {
        out.texts.push(sub.valueString);
      }
    }
    const flat = [
      ...(ext.valueCodeableConcept?.coding ?? []),
      ...(ext.valueCoding === undefined ? [] : [ext.valueCoding]),
    ];
    const flatText = ext.valueCodeableConcept?.text ?? ext.valueString;
    if (flat.length > 0 || flatText !== undefined) {
      out.notes.push({
        issue: 'flat-extension-value',
        detail: `${ext.url} carries a value[x] instead of ombCategory/detailed/text`,
      });
      for (const coding of flat) out.codings.push({ coding, role: 'flat' });
      if (flatText !== undefined) out.texts.push(flatText);
    }
  }
  return out;
}

const describe = (c: fhir4.Coding): string =>
  `${c.system ?? '(no system)'}|${c.code ?? ''}${c.display === undefined ? '' : ` "${c.display}"`}`;

/** Texts for the five OMB races and "Other" (exact, after normaliseText). */
const RACE_TEXTS: ReadonlyMap<string, { categories: OmbRace[]; mena: boolean }> = new Map(
  (
    [
      [
        ['white', 'caucasian', 'white or caucasian', 'european', 'european american'],
        'white',
        false,
      ],
      [
        ['middle eastern', 'north african', 'middle eastern or north african', 'mena', 'arab'],
        'white',
        true,
      ],
      [
        [
          'black',
          'african american',
          'black or african american',
          'black/african american',
          'african',
        ],
        'black-or-african-american',
        false,
      ],
      [
        ['asian', 'asian american', 'chinese', 'vietnamese', 'korean', 'filipino', 'japanese'],
        'asian',
        false,
      ],
      [
        [
          'american indian',
          'alaska native',
          'native american',
          'american indian or alaska native',
          'american indian/alaska native',
        ],
        'american-indian-or-alaska-native',
        false,
      ],
      [
        [
          'native hawaiian',
          'pacific islander',
          'native hawaiian or other pacific islander',
          'native hawaiian/pacific islander',
        ],
        'native-hawaiian-or-other-pacific-islander',
        false,
      ],
      [['other', 'other race', 'some other race'], 'other-race', false],
    ] as const
  ).flatMap(([texts, category, mena]) =>
    texts.map((t) => [t, { categories: [category], mena }] as const),
  ),
);

const HISPANIC_TEXTS: ReadonlySet<string> = new Set([
  'hispanic',
  'latino',
  'latina',
  'latinx',
  'hispanic or latino',
  'hispanic/latino',
]);
const NOT_HISPANIC_TEXTS: ReadonlySet<string> = new Set([
  'not hispanic',
  'non-hispanic',
  'non hispanic',
  'not hispanic or latino',
  'not hispanic/latino',
  'non-hispanic or latino',
]);

/** Words in a race text that say MENA even next to a code (SPD 15 2024: derive from text). */
const MENA_WORDS =
  /\b(middle eastern|north african|arab|iranian|persian|lebanese|egyptian|syrian|iraqi|palestinian|assyrian)\b/;

type TextRace =
  | { kind: 'race'; categories: OmbRace[]; mena: boolean }
  | { kind: 'absence'; absence: Absence }
  | { kind: 'hispanic' }
  | { kind: 'unmapped' };

/** Maps a race text exactly, else as a list ("White, Black"), else not at all. */
function mapRaceText(text: string): TextRace {
  const t = normaliseText(text);
  const absence = absenceOfText(t);
  if (absence !== undefined) return { kind: 'absence', absence };
  if (HISPANIC_TEXTS.has(t)) return { kind: 'hispanic' };
  const exact = RACE_TEXTS.get(t);
  if (exact !== undefined) return { kind: 'race', ...exact };
  const parts = t.split(/\s*(?:,|;|\band\b|&)\s*/).filter((p) => p.length > 0);
  const mapped = parts.map((p) => RACE_TEXTS.get(p));
  if (parts.length > 1 && mapped.every((m) => m !== undefined)) {
    return {
      kind: 'race',
      categories: mapped.flatMap((m) => m?.categories ?? []),
      mena: mapped.some((m) => m?.mena === true),
    };
  }
  return { kind: 'unmapped' };
}

/** One absence from several: a decline wins over unknown. */
function strongestAbsence(absences: readonly Absence[]): Absence | undefined {
  if (absences.includes('asked-declined')) return 'asked-declined';
  if (absences.includes('unknown')) return 'unknown';
  return absences[0];
}

const sortRaces = (races: Iterable<OmbRace>): OmbRace[] => {
  const set = new Set(races);
  return OMB_RACES.filter((r) => set.has(r));
};

/**
 * Reads the patient's race (US Core us-core-race and legacy variants). Codes outrank text; text is
 * read only when no race code is usable. Absences: no extension → `not-collected`; ASKU or
 * `asked-declined` → `asked-declined`; UNK, an empty extension, or only unusable codes/text →
 * `unknown` (with notes saying what was there).
 */
export function readRace(patient: fhir4.Patient): Reading<Race> {
  const parsed = parseExtensions(patient, RACE_EXTENSION_URLS);
  if (parsed === undefined) return absent('not-collected');
  const { notes, absences } = parsed;
  const categories = new Set<OmbRace>();
  const detailed: Race['detailed'] = [];
  let mena = false;
  for (const { coding, role } of parsed.codings) {
    const nullFlavor = absenceOfCoding(coding);
    if (nullFlavor !== undefined) {
      absences.push(nullFlavor);
      continue;
    }
    if (coding.code === 'OTH' && coding.system?.endsWith('NullFlavor') === true) {
      categories.add('other-race');
      continue;
    }
    const rollup =
      coding.code !== undefined && CDC_SYSTEMS.includes(coding.system ?? '')
        ? rollUpCdcCode(coding.code)
        : undefined;
    if (rollup === undefined) {
      notes.push({ issue: 'unrecognised-code', detail: `race ${describe(coding)}` });
      continue;
    }
    if (rollup.kind === 'ethnicity') {
      notes.push({
        issue: 'ethnicity-code-in-race',
        detail: `ethnicity code ${coding.code ?? ''} found in the race extension (${describe(coding)}); not read as a race`,
      });
      continue;
    }
    const code = coding.code ?? '';
    if (code !== OMB_RACE_CODES[rollup.category]) {
      detailed.push({
        code,
        display: coding.display,
        category: rollup.category,
        mena: rollup.mena,
      });
      if (
        role === 'detailed' &&
        !parsed.codings.some(
          (c) => c.role === 'ombCategory' && c.coding.code === OMB_RACE_CODES[rollup.category],
        )
      ) {
        notes.push({
          issue: 'detailed-without-category',
          detail: `detailed ${code} rolled up to ${OMB_RACE_CODES[rollup.category]}`,
        });
      }
    }
    if (role === 'ombCategory' && code !== OMB_RACE_CODES[rollup.category]) {
      notes.push({
        issue: 'unrecognised-code',
        detail: `detailed code ${code} sent as ombCategory; rolled up to ${OMB_RACE_CODES[rollup.category]}`,
      });
    }
    categories.add(rollup.category);
    if (rollup.mena) mena = true;
  }
  const text = parsed.texts.find((t) => t.trim().length > 0);
  if (text !== undefined && MENA_WORDS.test(normaliseText(text))) mena = true;

  if (categories.size === 0 && text !== undefined) {
    const fromText = mapRaceText(text);
    switch (fromText.kind) {
      case 'race':
        for (const c of fromText.categories) categories.add(c);
        mena = mena || fromText.mena;
        notes.push({ issue: 'mapped-from-text', detail: `race text "${text}"` });
        break;
      case 'absence':
        absences.push(fromText.absence);
        break;
      case 'hispanic':
        notes.push({
          issue: 'ethnicity-code-in-race',
          detail: `ethnicity text "${text}" found in the race extension; not read as a race`,
        });
        break;
      case 'unmapped':
        notes.push({ issue: 'unmapped-text', detail: `race text "${text}" (no race code)` });
        break;
    }
  }

  if (categories.size > 0) {
    if (absences.length > 0) {
      notes.push({
        issue: 'null-flavor-with-categories',
        detail: 'ASKU/UNK sent with race categories (us-core-23); the categories are read',
      });
    }
    return recorded({ categories: sortRaces(categories), detailed, mena, text }, notes);
  }
  return absent(strongestAbsence(absences) ?? 'unknown', notes);
}

/**
 * Reads the patient's ethnicity (us-core-ethnicity and legacy variants). Hispanic and Not
 * Hispanic together read as `unknown` with a `conflicting-values` note.
 */
export function readEthnicity(patient: fhir4.Patient): Reading<Ethnicity> {
  const parsed = parseExtensions(patient, ETHNICITY_EXTENSION_URLS);
  if (parsed === undefined) return absent('not-collected');
  const { notes, absences } = parsed;
  const categories = new Set<OmbEthnicity>();
  const detailed: DetailedCode[] = [];
  for (const { coding } of parsed.codings) {
    const nullFlavor = absenceOfCoding(coding);
    if (nullFlavor !== undefined) {
      absences.push(nullFlavor);
      continue;
    }
    const rollup =
      coding.code !== undefined && CDC_SYSTEMS.includes(coding.system ?? '')
        ? rollUpCdcCode(coding.code)
        : undefined;
    if (rollup === undefined) {
      notes.push({ issue: 'unrecognised-code', detail: `ethnicity ${describe(coding)}` });
      continue;
    }
    if (rollup.kind === 'race') {
      notes.push({
        issue: 'race-code-in-ethnicity',
        detail: `race code ${coding.code ?? ''} found in the ethnicity extension; not read`,
      });
      continue;
    }
    const code = coding.code ?? '';
    if (code !== OMB_ETHNICITY_CODES[rollup.category])
      detailed.push({ code, display: coding.display });
    categories.add(rollup.category);
  }
  const text = parsed.texts.find((t) => t.trim().length > 0);
  if (categories.size === 0 && text !== undefined) {
    const t = normaliseText(text);
    const absence = absenceOfText(t);
    if (absence !== undefined) absences.push(absence);
    else if (HISPANIC_TEXTS.has(t) || NOT_HISPANIC_TEXTS.has(t)) {
      categories.add(HISPANIC_TEXTS.has(t) ? 'hispanic-or-latino' : 'not-hispanic-or-latino');
      notes.push({ issue: 'mapped-from-text', detail: `ethnicity text "${text}"` });
    } else {
      notes.push({ issue: 'unmapped-text', detail: `ethnicity text "${text}" (no code)` });
    }
  }
  if (categories.size > 1) {
    notes.push({
      issue: 'conflicting-values',
      detail: 'both Hispanic or Latino and Not Hispanic or Latino recorded',
    });
    return absent('unknown', notes);
  }
  const [category] = categories;
  if (category !== undefined) {
    if (absences.length > 0) {
      notes.push({
        issue: 'null-flavor-with-categories',
        detail: 'ASKU/UNK sent with an ethnicity category; the category is read',
      });
    }
    return recorded({ category, detailed, text }, notes);
  }
  return absent(strongestAbsence(absences) ?? 'unknown', notes);
}

// ---------------------------------------------------------------- tabulations

/** HEDIS-style race strata: one per patient (equity.md §2.1). */
export type RaceAloneStratum = OmbRace | 'two-or-more-races' | Absence;

export const RACE_ALONE_STRATA: readonly RaceAloneStratum[] = [
  ...OMB_RACES,
  'two-or-more-races',
  'asked-declined',
  'unknown',
  'not-collected',
];

/**
 * Race alone: the one category of a single-race patient; "Two or more races" otherwise (as the
 * Census counts "White and Some Other Race").
 */
export function raceAloneStratum(race: Reading<Race>): RaceAloneStratum {
  if (race.status !== 'recorded') return race.status;
  const [only, ...rest] = race.value.categories;
  return only !== undefined && rest.length === 0 ? only : 'two-or-more-races';
}

/**
 * Race alone or in combination: a patient counts once in each of their races, so the counts sum
 * to more than the patients (flag it wherever they are shown).
 */
export function raceAloneOrInCombinationStrata(race: Reading<Race>): (OmbRace | Absence)[] {
  return race.status === 'recorded' ? [...race.value.categories] : [race.status];
}

export type EthnicityStratum = OmbEthnicity | Absence;

export const ETHNICITY_STRATA: readonly EthnicityStratum[] = [
  'hispanic-or-latino',
  'not-hispanic-or-latino',
  'asked-declined',
  'unknown',
  'not-collected',
];

export function ethnicityStratum(ethnicity: Reading<Ethnicity>): EthnicityStratum {
  return ethnicity.status === 'recorded' ? ethnicity.value.category : ethnicity.status;
}

/** The seven SPD 15 (2024) minimum categories, plus CDC "Other Race" kept as such. */
export type Spd15Category =
  | 'american-indian-or-alaska-native'
  | 'asian'
  | 'black-or-african-american'
  | 'hispanic-or-latino'
  | 'middle-eastern-or-north-african'
  | 'native-hawaiian-or-other-pacific-islander'
  | 'white'
  | 'some-other-race';

export const SPD15_CATEGORIES: readonly Spd15Category[] = [
  'american-indian-or-alaska-native',
  'asian',
  'black-or-african-american',
  'hispanic-or-latino',
  'middle-eastern-or-north-african',
  'native-hawaiian-or-other-pacific-islander',
  'white',
  'some-other-race',
];

export const SPD15_LABELS: Readonly<Record<Spd15Category, string>> = {
  'american-indian-or-alaska-native': 'American Indian or Alaska Native',
  asian: 'Asian',
  'black-or-african-american': 'Black or African American',
  'hispanic-or-latino': 'Hispanic or Latino',
  'middle-eastern-or-north-african': 'Middle Eastern or North African',
  'native-hawaiian-or-other-pacific-islander': 'Native Hawaiian or Pacific Islander',
  white: 'White',
  'some-other-race': 'Some Other Race',
};

export type Spd15Stratum = Spd15Category | 'multiracial-and-or-multiethnic' | Absence;

export const SPD15_STRATA: readonly Spd15Stratum[] = [
  ...SPD15_CATEGORIES,
  'multiracial-and-or-multiethnic',
  'asked-declined',
  'unknown',
  'not-collected',
];

/**
 * The SPD 15 (2024) combined race/ethnicity categories of a patient, derived from the two 1997
 * questions. Rules:
 * - Hispanic or Latino (ethnicity) is a category alongside the races.
 * - MENA comes from detailed codes (2118-8 …) or text; a White patient whose only White detail is
 *   MENA is MENA, not White (SPD 15 moved MENA out of White); with European detail too, both.
 * - "Other Race" next to Hispanic or Latino is dropped: under two questions, Hispanic respondents
 *   often pick it for want of a Hispanic race option, and the combined question makes that moot.
 * An absence on both questions gives the stronger absence (declined over unknown over not
 * collected); a Hispanic patient with no race is Hispanic or Latino.
 */
export function readSpd15Categories(
  race: Reading<Race>,
  ethnicity: Reading<Ethnicity>,
): Reading<Spd15Category[]> {
  const out = new Set<Spd15Category>();
  const hispanic =
    ethnicity.status === 'recorded' && ethnicity.value.category === 'hispanic-or-latino';
  if (race.status === 'recorded') {
    const r = race.value;
    const nonMenaWhite = r.detailed.some((d) => d.category === 'white' && !d.mena);
    if (r.mena) out.add('middle-eastern-or-north-african');
    for (const c of r.categories) {
      if (c === 'white') {
        if (!r.mena || nonMenaWhite) out.add('white');
      } else if (c === 'other-race') {
        if (!hispanic) out.add('some-other-race');
      } else out.add(c);
    }
  }
  if (hispanic) out.add('hispanic-or-latino');
  const notes = [...race.notes, ...ethnicity.notes];
  if (out.size > 0)
    return recorded(
      SPD15_CATEGORIES.filter((c) => out.has(c)),
      notes,
    );
  const absences = [race, ethnicity].flatMap((r) => (r.status === 'recorded' ? [] : [r.status]));
  return absent(strongestAbsence(absences) ?? 'unknown', notes);
}

/** One SPD 15 stratum: the single category, or "Multiracial and/or Multiethnic". */
export function spd15Stratum(categories: Reading<Spd15Category[]>): Spd15Stratum {
  if (categories.status !== 'recorded') return categories.status;
  const [only, ...rest] = categories.value;
  return only !== undefined && rest.length === 0 ? only : 'multiracial-and-or-multiethnic';
}

export interface Tabulation<S extends string> {
  /** Patients counted in each stratum. */
  counts: Map<S, number>;
  patients: number;
  /**
   * True when a patient can count in more than one stratum (alone or in combination): the counts
   * then sum to more than `patients`, and shares must not be shown as summing to 100%.
   */
  overlapping: boolean;
}

/** Counts patients per stratum; `strataOf` returns one stratum, or several when overlapping. */
export function tabulate<T, S extends string>(
  items: readonly T[],
  strataOf: (item: T) => S | readonly S[],
  order: readonly S[] = [],
): Tabulation<S> {
  const counts = new Map<S, number>(order.map((s) => [s, 0]));
  let overlapping = false;
  for (const item of items) {
    const strata = strataOf(item);
    const list: readonly S[] = typeof strata === 'string' ? [strata] : strata;
    if (list.length > 1) overlapping = true;
    for (const s of new Set(list)) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return { counts, patients: items.length, overlapping };
}

export type RaceTabulationMethod = 'alone' | 'alone-or-in-combination';

/** Race counts by either method (equity.md §5: offer both, flag the overlapping one). */
export function tabulateRace(
  races: readonly Reading<Race>[],
  method: RaceTabulationMethod,
): Tabulation<RaceAloneStratum> {
  if (method === 'alone') return tabulate(races, raceAloneStratum, RACE_ALONE_STRATA);
  const order = RACE_ALONE_STRATA.filter((s) => s !== 'two-or-more-races');
  const t = tabulate<Reading<Race>, RaceAloneStratum>(races, raceAloneOrInCombinationStrata, order);
  return { ...t, overlapping: true };
}
