// Screening answers for one patient, from the raw FHIR the view's queries returned (sdoh.md §2 "US
// Core representation", §4 "Queries"):
// - Observations, one per item (US Core screening assessment / SDOHCC Observation Screening
//   Response), whatever their category: US Core warns categorisation varies, so an Observation is
//   read when its CODE is a listed item, with the `sdoh` category in either system or none;
// - panel Observations (HVS 88121-9, AHC HRSN 96777-8 / 97023-6, PRAPARE 93025-5 and its section
//   groups) whose `hasMember` references resolve to Observations in the same set (or contained in
//   the panel), nested panels included, and panels that carry their items as components;
// - QuestionnaireResponses (SDC; Gravity and LHC-Forms), items matched by the LOINC code in their
//   `linkId` (`/88122-7`, `88122-7`, `/93042-0/71802-3`) or in an `item.code` some servers add,
//   answers as LOINC `valueCoding` (LA codes) or numbers, nested items included.
// Declines arrive as `dataAbsentReason` asked-declined or as a "choose not to answer" answer and are
// classified by ../clinical/sdoh-screening.ts. Entered-in-error, cancelled and preliminary
// resources are not screenings.

import type {
  ScreeningAnswer,
  ScreeningAnswerValue,
  ScreeningInstrument,
  SdohClassifyPolicy,
  SdohFinding,
} from '../clinical/sdoh-screening';
import {
  LOINC_SYSTEM,
  SCREENING_PANELS,
  SDOH_SCREENING_ITEMS,
  classifySdohAnswer,
  screeningAnswerOf,
  sdohItemCodeOf,
} from '../clinical/sdoh-screening';
import { parseDateTime } from '../clinical/cql-time';
import { referenceKey, resourceKey } from './fhir-reference';
import { instrumentOfQuestionnaire } from './sdoh-codes';

/** The instrument an item was asked in; `unidentified` for a lone item several instruments share. */
export type InstrumentId = ScreeningInstrument | 'unidentified';

export type ScreeningSource =
  /** A single-item Observation outside any panel. */
  | 'observation'
  /** An Observation a panel groups through `hasMember`. */
  | 'panel-member'
  /** A component of a panel Observation. */
  | 'panel-component'
  | 'questionnaire-response';

export interface AnswerEvidence {
  code: string;
  display: string;
}

/** One answered (or declined) screening item, classified, with what the clinician should see. */
export interface ScreeningItemEvidence {
  /** The resource holding the answer (`Observation/…`, `QuestionnaireResponse/…`). */
  ref: string;
  source: ScreeningSource;
  /** The item's LOINC code and its display. */
  question: string;
  questionDisplay: string;
  value: ScreeningAnswerValue;
  /** The coded answers with their displays (empty for a number or a data-absent-reason). */
  answers: AnswerEvidence[];
  /** Epoch ms: the item's effective time, else its panel's, else the response's `authored`. */
  time: number;
  instrument: InstrumentId;
  findings: SdohFinding[];
}

export interface ScreeningInputs {
  observations: readonly fhir4.Observation[];
  questionnaireResponses: readonly fhir4.QuestionnaireResponse[];
}

/** Every screening item in the patient's Observations and QuestionnaireResponses. */
export function readScreeningItems(
  inputs: ScreeningInputs,
  policy: SdohClassifyPolicy = {},
  offsetMinutes = 0,
): ScreeningItemEvidence[] {
  return [
    ...readObservationItems(inputs.observations, policy, offsetMinutes),
    ...inputs.questionnaireResponses.flatMap((qr) =>
      readQuestionnaireResponseItems(qr, policy, offsetMinutes),
    ),
  ].sort((a, b) => a.time - b.time);
}

/**
 * Epoch ms of an Observation: effective[x], else issued. A date without a time is the start of
 * that day in `offsetMinutes` (the offset of "now"), so it falls on its own calendar day.
 */
function observationTime(obs: fhir4.Observation, offsetMinutes: number): number | undefined {
  return (
    parseDateTime(
      obs.effectiveDateTime ?? obs.effectivePeriod?.start ?? obs.effectivePeriod?.end,
      offsetMinutes,
    ) ??
    parseDateTime(obs.issued, offsetMinutes) ??
    undefined
  );
}

// ---------------------------------------------------------------- Observations

function isResultStatus(status: fhir4.Observation['status']): boolean {
  return status === 'final' || status === 'amended' || status === 'corrected';
}

function panelInstrumentOf(obs: fhir4.Observation): ScreeningInstrument | undefined {
  for (const c of obs.code.coding ?? []) {
    if (c.system !== LOINC_SYSTEM || c.code === undefined) continue;
    const instrument = SCREENING_PANELS.get(c.code);
    if (instrument !== undefined) return instrument;
  }
  return undefined;
}

/** The only instrument an item belongs to, or `unidentified` when several share it. */
function inferredInstrument(question: string): InstrumentId {
  const instruments = SDOH_SCREENING_ITEMS.get(question)?.instruments ?? [];
  return instruments.length === 1 && instruments[0] !== undefined ? instruments[0] : 'unidentified';
}

interface Membership {
  instrument: ScreeningInstrument;
  /** The panel's time, for a member without its own. */
  panelTime: number | undefined;
  ref: string;
}

function readObservationItems(
  observations: readonly fhir4.Observation[],
  policy: SdohClassifyPolicy,
  offsetMinutes: number,
): ScreeningItemEvidence[] {
  const byKey = new Map<string, fhir4.Observation>();
  for (const obs of observations) {
    const key = resourceKey(obs);
    if (key !== undefined && !byKey.has(key)) byKey.set(key, obs);
  }
  // Each Observation once, even if two queries (category and code) both returned it.
  const unique = [...byKey.values(), ...observations.filter((o) => resourceKey(o) === undefined)];
  const membership = new Map<fhir4.Observation, Membership>();
  const out: ScreeningItemEvidence[] = [];

  const walkPanel = (
    panel: fhir4.Observation,
    panelRef: string,
    instrument: ScreeningInstrument,
    inheritedTime: number | undefined,
    visited: Set<fhir4.Observation>,
  ): void => {
    if (visited.has(panel)) return;
    visited.add(panel);
    const panelTime = observationTime(panel, offsetMinutes) ?? inheritedTime;
    for (const member of panel.hasMember ?? []) {
      const reference = member.reference;
      let target: fhir4.Observation | undefined;
      let targetRef: string | undefined;
      if (reference?.startsWith('#') === true) {
        const id = reference.slice(1);
        target = (panel.contained ?? []).find(
          (r): r is fhir4.Observation => r.resourceType === 'Observation' && r.id === id,
        );
        targetRef = `${panelRef}${reference}`;
      } else {
        const key = referenceKey(reference);
        target = key === undefined ? undefined : byKey.get(key);
        targetRef = key;
      }
      if (target === undefined || targetRef === undefined) continue;
      const nested = panelInstrumentOf(target);
      if (nested !== undefined || (target.hasMember ?? []).length > 0) {
        walkPanel(target, targetRef, nested ?? instrument, panelTime, visited);
      } else if (!membership.has(target)) {
        membership.set(target, { instrument, panelTime, ref: targetRef });
      }
    }
    if (!isResultStatus(panel.status)) return;
    for (const component of panel.component ?? []) {
      const question = sdohItemCodeOf(component.code);
      if (question === undefined || panelTime === undefined) continue;
      const answer = screeningAnswerOf(question, component);
      if (answer === undefined) continue;
      out.push(
        evidence(answer, component.valueCodeableConcept, {
          ref: panelRef,
          source: 'panel-component',
          time: panelTime,
          instrument,
          policy,
        }),
      );
    }
  };

  for (const obs of unique) {
    const instrument = panelInstrumentOf(obs);
    const ref = resourceKey(obs) ?? 'Observation';
    if (instrument !== undefined) walkPanel(obs, ref, instrument, undefined, new Set());
  }

  const items = [
    ...unique.filter((o) => panelInstrumentOf(o) === undefined),
    // Contained members are read through their panel only.
    ...[...membership.keys()].filter((m) => !unique.includes(m)),
  ];
  for (const obs of items) {
    if (!isResultStatus(obs.status)) continue;
    const question = sdohItemCodeOf(obs.code);
    if (question === undefined) continue;
    const answer = screeningAnswerOf(question, obs);
    if (answer === undefined) continue;
    const member = membership.get(obs);
    const time = observationTime(obs, offsetMinutes) ?? member?.panelTime;
    if (time === undefined) continue;
    out.push(
      evidence(answer, obs.valueCodeableConcept, {
        ref: member?.ref ?? resourceKey(obs) ?? 'Observation',
        source: member === undefined ? 'observation' : 'panel-member',
        time,
        instrument: member?.instrument ?? inferredInstrument(question),
        policy,
      }),
    );
  }
  return out;
}

interface EvidenceContext {
  ref: string;
  source: ScreeningSource;
  time: number;
  instrument: InstrumentId;
  policy: SdohClassifyPolicy;
}

function evidence(
  answer: ScreeningAnswer,
  concept: fhir4.CodeableConcept | undefined,
  ctx: EvidenceContext,
): ScreeningItemEvidence {
  const item = SDOH_SCREENING_ITEMS.get(answer.question);
  const displays = new Map<string, string>();
  for (const c of concept?.coding ?? []) {
    if (c.code !== undefined && c.display !== undefined) displays.set(c.code, c.display);
  }
  const answers =
    answer.value.kind === 'coded'
      ? answer.value.codes.map((code) => ({
          code,
          display: displays.get(code) ?? item?.answers[code] ?? concept?.text ?? code,
        }))
      : [];
  return {
    ref: ctx.ref,
    source: ctx.source,
    question: answer.question,
    questionDisplay: item?.display ?? answer.question,
    value: answer.value,
    answers,
    time: ctx.time,
    instrument: ctx.instrument,
    findings: classifySdohAnswer(answer, ctx.policy),
  };
}

// ---------------------------------------------------------------- QuestionnaireResponses

const LOINC_CODE = /^\d{1,7}-\d$/;
const LA_CODE = /^LA\d{1,7}-\d$/;

/** A LOINC code in an `item.code` array, which some servers add although R4 items have none. */
function looseItemCode(item: object): string | undefined {
  if (!('code' in item)) return undefined;
  const codes: readonly unknown[] = Array.isArray(item.code) ? item.code : [];
  for (const c of codes) {
    if (typeof c !== 'object' || c === null) continue;
    if (!('code' in c) || typeof c.code !== 'string') continue;
    const system = 'system' in c ? c.system : undefined;
    if (system === LOINC_SYSTEM && LOINC_CODE.test(c.code)) return c.code;
  }
  return undefined;
}

/** The LOINC code an item stands for: its `item.code`, else the last segment of its linkId. */
function questionOfItem(item: fhir4.QuestionnaireResponseItem): string | undefined {
  const fromCode = looseItemCode(item);
  if (fromCode !== undefined) return fromCode;
  const segments = item.linkId.split('/').filter((s) => s.length > 0);
  const last = segments[segments.length - 1];
  return last !== undefined && LOINC_CODE.test(last) ? last : undefined;
}

function answerOfItem(
  question: string,
  answers: readonly fhir4.QuestionnaireResponseItemAnswer[],
): { answer: ScreeningAnswer; concept: fhir4.CodeableConcept } | undefined {
  const codings = answers
    .map((a) => a.valueCoding)
    .filter(
      (c): c is fhir4.Coding =>
        c?.code !== undefined &&
        (c.system === LOINC_SYSTEM || (c.system === undefined && LA_CODE.test(c.code))),
    );
  if (codings.length > 0) {
    return {
      answer: { question, value: { kind: 'coded', codes: codings.map((c) => c.code ?? '') } },
      concept: { coding: codings },
    };
  }
  const number = answers
    .map((a) => a.valueInteger ?? a.valueDecimal)
    .find((n) => typeof n === 'number');
  return number === undefined
    ? undefined
    : { answer: { question, value: { kind: 'number', value: number } }, concept: {} };
}

function readQuestionnaireResponseItems(
  qr: fhir4.QuestionnaireResponse,
  policy: SdohClassifyPolicy,
  offsetMinutes: number,
): ScreeningItemEvidence[] {
  if (qr.status !== 'completed' && qr.status !== 'amended') return [];
  const time =
    parseDateTime(qr.authored, offsetMinutes) ?? parseDateTime(qr.meta?.lastUpdated, offsetMinutes);
  if (time === null) return [];
  const ref = resourceKey(qr) ?? 'QuestionnaireResponse';
  const declared = instrumentOfQuestionnaire(qr.questionnaire);
  const out: ScreeningItemEvidence[] = [];

  const walk = (
    items: readonly fhir4.QuestionnaireResponseItem[],
    groupInstrument: ScreeningInstrument | undefined,
  ): void => {
    for (const item of items) {
      const question = questionOfItem(item);
      const panel = question === undefined ? undefined : SCREENING_PANELS.get(question);
      const instrument = groupInstrument ?? panel;
      if (question !== undefined && SDOH_SCREENING_ITEMS.has(question)) {
        const read = answerOfItem(question, item.answer ?? []);
        if (read !== undefined) {
          out.push(
            evidence(read.answer, read.concept, {
              ref,
              source: 'questionnaire-response',
              time,
              instrument: instrument ?? inferredInstrument(question),
              policy,
            }),
          );
        }
      }
      walk(item.item ?? [], instrument);
      for (const a of item.answer ?? []) walk(a.item ?? [], instrument);
    }
  };
  walk(qr.item ?? [], declared);
  return out;
}
