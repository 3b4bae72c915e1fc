// The searches the social-needs strip needs for one patient, as data (sdoh.md §4 "Queries per
// launch"; all issued in one parallel wave, each tolerating its own 403/404). The fetch layer turns
// them into requests; this pure layer only says what to ask for and which section each feeds.
//
// - Observations twice: by the US Core `sdoh` category in BOTH systems (us-core-category, US Core 6+;
//   us-core-tags, 5.0.x), and by code (every listed item and panel LOINC), because US Core warns
//   categorisation varies (sdoh.md §2). The reader de-duplicates by id.
// - QuestionnaireResponses, Conditions, ServiceRequests, Procedures by patient; the readers filter.
//   (Conditions and requests are not narrowed by category: an EHR may code an SDOH problem only by
//   its Z-code, which `category` cannot find.)
// - Tasks For Referral Management (`code` fulfill) with their focus ServiceRequests included: the
//   caller adds the included ServiceRequests to `serviceRequests` (readReferrals de-duplicates).
//
// Task status is read on load, on window focus and on a manual refresh. Timed polling, if any, must
// wait at least TASK_POLL_MIN_INTERVAL_MS (IG 2.3.0 checking_task_status.md: poll "at least daily,
// SHOULD hourly, not more often than every 15 minutes").

import { LOINC_SYSTEM, SCREENING_PANELS, SDOH_SCREENING_ITEMS } from '../clinical/sdoh-screening';
import { TASK_CODE_SYSTEM, US_CORE_SDOH_CATEGORY_SYSTEMS, US_CORE_SDOH_CODE } from './sdoh-codes';

export const TASK_POLL_MIN_INTERVAL_MS = 15 * 60 * 1000;

/** Which input of readSdohDomainStatuses a search fills. */
export type SdohSection =
  | 'observations'
  | 'questionnaireResponses'
  | 'conditions'
  | 'serviceRequests'
  | 'tasks'
  | 'procedures';

export interface SdohSearch {
  section: SdohSection;
  resourceType:
    'Observation' | 'QuestionnaireResponse' | 'Condition' | 'ServiceRequest' | 'Task' | 'Procedure';
  /** Search parameters in order, values unescaped (the caller URL-encodes). */
  params: readonly (readonly [name: string, value: string])[];
}

/** Every screening LOINC the readers understand: the items and the panels. */
export function screeningLoincCodes(): string[] {
  return [...SDOH_SCREENING_ITEMS.keys(), ...SCREENING_PANELS.keys()];
}

/** The strip's searches for a patient id (the launch context's `patient`). */
export function sdohSearches(patientId: string): SdohSearch[] {
  const patient = ['patient', patientId] as const;
  const sdohCategory = US_CORE_SDOH_CATEGORY_SYSTEMS.map((s) => `${s}|${US_CORE_SDOH_CODE}`).join(
    ',',
  );
  const codes = screeningLoincCodes()
    .map((c) => `${LOINC_SYSTEM}|${c}`)
    .join(',');
  return [
    {
      section: 'observations',
      resourceType: 'Observation',
      params: [patient, ['category', sdohCategory], ['_sort', '-date']],
    },
    {
      section: 'observations',
      resourceType: 'Observation',
      params: [patient, ['code', codes], ['_sort', '-date']],
    },
    {
      section: 'questionnaireResponses',
      resourceType: 'QuestionnaireResponse',
      params: [patient, ['_sort', '-authored']],
    },
    { section: 'conditions', resourceType: 'Condition', params: [patient] },
    { section: 'serviceRequests', resourceType: 'ServiceRequest', params: [patient] },
    {
      section: 'tasks',
      resourceType: 'Task',
      params: [patient, ['code', `${TASK_CODE_SYSTEM}|fulfill`], ['_include', 'Task:focus']],
    },
    { section: 'procedures', resourceType: 'Procedure', params: [patient] },
  ];
}
