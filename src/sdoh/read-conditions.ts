// SDOH Conditions for one patient (sdoh.md §1.2 "Condition", §4 "Queries"): health concerns and
// problems the clinician (or a screening's extraction) recorded. Read when the Condition carries
// the US Core `sdoh` category in either system (`us-core-category`, the older `us-core-tags`), or
// is a health concern / problem-list item whose code is an SDOH code (SNOMED CT, or an ICD-10-CM
// Z-code family of the sdoh.md §2 table). The domain comes from the code, else from an SDOHCC
// category. Entered-in-error and refuted Conditions are not findings.

import type { SdohDomain } from '../clinical/sdoh-screening';
import { parseDateTime } from '../clinical/cql-time';
import { resourceKey } from './fhir-reference';
import {
  CONDITION_CATEGORY_SYSTEM,
  CONDITION_CLINICAL_SYSTEM,
  CONDITION_VERIFICATION_SYSTEM,
  US_CORE_CONDITION_CATEGORY_SYSTEM,
  domainsOfCategories,
  domainsOfConditionCode,
  hasUsCoreSdohCategory,
} from './sdoh-codes';

/** `active` covers active, recurrence and relapse; `inactive` inactive, remission, resolved. */
export type ConditionClinicalStatus = 'active' | 'inactive';

/**
 * `unconfirmed` covers unconfirmed, provisional and differential: the IG's examples record
 * screen-derived health concerns as unconfirmed (sdoh.md §1.2). They still count as a need, and
 * the view says they are unconfirmed.
 */
export type ConditionVerification = 'confirmed' | 'unconfirmed';

export interface SdohConditionEvidence {
  ref: string;
  domains: SdohDomain[];
  /** The code's display (or text, or code) for the clinician. */
  display: string;
  clinicalStatus: ConditionClinicalStatus;
  verification: ConditionVerification;
  /** Epoch ms: recordedDate, else onset, else meta.lastUpdated. */
  time: number;
}

function codeOf(concept: fhir4.CodeableConcept | undefined, system: string): string | undefined {
  return concept?.coding?.find((c) => c.system === system)?.code;
}

function clinicalStatusOf(condition: fhir4.Condition): ConditionClinicalStatus {
  const code = codeOf(condition.clinicalStatus, CONDITION_CLINICAL_SYSTEM);
  switch (code) {
    case 'active':
    case 'recurrence':
    case 'relapse':
      return 'active';
    case 'inactive':
    case 'remission':
    case 'resolved':
      return 'inactive';
    default: {
      // Health concerns may omit clinicalStatus (R4 con-3 requires it for problem-list items only);
      // an abatement says it is over.
      const abated =
        condition.abatementDateTime !== undefined ||
        condition.abatementPeriod !== undefined ||
        condition.abatementString !== undefined ||
        condition.abatementAge !== undefined;
      return abated ? 'inactive' : 'active';
    }
  }
}

function hasCategory(condition: fhir4.Condition, system: string, code: string): boolean {
  return (condition.category ?? []).some((concept) =>
    (concept.coding ?? []).some((c) => c.system === system && c.code === code),
  );
}

/**
 * The patient's SDOH Conditions, oldest first. Undated Conditions cannot be placed and are skipped.
 * A date without a time is the start of that day in `offsetMinutes` (the offset of "now").
 */
export function readSdohConditions(
  conditions: readonly fhir4.Condition[],
  offsetMinutes = 0,
): SdohConditionEvidence[] {
  const out: SdohConditionEvidence[] = [];
  const seen = new Set<string>();
  for (const condition of conditions) {
    const key = resourceKey(condition) ?? 'Condition';
    if (key !== 'Condition' && seen.has(key)) continue;
    seen.add(key);
    const verification = codeOf(condition.verificationStatus, CONDITION_VERIFICATION_SYSTEM);
    if (verification === 'entered-in-error' || verification === 'refuted') continue;
    const byCode = domainsOfConditionCode(condition.code);
    const sdoh = hasUsCoreSdohCategory(condition.category);
    const concernOrProblem =
      hasCategory(condition, US_CORE_CONDITION_CATEGORY_SYSTEM, 'health-concern') ||
      hasCategory(condition, CONDITION_CATEGORY_SYSTEM, 'health-concern') ||
      hasCategory(condition, CONDITION_CATEGORY_SYSTEM, 'problem-list-item');
    if (!sdoh && !(concernOrProblem && byCode.length > 0)) continue;
    const domains = byCode.length > 0 ? byCode : domainsOfCategories(condition.category);
    if (domains.length === 0) continue;
    const time =
      parseDateTime(condition.recordedDate, offsetMinutes) ??
      parseDateTime(condition.onsetDateTime, offsetMinutes) ??
      parseDateTime(condition.onsetPeriod?.start, offsetMinutes) ??
      parseDateTime(condition.meta?.lastUpdated, offsetMinutes);
    if (time === null) continue;
    const coding = condition.code?.coding?.find((c) => c.display !== undefined);
    out.push({
      ref: key,
      domains,
      display:
        coding?.display ??
        condition.code?.text ??
        condition.code?.coding?.[0]?.code ??
        'SDOH condition',
      clinicalStatus: clinicalStatusOf(condition),
      verification:
        verification === 'unconfirmed' ||
        verification === 'provisional' ||
        verification === 'differential'
          ? 'unconfirmed'
          : 'confirmed',
      time,
    });
  }
  return out.sort((a, b) => a.time - b.time);
}
