// Social-needs records the first screening generator did not write, added from each patient's own
// random stream (STREAM_SDOH_STATES) after everything else, so no earlier draw moved: the grouping
// panel Observations (`hasMember`, AHC HRSN 96777-8 / PRAPARE 93025-5), QuestionnaireResponses of
// the same screens, questionnaire-only Hunger Vital Sign screens, "patient declined help" records,
// and the outcome of completed referrals. With them the population holds every state of the
// social-needs state table (../shared/reference/sdoh.md §4).
import type { Code } from './codes';
import { SYS } from './codes';
import { formatDateTime } from './dates';
import type { PatientContext } from './fhir';
import { coding, concept, obsCategory, ref, sdohCategory } from './fhir';
import type { PatientProfile } from './profile';
import type { Rng } from './random';
import type { SdohDomain } from './sdoh';
import { A, Q, REFERRAL_CODES, SDOHCC_CATEGORY, SDOH_DOMAINS, planPositiveDomains } from './sdoh';

const loinc = (code: string, display: string): Code => ({ system: SYS.loinc, code, display });

/** Screening panels (LOINC), sdoh.md §2. */
export const PANEL = {
  ahc: loinc(
    '96777-8',
    'Accountable health communities (AHC) health-related social needs screening (HRSN) tool',
  ),
  prapare: loinc(
    '93025-5',
    "Protocol for Responding to and Assessing Patients' Assets, Risks, and Experiences [PRAPARE]",
  ),
  hvs: loinc('88121-9', 'Hunger Vital Sign [HVS]'),
} as const;

/** Canonical Questionnaire URLs the QuestionnaireResponses name (LOINC forms; SDOHCC IG HVS). */
export const QUESTIONNAIRE = {
  ahc: 'http://loinc.org/q/96777-8',
  prapare: 'http://loinc.org/q/93025-5',
  hvs: 'http://hl7.org/fhir/us/sdoh-clinicalcare/Questionnaire/SDOHCC-QuestionnaireHungerVitalSign',
} as const;

/**
 * "Patient declined help" (the app's convention, src/sdoh/decline.ts; sdoh.md §4 option b): a
 * not-done Procedure whose statusReason is SNOMED CT 183944003 "Procedure refused" and the CDS
 * Hooks override reason patient-refuses.
 */
export const DECLINE_REASON: fhir4.CodeableConcept = {
  coding: [
    { system: SYS.snomed, code: '183944003', display: 'Procedure refused (situation)' },
    {
      system: 'http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes',
      code: 'patient-refuses',
      display: 'Patient refuses/declines (no context given)',
    },
  ],
  text: 'Patient declined help',
};

const SOCIAL_SERVICE: Code = {
  system: SYS.snomed,
  code: '410606002',
  display: 'Social service procedure',
};

/** SDOHCC Task output type for the intervention a referral led to (IG 2.3.0). */
const RESULTING_ACTIVITY: Code = {
  system: SYS.sdohcc,
  code: 'resulting-activity',
  display: 'Resulting Activity',
};

const MINUTE = /T(\d{2}):(\d{2})/;

function domainOf(resource: { category?: fhir4.CodeableConcept[] }): SdohDomain | undefined {
  for (const category of resource.category ?? []) {
    for (const c of category.coding ?? []) {
      if (c.system !== SYS.sdohcc) continue;
      const domain = SDOH_DOMAINS.find(
        (d) =>
          SDOHCC_CATEGORY[d].code === c.code &&
          (c.code !== 'sdoh-category-unspecified' || d === 'safety'),
      );
      if (domain) return domain;
    }
  }
  return undefined;
}

function isSdohScreen(o: fhir4.Observation): boolean {
  return (o.category ?? []).some((c) => c.coding?.some((x) => x.code === 'sdoh'));
}

/**
 * Adds this patient's extra social-needs records. `rng` is the patient's STREAM_SDOH_STATES
 * stream; `ctx.rng` (the render stream) is never drawn from here.
 */
export function renderSdohStates(ctx: PatientContext, p: PatientProfile, rng: Rng): void {
  const existing = [...ctx.resources];
  const screens = existing.filter(
    (r): r is fhir4.Observation =>
      r.resourceType === 'Observation' && isSdohScreen(r as fhir4.Observation),
  );
  // One screening per (encounter, time): the items renderScreening wrote together.
  const byScreen = new Map<string, fhir4.Observation[]>();
  for (const o of screens) {
    const key = `${o.encounter?.reference ?? ''}|${o.effectiveDateTime ?? ''}`;
    byScreen.set(key, [...(byScreen.get(key) ?? []), o]);
  }
  for (const items of byScreen.values()) {
    const addPanel = rng.chance(0.5);
    const addQuestionnaire = rng.chance(0.35);
    const prapare = items.some((o) =>
      ['93026-3', '93033-9', '93031-3'].includes(o.code.coding?.[0]?.code ?? ''),
    );
    if (addPanel) panel(ctx, items, prapare ? PANEL.prapare : PANEL.ahc);
    if (addQuestionnaire) {
      questionnaireFromItems(ctx, items, prapare ? QUESTIONNAIRE.prapare : QUESTIONNAIRE.ahc);
    }
  }

  // Questionnaire-only screens: some adults never screened by Observation answered the Hunger
  // Vital Sign on a form (a QuestionnaireResponse and nothing else), half of them positive.
  const questionnaireOnly = rng.chance(0.2);
  const positiveForm = rng.chance(0.5);
  const formDaysAgo = rng.int(10, 200);
  if (screens.length === 0 && p.age >= 18 && p.death === null && questionnaireOnly) {
    hungerVitalSignForm(ctx, p.asOf - formDaysAgo, positiveForm);
  }

  // Patient declined help: after a positive screen with no referral, about a third said no.
  const plan = p.outcomes.screening;
  const declines = rng.chance(0.35);
  const declineAfter = rng.int(0, 7);
  if (plan !== null && p.outcomes.referral === 'none' && declines) {
    const domain = planPositiveDomains(plan)[0];
    const evidence = screens.find(
      (o) => domainOf(o) === domain && (o.interpretation ?? []).length > 0,
    );
    if (domain !== undefined && evidence) {
      const day = Math.min(p.asOf, plan.day + declineAfter);
      declinedHelp(ctx, domain, day, evidence);
    }
  }

  // Completed referrals carry their outcome: a Procedure based on the request (SDOHCC Task
  // output "resulting-activity", sdoh.md §1.1).
  const tasks = existing.filter((r): r is fhir4.Task => r.resourceType === 'Task');
  for (const task of tasks) {
    if (task.status !== 'completed') continue;
    const srRef = task.focus?.reference ?? '';
    const sr = existing.find(
      (r): r is fhir4.ServiceRequest =>
        r.resourceType === 'ServiceRequest' && `ServiceRequest/${r.id ?? ''}` === srRef,
    );
    if (!sr) continue;
    const procedure: fhir4.Procedure = {
      resourceType: 'Procedure',
      id: ctx.id('sdohproc'),
      status: 'completed',
      basedOn: [ref(srRef)],
      category: sr.category?.[0] ?? concept([SOCIAL_SERVICE]),
      code: sr.code ?? concept([SOCIAL_SERVICE]),
      subject: ctx.subject(),
      performedDateTime: task.lastModified ?? task.authoredOn ?? '',
      ...(task.owner ? { performer: [{ actor: task.owner }] } : {}),
    };
    ctx.add(procedure);
    task.output = [
      {
        type: concept([RESULTING_ACTIVITY]),
        valueReference: ref(`Procedure/${procedure.id ?? ''}`),
      },
    ];
  }
}

/** A grouping Observation whose `hasMember` lists the screen's items (US Core / SDOHCC OSR). */
function panel(ctx: PatientContext, items: fhir4.Observation[], code: Code): void {
  const first = items[0];
  if (!first) return;
  ctx.add<fhir4.Observation>({
    resourceType: 'Observation',
    id: ctx.id('sdohpanel'),
    meta: {
      profile: [
        'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment',
      ],
    },
    status: 'final',
    category: [obsCategory('survey', 'Survey'), sdohCategory()],
    code: concept([code]),
    subject: ctx.subject(),
    ...(first.encounter ? { encounter: first.encounter } : {}),
    ...(first.effectiveDateTime ? { effectiveDateTime: first.effectiveDateTime } : {}),
    ...(first.issued ? { issued: first.issued } : {}),
    hasMember: items.map((o) => ref(`Observation/${o.id ?? ''}`)),
  });
}

/** The same screen as a QuestionnaireResponse: one item per question, linkId its LOINC code. */
function questionnaireFromItems(
  ctx: PatientContext,
  items: fhir4.Observation[],
  questionnaire: string,
): void {
  const first = items[0];
  if (!first) return;
  // One item per question; a check-all-that-apply question (PRAPARE 93031-3) written as two
  // Observations becomes one item with two answers.
  const answers: fhir4.QuestionnaireResponseItem[] = [];
  for (const o of items) {
    const question = o.code.coding?.[0];
    const linkId = question?.code ?? '';
    let item = answers.find((a) => a.linkId === linkId);
    if (!item) {
      item = { linkId, ...(question?.display ? { text: question.display } : {}) };
      answers.push(item);
    }
    const answer = o.valueCodeableConcept?.coding?.[0];
    if (answer) item.answer = [...(item.answer ?? []), { valueCoding: { ...answer } }];
    else if (o.valueInteger !== undefined) {
      item.answer = [...(item.answer ?? []), { valueInteger: o.valueInteger }];
    } else if (o.dataAbsentReason) {
      // Asked, not answered: the item stays, without an answer (SDC), with the reason.
      item.extension = [
        {
          url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
          valueCode: o.dataAbsentReason.coding?.[0]?.code ?? 'asked-declined',
        },
      ];
    }
  }
  ctx.add<fhir4.QuestionnaireResponse>({
    resourceType: 'QuestionnaireResponse',
    id: ctx.id('qr'),
    meta: {
      profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-questionnaireresponse'],
    },
    questionnaire,
    status: 'completed',
    subject: ctx.subject(),
    ...(first.encounter ? { encounter: first.encounter } : {}),
    authored: first.effectiveDateTime ?? '',
    author: ctx.subject(),
    source: ctx.subject(),
    item: answers,
  });
}

/** A Hunger Vital Sign form answered on its own (SDOHCC IG HVS Questionnaire, sdoh.md §2). */
function hungerVitalSignForm(ctx: PatientContext, day: number, positive: boolean): void {
  const [worried, ranOut] = positive ? [A.sometimesTrue, A.oftenTrue] : [A.neverTrue, A.neverTrue];
  const answer = (question: Code, value: Code): fhir4.QuestionnaireResponseItem => ({
    linkId: question.code,
    text: question.display,
    answer: [{ valueCoding: coding(value) }],
  });
  ctx.add<fhir4.QuestionnaireResponse>({
    resourceType: 'QuestionnaireResponse',
    id: ctx.id('qr'),
    meta: {
      profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-questionnaireresponse'],
    },
    questionnaire: QUESTIONNAIRE.hvs,
    status: 'completed',
    subject: ctx.subject(),
    authored: formatDateTime(day, 10 * 60),
    author: ctx.subject(),
    source: ctx.subject(),
    item: [
      answer(Q.hvsWorried, worried),
      answer(Q.hvsRanOut, ranOut),
      // HVS: positive if either item is Often or Sometimes true (sdoh.md §2).
      answer(Q.hvsResult, positive ? A.atRisk : A.noRisk),
    ],
  });
}

function declinedHelp(
  ctx: PatientContext,
  domain: SdohDomain,
  day: number,
  evidence: fhir4.Observation,
): void {
  const category = SDOHCC_CATEGORY[domain];
  const service = REFERRAL_CODES[domain][0];
  const minute = MINUTE.exec(evidence.effectiveDateTime ?? '');
  const at = minute ? Number(minute[1]) * 60 + Number(minute[2]) + 5 : 12 * 60;
  ctx.add<fhir4.Procedure>({
    resourceType: 'Procedure',
    id: ctx.id('sdohdecline'),
    status: 'not-done',
    statusReason: structuredClone(DECLINE_REASON),
    category: {
      coding: [{ system: SYS.sdohcc, code: category.code, display: category.display }],
      ...(domain === 'safety' ? { text: 'Interpersonal safety' } : {}),
    },
    code: concept(service ? [service] : [SOCIAL_SERVICE]),
    subject: ctx.subject(),
    ...(evidence.encounter ? { encounter: evidence.encounter } : {}),
    performedDateTime: formatDateTime(day, Math.min(at, 23 * 60)),
    recorder: ref(ctx.practitionerRef),
    reasonReference: [ref(`Observation/${evidence.id ?? ''}`)],
  });
}
