// Step 1 of generating a patient: draw its "ground truth" — demographics as recorded, conditions,
// and every designed outcome — from the patient's own seeded stream. Step 2 (population.ts)
// renders the profile as FHIR with a second stream, so detail noise (values, times, codes chosen
// among equivalents) never shifts the designed outcomes, and panels can re-derive profiles cheaply.
//
// The marginal distributions below are documented in README.md ("Who is generated").

import type { Code, PayerKind } from './codes';
import { DETAILED_ETHNICITY, DETAILED_RACE, NULL_FLAVOR, OMB_ETHNICITY, OMB_RACE } from './codes';
import { ageOn } from './dates';
import type { GroupFacts } from './disparities';
import { designedProbability } from './disparities';
import type { Background } from './names';
import type { HousingAnswer, ScreeningPlan } from './sdoh';
import { planPositiveDomains } from './sdoh';
import { Rng, deriveSeed } from './random';

/**
 * Stream ids mixed into the seed: one for the profile, one for rendering, and one for medication
 * orders (added later: its own stream, so no draw of the other two moved).
 */
export const STREAM_PROFILE = 1;
export const STREAM_RENDER = 2;
export const STREAM_MEDICATION = 3;
/** Social-needs records added after the first generator (sdoh-states.ts), from their own stream. */
export const STREAM_SDOH_STATES = 4;

export interface RaceRecord {
  /** 'none' = no us-core-race extension at all (never asked / not recorded). */
  readonly kind: 'none' | 'asku' | 'unk' | 'coded';
  readonly omb: readonly Code[];
  readonly detailed: readonly Code[];
  readonly text: string;
}

export interface EthnicityRecord {
  readonly kind: 'none' | 'asku' | 'unk' | 'coded';
  readonly omb: Code | null;
  readonly detailed: readonly Code[];
  readonly text: string;
}

export type InterpreterRecord =
  'none' | 'needed-us-core' | 'needed-core' | 'not-needed-us-core' | 'not-needed-core';

export type SexRecord = 'us-core-sex' | 'individual-sex' | 'birthsex-only';

export interface SogiRecord {
  /** Sexual orientation Observation: not collected, coded, free text, or asked-declined. */
  readonly orientation: 'none' | 'declined' | 'text' | 'heterosexual' | 'homosexual' | 'bisexual';
  readonly identityExtension: boolean;
  readonly identityObservation: boolean;
}

export interface PatientProfile {
  readonly index: number;
  /** Zero-padded 1-based number used in every id of this patient, e.g. '00042'. */
  readonly key: string;
  readonly id: string;
  readonly background: Background;
  readonly birthDay: number;
  /** Age on `today`. */
  readonly age: number;
  readonly sexAtBirth: 'F' | 'M';
  readonly genderIdentity: 'cis' | 'trans' | 'nonbinary';
  readonly administrativeGender: 'female' | 'male' | 'other' | 'unknown';
  readonly sexRecord: SexRecord;
  /** us-core-birthsex valueCode, or null when the extension is absent. */
  readonly birthSexCode: 'F' | 'M' | 'UNK' | null;
  readonly race: RaceRecord;
  readonly ethnicity: EthnicityRecord;
  /** BCP-47 code of the preferred language, or null when Patient.communication is absent. */
  readonly language: string | null;
  readonly interpreter: InterpreterRecord;
  readonly payer: PayerKind;
  /** False for uninsured patients recorded with no Coverage at all (the rest have self-pay 81). */
  readonly hasCoverage: boolean;
  readonly sogi: SogiRecord;
  readonly facts: GroupFacts;
  readonly death: { readonly day: number; readonly inHospital: boolean } | null;
  /** The last day anything can happen to this patient: today, or the day of death. */
  readonly asOf: number;
  readonly diabetes: boolean;
  readonly hypertension: boolean;
  readonly depression: boolean;
  readonly outcomes: Outcomes;
  /** Goes on the first practitioner's "high-risk" List when in that panel. */
  readonly highRisk: boolean;
}

export interface Outcomes {
  readonly a1cPoor: boolean;
  readonly bpControlled: boolean;
  /** Drawn for women 42–74; false otherwise. */
  readonly mammogram: boolean;
  readonly colorectal: 'none' | 'colonoscopy' | 'fit';
  /** The designed (in-window, answered) screening, or null when not screened. */
  readonly screening: ScreeningPlan | null;
  /** For unscreened adults: an in-window screening the patient declined entirely. */
  readonly declinedScreeningDay: number | null;
  /** For about a quarter of adults: an older (stale) negative screening. */
  readonly staleScreeningDay: number | null;
  readonly referral: 'within30' | 'later' | 'none';
  readonly inpatient: 'none' | 'survived' | 'died';
  readonly readmitted: boolean;
}

const BACKGROUNDS: readonly (readonly [Background, number])[] = [
  ['white', 29],
  ['russian', 3],
  ['black', 24],
  ['hispanic', 25],
  ['chinese', 4],
  ['vietnamese', 3],
  ['korean', 1.5],
  ['filipino', 2],
  ['indian', 2],
  ['iranian', 1.5],
  ['arab', 2],
  ['aian', 1.5],
  ['nhpi', 1],
  ['multiracial', 4],
];

/** Age bands: adult-heavy, like a primary-care panel. */
const AGE_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[0, 17], 16],
  [[18, 44], 34],
  [[45, 64], 30],
  [[65, 95], 20],
];

const coded = (omb: readonly Code[], detailed: readonly Code[], text: string): RaceRecord => ({
  kind: 'coded',
  omb,
  detailed,
  text,
});

function drawRace(rng: Rng, background: Background): RaceRecord {
  // Completeness (README): ~8% no race extension, ~4% asked-but-declined, ~2% unknown.
  const missing = rng.weighted<'ok' | 'none' | 'asku' | 'unk'>([
    ['ok', 86],
    ['none', 8],
    ['asku', 4],
    ['unk', 2],
  ]);
  // Draw the coded value unconditionally so the stream does not depend on missingness.
  const value = codedRace(rng, background);
  if (missing === 'none') return { kind: 'none', omb: [], detailed: [], text: '' };
  if (missing === 'asku')
    return { kind: 'asku', omb: [NULL_FLAVOR.ASKU], detailed: [], text: 'Asked but declined' };
  if (missing === 'unk')
    return { kind: 'unk', omb: [NULL_FLAVOR.UNK], detailed: [], text: 'Unknown' };
  return value;
}

function codedRace(rng: Rng, background: Background): RaceRecord {
  const R = OMB_RACE;
  const D = DETAILED_RACE;
  switch (background) {
    case 'white':
    case 'russian':
      return coded([R.white], [], 'White');
    case 'black': {
      const detail = rng.weighted<Code | null>([
        [D.africanAmerican, 70],
        [D.african, 15],
        [null, 15],
      ]);
      return coded(
        [R.black],
        detail ? [detail] : [],
        detail ? `Black or African American (${detail.display})` : 'Black or African American',
      );
    }
    case 'hispanic': {
      const pick = rng.weighted<'white' | 'other' | 'black' | 'aian' | 'multi'>([
        ['white', 50],
        ['other', 32],
        ['black', 8],
        ['aian', 5],
        ['multi', 5],
      ]);
      if (pick === 'white') return coded([R.white], [], 'White');
      if (pick === 'other') return coded([R.other], [], 'Other Race (Hispanic)');
      if (pick === 'black') return coded([R.black], [], 'Black or African American');
      if (pick === 'aian') return coded([R.aian], [], 'American Indian or Alaska Native');
      return coded([R.white, R.aian], [], 'White and American Indian or Alaska Native');
    }
    case 'chinese':
      return coded([R.asian], [D.chinese], 'Asian (Chinese)');
    case 'vietnamese':
      return coded([R.asian], [D.vietnamese], 'Asian (Vietnamese)');
    case 'korean':
      return coded([R.asian], [D.korean], 'Asian (Korean)');
    case 'filipino':
      return coded([R.asian], [D.filipino], 'Asian (Filipino)');
    case 'indian':
      return coded([R.asian], [D.asianIndian], 'Asian (Asian Indian)');
    case 'iranian':
      // MENA sits under White in the 1997 standard US Core still uses; the detail keeps it visible (SPD 15).
      return coded([R.white], [D.mena, D.iranian], 'Middle Eastern or North African (Iranian)');
    case 'arab': {
      const detail = rng.chance(0.5) ? D.lebanese : D.egyptian;
      return coded(
        [R.white],
        [D.mena, detail],
        `Middle Eastern or North African (${detail.display})`,
      );
    }
    case 'aian':
      return coded([R.aian], [], 'American Indian or Alaska Native');
    case 'nhpi': {
      const detail = rng.chance(0.6) ? D.nativeHawaiian : D.samoan;
      return coded(
        [R.nhpi],
        [detail],
        `Native Hawaiian or Other Pacific Islander (${detail.display})`,
      );
    }
    case 'multiracial': {
      const pair = rng.pick<readonly [Code, Code]>([
        [R.black, R.white],
        [R.black, R.white],
        [R.asian, R.white],
        [R.aian, R.white],
        [R.black, R.aian],
        [R.asian, R.nhpi],
      ]);
      return coded(pair, [], `${pair[0].display} and ${pair[1].display}`);
    }
  }
}

function drawEthnicity(rng: Rng, background: Background): EthnicityRecord {
  // Completeness: ~6% no ethnicity extension, ~3% asked-but-declined, ~1% unknown.
  const missing = rng.weighted<'ok' | 'none' | 'asku' | 'unk'>([
    ['ok', 90],
    ['none', 6],
    ['asku', 3],
    ['unk', 1],
  ]);
  const detail = rng.weighted<Code>([
    [DETAILED_ETHNICITY.mexican, 40],
    [DETAILED_ETHNICITY.puertoRican, 25],
    [DETAILED_ETHNICITY.salvadoran, 15],
    [DETAILED_ETHNICITY.dominican, 12],
    [DETAILED_ETHNICITY.cuban, 8],
  ]);
  if (missing === 'none') return { kind: 'none', omb: null, detailed: [], text: '' };
  if (missing === 'asku')
    return { kind: 'asku', omb: NULL_FLAVOR.ASKU, detailed: [], text: 'Asked but declined' };
  if (missing === 'unk')
    return { kind: 'unk', omb: NULL_FLAVOR.UNK, detailed: [], text: 'Unknown' };
  if (background === 'hispanic') {
    return {
      kind: 'coded',
      omb: OMB_ETHNICITY.hispanic,
      detailed: [detail],
      text: `Hispanic or Latino (${detail.display})`,
    };
  }
  return {
    kind: 'coded',
    omb: OMB_ETHNICITY.notHispanic,
    detailed: [],
    text: 'Not Hispanic or Latino',
  };
}

/** Preferred language (BCP-47) by background; English-speakers split between 'en' and 'en-US'. */
function drawLanguage(rng: Rng, background: Background): string | null {
  const english = rng.chance(0.6) ? 'en' : 'en-US';
  const own: Partial<Record<Background, readonly [string, number]>> = {
    russian: ['ru', 0.5],
    hispanic: ['es', 0.55],
    chinese: ['zh', 0.45],
    vietnamese: ['vi', 0.55],
    korean: ['ko', 0.45],
    filipino: ['tl', 0.25],
    indian: ['hi', 0.1],
    iranian: ['fa', 0.35],
    arab: ['ar', 0.45],
  };
  const missing = rng.chance(0.03);
  const entry = own[background];
  const usesOwn = rng.chance(entry ? entry[1] : 0);
  if (missing) return null;
  if (entry && usesOwn) return entry[0] === 'es' && rng.chance(0.05) ? 'es-MX' : entry[0];
  return english;
}

function drawPayer(rng: Rng, age: number, background: Background, nonEnglish: boolean): PayerKind {
  // Uninsurance and Medicaid are more common for Black, Hispanic and non-English-speaking patients
  // (a realistic confounder; the designed rates are conditional on the recorded groups anyway).
  const risk =
    (background === 'black' || background === 'hispanic' ? 1.3 : 1) * (nonEnglish ? 1.3 : 1);
  if (age >= 65) {
    return rng.weighted<PayerKind>([
      ['medicare', 86],
      ['medicaid', 5 * risk],
      ['commercial', 6],
      ['uninsured', 3 * risk],
    ]);
  }
  if (age >= 18) {
    return rng.weighted<PayerKind>([
      ['medicare', 7],
      ['medicaid', 28 * risk],
      ['commercial', 50],
      ['uninsured', 15 * risk],
    ]);
  }
  return rng.weighted<PayerKind>([
    ['medicaid', 48 * risk],
    ['commercial', 46],
    ['uninsured', 6 * risk],
  ]);
}

export interface ProfileOptions {
  readonly seed: number;
  readonly today: number;
}

export function patientKey(index: number): string {
  return String(index + 1).padStart(5, '0');
}

/** Draws the full profile of patient `index` (0-based). Pure: same inputs, same profile. */
export function drawProfile(options: ProfileOptions, index: number): PatientProfile {
  const { seed, today } = options;
  const rng = new Rng(deriveSeed(seed, index, STREAM_PROFILE));
  const key = patientKey(index);

  const background = rng.weighted(BACKGROUNDS);
  const [minAge, maxAge] = rng.weighted(AGE_BANDS);
  const targetAge = rng.int(minAge, maxAge);
  const birthDay = today - Math.floor((targetAge + rng.next()) * 365.2425);
  const age = ageOn(birthDay, today);

  const sexAtBirth = rng.chance(0.51) ? 'F' : 'M';
  const gi = rng.weighted<'cis' | 'trans' | 'nonbinary'>([
    ['cis', 975],
    ['trans', 12],
    ['nonbinary', 13],
  ]);
  const genderIdentity = age >= 13 ? gi : 'cis';
  const assigned = sexAtBirth === 'F' ? 'female' : 'male';
  const other = sexAtBirth === 'F' ? 'male' : 'female';
  const unknownGender = rng.chance(0.005);
  const nonbinaryOther = rng.chance(0.6);
  const administrativeGender = unknownGender
    ? 'unknown'
    : genderIdentity === 'trans'
      ? other
      : genderIdentity === 'nonbinary' && nonbinaryOther
        ? 'other'
        : assigned;
  const sexRecord = rng.weighted<SexRecord>([
    ['us-core-sex', 58],
    ['individual-sex', 35],
    ['birthsex-only', 7],
  ]);
  const hasBirthSex = sexRecord === 'birthsex-only' || rng.chance(0.7);
  const birthSexUnknown = rng.chance(0.01);
  const birthSexCode = !hasBirthSex
    ? null
    : sexRecord !== 'birthsex-only' && birthSexUnknown
      ? 'UNK'
      : sexAtBirth;

  const race = drawRace(rng, background);
  const ethnicity = drawEthnicity(rng, background);
  const language = drawLanguage(rng, background);
  const nonEnglish = language !== null && !(language === 'en' || language.startsWith('en-'));
  const spanish = language !== null && (language === 'es' || language.startsWith('es-'));

  // Interpreter need: ~65% of non-English speakers, recorded in either of the two forms
  // (US Core 8 valueCoding, or the older core boolean); a few English speakers have an explicit "no".
  const needs = rng.chance(0.65);
  const usCoreForm = rng.chance(0.5);
  const explicitNo = rng.chance(0.15);
  const interpreter: InterpreterRecord = nonEnglish
    ? needs
      ? usCoreForm
        ? 'needed-us-core'
        : 'needed-core'
      : 'none'
    : language !== null && explicitNo
      ? usCoreForm
        ? 'not-needed-us-core'
        : 'not-needed-core'
      : 'none';

  const payer = drawPayer(rng, age, background, nonEnglish);
  const selfPayCoverage = rng.chance(0.6);
  const hasCoverage = payer !== 'uninsured' || selfPayCoverage;

  // SOGI (adults only): ~30% orientation not collected, ~8% declined, ~4% free text.
  const orientation = rng.weighted<SogiRecord['orientation']>([
    ['none', 30],
    ['declined', 8],
    ['text', 4],
    ['heterosexual', 52],
    ['homosexual', 3],
    ['bisexual', 3],
  ]);
  const identityExtension = rng.chance(0.45);
  const identityObservation = rng.chance(0.3);
  const sogi: SogiRecord =
    age >= 18
      ? { orientation, identityExtension, identityObservation }
      : { orientation: 'none', identityExtension: false, identityObservation: false };

  const facts: GroupFacts = {
    black: race.kind === 'coded' && race.omb.some((c) => c.code === OMB_RACE.black.code),
    hispanic: ethnicity.kind === 'coded' && ethnicity.omb?.code === OMB_ETHNICITY.hispanic.code,
    medicaid: payer === 'medicaid',
    uninsured: payer === 'uninsured',
    nonEnglish,
    spanish,
    interpreter: interpreter === 'needed-us-core' || interpreter === 'needed-core',
  };

  // Chronic conditions: prevalence by age, higher for Black and Hispanic patients (clinical reality).
  const raceRisk = background === 'black' || background === 'hispanic' ? 1.4 : 1;
  const diabetesP = age < 18 ? 0.003 : age < 45 ? 0.05 : age < 65 ? 0.16 : 0.24;
  const diabetes = rng.chance(diabetesP * raceRisk);
  const htnP = age < 18 ? 0 : age < 45 ? 0.12 : age < 65 ? 0.38 : 0.6;
  const hypertension = rng.chance(htnP * (background === 'black' ? 1.3 : 1));
  const depression = age >= 12 && rng.chance(0.1);

  // Hospital stays and deaths. A death in hospital ends the first stay; other deaths happen at home.
  const admitP = age < 18 ? 0.02 : age < 65 ? 0.08 : 0.16;
  const admitted = rng.chance(admitP);
  const diesInHospital = rng.chance(age >= 65 ? 0.07 : 0.04);
  // Deaths need age >= 3 so the death day (at most 900 days back) is always after birth.
  const inpatient: Outcomes['inpatient'] = !admitted
    ? 'none'
    : diesInHospital && age >= 3
      ? 'died'
      : 'survived';
  const diesElsewhere = inpatient !== 'died' && rng.chance(age >= 65 ? 0.03 : 0.005) && age >= 3;
  const deathOffset = rng.int(3, 900);
  const death =
    inpatient === 'died' || diesElsewhere
      ? { day: today - deathOffset, inHospital: inpatient === 'died' }
      : null;
  const asOf = death ? death.day : today;

  // Designed outcomes: each uses exactly the DESIGNED_DISPARITIES probability for this patient.
  const a1cPoor = rng.chance(designedProbability('hba1cPoorControl', facts));
  const bpControlled = rng.chance(designedProbability('bpControlled', facts));
  const recordedFemale = sexAtBirth === 'F';
  const mammogramDraw = rng.chance(designedProbability('breastCancerScreening', facts));
  const mammogram = recordedFemale && age >= 42 && age <= 74 && mammogramDraw;
  const colorectalDraw = rng.chance(designedProbability('colorectalScreening', facts));
  const colonoscopy = rng.chance(0.72);
  const colorectal =
    age >= 46 && age <= 75 && colorectalDraw ? (colonoscopy ? 'colonoscopy' : 'fit') : 'none';

  const screenedDraw = rng.chance(designedProbability('sdohScreened', facts));
  const screened = age >= 18 && screenedDraw;
  const poorer = payer === 'medicaid' || payer === 'uninsured' ? 1.7 : 1;
  const plan: ScreeningPlan = {
    // Screens fall 45–365 days before asOf so a 30-day referral window is always fully observed.
    day: asOf - rng.int(45, 365),
    instrument: rng.chance(0.2) ? 'prapare' : 'ahc',
    food: rng.chance(designedProbability('foodInsecurityPositive', facts)),
    housing: rng.weighted<HousingAnswer>([
      ['stable', 100 - 12 * poorer],
      ['worried', 9 * poorer],
      ['homeless', 3 * poorer],
    ]),
    transportation: rng.chance(0.1 * poorer),
    utilities: rng.chance(0.07 * poorer),
    safety: rng.chance(0.04),
    declined: rng.weighted<ScreeningPlan['declined']>([
      ['none', 94],
      ['safety', 3],
      ['housing', 1],
      ['transportation', 1],
      ['utilities', 1],
    ]),
  };
  const screening = screened ? plan : null;
  const declinedDraw = rng.chance(0.15);
  const declinedScreeningDay =
    age >= 18 && !screened && declinedDraw ? asOf - rng.int(45, 365) : null;
  const staleDraw = rng.chance(0.25);
  const staleScreeningDay = age >= 18 && staleDraw ? asOf - rng.int(420, 900) : null;

  const withinDraw = rng.chance(designedProbability('referralWithin30Days', facts));
  const laterDraw = rng.chance(0.35);
  const anyPositive = screening !== null && planPositiveDomains(screening).length > 0;
  const referral = !anyPositive ? 'none' : withinDraw ? 'within30' : laterDraw ? 'later' : 'none';

  const readmitDraw = rng.chance(designedProbability('readmission30Day', facts));
  const readmitted = inpatient === 'survived' && readmitDraw;

  const highRisk = (diabetes && a1cPoor) || inpatient !== 'none' || anyPositive;

  return {
    index,
    key,
    id: `pat-${key}`,
    background,
    birthDay,
    age,
    sexAtBirth,
    genderIdentity,
    administrativeGender,
    sexRecord,
    birthSexCode,
    race,
    ethnicity,
    language,
    interpreter,
    payer,
    hasCoverage,
    sogi,
    facts,
    death,
    asOf,
    diabetes,
    hypertension,
    depression,
    outcomes: {
      a1cPoor,
      bpControlled,
      mammogram,
      colorectal,
      screening,
      declinedScreeningDay,
      staleScreeningDay,
      referral,
      inpatient,
      readmitted,
    },
    highRisk,
  };
}
