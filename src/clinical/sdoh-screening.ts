// Social-needs screening instruments as data: which question LOINCs screen which domain, which
// answers are positive for each question, which answers mean the patient declined, and the pure
// functions that classify one answer and summarise a screening per domain.
//
// Source for every code below, unless a line says otherwise: ../shared/reference/sdoh.md §2
// (Gravity SDOH Clinical Care IG 2.3.0 `QuestionnaireHungerVitalSign.fsh`,
// `QuestionnairePRAPARE.fsh`, `assessment_instrument_support.md`; AHC positive answers from the
// NY SHIN-NY HRSN IG v1.4.5; LOINC answer list LL5876-9). Check every code against current
// LOINC/VSAC before shipping (sdoh.md header).
//
// Rule (sdoh.md §0.2): "positive" is decided from the (question LOINC, answer LA code) PAIR, never
// from the answer alone: LA33-6 "Yes" is positive for 93030-5 (transportation) but the positive
// answer to PRAPARE 93026-3 ("Do you feel safe?") is LA32-8 "No".
//
// Two views of the same knowledge:
// - the measures' view (SDOH-1, SDOH-2, SNS-E, the social-need strata): `SocialNeedDomain`,
//   `SCREENING_QUESTIONS`, `classifyScreeningAnswer`, `summariseScreening`, `readScreeningAnswer`.
//   Unchanged in behaviour: derived from the full table, restricted to its seven domains.
// - the patient view's social-needs strip: eleven domains (`SdohDomain`, `SDOH_SCREENING_ITEMS`,
//   `classifySdohAnswer`, `summariseSdohScreening`, `readSdohScreeningAnswer`), adding the AHC HRSN
//   supplemental and PRAPARE items for financial strain, employment, social isolation and stress.

import type { ObservationFact, PatientRecord } from './patient-record';

export const LOINC_SYSTEM = 'http://loinc.org';
export const DATA_ABSENT_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const SDOHCC_CATEGORY_SYSTEM =
  'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes';

/**
 * Social-need domains at the granularity the Gravity IG uses (SDOHCC-ValueSetSDOHCategory codes),
 * plus `interpersonal-safety`: the AHC HRSN domain, which the IG codes as
 * `intimate-partner-violence` or `sdoh-category-unspecified` + text (sdoh.md §2 table).
 */
export type SocialNeedDomain =
  | 'food-insecurity'
  | 'housing-instability'
  | 'homelessness'
  | 'inadequate-housing'
  | 'transportation-insecurity'
  | 'utility-insecurity'
  | 'interpersonal-safety';

export const SOCIAL_NEED_DOMAINS: readonly SocialNeedDomain[] = [
  'food-insecurity',
  'housing-instability',
  'homelessness',
  'inadequate-housing',
  'transportation-insecurity',
  'utility-insecurity',
  'interpersonal-safety',
];

/**
 * The four further domains of the patient view's strip, named by their SDOHCC category codes
 * (IG 2.3.0 SDOHCC-ValueSetSDOHCategory; sdoh.md §1.3): financial strain (`financial-insecurity`,
 * which here also holds PRAPARE's material-hardship items), employment (`employment-status`),
 * social isolation (`social-connection`) and stress (`stress`).
 */
export type SupplementalSdohDomain =
  'financial-insecurity' | 'employment-status' | 'social-connection' | 'stress';

/** The eleven domains of the patient view's social-needs strip (issue 8), in strip order. */
export type SdohDomain = SocialNeedDomain | SupplementalSdohDomain;

export const SDOH_DOMAINS: readonly SdohDomain[] = [
  ...SOCIAL_NEED_DOMAINS,
  'financial-insecurity',
  'employment-status',
  'social-connection',
  'stress',
];

/** Is the domain one of the seven the measures use? */
export function isSocialNeedDomain(domain: SdohDomain): domain is SocialNeedDomain {
  return SOCIAL_NEED_DOMAINS.some((d) => d === domain);
}

/**
 * The five core domains of CMS SDOH-1 / MIPS #487 and the AHC HRSN core tool (measures.md
 * "Social-needs measures"): food insecurity, housing instability, transportation needs, utility
 * difficulties, interpersonal safety. AHC's "housing instability" question 71802-3 counts both
 * "worried about losing it" and "no steady place" as positive, so the core `housing` domain rolls
 * up housing instability, homelessness and inadequate housing.
 */
export type CoreSdohDomain = 'food' | 'housing' | 'transportation' | 'utilities' | 'safety';

export const CORE_SDOH_DOMAINS: readonly CoreSdohDomain[] = [
  'food',
  'housing',
  'transportation',
  'utilities',
  'safety',
];

export function coreDomainOf(domain: SocialNeedDomain): CoreSdohDomain {
  switch (domain) {
    case 'food-insecurity':
      return 'food';
    case 'housing-instability':
    case 'homelessness':
    case 'inadequate-housing':
      return 'housing';
    case 'transportation-insecurity':
      return 'transportation';
    case 'utility-insecurity':
      return 'utilities';
    case 'interpersonal-safety':
      return 'safety';
  }
}

export type ScreeningInstrument = 'hunger-vital-sign' | 'ahc-hrsn' | 'prapare';

/** Answers meaning "asked, but no answer was given" (sdoh.md §2 HVS answers and §4 states). */
export const DECLINED_ANSWER_CODES: ReadonlySet<string> = new Set([
  'LA15775-2', // Don't know/refused (HVS answer list)
  'LA30122-8', // I choose not to answer this question (PRAPARE answer lists)
]);

/**
 * Answers the strip also reads as an incomplete screen (sdoh.md §4 "Screen incomplete or declined
 * to answer"): PRAPARE's "X" option on 93030-5 (IG 2.3.0 `QuestionnairePRAPARE.fsh`). The
 * measures' classifier (`classifyScreeningAnswer`) keeps reading it as a negative answer, as it
 * always has, so their results do not move; only `classifySdohAnswer` applies this.
 */
export const UNABLE_TO_RESPOND_ANSWER_CODES: ReadonlySet<string> = new Set([
  'LA30257-2', // Patient unable to respond
]);

/**
 * data-absent-reason codes read as a declined item. `asked-declined` is the SDOHCC / NY SHIN-NY
 * convention (sdoh.md §2); `asked-unknown` ("asked, patient did not know") is grouped with it, as
 * LA15775-2 "Don't know/refused" groups both. Any other reason (e.g. `not-asked`) is no screen.
 */
export const DECLINED_ABSENT_REASONS: ReadonlySet<string> = new Set([
  'asked-declined',
  'asked-unknown',
]);

/** AHC HRSN interpersonal safety: positive when 95618-5 + 95617-7 + 95616-9 + 95615-1 > 10 (sdoh.md §2). */
export const AHC_SAFETY_POSITIVE_ABOVE = 10;
export const AHC_SAFETY_TOTAL = '95614-4';
export const AHC_SAFETY_ITEMS: readonly string[] = ['95618-5', '95617-7', '95616-9', '95615-1'];

/**
 * AHC safety frequency scale, Never = 1 … Frequently = 5 (sdoh.md §2 "Never=1 … Frequently=5";
 * LA codes as used by the sandbox generator's AHC items, sandbox/generate/sdoh.ts).
 */
const AHC_SAFETY_SCORES: ReadonlyMap<string, number> = new Map([
  ['LA6270-8', 1], // Never
  ['LA10066-1', 2], // Rarely
  ['LA10082-8', 3], // Sometimes
  ['LA16644-9', 4], // Fairly often
  ['LA6482-9', 5], // Frequently
]);

export interface ScreeningQuestion {
  readonly loinc: string;
  readonly display: string;
  readonly instruments: readonly ScreeningInstrument[];
  /** Domains an answered item counts as screened for. */
  readonly domains: readonly SocialNeedDomain[];
  /** Answer LA code → the domains that answer is positive for. Any other answer is negative. */
  readonly positive: Readonly<Record<string, readonly SocialNeedDomain[]>>;
  /** Items that only contribute a score to a total (AHC safety): never positive on their own. */
  readonly scored?: true;
  /**
   * A result computed from other items (HVS 88124-3, AHC total 95614-4), not asked of the patient:
   * without a value it says nothing (no "declined"), and the items decide.
   */
  readonly calculated?: true;
}

/** One item of a listed instrument, over the strip's eleven domains. */
export interface SdohScreeningItem {
  readonly loinc: string;
  readonly display: string;
  readonly instruments: readonly ScreeningInstrument[];
  /** Domains an answered item counts as screened for. */
  readonly domains: readonly SdohDomain[];
  /** Answer LA code → the domains that answer is positive for. Any other answer is negative. */
  readonly positive: Readonly<Record<string, readonly SdohDomain[]>>;
  /** The answer list (LA code → display) as published for the instrument(s). */
  readonly answers: Readonly<Record<string, string>>;
  /**
   * Answers positive only where local policy says so (`SdohClassifyPolicy`), e.g. PRAPARE
   * 93029-7 "1 or 2 times a week" (sdoh.md §2: "[+LA30130-1 per local policy]").
   */
  readonly localPolicyPositive?: Readonly<Record<string, readonly SdohDomain[]>>;
  /** Answers that mean danger now (sdoh.md §4: the prompt is `critical`, not `warning`). */
  readonly critical?: readonly string[];
  readonly scored?: true;
  readonly calculated?: true;
}

const item = (q: SdohScreeningItem): [string, SdohScreeningItem] => [q.loinc, q];

const YES_NO = { 'LA33-6': 'Yes', 'LA32-8': 'No' } as const;
const CHOOSE_NOT = { 'LA30122-8': 'I choose not to answer this question' } as const;
const HVS_ANSWERS = {
  'LA28397-0': 'Often true',
  'LA6729-3': 'Sometimes true',
  'LA28398-8': 'Never true',
  'LA15775-2': "Don't know/refused",
} as const;
const AHC_FREQUENCY = {
  'LA6270-8': 'Never',
  'LA10066-1': 'Rarely',
  'LA10082-8': 'Sometimes',
  'LA16644-9': 'Fairly often',
  'LA6482-9': 'Frequently',
} as const;

const safetyItem = (loinc: string, display: string): [string, SdohScreeningItem] =>
  item({
    loinc,
    display,
    instruments: ['ahc-hrsn'],
    domains: ['interpersonal-safety'],
    positive: {},
    answers: AHC_FREQUENCY,
    scored: true,
  });

/** PRAPARE 93031-3 material-security choices that are neither food nor utilities. */
const MATERIAL_HARDSHIP_CHOICES: Readonly<Record<string, string>> = {
  'LA30126-9': 'Clothing',
  'LA30127-7': 'Child care',
  'LA30128-5': 'Medicine or any health care (medical, dental, mental health, vision)',
  'LA30129-3': 'Phone',
  'LA46-8': 'Other',
};

/**
 * Every item of the listed instruments, over the eleven strip domains. The first block is the
 * measures' seven-domain knowledge (sdoh.md §2 domain table); the second the supplemental items.
 */
export const SDOH_SCREENING_ITEMS: ReadonlyMap<string, SdohScreeningItem> = new Map([
  // Hunger Vital Sign (88121-9), also the AHC HRSN food items: positive if either item is Often
  // or Sometimes true; the calculated result 88124-3 is At risk (LA19952-3).
  item({
    loinc: '88122-7',
    display: 'Worried whether food would run out [HVS]',
    instruments: ['hunger-vital-sign', 'ahc-hrsn'],
    domains: ['food-insecurity'],
    positive: { 'LA28397-0': ['food-insecurity'], 'LA6729-3': ['food-insecurity'] },
    answers: HVS_ANSWERS,
  }),
  item({
    loinc: '88123-5',
    display: "Food didn't last [HVS]",
    instruments: ['hunger-vital-sign', 'ahc-hrsn'],
    domains: ['food-insecurity'],
    positive: { 'LA28397-0': ['food-insecurity'], 'LA6729-3': ['food-insecurity'] },
    answers: HVS_ANSWERS,
  }),
  item({
    loinc: '88124-3',
    display: 'Food insecurity risk [HVS]',
    instruments: ['hunger-vital-sign'],
    domains: ['food-insecurity'],
    positive: { 'LA19952-3': ['food-insecurity'] },
    answers: { 'LA19952-3': 'At risk', 'LA19983-8': 'No risk' },
    calculated: true,
  }),
  // PRAPARE 93031-3 "unable to get … when really needed" is multi-select: "Food" (LA30125-1) is
  // the food item, "Utilities" (LA30124-4) the utility item (sdoh.md §2; NCQA SNS-E FAQ 000023667).
  // The other material-security choices (clothing, child care, medicine, phone, other) are the
  // financial-strain / material-hardship item (sdoh.md §2 "financial-insecurity /
  // material-hardship … 93031-3 item chosen"; answer list from IG 2.3.0 QuestionnairePRAPARE).
  // Food and utilities are not counted twice as financial strain: they have their own domains.
  // One Observation per chosen item: an Observation for another item reads as negative for the
  // others, which a positive Observation for the same screening overrides (see summariseScreening).
  item({
    loinc: '93031-3',
    display: 'Unable to get when really needed [PRAPARE]',
    instruments: ['prapare'],
    domains: ['food-insecurity', 'utility-insecurity', 'financial-insecurity'],
    positive: {
      'LA30125-1': ['food-insecurity'],
      'LA30124-4': ['utility-insecurity'],
      ...Object.fromEntries(
        Object.keys(MATERIAL_HARDSHIP_CHOICES).map((code) => [code, ['financial-insecurity']]),
      ),
    },
    answers: {
      'LA30125-1': 'Food',
      'LA30124-4': 'Utilities',
      ...MATERIAL_HARDSHIP_CHOICES,
      ...CHOOSE_NOT,
    },
  }),
  // Housing status 71802-3 has two answer lists (sdoh.md §2 gotchas). AHC LL5876-9: LA31994-9
  // "place today, worried about losing it" = housing instability, LA31995-6 "no steady place" =
  // homelessness. Mapped by Gravity's domain definitions, NOT by the IG 2.3.0 example text, which
  // appears to swap them. PRAPARE: LA30190-5 "I do not have housing" = homelessness (IG StructureMap).
  // Both homelessness answers are "no housing tonight": critical (sdoh.md §4).
  item({
    loinc: '71802-3',
    display: 'Housing status',
    instruments: ['ahc-hrsn', 'prapare'],
    domains: ['housing-instability', 'homelessness'],
    positive: {
      'LA31994-9': ['housing-instability'],
      'LA31995-6': ['homelessness'],
      'LA30190-5': ['homelessness'],
    },
    answers: {
      'LA31993-1': 'I have a steady place to live',
      'LA31994-9': 'I have a place to live today, but I am worried about losing it in the future',
      'LA31995-6': 'I do not have a steady place to live',
      'LA30189-7': 'I have housing',
      'LA30190-5': 'I do not have housing',
      ...CHOOSE_NOT,
    },
    critical: ['LA31995-6', 'LA30190-5'],
  }),
  item({
    loinc: '93033-9',
    display: 'Worried about losing your housing [PRAPARE]',
    instruments: ['prapare'],
    domains: ['housing-instability'],
    positive: { 'LA33-6': ['housing-instability'] },
    answers: { ...YES_NO, ...CHOOSE_NOT },
  }),
  // AHC 96778-6 housing problems, check all that apply; LA9-3 "None of the above" is negative.
  item({
    loinc: '96778-6',
    display: 'Problems with place you live [AHC HRSN]',
    instruments: ['ahc-hrsn'],
    domains: ['inadequate-housing'],
    positive: Object.fromEntries(
      [
        'LA31996-4', // pests
        'LA28580-1', // mold
        'LA31997-2', // lead paint or pipes
        'LA31998-0', // lack of heat
        'LA31999-8', // oven or stove not working
        'LA32000-4', // smoke detectors missing or not working
        'LA32001-2', // water leaks
      ].map((code) => [code, ['inadequate-housing'] as const]),
    ),
    answers: {
      'LA31996-4': 'Pests such as bugs, ants, or mice',
      'LA28580-1': 'Mold',
      'LA31997-2': 'Lead paint or pipes',
      'LA31998-0': 'Lack of heat',
      'LA31999-8': 'Oven or stove not working',
      'LA32000-4': 'Smoke detectors missing or not working',
      'LA32001-2': 'Water leaks',
      'LA9-3': 'None of the above',
    },
  }),
  // 93030-5: AHC Yes/No list (LA33-6 Yes) and PRAPARE's two "Yes, it has kept me…" answers.
  item({
    loinc: '93030-5',
    display: 'Lack of transportation kept you from appointments or daily living',
    instruments: ['ahc-hrsn', 'prapare'],
    domains: ['transportation-insecurity'],
    positive: {
      'LA33-6': ['transportation-insecurity'],
      'LA30133-5': ['transportation-insecurity'],
      'LA30134-3': ['transportation-insecurity'],
    },
    answers: {
      ...YES_NO,
      'LA30133-5': 'Yes, it has kept me from medical appointments or from getting my medications',
      'LA30134-3':
        'Yes, it has kept me from non-medical meetings, appointments, work, or from getting things that I need',
      'LA30257-2': 'Patient unable to respond',
    },
  }),
  item({
    loinc: '96779-4',
    display: 'Utility company threatened to shut off services [AHC HRSN]',
    instruments: ['ahc-hrsn'],
    domains: ['utility-insecurity'],
    positive: { 'LA33-6': ['utility-insecurity'], 'LA32002-0': ['utility-insecurity'] },
    answers: { ...YES_NO, 'LA32002-0': 'Already shut off' },
  }),
  // AHC safety: four frequency items scored 1–5; positive only through the total (> 10).
  safetyItem('95618-5', 'How often does anyone physically hurt you [AHC HRSN]'),
  safetyItem('95617-7', 'How often does anyone insult or talk down to you [AHC HRSN]'),
  safetyItem('95616-9', 'How often does anyone threaten you with harm [AHC HRSN]'),
  safetyItem('95615-1', 'How often does anyone scream or curse at you [AHC HRSN]'),
  item({
    loinc: AHC_SAFETY_TOTAL,
    display: 'Total safety score [AHC HRSN]',
    instruments: ['ahc-hrsn'],
    domains: ['interpersonal-safety'],
    positive: {},
    answers: {},
    calculated: true,
  }),
  // PRAPARE safety: 93026-3 "Do you feel physically and emotionally safe…" — "No" is positive;
  // 76501-6 "afraid of your partner or ex-partner" — "Yes" is positive.
  item({
    loinc: '93026-3',
    display: 'Do you feel physically and emotionally safe where you live [PRAPARE]',
    instruments: ['prapare'],
    domains: ['interpersonal-safety'],
    positive: { 'LA32-8': ['interpersonal-safety'] },
    answers: { ...YES_NO, 'LA14072-5': 'Unsure', ...CHOOSE_NOT },
  }),
  item({
    loinc: '76501-6',
    display: 'Afraid of your partner or ex-partner [PRAPARE]',
    instruments: ['prapare'],
    domains: ['interpersonal-safety'],
    positive: { 'LA33-6': ['interpersonal-safety'] },
    answers: { ...YES_NO, ...CHOOSE_NOT },
  }),

  // ---- the strip's supplemental domains ---------------------------------------------------
  // AHC supplemental financial strain 76513-1 (sdoh.md §2 "Very hard/Somewhat hard (check the
  // answer list)"). Answer list checked: the AHC tool offers LA15832-1 Very hard, LA22683-9
  // Somewhat hard, LA31980-8 Not hard at all (US Core 5.0.1 example
  // Observation-AHC-HRSN-item-example-76513-1; NY SHIN-NY HRSN answer validation); the older
  // LOINC list for the same question adds LA14745-6 Hard and LA22682-1 Not very hard (seen in
  // published Questionnaires). "Hard" sits between the two positive answers, so it is positive.
  item({
    loinc: '76513-1',
    display: 'How hard is it to pay for the very basics [AHC HRSN]',
    instruments: ['ahc-hrsn'],
    domains: ['financial-insecurity'],
    positive: {
      'LA15832-1': ['financial-insecurity'],
      'LA14745-6': ['financial-insecurity'],
      'LA22683-9': ['financial-insecurity'],
    },
    answers: {
      'LA15832-1': 'Very hard',
      'LA14745-6': 'Hard',
      'LA22683-9': 'Somewhat hard',
      'LA22682-1': 'Not very hard',
      'LA31980-8': 'Not hard at all',
    },
  }),
  // AHC supplemental employment 96780-2: either "Yes, help …" answer (sdoh.md §2 LA31981-6 /
  // LA31982-4); LA31983-2 "I do not need or want help" is negative.
  item({
    loinc: '96780-2',
    display: 'Do you want help finding or keeping work or a job [AHC HRSN]',
    instruments: ['ahc-hrsn'],
    domains: ['employment-status'],
    positive: { 'LA31981-6': ['employment-status'], 'LA31982-4': ['employment-status'] },
    answers: {
      'LA31981-6': 'Yes, help finding work',
      'LA31982-4': 'Yes, help keeping work',
      'LA31983-2': 'I do not need or want help',
    },
  }),
  // PRAPARE employment status 67875-5: LA17956-6 Unemployed (sdoh.md §2; the IG's PRAPARE
  // StructureMap creates Z56.0 from it). "Otherwise unemployed but not seeking work" is not a need.
  item({
    loinc: '67875-5',
    display: 'Employment status current [PRAPARE]',
    instruments: ['prapare'],
    domains: ['employment-status'],
    positive: { 'LA17956-6': ['employment-status'] },
    answers: {
      'LA17956-6': 'Unemployed',
      'LA30138-4': 'Part-time or temporary work',
      'LA30136-8': 'Full-time work',
      'LA30137-6': 'Otherwise unemployed but not seeking work',
      ...CHOOSE_NOT,
    },
  }),
  // PRAPARE social integration 93029-7: LA27722-0 "Less than once a week"; LA30130-1 "1 or 2
  // times a week" only under local policy (sdoh.md §2). Answer list: IG 2.3.0 QuestionnairePRAPARE.
  item({
    loinc: '93029-7',
    display: 'How often do you see or talk to people you care about [PRAPARE]',
    instruments: ['prapare'],
    domains: ['social-connection'],
    positive: { 'LA27722-0': ['social-connection'] },
    localPolicyPositive: { 'LA30130-1': ['social-connection'] },
    answers: {
      'LA27722-0': 'Less than once a week',
      'LA30130-1': '1 or 2 times a week',
      'LA30131-9': '3 to 5 times a week',
      'LA30132-7': '5 or more times a week',
      ...CHOOSE_NOT,
    },
  }),
  // AHC supplemental loneliness 93159-2 "How often do you feel lonely or isolated…". NOT in the
  // sdoh.md table: answer codes from the LOINC list as validated by the NY SHIN-NY HRSN tooling;
  // positive answers Often / Always are the AHC tool's underlined answers (CMS AHC screening tool)
  // and are unconfirmed against the reference: check before shipping.
  item({
    loinc: '93159-2',
    display: 'How often do you feel lonely or isolated [AHC HRSN]',
    instruments: ['ahc-hrsn'],
    domains: ['social-connection'],
    positive: { 'LA10044-8': ['social-connection'], 'LA9933-8': ['social-connection'] },
    answers: {
      'LA6270-8': 'Never',
      'LA10066-1': 'Rarely',
      'LA10082-8': 'Sometimes',
      'LA10044-8': 'Often',
      'LA9933-8': 'Always',
    },
  }),
  // Stress 93038-8 (PRAPARE; sdoh.md §2): LA13902-4 Quite a bit, LA13914-9 Very much.
  item({
    loinc: '93038-8',
    display: 'How stressed are you [PRAPARE]',
    instruments: ['prapare'],
    domains: ['stress'],
    positive: { 'LA13902-4': ['stress'], 'LA13914-9': ['stress'] },
    answers: {
      'LA6568-5': 'Not at all',
      'LA13863-8': 'A little bit',
      'LA13909-9': 'Somewhat',
      'LA13902-4': 'Quite a bit',
      'LA13914-9': 'Very much',
      ...CHOOSE_NOT,
    },
  }),
]);

/** The measures' seven-domain view of one item, or undefined when it screens none of them. */
function socialNeedQuestionOf(full: SdohScreeningItem): ScreeningQuestion | undefined {
  const domains = full.domains.filter(isSocialNeedDomain);
  if (domains.length === 0) return undefined;
  const positive: Record<string, readonly SocialNeedDomain[]> = {};
  for (const [code, ds] of Object.entries(full.positive)) {
    const kept = ds.filter(isSocialNeedDomain);
    if (kept.length > 0) positive[code] = kept;
  }
  return {
    loinc: full.loinc,
    display: full.display,
    instruments: full.instruments,
    domains,
    positive,
    ...(full.scored === true ? { scored: true as const } : {}),
    ...(full.calculated === true ? { calculated: true as const } : {}),
  };
}

/** The listed instruments' questions over the measures' seven domains (sdoh.md §2). */
export const SCREENING_QUESTIONS: ReadonlyMap<string, ScreeningQuestion> = new Map(
  [...SDOH_SCREENING_ITEMS.values()].flatMap((full): [string, ScreeningQuestion][] => {
    const q = socialNeedQuestionOf(full);
    return q === undefined ? [] : [[q.loinc, q]];
  }),
);

/**
 * Panel (grouping) codes of the listed instruments: a panel Observation groups its items through
 * `hasMember` (or components), a QuestionnaireResponse's top group carries the code (sdoh.md §2
 * "Instruments"; PRAPARE section groups from IG 2.3.0 QuestionnairePRAPARE).
 */
export const SCREENING_PANELS: ReadonlyMap<string, ScreeningInstrument> = new Map([
  ['88121-9', 'hunger-vital-sign'], // Hunger Vital Sign
  ['96777-8', 'ahc-hrsn'], // AHC HRSN core
  ['97023-6', 'ahc-hrsn'], // AHC HRSN supplemental
  ['93025-5', 'prapare'], // PRAPARE
  ['93043-8', 'prapare'], // PRAPARE: personal characteristics
  ['93042-0', 'prapare'], // PRAPARE: family and home
  ['93041-2', 'prapare'], // PRAPARE: money and resources
  ['93040-4', 'prapare'], // PRAPARE: social and emotional health
  ['93039-6', 'prapare'], // PRAPARE: optional additional questions
]);

/** What a screening item holds: LOINC answer code(s), a number, or a data-absent-reason. */
export type ScreeningAnswerValue =
  | { kind: 'coded'; codes: readonly string[] }
  | { kind: 'number'; value: number }
  | { kind: 'absent'; reason: string };

export interface ScreeningAnswer {
  /** The question's LOINC code (Observation.code). */
  question: string;
  value: ScreeningAnswerValue;
}

export type ScreeningResult = 'positive' | 'negative' | 'declined';

/** One classified item over a set of domains D (the measures' seven, or the strip's eleven). */
export type ScreeningFindingOf<D extends SdohDomain> =
  | { kind: 'result'; domain: D; question: string; result: ScreeningResult }
  /** An AHC safety item's 1–5 score: decides nothing alone, see summariseScreening. */
  | { kind: 'score'; domain: 'interpersonal-safety'; question: string; score: number };

export type ScreeningFinding = ScreeningFindingOf<SocialNeedDomain>;
export type SdohFinding = ScreeningFindingOf<SdohDomain>;

/** The part of an item the classifier needs, for either view. */
interface ClassifiableItem<D extends SdohDomain> {
  readonly loinc: string;
  readonly domains: readonly D[];
  readonly positive: Readonly<Record<string, readonly D[]>>;
  readonly scored?: true;
  readonly calculated?: true;
}

function classifyWith<D extends SdohDomain>(
  q: ClassifiableItem<D>,
  value: ScreeningAnswerValue,
  declinedCodes: (code: string) => boolean,
  extraPositive: Readonly<Record<string, readonly D[]>>,
): ScreeningFindingOf<D>[] {
  const resultFor = (result: (domain: D) => ScreeningResult): ScreeningFindingOf<D>[] =>
    q.domains.map((domain) => ({
      kind: 'result',
      domain,
      question: q.loinc,
      result: result(domain),
    }));

  switch (value.kind) {
    case 'absent':
      return DECLINED_ABSENT_REASONS.has(value.reason) && q.calculated !== true
        ? resultFor(() => 'declined')
        : [];
    case 'number':
      if (q.scored === true) {
        return [
          { kind: 'score', domain: 'interpersonal-safety', question: q.loinc, score: value.value },
        ];
      }
      if (q.loinc === AHC_SAFETY_TOTAL) {
        return resultFor(() => (value.value > AHC_SAFETY_POSITIVE_ABOVE ? 'positive' : 'negative'));
      }
      return [];
    case 'coded': {
      if (value.codes.length === 0) return [];
      if (value.codes.every(declinedCodes)) return resultFor(() => 'declined');
      if (q.scored === true) {
        const score = value.codes
          .map((code) => AHC_SAFETY_SCORES.get(code))
          .find((s) => s !== undefined);
        return score === undefined
          ? []
          : [{ kind: 'score', domain: 'interpersonal-safety', question: q.loinc, score }];
      }
      const positive = new Set(
        value.codes.flatMap((code) => [
          ...(q.positive[code] ?? []),
          ...(extraPositive[code] ?? []),
        ]),
      );
      return resultFor((domain) => (positive.has(domain) ? 'positive' : 'negative'));
    }
  }
}

/**
 * Classifies one screening answer. Returns one finding per domain the question screens (71802-3
 * screens two), or `[]` when the question is not one of the listed instruments' or the item was
 * not asked (a data-absent-reason other than a decline).
 */
export function classifyScreeningAnswer(answer: ScreeningAnswer): ScreeningFinding[] {
  const q = SCREENING_QUESTIONS.get(answer.question);
  if (q === undefined) return [];
  return classifyWith(q, answer.value, (code) => DECLINED_ANSWER_CODES.has(code), {});
}

/** Local choices the reference leaves open (sdoh.md §2). */
export interface SdohClassifyPolicy {
  /** PRAPARE 93029-7 "1 or 2 times a week" (LA30130-1) counts as social isolation. Default false. */
  weeklyContactIsIsolation?: boolean;
}

/**
 * The strip's classifier: like classifyScreeningAnswer, over the eleven domains and every item of
 * SDOH_SCREENING_ITEMS. Also reads PRAPARE "Patient unable to respond" as an incomplete screen
 * (declined), see UNABLE_TO_RESPOND_ANSWER_CODES.
 */
export function classifySdohAnswer(
  answer: ScreeningAnswer,
  policy: SdohClassifyPolicy = {},
): SdohFinding[] {
  const q = SDOH_SCREENING_ITEMS.get(answer.question);
  if (q === undefined) return [];
  const extra = policy.weeklyContactIsIsolation === true ? (q.localPolicyPositive ?? {}) : {};
  return classifyWith(
    q,
    answer.value,
    (code) => DECLINED_ANSWER_CODES.has(code) || UNABLE_TO_RESPOND_ANSWER_CODES.has(code),
    extra,
  );
}

/**
 * Is this answer one that means danger now (sdoh.md §4: "critical only for a safety score > 10 or
 * 'no housing tonight'")? The safety score is judged on the summarised screening, not here.
 */
export function isCriticalScreeningAnswer(question: string, codes: readonly string[]): boolean {
  const critical = SDOH_SCREENING_ITEMS.get(question)?.critical ?? [];
  return codes.some((code) => critical.includes(code));
}

function summariseFindings<D extends SdohDomain>(
  findings: readonly ScreeningFindingOf<D>[],
): Map<D | 'interpersonal-safety', ScreeningResult> {
  const out = new Map<D | 'interpersonal-safety', ScreeningResult>();
  const merge = (domain: D | 'interpersonal-safety', result: ScreeningResult): void => {
    out.set(domain, strongerResult(out.get(domain), result));
  };
  const scores = new Map<string, number>();
  for (const f of findings) {
    if (f.kind === 'result') merge(f.domain, f.result);
    else scores.set(f.question, Math.max(scores.get(f.question) ?? 0, f.score));
  }
  if (scores.size > 0 && out.get('interpersonal-safety') !== 'positive') {
    const total = [...scores.values()].reduce((sum, s) => sum + s, 0);
    const complete = AHC_SAFETY_ITEMS.every((q) => scores.has(q));
    if (total > AHC_SAFETY_POSITIVE_ABOVE) merge('interpersonal-safety', 'positive');
    else if (complete) merge('interpersonal-safety', 'negative');
  }
  return out;
}

/**
 * Per-domain result of one screening (the answers of one screening event, or of a window):
 * positive if any item is positive; else negative if any item was answered; else declined.
 * AHC safety without a result item is decided by summing the four item scores: positive once the
 * answered items exceed 10, negative when all four are answered, declined otherwise if any was
 * declined. Domains with no finding are absent from the map: not screened.
 */
export function summariseScreening(
  findings: readonly ScreeningFinding[],
): Map<SocialNeedDomain, ScreeningResult> {
  return summariseFindings(findings);
}

/** summariseScreening over the strip's eleven domains. */
export function summariseSdohScreening(
  findings: readonly SdohFinding[],
): Map<SdohDomain, ScreeningResult> {
  return summariseFindings(findings);
}

/**
 * The AHC safety score of one screening's findings: the total item (95614-4) when given, else the
 * sum of the four item scores; undefined when neither was answered.
 */
export function ahcSafetyScore(
  findings: readonly SdohFinding[],
  totals: readonly number[],
): number | undefined {
  if (totals.length > 0) return Math.max(...totals);
  const scores = new Map<string, number>();
  for (const f of findings) {
    if (f.kind === 'score') scores.set(f.question, Math.max(scores.get(f.question) ?? 0, f.score));
  }
  return scores.size === 0 ? undefined : [...scores.values()].reduce((sum, s) => sum + s, 0);
}

function strongerResult(
  current: ScreeningResult | undefined,
  next: ScreeningResult,
): ScreeningResult {
  const rank: Record<ScreeningResult, number> = { declined: 0, negative: 1, positive: 2 };
  return current === undefined || rank[next] > rank[current] ? next : current;
}

/** Rolls fine domains up to the five core domains (positive beats negative beats declined). */
export function coreDomainResults(
  summary: ReadonlyMap<SocialNeedDomain, ScreeningResult>,
): Map<CoreSdohDomain, ScreeningResult> {
  const out = new Map<CoreSdohDomain, ScreeningResult>();
  for (const [domain, result] of summary) {
    const core = coreDomainOf(domain);
    out.set(core, strongerResult(out.get(core), result));
  }
  return out;
}

/** The value[x] / dataAbsentReason an Observation or one of its components carries. */
export interface ScreeningValueHolder {
  valueCodeableConcept?: fhir4.CodeableConcept;
  valueInteger?: number;
  valueQuantity?: fhir4.Quantity;
  dataAbsentReason?: fhir4.CodeableConcept;
}

/** The (question, answer) of a value holder whose question is already known. */
export function screeningAnswerOf(
  question: string,
  holder: ScreeningValueHolder,
): ScreeningAnswer | undefined {
  if (holder.valueCodeableConcept !== undefined) {
    const codes = (holder.valueCodeableConcept.coding ?? [])
      .filter((c) => c.system === LOINC_SYSTEM && c.code !== undefined)
      .map((c) => c.code ?? '');
    return { question, value: { kind: 'coded', codes } };
  }
  if (typeof holder.valueInteger === 'number') {
    return { question, value: { kind: 'number', value: holder.valueInteger } };
  }
  if (typeof holder.valueQuantity?.value === 'number') {
    return { question, value: { kind: 'number', value: holder.valueQuantity.value } };
  }
  const reason = holder.dataAbsentReason?.coding?.find(
    (c) => c.system === DATA_ABSENT_REASON_SYSTEM,
  )?.code;
  if (reason !== undefined) return { question, value: { kind: 'absent', reason } };
  return undefined;
}

function isScreeningResultStatus(status: string): boolean {
  return status === 'final' || status === 'amended' || status === 'corrected';
}

/**
 * Reads the (question, answer) of a US Core screening-assessment Observation (one item per
 * Observation, sdoh.md §2 "US Core representation"). Only `final`, `amended` and `corrected`
 * Observations are screening results; a panel Observation (no value) yields undefined.
 */
export function readScreeningAnswer(obs: fhir4.Observation): ScreeningAnswer | undefined {
  if (!isScreeningResultStatus(obs.status)) return undefined;
  const question = obs.code.coding?.find(
    (c) => c.system === LOINC_SYSTEM && c.code !== undefined && SCREENING_QUESTIONS.has(c.code),
  )?.code;
  if (question === undefined) return undefined;
  return screeningAnswerOf(question, obs);
}

/** readScreeningAnswer over every item of SDOH_SCREENING_ITEMS (the strip's eleven domains). */
export function readSdohScreeningAnswer(obs: fhir4.Observation): ScreeningAnswer | undefined {
  if (!isScreeningResultStatus(obs.status)) return undefined;
  const question = sdohItemCodeOf(obs.code);
  if (question === undefined) return undefined;
  return screeningAnswerOf(question, obs);
}

/** The LOINC item code of a concept, when it is one of SDOH_SCREENING_ITEMS. */
export function sdohItemCodeOf(concept: fhir4.CodeableConcept | undefined): string | undefined {
  return concept?.coding?.find(
    (c) => c.system === LOINC_SYSTEM && c.code !== undefined && SDOH_SCREENING_ITEMS.has(c.code),
  )?.code;
}

/**
 * The same reading on the compact record (./patient-record.ts): codes are `system|code` keys.
 * Hazard: the record's `absent` value does not (yet) carry the data-absent-reason code; a listed
 * screening item that is final but has no value is read as `asked-declined`, the only absent
 * reason the SDOHCC convention writes for an item that was asked (sdoh.md §2).
 */
export function readScreeningFact(fact: ObservationFact): ScreeningAnswer | undefined {
  if (!isScreeningResultStatus(fact.status)) return undefined;
  const question = fact.codes
    .map((key) => loincOf(key))
    .find((code) => code !== undefined && SCREENING_QUESTIONS.has(code));
  if (question === undefined) return undefined;
  const v = fact.value;
  switch (v.kind) {
    case 'concept':
      return {
        question,
        value: {
          kind: 'coded',
          codes: v.codes.map(loincOf).filter((c): c is string => c !== undefined),
        },
      };
    case 'quantity':
    case 'integer':
      return { question, value: { kind: 'number', value: v.value } };
    case 'absent': {
      const reason = v.reason ?? 'asked-declined';
      return { question, value: { kind: 'absent', reason } };
    }
    case 'other':
      return undefined;
  }
}

function loincOf(key: string): string | undefined {
  const prefix = `${LOINC_SYSTEM}|`;
  return key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
}

/** One classified screening item with when it was answered and the resource that holds it. */
export interface DatedFinding {
  finding: ScreeningFinding;
  /** Epoch ms: effective start (or end), else issued. */
  time: number;
  ref: string;
}

/** Every finding of the record's screening items whose time lies in [from, to] (epoch ms). */
export function readScreeningFindings(
  record: Pick<PatientRecord, 'observations'>,
  from: number,
  to: number,
): DatedFinding[] {
  const out: DatedFinding[] = [];
  for (const fact of record.observations) {
    const answer = readScreeningFact(fact);
    if (answer === undefined) continue;
    const time = fact.effective?.start ?? fact.effective?.end ?? fact.issued;
    if (time === null || time === undefined || time < from || time > to) continue;
    for (const finding of classifyScreeningAnswer(answer))
      out.push({ finding, time, ref: fact.ref });
  }
  return out.sort((a, b) => a.time - b.time);
}

// ---------------------------------------------------------------- interventions

/**
 * Intervention codes per domain: ServiceRequest/Procedure codes a measure counts as acting on a
 * positive screen (HEDIS SNS-E intervention types; sdoh.md §2 "Typical SR code", from the Gravity
 * RI and IG examples, SNOMED CT). The IG binds each domain to a VSAC ServiceRequest value set (OID
 * prefix 2.16.840.1.113762.1.4.1247.); these lists are the examples, not the expansions.
 */
export const INTERVENTION_CODES: Readonly<Record<CoreSdohDomain, readonly string[]>> = {
  food: [
    '713109004', // Referral to community meals service
    '467771000124109', // Assistance with application for food pantry program
    '710925007', // Provision of food
    '103699006', // Referral to dietitian
  ],
  housing: [
    '710911006', // Referral to housing service
    '225340009', // Housing assessment
  ],
  transportation: [
    '428632005', // Transportation request
    '410365006', // Transportation case management
    '462481000124102', // Referral to Community Action Agency program
  ],
  utilities: [],
  safety: [],
};

/**
 * Referrals that fit any domain (sdoh.md §2, "Cross-domain referrals … (IG/RI)"). They count for a
 * domain only when the request carries that domain's SDOHCC category.
 */
export const CROSS_DOMAIN_INTERVENTION_CODES: readonly string[] = [
  '308440001', // Referral to social worker
  '464131000124100', // Referral to community health worker
  '464021000124104', // Referral to care navigator
  '464161000124109', // Referral to community resource network program
];

/** SDOHCC category codes that place a ServiceRequest/Procedure in a core domain (IG 2.3.0). */
export const SDOHCC_CATEGORY_DOMAINS: ReadonlyMap<string, CoreSdohDomain> = new Map([
  ['food-insecurity', 'food'],
  ['housing-instability', 'housing'],
  ['homelessness', 'housing'],
  ['inadequate-housing', 'housing'],
  ['transportation-insecurity', 'transportation'],
  ['utility-insecurity', 'utilities'],
  ['intimate-partner-violence', 'safety'],
]);

/**
 * The core domains an intervention (its SNOMED codes and SDOHCC category codes) acts on: a
 * domain-specific code counts for its domain; a cross-domain referral for the domains its
 * categories name.
 */
export function interventionDomains(
  snomedCodes: readonly string[],
  sdohccCategories: readonly string[],
): Set<CoreSdohDomain> {
  const out = new Set<CoreSdohDomain>();
  for (const domain of CORE_SDOH_DOMAINS) {
    if (snomedCodes.some((code) => INTERVENTION_CODES[domain].includes(code))) out.add(domain);
  }
  if (snomedCodes.some((code) => CROSS_DOMAIN_INTERVENTION_CODES.includes(code))) {
    for (const category of sdohccCategories) {
      const domain = SDOHCC_CATEGORY_DOMAINS.get(category);
      if (domain !== undefined) out.add(domain);
    }
  }
  return out;
}
