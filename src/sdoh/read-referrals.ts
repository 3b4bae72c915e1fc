// Referrals and what became of them, for one patient (sdoh.md §1.1–1.2, §4 "Referral open" …
// "Completed"): SDOHCC ServiceRequests, the Tasks For Referral Management that track them
// (`code` fulfill, `focus` → the ServiceRequest; status, owner, statusReason, `output`
// resulting-activity, lastModified), and completed Procedures (the intervention, `basedOn` → the
// ServiceRequest, or standalone).
//
// A ServiceRequest belongs to a domain through its SDOHCC category (the IG's required slice), else
// through a domain-specific code (sdoh.md §2 "Typical SR code"), else through its reasonReference
// (the positive Observation or Condition). Requests with only the US Core `sdoh` category or
// SNOMED 410606002 and a cross-domain code, and no reason we can read, cannot be placed. Draft and
// entered-in-error requests are not referrals (a draft was never sent).

import type { SdohDomain } from '../clinical/sdoh-screening';
import { SDOHCC_CATEGORY_SYSTEM } from '../clinical/sdoh-screening';
import { parseDateTime } from '../clinical/cql-time';
import { referenceKey, resourceKey } from './fhir-reference';
import { TASK_CODE_SYSTEM, domainsOfCategories, domainsOfServiceCode } from './sdoh-codes';

export type ReferralTaskStatus = Exclude<fhir4.Task['status'], 'entered-in-error'>;
export type ReferralRequestStatus = Exclude<
  fhir4.ServiceRequest['status'],
  'draft' | 'entered-in-error'
>;

/** Who holds a Task or receives a referral: a display, or nobody yet (an "open" Task). */
export type Party = { kind: 'named'; display: string } | { kind: 'unassigned' };

/**
 * A Task output of type `resulting-activity` (SDOHCC Task For Referral Management). A Procedure
 * output reads as its reference's display, else the referenced Procedure's outcome text when it
 * was loaded; `display` is absent when neither says anything (a bare id is no outcome to show).
 */
export type TaskOutcome =
  | { kind: 'procedure'; reference: string; display?: string }
  | { kind: 'code'; display: string }
  | { kind: 'text'; display: string };

export interface TaskSummary {
  ref: string;
  status: ReferralTaskStatus;
  owner: Party;
  /** Epoch ms of the last change: lastModified, else meta.lastUpdated, else authoredOn. */
  lastUpdate: number;
  /** Task.statusReason.text (SHOULD be present for rejected, cancelled, on-hold, failed). */
  statusReason?: string;
  outcomes: TaskOutcome[];
}

export interface InterventionEvidence {
  ref: string;
  domains: SdohDomain[];
  /** Epoch ms the intervention was performed. */
  time: number;
  service: string;
  /**
   * What the performing organization reported: `Procedure.outcome` (R4 "the result of the
   * procedure"), else its notes. Absent when it reported nothing.
   */
  outcome?: string;
  /** ServiceRequest keys in `basedOn`. */
  basedOn: string[];
}

export interface ReferralEvidence {
  ref: string;
  domains: SdohDomain[];
  status: ReferralRequestStatus;
  service: string;
  /** Epoch ms: authoredOn, else occurrence, else meta.lastUpdated. */
  authored: number;
  performer: Party;
  /** `orderDetail` contacting-subject-prohibited (sdoh.md §4 "Safety and privacy"). */
  contactProhibited: boolean;
  /** Its Tasks, the latest change first. */
  tasks: TaskSummary[];
  /** Completed Procedures based on it. */
  procedures: InterventionEvidence[];
}

export interface ReferralInputs {
  serviceRequests: readonly fhir4.ServiceRequest[];
  tasks: readonly fhir4.Task[];
  procedures: readonly fhir4.Procedure[];
}

export interface ReadReferrals {
  referrals: ReferralEvidence[];
  /** Completed Procedures not based on any referral read here. */
  interventions: InterventionEvidence[];
}

/** The display of a code: its first coding display, its text, its code. */
export function conceptLabel(concept: fhir4.CodeableConcept | undefined, fallback: string): string {
  return (
    concept?.coding?.find((c) => c.display !== undefined)?.display ??
    concept?.text ??
    concept?.coding?.[0]?.code ??
    fallback
  );
}

function partyOf(ref: fhir4.Reference | undefined): Party {
  const display = ref?.display ?? ref?.reference;
  return display === undefined ? { kind: 'unassigned' } : { kind: 'named', display };
}

function isResultingActivity(output: fhir4.TaskOutput): boolean {
  return (output.type.coding ?? []).some((c) => c.code === 'resulting-activity');
}

/** The organization's outcome text on a Procedure: its `outcome`, else its notes. */
export function procedureOutcomeText(p: fhir4.Procedure): string | undefined {
  const outcome = p.outcome?.text ?? p.outcome?.coding?.find((c) => c.display)?.display;
  if (outcome !== undefined && outcome.trim() !== '') return outcome.trim();
  const notes = (p.note ?? []).map((n) => n.text.trim()).filter((t) => t !== '');
  return notes.length > 0 ? notes.join(' ') : undefined;
}

function outcomeOf(
  output: fhir4.TaskOutput,
  procedureOutcomes: ReadonlyMap<string, string>,
): TaskOutcome | undefined {
  const ref = output.valueReference;
  if (ref !== undefined) {
    const key = referenceKey(ref.reference);
    const display = ref.display ?? (key === undefined ? undefined : procedureOutcomes.get(key));
    return {
      kind: 'procedure',
      reference: key ?? ref.reference ?? '',
      ...(display === undefined ? {} : { display }),
    };
  }
  if (output.valueCodeableConcept !== undefined) {
    return { kind: 'code', display: conceptLabel(output.valueCodeableConcept, 'Outcome') };
  }
  const text = output.valueString ?? output.valueMarkdown;
  return text === undefined ? undefined : { kind: 'text', display: text };
}

function isReferralTask(task: fhir4.Task): boolean {
  const codes = task.code?.coding ?? [];
  // Tasks For Patient (complete-questionnaire, make-contact…) are not referral tracking.
  return (
    codes.length === 0 || codes.some((c) => c.system === TASK_CODE_SYSTEM && c.code === 'fulfill')
  );
}

function summariseTask(
  task: fhir4.Task,
  status: ReferralTaskStatus,
  fallbackTime: number,
  offsetMinutes: number,
  procedureOutcomes: ReadonlyMap<string, string>,
): TaskSummary {
  const lastUpdate =
    parseDateTime(task.lastModified, offsetMinutes) ??
    parseDateTime(task.meta?.lastUpdated, offsetMinutes) ??
    parseDateTime(task.authoredOn, offsetMinutes) ??
    fallbackTime;
  const outcomes = (task.output ?? []).filter(isResultingActivity).flatMap((o) => {
    const outcome = outcomeOf(o, procedureOutcomes);
    return outcome === undefined ? [] : [outcome];
  });
  return {
    ref: resourceKey(task) ?? 'Task',
    status,
    owner: partyOf(task.owner),
    lastUpdate,
    ...(task.statusReason?.text === undefined ? {} : { statusReason: task.statusReason.text }),
    outcomes,
  };
}

function procedureTime(p: fhir4.Procedure, offsetMinutes: number): number | null {
  return (
    parseDateTime(p.performedDateTime, offsetMinutes) ??
    parseDateTime(p.performedPeriod?.end, offsetMinutes) ??
    parseDateTime(p.performedPeriod?.start, offsetMinutes) ??
    parseDateTime(p.meta?.lastUpdated, offsetMinutes)
  );
}

/**
 * Reads the patient's referrals and interventions. `reasonDomains` places a request by its
 * reasonReference key (`Observation/…`, `Condition/…`) when neither category nor code does. A date
 * without a time is the start of that day in `offsetMinutes` (the offset of "now").
 */
export function readReferrals(
  inputs: ReferralInputs,
  reasonDomains: (key: string) => readonly SdohDomain[],
  offsetMinutes = 0,
): ReadReferrals {
  const referrals: ReferralEvidence[] = [];
  const byKey = new Map<string, ReferralEvidence>();
  for (const sr of inputs.serviceRequests) {
    if (sr.status === 'draft' || sr.status === 'entered-in-error') continue;
    const key = resourceKey(sr);
    if (key !== undefined && byKey.has(key)) continue;
    const authored =
      parseDateTime(sr.authoredOn, offsetMinutes) ??
      parseDateTime(sr.occurrenceDateTime, offsetMinutes) ??
      parseDateTime(sr.occurrencePeriod?.start, offsetMinutes) ??
      parseDateTime(sr.meta?.lastUpdated, offsetMinutes);
    if (authored === null) continue;
    let domains = domainsOfCategories(sr.category);
    if (domains.length === 0) domains = domainsOfServiceCode(sr.code);
    if (domains.length === 0) {
      domains = [
        ...new Set(
          (sr.reasonReference ?? []).flatMap((r) => {
            const reasonKey = referenceKey(r.reference);
            return reasonKey === undefined ? [] : reasonDomains(reasonKey);
          }),
        ),
      ];
    }
    if (domains.length === 0) continue;
    const referral: ReferralEvidence = {
      ref: key ?? 'ServiceRequest',
      domains,
      status: sr.status,
      service: conceptLabel(sr.code, 'Social care referral'),
      authored,
      performer: partyOf(sr.performer?.[0]),
      contactProhibited: (sr.orderDetail ?? []).some((d) =>
        (d.coding ?? []).some(
          (c) => c.system === SDOHCC_CATEGORY_SYSTEM && c.code === 'contacting-subject-prohibited',
        ),
      ),
      tasks: [],
      procedures: [],
    };
    referrals.push(referral);
    if (key !== undefined) byKey.set(key, referral);
  }

  const procedureOutcomes = new Map<string, string>();
  for (const p of inputs.procedures) {
    const key = resourceKey(p);
    const text = procedureOutcomeText(p);
    if (key !== undefined && text !== undefined) procedureOutcomes.set(key, text);
  }

  const seenTasks = new Set<string>();
  for (const task of inputs.tasks) {
    if (task.status === 'entered-in-error' || !isReferralTask(task)) continue;
    const taskKey = resourceKey(task);
    if (taskKey !== undefined) {
      if (seenTasks.has(taskKey)) continue;
      seenTasks.add(taskKey);
    }
    const targets = [task.focus, ...(task.basedOn ?? [])]
      .map((r) => referenceKey(r?.reference))
      .flatMap((k) => (k === undefined ? [] : [byKey.get(k)]))
      .filter((r): r is ReferralEvidence => r !== undefined);
    const referral = targets[0];
    if (referral === undefined) continue;
    referral.tasks.push(
      summariseTask(task, task.status, referral.authored, offsetMinutes, procedureOutcomes),
    );
  }
  for (const referral of referrals) referral.tasks.sort((a, b) => b.lastUpdate - a.lastUpdate);

  const interventions: InterventionEvidence[] = [];
  for (const p of inputs.procedures) {
    if (p.status !== 'completed') continue;
    const time = procedureTime(p, offsetMinutes);
    if (time === null) continue;
    const basedOn = (p.basedOn ?? []).flatMap((r) => {
      const k = referenceKey(r.reference);
      return k === undefined ? [] : [k];
    });
    const parents = basedOn.flatMap((k) => {
      const r = byKey.get(k);
      return r === undefined ? [] : [r];
    });
    let domains = domainsOfCategories(p.category === undefined ? [] : [p.category]);
    if (domains.length === 0) domains = domainsOfServiceCode(p.code);
    if (domains.length === 0) domains = [...new Set(parents.flatMap((r) => r.domains))];
    if (domains.length === 0) continue;
    const outcome = procedureOutcomeText(p);
    const evidence: InterventionEvidence = {
      ref: resourceKey(p) ?? 'Procedure',
      domains,
      time,
      service: conceptLabel(p.code, 'Social care intervention'),
      ...(outcome === undefined ? {} : { outcome }),
      basedOn,
    };
    if (parents.length > 0) for (const r of parents) r.procedures.push(evidence);
    else interventions.push(evidence);
  }
  return { referrals, interventions };
}
