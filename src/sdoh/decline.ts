// "The patient declines help", recorded as data (sdoh.md §0.4, §4 "Recording a decline").
//
// The Gravity IG defines no decline artifact, so Equity Lens uses ONE convention, option (b) of
// sdoh.md §4: a **Procedure with `status` = `not-done`** — "the social-care service was offered and
// not done because the patient declined":
//
//   status        not-done
//   statusReason  SNOMED CT 183944003 "Procedure refused (situation)" (R4 procedure-not-performed-
//                 reason example value set) + CDS Hooks `non-adherence-reason-codes#patient-refuses`
//                 (the override reason the card offers), text "Patient declined help"
//   category      the domain's SDOHCC category + SNOMED CT 410606002 "Social service procedure"
//   code          the service that was offered (the domain's first ServiceRequest code by default)
//   subject       the patient;  encounter  the visit, when known
//   performedDateTime  when the patient declined — scopes the decline to a domain and a date
//   recorder      the clinician;  reasonReference  the positive Observation or Condition
//   identifier    the draft's idempotency key (urn:ietf:rfc:3986 | urn:uuid:…)
//
// Why this one: it is a plain US Core Procedure (no extension, no new code system), needs one
// narrow SMART scope (`patient/Procedure.c`), sits in the same query the view already runs for
// completed interventions, is scoped to a domain (category) and a date (performed), and measures
// ignore it (SNS-E counts only completed Procedures, ../measures/social-need-intervention.ts).
// Option (a) needs an instrument-specific "Would you like help?" item that most sites lack, and
// revoking a ServiceRequest (b, second form) needs a referral to exist first; (c) CDS feedback is
// not stored in the chart. The reader below accepts any not-done Procedure in an SDOH domain whose
// statusReason codes or text say the patient declined, so records other tools made the same way
// also count.

import type { SdohDomain } from '../clinical/sdoh-screening';
import { SNOMED_SYSTEM } from '../clinical/sdoh-screening';
import { parseDateTime } from '../clinical/cql-time';
import { resourceKey } from './fhir-reference';
import type { ConditionalCreate } from './idempotency';
import { idempotencyIdentifier, identifierSearch } from './idempotency';
import { conceptLabel } from './read-referrals';
import type { Code } from './sdoh-codes';
import {
  DOMAIN_INFO,
  NON_ADHERENCE_REASON_SYSTEM,
  SOCIAL_SERVICE_PROCEDURE,
  domainsOfCategories,
  domainsOfServiceCode,
  serviceChoices,
} from './sdoh-codes';

/** SNOMED CT "declined" situations a statusReason may carry (R4 procedure-not-performed-reason). */
const PATIENT_DECLINED_SNOMED: ReadonlySet<string> = new Set([
  '183944003', // Procedure refused (situation)
  '105480006', // Refusal of treatment by patient (situation)
  '416432009', // Procedure not wanted (situation)
]);

/** CDS Hooks override reasons that mean the patient said no (non-adherence-reason-codes). */
const PATIENT_DECLINED_REASONS: ReadonlySet<string> = new Set([
  'patient-refuses',
  'patient-does-not-want-change',
  'prefers-alternative',
]);

export const DECLINE_STATUS_REASON: fhir4.CodeableConcept = {
  coding: [
    { system: SNOMED_SYSTEM, code: '183944003', display: 'Procedure refused (situation)' },
    {
      system: NON_ADHERENCE_REASON_SYSTEM,
      code: 'patient-refuses',
      display: 'Patient refuses/declines (no context given)',
    },
  ],
  text: 'Patient declined help',
};

export interface DeclineEvidence {
  ref: string;
  domains: SdohDomain[];
  /** Epoch ms the patient declined. */
  time: number;
  /** The service that was offered. */
  service: string;
  /** The statusReason text (or code display) as recorded. */
  reason: string;
}

function isPatientDecline(reason: fhir4.CodeableConcept | undefined): boolean {
  if (reason === undefined) return false;
  const coded = (reason.coding ?? []).some(
    (c) =>
      c.code !== undefined &&
      ((c.system === SNOMED_SYSTEM && PATIENT_DECLINED_SNOMED.has(c.code)) ||
        (c.system === NON_ADHERENCE_REASON_SYSTEM && PATIENT_DECLINED_REASONS.has(c.code))),
  );
  return coded || /declin|refus|not want/i.test(reason.text ?? '');
}

/** The patient's recorded declines (the convention above), oldest first; dates in `offsetMinutes`. */
export function readDeclines(
  procedures: readonly fhir4.Procedure[],
  offsetMinutes = 0,
): DeclineEvidence[] {
  const out: DeclineEvidence[] = [];
  for (const p of procedures) {
    if (p.status !== 'not-done' || !isPatientDecline(p.statusReason)) continue;
    const time =
      parseDateTime(p.performedDateTime, offsetMinutes) ??
      parseDateTime(p.performedPeriod?.start, offsetMinutes) ??
      parseDateTime(p.meta?.lastUpdated, offsetMinutes);
    if (time === null) continue;
    let domains = domainsOfCategories(p.category === undefined ? [] : [p.category]);
    if (domains.length === 0) domains = domainsOfServiceCode(p.code);
    if (domains.length === 0) continue;
    out.push({
      ref: resourceKey(p) ?? 'Procedure',
      domains,
      time,
      service: conceptLabel(p.code, 'Social care service'),
      reason: p.statusReason?.text ?? conceptLabel(p.statusReason, 'Patient declined'),
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

export interface DeclineInput {
  domain: SdohDomain;
  patient: fhir4.Reference;
  /** The clinician recording it (SMART `fhirUser`). */
  recorder: fhir4.Reference;
  /** FHIR dateTime the patient declined (the caller's "now"). */
  when: string;
  /** A UUID the caller generated for this draft and reuses on every retry. */
  idempotencyKey: string;
  /** The positive Observation or Condition the offer answered. */
  reason?: fhir4.Reference;
  /** The service offered; defaults to the domain's first service choice. */
  service?: Code;
  encounter?: fhir4.Reference;
  note?: string;
}

/** The decline record (convention above) as a conditional create. */
export function buildDeclineRecord(input: DeclineInput): ConditionalCreate<fhir4.Procedure> {
  const service = input.service ?? serviceChoices(input.domain)[0];
  const category = DOMAIN_INFO[input.domain].category;
  const resource: fhir4.Procedure = {
    resourceType: 'Procedure',
    identifier: [idempotencyIdentifier(input.idempotencyKey)],
    status: 'not-done',
    statusReason: DECLINE_STATUS_REASON,
    category: { coding: [{ ...category }, { ...SOCIAL_SERVICE_PROCEDURE }] },
    code:
      service === undefined
        ? { text: `Help with ${DOMAIN_INFO[input.domain].need}` }
        : { coding: [{ ...service }], text: service.display },
    subject: input.patient,
    ...(input.encounter === undefined ? {} : { encounter: input.encounter }),
    performedDateTime: input.when,
    recorder: input.recorder,
    ...(input.reason === undefined ? {} : { reasonReference: [input.reason] }),
    ...(input.note === undefined ? {} : { note: [{ text: input.note }] }),
  };
  return { resource, ifNoneExist: identifierSearch(input.idempotencyKey) };
}
