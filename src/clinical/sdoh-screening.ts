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

const question = (q: ScreeningQuestion): [string, ScreeningQuestion] => [q.loinc, q];

const safetyItem = (loinc: string, display: string): [string, ScreeningQuestion] =>
  question({
    loinc,
    display,
    instruments: ['ahc-hrsn'],
    domains: ['interpersonal-safety'],
    positive: {},
    scored: true,
  });

/** The listed instruments' questions (sdoh.md §2 "Instruments" and domain table). */
export const SCREENING_QUESTIONS: ReadonlyMap<string, ScreeningQuestion> = new Map([
  // Hunger Vital Sign (88121-9), also the AHC HRSN food items: positive if either item is Often
  // or Sometimes true; the calculated result 88124-3 is At risk (LA19952-3).
  question({
    loinc: '88122-7',
    display: 'Worried whether food would run out [HVS]',
    instruments: ['hunger-vital-sign', 'ahc-hrsn'],
    domains: ['food-insecurity'],
    positive: { 'LA28397-0': ['food-insecurity'], 'LA6729-3': ['food-insecurity'] },
  }),
  question({
    loinc: '88123-5',
    display: "Food didn't last [HVS]",
    instruments: ['hunger-vital-sign', 'ahc-hrsn'],
    domains: ['food-insecurity'],
    positive: { 'LA28397-0': ['food-insecurity'], 'LA6729-3': ['food-insecurity'] },
  }),
  question({
    loinc: '88124-3',
    display: 'Food insecurity risk [HVS]',
    instruments: ['hunger-vital-sign'],
    domains: ['food-insecurity'],
    positive: { 'LA19952-3': ['food-insecurity'] },
    calculated: true,
  }),
  // PRAPARE 93031-3 "unable to get … when really needed" is multi-select: "Food" (LA30125-1) is
  // the food item, "Utilities" (LA30124-4) the utility item (sdoh.md §2; NCQA SNS-E FAQ 000023667).
  // One Observation per chosen item: an Observation for another item reads as negative for both,
  // which a positive Observation for the same screening overrides (see summariseScreening).
  question({
    loinc: '93031-3',
    display: 'Unable to get when really needed [PRAPARE]',
    instruments: ['prapare'],
    domains: ['food-insecurity', 'utility-insecurity'],
    positive: { 'LA30125-1': ['food-insecurity'], 'LA30124-4': ['utility-insecurity'] },
  }),
  // Housing status 71802-3 has two answer lists (sdoh.md §2 gotchas). AHC LL5876-9: LA31994-9
  // "place today, worried about losing it" = housing instability, LA31995-6 "no steady place" =
  // homelessness. Mapped by Gravity's domain definitions, NOT by the IG 2.3.0 example text, which
  // appears to swap them. PRAPARE: LA30190-5 "I do not have housing" = homelessness (IG StructureMap).
  question({
    loinc: '71802-3',
    display: 'Housing status',
    instruments: ['ahc-hrsn', 'prapare'],
    domains: ['housing-instability', 'homelessness'],
    positive: {
      'LA31994-9': ['housing-instability'],
      'LA31995-6': ['homelessness'],
      'LA30190-5': ['homelessness'],
    },
  }),
  question({
    loinc: '93033-9',
    display: 'Worried about losing your housing [PRAPARE]',
    instruments: ['prapare'],
    domains: ['housing-instability'],
    positive: { 'LA33-6': ['housing-instability'] },
  }),
  // AHC 96778-6 housing problems, check all that apply; LA9-3 "None of the above" is negative.
  question({
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
  }),
  // 93030-5: AHC Yes/No list (LA33-6 Yes) and PRAPARE's two "Yes, it has kept me…" answers.
  question({
    loinc: '93030-5',
    display: 'Lack of transportation kept you from appointments or daily living',
    instruments: ['ahc-hrsn', 'prapare'],
    domains: ['transportation-insecurity'],
    positive: {
      'LA33-6': ['transportation-insecurity'],
      'LA30133-5': ['transportation-insecurity'],
      'LA30134-3': ['transportation-insecurity'],
    },
  }),
  question({
    loinc: '96779-4',
    display: 'Utility company threatened to shut off services [AHC HRSN]',
    instruments: ['ahc-hrsn'],
    domains: ['utility-insecurity'],
    positive: { 'LA33-6': ['utility-insecurity'], 'LA32002-0': ['utility-insecurity'] },
  }),
  // AHC safety: four frequency items scored 1–5; positive only through the total (> 10).
  safetyItem('95618-5', 'How often does anyone physically hurt you [AHC HRSN]'),
  safetyItem('95617-7', 'How often does anyone insult or talk down to you [AHC HRSN]'),
  safetyItem('95616-9', 'How often does anyone threaten you with harm [AHC HRSN]'),
  safetyItem('95615-1', 'How often does anyone scream or curse at you [AHC HRSN]'),
  question({
    loinc: AHC_SAFETY_TOTAL,
    display: 'Total safety score [AHC HRSN]',
    instruments: ['ahc-hrsn'],
    domains: ['interpersonal-safety'],
    positive: {},
    calculated: true,
  }),
  // PRAPARE safety: 93026-3 "Do you feel physically and emotionally safe…" — "No" is positive;
  // 76501-6 "afraid of your partner or ex-partner" — "Yes" is positive.
  question({
    loinc: '93026-3',
    display: 'Do you feel physically and emotionally safe where you live [PRAPARE]',
    instruments: ['prapare'],
    domains: ['interpersonal-safety'],
    positive: { 'LA32-8': ['interpersonal-safety'] },
  }),
  question({
    loinc: '76501-6',
    display: 'Afraid of your partner or ex-partner [PRAPARE]',
    instruments: ['prapare'],
    domains: ['interpersonal-safety'],
    positive: { 'LA33-6': ['interpersonal-safety'] },
  }),
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

export type ScreeningFinding =
  | { kind: 'result'; domain: SocialNeedDomain; question: string; result: ScreeningResult }
  /** An AHC safety item's 1–5 score: decides nothing alone, see summariseScreening. */
  | { kind: 'score'; domain: 'interpersonal-safety'; question: string; score: number };

/**
 * Classifies one screening answer. Returns one finding per domain the question screens (71802-3
 * screens two), or `[]` when the question is not one of the listed instruments' or the item was
 * not asked (a data-absent-reason other than a decline).
 */
export function classifyScreeningAnswer(answer: ScreeningAnswer): ScreeningFinding[] {
  const q = SCREENING_QUESTIONS.get(answer.question);
  if (q === undefined) return [];
  const value = answer.value;
  const resultFor = (result: (domain: SocialNeedDomain) => ScreeningResult): ScreeningFinding[] =>
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
      if (value.codes.every((code) => DECLINED_ANSWER_CODES.has(code))) {
        return resultFor(() => 'declined');
      }
      if (q.scored === true) {
        const score = value.codes
          .map((code) => AHC_SAFETY_SCORES.get(code))
          .find((s) => s !== undefined);
        return score === undefined
          ? []
          : [{ kind: 'score', domain: 'interpersonal-safety', question: q.loinc, score }];
      }
      const positive = new Set(value.codes.flatMap((code) => q.positive[code] ?? []));
      return resultFor((domain) => (positive.has(domain) ? 'positive' : 'negative'));
    }
  }
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
  const out = new Map<SocialNeedDomain, ScreeningResult>();
  const merge = (domain: SocialNeedDomain, result: ScreeningResult): void => {
    out.set(domain, strongerResult(out.get(domain), result));
  };
  const scores = new Map<string, number>();
  for (const f of findings) {
    if (f.kind === 'result') merge(f.domain, f.result);
    else scores.set(f.question, Math.max(scores.get(f.question) ?? 0, f.score));
  }
  if (scores.size > 0 && out.get('interpersonal-safety') !== 'positive') {
    const total = [...scores.values()].reduce((sum, s) => sum + s, 0);
    const complete = AHC_SAFETY_ITEMS.every((item) => scores.has(item));
    if (total > AHC_SAFETY_POSITIVE_ABOVE) merge('interpersonal-safety', 'positive');
    else if (complete) merge('interpersonal-safety', 'negative');
  }
  return out;
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

/**
 * Reads the (question, answer) of a US Core screening-assessment Observation (one item per
 * Observation, sdoh.md §2 "US Core representation"). Only `final`, `amended` and `corrected`
 * Observations are screening results; a panel Observation (no value) yields undefined.
 */
export function readScreeningAnswer(obs: fhir4.Observation): ScreeningAnswer | undefined {
  if (obs.status !== 'final' && obs.status !== 'amended' && obs.status !== 'corrected') {
    return undefined;
  }
  const question = obs.code.coding?.find(
    (c) => c.system === LOINC_SYSTEM && c.code !== undefined && SCREENING_QUESTIONS.has(c.code),
  )?.code;
  if (question === undefined) return undefined;
  if (obs.valueCodeableConcept !== undefined) {
    const codes = (obs.valueCodeableConcept.coding ?? [])
      .filter((c) => c.system === LOINC_SYSTEM && c.code !== undefined)
      .map((c) => c.code ?? '');
    return { question, value: { kind: 'coded', codes } };
  }
  if (typeof obs.valueInteger === 'number') {
    return { question, value: { kind: 'number', value: obs.valueInteger } };
  }
  if (typeof obs.valueQuantity?.value === 'number') {
    return { question, value: { kind: 'number', value: obs.valueQuantity.value } };
  }
  const reason = obs.dataAbsentReason?.coding?.find(
    (c) => c.system === DATA_ABSENT_REASON_SYSTEM,
  )?.code;
  if (reason !== undefined) return { question, value: { kind: 'absent', reason } };
  return undefined;
}

/**
 * The same reading on the compact record (./patient-record.ts): codes are `system|code` keys.
 * Hazard: the record's `absent` value does not (yet) carry the data-absent-reason code; a listed
 * screening item that is final but has no value is read as `asked-declined`, the only absent
 * reason the SDOHCC convention writes for an item that was asked (sdoh.md §2).
 */
export function readScreeningFact(fact: ObservationFact): ScreeningAnswer | undefined {
  if (fact.status !== 'final' && fact.status !== 'amended' && fact.status !== 'corrected') {
    return undefined;
  }
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
