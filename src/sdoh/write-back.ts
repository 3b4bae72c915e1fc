// Pure builders for what the patient view writes back (issue 8 "Acting on a prompt"):
// - a referral: an SDOHCC ServiceRequest plus its SDOHCC Task For Referral Management (sdoh.md
//   §1.2), as one `transaction` Bundle (bundle-local urn:uuid fullUrls, conditional creates) or as
//   two creates (the ServiceRequest, then the Task pointing at the id the server assigned);
// - a "screen now" Task for the patient (SDOHCC Task For Patient, `complete-questionnaire`);
// - the referral as plain text, for read-only launches (no write scope, or no create support).
// Every resource carries the draft's idempotency identifier (./idempotency.ts), so a retry never
// makes a second referral. The decline record's builder lives with its reader in ./decline.ts.

import type { ScreeningInstrument, SdohDomain } from '../clinical/sdoh-screening';
import { SDOHCC_CATEGORY_SYSTEM } from '../clinical/sdoh-screening';
import { deterministicUuid } from './deterministic-uuid';
import type { ConditionalCreate } from './idempotency';
import { idempotencyIdentifier, identifierSearch } from './idempotency';
import type { Code } from './sdoh-codes';
import {
  DOMAIN_INFO,
  INSTRUMENT_LABELS,
  INSTRUMENT_QUESTIONNAIRES,
  SDC_TEMP_SYSTEM,
  SOCIAL_SERVICE_PROCEDURE,
  TASK_CODE_SYSTEM,
  US_CORE_CATEGORY_SYSTEM,
  US_CORE_SDOH_CODE,
  instrumentForScreening,
} from './sdoh-codes';

const SDOHCC_PROFILE = 'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition';

/** SDOHCC orderDetail: the patient must not be contacted directly (e.g. intimate-partner violence). */
export const CONTACTING_SUBJECT_PROHIBITED: fhir4.Coding = {
  system: SDOHCC_CATEGORY_SYSTEM,
  code: 'contacting-subject-prohibited',
  display: 'Contacting Subject Prohibited',
};

export interface ReferralDraft {
  domain: SdohDomain;
  /** One of serviceChoices(domain) (./sdoh-codes.ts). */
  service: Code;
  patient: fhir4.Reference;
  /** The referring clinician (PractitionerRole or Organization per the IG; the SMART fhirUser). */
  requester: fhir4.Reference;
  /** The community resource (HealthcareService or Organization, with a display). */
  performer?: fhir4.Reference;
  /** The Task's owner; defaults to the performer (sdoh.md §1.2: the CBO or coordination platform). */
  owner?: fhir4.Reference;
  /** FHIR dateTime the referral is made (the caller's "now"). */
  authoredOn: string;
  /** The positive Observation(s) or Condition(s): NeedEvidence.reasonReferences. */
  reasons: readonly fhir4.Reference[];
  doNotContactPatient: boolean;
  /** A UUID the caller generated for this draft and reuses on every retry. */
  idempotencyKey: string;
  note?: string;
  encounter?: fhir4.Reference;
  priority?: 'routine' | 'urgent';
  /** `draft` only for a CDS card's preview; a sent referral is `active` (the default). */
  status?: 'draft' | 'active';
}

/** The SDOHCC ServiceRequest of a draft. */
export function buildServiceRequest(draft: ReferralDraft): ConditionalCreate<fhir4.ServiceRequest> {
  const domain = DOMAIN_INFO[draft.domain];
  const resource: fhir4.ServiceRequest = {
    resourceType: 'ServiceRequest',
    meta: { profile: [`${SDOHCC_PROFILE}/SDOHCC-ServiceRequest`] },
    identifier: [idempotencyIdentifier(draft.idempotencyKey)],
    status: draft.status ?? 'active',
    intent: 'order',
    priority: draft.priority ?? 'routine',
    // The SDOHCC domain (the IG's required slice), SNOMED "Social service procedure" (IG examples),
    // and the US Core `sdoh` category that US Core 6+ searches use (sdoh.md §1.2–1.3).
    category: [
      { coding: [{ ...domain.category }], text: domain.label },
      { coding: [{ ...SOCIAL_SERVICE_PROCEDURE }] },
      { coding: [{ system: US_CORE_CATEGORY_SYSTEM, code: US_CORE_SDOH_CODE, display: 'SDOH' }] },
    ],
    code: { coding: [{ ...draft.service }], text: draft.service.display },
    ...(draft.doNotContactPatient
      ? { orderDetail: [{ coding: [{ ...CONTACTING_SUBJECT_PROHIBITED }] }] }
      : {}),
    subject: draft.patient,
    ...(draft.encounter === undefined ? {} : { encounter: draft.encounter }),
    authoredOn: draft.authoredOn,
    requester: draft.requester,
    ...(draft.performer === undefined ? {} : { performer: [draft.performer] }),
    ...(draft.reasons.length === 0 ? {} : { reasonReference: [...draft.reasons] }),
    ...(draft.note === undefined || draft.note.trim() === ''
      ? {}
      : { note: [{ text: draft.note.trim() }] }),
  };
  return { resource, ifNoneExist: identifierSearch(draft.idempotencyKey) };
}

/**
 * The SDOHCC Task For Referral Management that asks the owner to fulfil the request. `focus` is
 * the ServiceRequest: `ServiceRequest/<server id>` after a create, or its urn:uuid in a transaction.
 */
export function buildReferralTask(
  draft: ReferralDraft,
  serviceRequestReference: string,
): ConditionalCreate<fhir4.Task> {
  const owner = draft.owner ?? draft.performer;
  const resource: fhir4.Task = {
    resourceType: 'Task',
    meta: { profile: [`${SDOHCC_PROFILE}/SDOHCC-TaskForReferralManagement`] },
    identifier: [idempotencyIdentifier(draft.idempotencyKey)],
    status: 'requested',
    intent: 'order',
    priority: draft.priority ?? 'routine',
    code: {
      coding: [{ system: TASK_CODE_SYSTEM, code: 'fulfill', display: 'Fulfill the focal request' }],
    },
    focus: { reference: serviceRequestReference, display: draft.service.display },
    for: draft.patient,
    ...(draft.encounter === undefined ? {} : { encounter: draft.encounter }),
    authoredOn: draft.authoredOn,
    lastModified: draft.authoredOn,
    requester: draft.requester,
    ...(owner === undefined ? {} : { owner }),
  };
  return { resource, ifNoneExist: identifierSearch(draft.idempotencyKey) };
}

/** Bundle-local fullUrls of a draft's two resources (stable across retries of the same draft). */
export function referralFullUrls(draft: Pick<ReferralDraft, 'idempotencyKey'>): {
  serviceRequest: string;
  task: string;
} {
  return {
    serviceRequest: `urn:uuid:${deterministicUuid(`${draft.idempotencyKey}|ServiceRequest`)}`,
    task: `urn:uuid:${deterministicUuid(`${draft.idempotencyKey}|Task`)}`,
  };
}

/** Both resources as one transaction with conditional creates (R4 http.html#transaction). */
export function buildReferralTransaction(draft: ReferralDraft): fhir4.Bundle {
  const urls = referralFullUrls(draft);
  const sr = buildServiceRequest(draft);
  const task = buildReferralTask(draft, urls.serviceRequest);
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: urls.serviceRequest,
        resource: sr.resource,
        request: { method: 'POST', url: 'ServiceRequest', ifNoneExist: sr.ifNoneExist },
      },
      {
        fullUrl: urls.task,
        resource: task.resource,
        request: { method: 'POST', url: 'Task', ifNoneExist: task.ifNoneExist },
      },
    ],
  };
}

/** The two creates for servers without transactions: the request first, then its Task. */
export function buildReferralCreates(draft: ReferralDraft): {
  serviceRequest: ConditionalCreate<fhir4.ServiceRequest>;
  /** The Task, once the server has assigned the ServiceRequest's id. */
  taskFor: (serviceRequestId: string) => ConditionalCreate<fhir4.Task>;
} {
  return {
    serviceRequest: buildServiceRequest(draft),
    taskFor: (serviceRequestId) => buildReferralTask(draft, `ServiceRequest/${serviceRequestId}`),
  };
}

// ---------------------------------------------------------------- screen now

export interface ScreenNowInput {
  /** The domains due for screening; they choose the instrument unless one is given. */
  domains: readonly SdohDomain[];
  instrument?: ScreeningInstrument;
  patient: fhir4.Reference;
  requester: fhir4.Reference;
  authoredOn: string;
  idempotencyKey: string;
  encounter?: fhir4.Reference;
}

/** Which instrument a "screen now" path uses, and its Questionnaire canonical. */
export function screeningQuestionnaire(
  domains: readonly SdohDomain[],
  instrument?: ScreeningInstrument,
): { instrument: ScreeningInstrument; label: string; canonical: string } {
  const chosen = instrument ?? instrumentForScreening(domains);
  return {
    instrument: chosen,
    label: INSTRUMENT_LABELS[chosen],
    canonical: INSTRUMENT_QUESTIONNAIRES[chosen][0] ?? '',
  };
}

/**
 * SDOHCC Task For Patient asking the patient to complete the instrument's Questionnaire (IG 2.3.0
 * `SDOHCCTaskForPatient`: intent order, priority, code SDC temp#complete-questionnaire, owner the
 * patient, input `questionnaire` canonical; a patient task starts `ready`).
 */
export function buildScreenNowTask(input: ScreenNowInput): ConditionalCreate<fhir4.Task> {
  const q = screeningQuestionnaire(input.domains, input.instrument);
  const topics = input.domains.map((d) => DOMAIN_INFO[d].label.toLowerCase()).join(', ');
  const resource: fhir4.Task = {
    resourceType: 'Task',
    meta: { profile: [`${SDOHCC_PROFILE}/SDOHCC-TaskForPatient`] },
    identifier: [idempotencyIdentifier(input.idempotencyKey)],
    status: 'ready',
    intent: 'order',
    priority: 'routine',
    code: {
      coding: [
        {
          system: SDC_TEMP_SYSTEM,
          code: 'complete-questionnaire',
          display: 'Complete Questionnaire',
        },
      ],
    },
    description: `Please complete the ${q.label} questionnaire (${topics}).`,
    for: input.patient,
    ...(input.encounter === undefined ? {} : { encounter: input.encounter }),
    authoredOn: input.authoredOn,
    requester: input.requester,
    owner: input.patient,
    input: [
      {
        type: {
          coding: [{ system: SDC_TEMP_SYSTEM, code: 'questionnaire', display: 'Questionnaire' }],
        },
        valueCanonical: q.canonical,
      },
    ],
  };
  return { resource, ifNoneExist: identifierSearch(input.idempotencyKey) };
}

// ---------------------------------------------------------------- read-only mode

export interface ReferralTextContext {
  /** What the need rests on, e.g. "Hunger Vital Sign 2026-11-28: Often true". */
  reasonSummary?: string;
  patientName?: string;
}

/**
 * The referral in plain words, to copy into the EHR or a fax when the app cannot write: what, for
 * whom, why, to whom, contact restrictions, the note. No codes a reader would have to look up.
 */
export function referralText(draft: ReferralDraft, context: ReferralTextContext = {}): string {
  const domain = DOMAIN_INFO[draft.domain];
  const lines = [
    `Social care referral: ${draft.service.display}`,
    `Need: ${domain.label}`,
    ...(context.patientName === undefined ? [] : [`Patient: ${context.patientName}`]),
    ...(context.reasonSummary === undefined ? [] : [`Reason: ${context.reasonSummary}`]),
    `Referred to: ${draft.performer?.display ?? 'a community resource to be chosen'}`,
    `Requested by: ${draft.requester.display ?? draft.requester.reference ?? 'the care team'}`,
    `Date: ${draft.authoredOn.slice(0, 10)}`,
    ...(draft.priority === 'urgent' ? ['Priority: urgent'] : []),
    ...(draft.doNotContactPatient
      ? ['Do not contact the patient directly: arrange contact through the care team.']
      : []),
    ...(draft.note === undefined || draft.note.trim() === '' ? [] : [`Note: ${draft.note.trim()}`]),
  ];
  return lines.join('\n');
}
