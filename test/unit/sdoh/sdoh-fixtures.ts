// Small FHIR R4 builders for the social-needs unit tests: screening Observations (single items and
// panels), QuestionnaireResponses, SDOH Conditions, SDOHCC ServiceRequests and Tasks. Codes follow
// ../shared/reference/sdoh.md §2; only what each test varies is a parameter.

import type { SdohDomain } from '../../../src/clinical/sdoh-screening';
import type { SdohInputs } from '../../../src/sdoh/domain-states';
import { DOMAIN_INFO, US_CORE_CATEGORY_SYSTEM } from '../../../src/sdoh/sdoh-codes';

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const US_CORE_TAGS = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-tags';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

export const PATIENT: fhir4.Reference = { reference: 'Patient/p1', display: 'Alex Doe' };
export const CLINICIAN: fhir4.Reference = {
  reference: 'Practitioner/dr1',
  display: 'Dr. Rivera',
};
export const FOOD_BANK: fhir4.Reference = {
  reference: 'Organization/food-bank',
  display: 'Eastside Food Bank',
};

export type ItemValue =
  | { codes: readonly string[] }
  | { number: number }
  | { absent: 'asked-declined' | 'not-asked' | 'asked-unknown' };

export const coded = (...codes: string[]): ItemValue => ({ codes });

function sdohCategories(system: string): fhir4.CodeableConcept[] {
  return [
    { coding: [{ system: OBS_CATEGORY, code: 'survey' }] },
    { coding: [{ system, code: 'sdoh' }] },
  ];
}

function valueOf(value: ItemValue): Partial<fhir4.Observation> {
  if ('codes' in value) {
    return {
      valueCodeableConcept: { coding: value.codes.map((code) => ({ system: LOINC, code })) },
    };
  }
  if ('number' in value) return { valueInteger: value.number };
  return {
    dataAbsentReason: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: value.absent },
      ],
    },
  };
}

export interface ObsOptions {
  /** The US Core sdoh category's system; null leaves only `survey`. */
  categorySystem?: string | null;
  status?: fhir4.Observation['status'];
}

/** One screening item as an Observation (US Core screening assessment). */
export function itemObservation(
  id: string,
  loinc: string,
  value: ItemValue,
  date: string | undefined,
  options: ObsOptions = {},
): fhir4.Observation {
  const system = options.categorySystem ?? US_CORE_CATEGORY_SYSTEM;
  return {
    resourceType: 'Observation',
    id,
    status: options.status ?? 'final',
    category:
      system === null
        ? [{ coding: [{ system: OBS_CATEGORY, code: 'survey' }] }]
        : sdohCategories(system),
    code: { coding: [{ system: LOINC, code: loinc }] },
    subject: PATIENT,
    ...(date === undefined ? {} : { effectiveDateTime: date }),
    ...valueOf(value),
  };
}

/** A panel Observation grouping `members` through hasMember. */
export function panelObservation(
  id: string,
  loinc: string,
  members: readonly string[],
  date: string,
): fhir4.Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: sdohCategories(US_CORE_CATEGORY_SYSTEM),
    code: { coding: [{ system: LOINC, code: loinc }] },
    subject: PATIENT,
    effectiveDateTime: date,
    hasMember: members.map((reference) => ({ reference })),
  };
}

export interface QrItem {
  linkId: string;
  codes?: readonly string[];
  number?: number;
  item?: readonly QrItem[];
}

function qrItem(i: QrItem): fhir4.QuestionnaireResponseItem {
  const answers: fhir4.QuestionnaireResponseItemAnswer[] = [
    ...(i.codes ?? []).map((code) => ({ valueCoding: { system: LOINC, code } })),
    ...(i.number === undefined ? [] : [{ valueInteger: i.number }]),
  ];
  return {
    linkId: i.linkId,
    ...(answers.length === 0 ? {} : { answer: answers }),
    ...(i.item === undefined ? {} : { item: i.item.map(qrItem) }),
  };
}

export function questionnaireResponse(
  id: string,
  questionnaire: string | undefined,
  items: readonly QrItem[],
  authored: string,
  status: fhir4.QuestionnaireResponse['status'] = 'completed',
): fhir4.QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id,
    status,
    ...(questionnaire === undefined ? {} : { questionnaire }),
    subject: PATIENT,
    authored,
    item: items.map(qrItem),
  };
}

export interface ConditionOptions {
  /** Category codings besides the concern/problem one. Default: US Core sdoh. */
  categories?: fhir4.Coding[];
  concern?: 'health-concern' | 'problem-list-item' | 'none';
  clinical?: string;
  verification?: string;
}

export function sdohCondition(
  id: string,
  coding: fhir4.Coding[],
  recordedDate: string,
  options: ConditionOptions = {},
): fhir4.Condition {
  const concern = options.concern ?? 'health-concern';
  const categories = options.categories ?? [{ system: US_CORE_CATEGORY_SYSTEM, code: 'sdoh' }];
  return {
    resourceType: 'Condition',
    id,
    category: [
      ...(concern === 'none'
        ? []
        : [
            {
              coding: [
                {
                  system:
                    concern === 'health-concern'
                      ? 'http://hl7.org/fhir/us/core/CodeSystem/condition-category'
                      : 'http://terminology.hl7.org/CodeSystem/condition-category',
                  code: concern,
                },
              ],
            },
          ]),
      ...categories.map((c) => ({ coding: [c] })),
    ],
    clinicalStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
          code: options.clinical ?? 'active',
        },
      ],
    },
    ...(options.verification === undefined
      ? {}
      : {
          verificationStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
                code: options.verification,
              },
            ],
          },
        }),
    code: { coding },
    subject: PATIENT,
    recordedDate,
  };
}

/** An SDOHCC ServiceRequest placed in a domain by its SDOHCC category. */
export function referral(
  id: string,
  domain: SdohDomain,
  authoredOn: string,
  status: fhir4.ServiceRequest['status'] = 'active',
): fhir4.ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id,
    status,
    intent: 'order',
    category: [{ coding: [{ ...DOMAIN_INFO[domain].category }] }],
    code: { coding: [{ system: SNOMED, code: '308440001', display: 'Referral to social worker' }] },
    subject: PATIENT,
    authoredOn,
    requester: CLINICIAN,
    performer: [FOOD_BANK],
  };
}

export interface TaskOptions {
  owner?: fhir4.Reference;
  reason?: string;
  output?: fhir4.TaskOutput[];
}

export function referralTask(
  id: string,
  serviceRequestId: string,
  status: fhir4.Task['status'],
  lastModified: string,
  options: TaskOptions = {},
): fhir4.Task {
  return {
    resourceType: 'Task',
    id,
    status,
    intent: 'order',
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: { reference: `ServiceRequest/${serviceRequestId}` },
    for: PATIENT,
    authoredOn: lastModified,
    lastModified,
    requester: CLINICIAN,
    ...(options.owner === undefined ? {} : { owner: options.owner }),
    ...(options.reason === undefined ? {} : { statusReason: { text: options.reason } }),
    ...(options.output === undefined ? {} : { output: options.output }),
  };
}

export function inputs(parts: Partial<SdohInputs>): SdohInputs {
  return {
    observations: [],
    questionnaireResponses: [],
    conditions: [],
    serviceRequests: [],
    tasks: [],
    procedures: [],
    ...parts,
  };
}
