// Social-needs screening for the synthetic population: the instruments' question and answer codes,
// the rule deciding which (question, answer) pairs are positive, and the builder that writes one
// US Core screening-assessment Observation per item.
//
// Source: ../shared/reference/sdoh.md §2 (Hunger Vital Sign, AHC HRSN core, PRAPARE; answer lists
// from LOINC; positivity as in the SDOHCC IG 2.3.0 StructureMaps and the NY SHIN-NY HRSN IG).
// Positivity is ALWAYS decided from the (question, answer) pair: LA33-6 "Yes" is positive for
// transportation 93030-5 but LA32-8 "No" is the positive answer to PRAPARE safety 93026-3.

import type { Code } from './codes';
import { ASKED_DECLINED, SYS } from './codes';
import type { PatientContext } from './fhir';
import { coding, concept, obsCategory, sdohCategory } from './fhir';
import { formatDateTime } from './dates';

export type SdohDomain = 'food' | 'housing' | 'transportation' | 'utilities' | 'safety';
export const SDOH_DOMAINS: readonly SdohDomain[] = [
  'food',
  'housing',
  'transportation',
  'utilities',
  'safety',
];

/** SDOHCC-ValueSetSDOHCategory codes (IG 2.3.0). AHC safety has no code of its own: unspecified + text. */
export const SDOHCC_CATEGORY: Readonly<Record<SdohDomain, { code: string; display: string }>> = {
  food: { code: 'food-insecurity', display: 'Food Insecurity' },
  housing: { code: 'housing-instability', display: 'Housing Instability' },
  transportation: { code: 'transportation-insecurity', display: 'Transportation Insecurity' },
  utilities: { code: 'utility-insecurity', display: 'Utility Insecurity' },
  safety: { code: 'sdoh-category-unspecified', display: 'Interpersonal Safety' },
};

const loinc = (code: string, display: string): Code => ({ system: SYS.loinc, code, display });

/** Screening questions (LOINC). */
export const Q = {
  hvsWorried: loinc(
    '88122-7',
    'Within the past 12 months we worried whether our food would run out before we got money to buy more',
  ),
  hvsRanOut: loinc(
    '88123-5',
    "Within the past 12 months the food we bought just didn't last and we didn't have money to get more",
  ),
  hvsResult: loinc('88124-3', 'Food insecurity risk [HVS]'),
  housing: loinc('71802-3', 'Housing status'),
  prapareHousingWorry: loinc('93033-9', 'Are you worried about losing your housing [PRAPARE]'),
  transportation: loinc(
    '93030-5',
    'Has lack of transportation kept you from medical appointments, meetings, work, or from getting things needed for daily living',
  ),
  utilities: loinc(
    '96779-4',
    'Has the electric, gas, oil, or water company threatened to shut off services in your home in past 12 months',
  ),
  safetyHurt: loinc(
    '95618-5',
    'How often does anyone, including family and friends, physically hurt you [AHC HRSN]',
  ),
  safetyInsult: loinc(
    '95617-7',
    'How often does anyone, including family and friends, insult or talk down to you [AHC HRSN]',
  ),
  safetyThreaten: loinc(
    '95616-9',
    'How often does anyone, including family and friends, threaten you with harm [AHC HRSN]',
  ),
  safetyScream: loinc(
    '95615-1',
    'How often does anyone, including family and friends, scream or curse at you [AHC HRSN]',
  ),
  safetyTotal: loinc('95614-4', 'Total score [AHC HRSN]'),
  prapareSafe: loinc(
    '93026-3',
    'Do you feel physically and emotionally safe where you currently live [PRAPARE]',
  ),
  prapareUnableToGet: loinc(
    '93031-3',
    'In the past year, have you or any family members you live with been unable to get any of the following when it was really needed [PRAPARE]',
  ),
} as const;

/** LOINC answer codes (LA…) used by the instruments above. */
export const A = {
  yes: loinc('LA33-6', 'Yes'),
  no: loinc('LA32-8', 'No'),
  oftenTrue: loinc('LA28397-0', 'Often true'),
  sometimesTrue: loinc('LA6729-3', 'Sometimes true'),
  neverTrue: loinc('LA28398-8', 'Never true'),
  dontKnow: loinc('LA15775-2', "Don't know/refused"),
  atRisk: loinc('LA19952-3', 'At risk'),
  noRisk: loinc('LA19983-8', 'No risk'),
  // 71802-3, AHC list LL5876-9
  steadyPlace: loinc('LA31993-1', 'I have a steady place to live'),
  worriedAboutLosing: loinc(
    'LA31994-9',
    'I have a place to live today, but I am worried about losing it in the future',
  ),
  noSteadyPlace: loinc('LA31995-6', 'I do not have a steady place to live'),
  // 71802-3, PRAPARE list
  haveHousing: loinc('LA30189-7', 'I have housing'),
  noHousing: loinc(
    'LA30190-5',
    'I do not have housing (staying with others, in a hotel, in a shelter, living outside on the street, on a beach, in a car, or in a park)',
  ),
  // 93030-5, PRAPARE list
  transportMedical: loinc(
    'LA30133-5',
    'Yes, it has kept me from medical appointments or from getting my medications',
  ),
  transportNonMedical: loinc(
    'LA30134-3',
    'Yes, it has kept me from non-medical meetings, appointments, work, or from getting things that I need',
  ),
  alreadyShutOff: loinc('LA32002-0', 'Already shut off'),
  // AHC safety frequency scale, scored Never=1 … Frequently=5
  never: loinc('LA6270-8', 'Never'),
  rarely: loinc('LA10066-1', 'Rarely'),
  sometimes: loinc('LA10082-8', 'Sometimes'),
  fairlyOften: loinc('LA16644-9', 'Fairly often'),
  frequently: loinc('LA6482-9', 'Frequently'),
  // 93031-3 items
  food: loinc('LA30125-1', 'Food'),
  utilities: loinc('LA30124-4', 'Utilities'),
} as const;

const SAFETY_SCALE: readonly Code[] = [A.never, A.rarely, A.sometimes, A.fairlyOften, A.frequently];

/** AHC interpersonal safety is positive when the four items' total (95614-4) is greater than 10. */
export const AHC_SAFETY_POSITIVE_ABOVE = 10;

/** Which domain each question screens (93031-3 spans two: its answer decides). */
const QUESTION_DOMAIN: Readonly<Record<string, SdohDomain>> = {
  '88122-7': 'food',
  '88123-5': 'food',
  '88124-3': 'food',
  '71802-3': 'housing',
  '93033-9': 'housing',
  '93030-5': 'transportation',
  '96779-4': 'utilities',
  '95618-5': 'safety',
  '95617-7': 'safety',
  '95616-9': 'safety',
  '95615-1': 'safety',
  '95614-4': 'safety',
  '93026-3': 'safety',
};

/** Positive (question|answer) pairs, sdoh.md §2 domain table. */
const POSITIVE_PAIRS: ReadonlyMap<string, SdohDomain> = new Map<string, SdohDomain>([
  // Hunger Vital Sign: either item Often/Sometimes true; the result 88124-3 = At risk.
  ['88122-7|LA28397-0', 'food'],
  ['88122-7|LA6729-3', 'food'],
  ['88123-5|LA28397-0', 'food'],
  ['88123-5|LA6729-3', 'food'],
  ['88124-3|LA19952-3', 'food'],
  ['93031-3|LA30125-1', 'food'],
  // Housing: AHC worried / no steady place; PRAPARE no housing; PRAPARE worried = Yes.
  ['71802-3|LA31994-9', 'housing'],
  ['71802-3|LA31995-6', 'housing'],
  ['71802-3|LA30190-5', 'housing'],
  ['93033-9|LA33-6', 'housing'],
  // Transportation: AHC Yes; PRAPARE either "Yes, it has kept me…".
  ['93030-5|LA33-6', 'transportation'],
  ['93030-5|LA30133-5', 'transportation'],
  ['93030-5|LA30134-3', 'transportation'],
  // Utilities: AHC Yes / Already shut off; PRAPARE 93031-3 Utilities.
  ['96779-4|LA33-6', 'utilities'],
  ['96779-4|LA32002-0', 'utilities'],
  ['93031-3|LA30124-4', 'utilities'],
  // Safety: PRAPARE "Do you feel safe?" = No (the AHC items are positive only through their total).
  ['93026-3|LA32-8', 'safety'],
]);

/** The domain a screening question belongs to, or undefined if it is not one of ours. */
export function questionDomain(question: string, answer?: string): SdohDomain | undefined {
  if (question === '93031-3')
    return answer === undefined ? undefined : POSITIVE_PAIRS.get(`${question}|${answer}`);
  return QUESTION_DOMAIN[question];
}

/**
 * Is this (question LOINC, answer) pair a positive screen? Coded answers are LA codes; the AHC
 * safety total 95614-4 is a number. Returns the domain that is positive, or null.
 */
export function positiveDomain(question: string, answer: string | number): SdohDomain | null {
  if (typeof answer === 'number') {
    return question === '95614-4' && answer > AHC_SAFETY_POSITIVE_ABOVE ? 'safety' : null;
  }
  return POSITIVE_PAIRS.get(`${question}|${answer}`) ?? null;
}

/** Reads the (question, answer) pair of a screening Observation and applies {@link positiveDomain}. */
export function observationPositiveDomain(obs: fhir4.Observation): SdohDomain | null {
  const question = obs.code.coding?.find((c) => c.system === SYS.loinc)?.code;
  if (question === undefined) return null;
  if (typeof obs.valueInteger === 'number') return positiveDomain(question, obs.valueInteger);
  const answer = obs.valueCodeableConcept?.coding?.find((c) => c.system === SYS.loinc)?.code;
  return answer === undefined ? null : positiveDomain(question, answer);
}

// ---------------------------------------------------------------- the generator's screening plan

export type HousingAnswer = 'stable' | 'worried' | 'homeless';

/** What one screening event will say. Decided in profile.ts; rendered by {@link renderScreening}. */
export interface ScreeningPlan {
  readonly day: number;
  readonly instrument: 'ahc' | 'prapare';
  readonly food: boolean;
  readonly housing: HousingAnswer;
  readonly transportation: boolean;
  readonly utilities: boolean;
  readonly safety: boolean;
  /** 'all': the patient declined every item; a domain: just that domain's items were declined. */
  readonly declined: 'none' | 'all' | Exclude<SdohDomain, 'food'>;
}

/** Positive domains of a plan, after declines (a declined item is never positive). */
export function planPositiveDomains(plan: ScreeningPlan): SdohDomain[] {
  if (plan.declined === 'all') return [];
  const out: SdohDomain[] = [];
  if (plan.food) out.push('food');
  if (plan.housing !== 'stable' && plan.declined !== 'housing') out.push('housing');
  if (plan.transportation && plan.declined !== 'transportation') out.push('transportation');
  if (plan.utilities && plan.declined !== 'utilities') out.push('utilities');
  if (plan.safety && plan.declined !== 'safety') out.push('safety');
  return out;
}

export interface RenderedScreening {
  /** The first Observation that carries each positive domain (for ServiceRequest.reasonReference). */
  readonly positiveObservation: Partial<Record<SdohDomain, string>>;
}

/** Writes one Observation per answered (or declined) item of a screening event. */
export function renderScreening(
  ctx: PatientContext,
  plan: ScreeningPlan,
  minute: number,
  encounterRef: string,
): RenderedScreening {
  const rng = ctx.rng;
  const when = formatDateTime(plan.day, minute);
  const positiveObservation: Partial<Record<SdohDomain, string>> = {};
  const declined = (domain: SdohDomain): boolean =>
    plan.declined === 'all' || plan.declined === domain;

  const item = (domain: SdohDomain, question: Code, answer: Code | number | null): string => {
    const id = ctx.id('obs');
    const obs: fhir4.Observation = {
      resourceType: 'Observation',
      id,
      meta: {
        profile: [
          'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment',
        ],
      },
      status: 'final',
      // US Core screening assessment: survey + sdoh; plus the SDOHCC domain (IG 2.3.0 OSR).
      category: [
        obsCategory('survey', 'Survey'),
        sdohCategory(),
        { coding: [{ system: SYS.sdohcc, ...SDOHCC_CATEGORY[domain] }] },
      ],
      code: concept([question]),
      subject: ctx.subject(),
      encounter: { reference: encounterRef },
      effectiveDateTime: when,
      issued: when,
      performer: [{ reference: ctx.patientRef }],
    };
    if (answer === null) {
      // Asked but declined: no value, data-absent-reason (SDOHCC data-absent value set, sdoh.md §2).
      obs.dataAbsentReason = concept([ASKED_DECLINED]);
    } else if (typeof answer === 'number') {
      obs.valueInteger = answer;
    } else {
      obs.valueCodeableConcept = { coding: [coding(answer)], text: answer.display };
    }
    const positive =
      answer === null
        ? null
        : positiveDomain(question.code, typeof answer === 'number' ? answer : answer.code);
    if (positive !== null) {
      // Gravity: interpretation POS flags a possible need; NEG is deliberately not used.
      obs.interpretation = [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
              code: 'POS',
              display: 'Positive',
            },
          ],
        },
      ];
      positiveObservation[positive] ??= id;
    }
    ctx.add(obs);
    return id;
  };

  // Food: Hunger Vital Sign items + result, on both instruments (many PRAPARE sites add HVS).
  if (declined('food')) {
    item('food', Q.hvsWorried, null);
    item('food', Q.hvsRanOut, null);
  } else {
    const [a1, a2] = plan.food
      ? rng.pick<readonly [Code, Code]>([
          [A.oftenTrue, A.sometimesTrue],
          [A.sometimesTrue, A.sometimesTrue],
          [A.sometimesTrue, A.neverTrue],
          [A.neverTrue, A.oftenTrue],
          [A.oftenTrue, A.oftenTrue],
        ])
      : rng.chance(0.08)
        ? [A.dontKnow, A.neverTrue]
        : [A.neverTrue, A.neverTrue];
    item('food', Q.hvsWorried, a1);
    item('food', Q.hvsRanOut, a2);
    item('food', Q.hvsResult, plan.food ? A.atRisk : A.noRisk);
    if (plan.instrument === 'prapare' && plan.food) item('food', Q.prapareUnableToGet, A.food);
  }

  // Housing.
  if (declined('housing')) {
    item('housing', Q.housing, null);
  } else if (plan.instrument === 'ahc') {
    item(
      'housing',
      Q.housing,
      { stable: A.steadyPlace, worried: A.worriedAboutLosing, homeless: A.noSteadyPlace }[
        plan.housing
      ],
    );
  } else {
    item('housing', Q.housing, plan.housing === 'homeless' ? A.noHousing : A.haveHousing);
    if (plan.housing !== 'homeless')
      item('housing', Q.prapareHousingWorry, plan.housing === 'worried' ? A.yes : A.no);
  }

  // Transportation.
  if (declined('transportation')) item('transportation', Q.transportation, null);
  else if (plan.instrument === 'ahc')
    item('transportation', Q.transportation, plan.transportation ? A.yes : A.no);
  else
    item(
      'transportation',
      Q.transportation,
      plan.transportation ? (rng.chance(0.6) ? A.transportMedical : A.transportNonMedical) : A.no,
    );

  // Utilities: AHC item on both instruments; PRAPARE sites also tick "Utilities" in 93031-3.
  if (declined('utilities')) item('utilities', Q.utilities, null);
  else {
    item(
      'utilities',
      Q.utilities,
      plan.utilities ? (rng.chance(0.3) ? A.alreadyShutOff : A.yes) : A.no,
    );
    if (plan.instrument === 'prapare' && plan.utilities)
      item('utilities', Q.prapareUnableToGet, A.utilities);
  }

  // Interpersonal safety.
  if (declined('safety')) {
    item('safety', plan.instrument === 'ahc' ? Q.safetyHurt : Q.prapareSafe, null);
  } else if (plan.instrument === 'prapare') {
    item('safety', Q.prapareSafe, plan.safety ? A.no : A.yes);
  } else {
    const scores = safetyScores(ctx, plan.safety);
    const questions = [Q.safetyHurt, Q.safetyInsult, Q.safetyThreaten, Q.safetyScream];
    questions.forEach((question, i) => {
      const score = scores[i] ?? 1;
      item('safety', question, SAFETY_SCALE[score - 1] ?? A.never);
    });
    item(
      'safety',
      Q.safetyTotal,
      scores.reduce((sum, s) => sum + s, 0),
    );
  }

  return { positiveObservation };
}

/** Four item scores (1–5) whose total is > 10 exactly when the plan says safety is positive. */
function safetyScores(ctx: PatientContext, positive: boolean): number[] {
  const rng = ctx.rng;
  const scores = positive
    ? [rng.int(2, 5), rng.int(2, 5), rng.int(2, 5), rng.int(2, 5)]
    : [1, 1, 1, 1].map(() => (rng.chance(0.7) ? 1 : rng.int(2, 3)));
  const total = (): number => scores.reduce((sum, s) => sum + s, 0);
  let i = 0;
  while (positive && total() <= AHC_SAFETY_POSITIVE_ABOVE) {
    const k = i++ % 4;
    scores[k] = Math.min(5, (scores[k] ?? 1) + 1);
  }
  while (!positive && total() > AHC_SAFETY_POSITIVE_ABOVE) {
    const k = i++ % 4;
    scores[k] = Math.max(1, (scores[k] ?? 1) - 1);
  }
  return scores;
}

// ---------------------------------------------------------------- referrals

const sct = (code: string, display: string): Code => ({ system: SYS.snomed, code, display });

/**
 * ServiceRequest code per domain (sdoh.md §2 "Typical SR code", from the Gravity RI / IG examples;
 * the IG binds each domain to a VSAC ServiceRequest value set, OID prefix 2.16.840.1.113762.1.4.1247.).
 * Utilities and safety use the cross-domain referrals listed under the same table.
 */
export const REFERRAL_CODES: Readonly<Record<SdohDomain, readonly Code[]>> = {
  food: [
    sct('467771000124109', 'Assistance with application for food pantry program (procedure)'),
    sct('713109004', 'Referral to community meals service (procedure)'),
  ],
  housing: [sct('710911006', 'Referral to housing service (procedure)')],
  transportation: [sct('410365006', 'Transportation case management (procedure)')],
  utilities: [sct('464161000124109', 'Referral to community resource network program (procedure)')],
  safety: [sct('308440001', 'Referral to social worker (procedure)')],
};
