// One patient's record as a US Core server holds it: a positive Hunger Vital Sign 6 days before
// "today" (2026-11-30) with no referral, a negative transportation item, type 2 diabetes with an
// office visit and an HbA1c this year, and a few demographics (one declined, one missing).
import { patientAna } from '../unit/fhir/fixtures';

export const TODAY = new Date(2026, 10, 30, 9, 0, 0);
export const PATIENT_ID = 'pat-ana';
const subject = { reference: `Patient/${PATIENT_ID}` };

const LOINC = 'http://loinc.org';
const SDOH_CATEGORY = [
  {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' },
    ],
  },
  { coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category', code: 'sdoh' }] },
];

export const patient: fhir4.Patient = {
  ...patientAna,
  communication: [
    {
      language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'es-MX' }] },
      preferred: true,
    },
  ],
  extension: [
    ...(patientAna.extension ?? []),
    {
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-interpreter-needed',
      valueCoding: { system: 'http://snomed.info/sct', code: '373066001', display: 'Yes' },
    },
  ],
};

function answer(
  id: string,
  question: string,
  questionDisplay: string,
  code: string,
  display: string,
  date: string,
): fhir4.Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: SDOH_CATEGORY,
    code: { coding: [{ system: LOINC, code: question, display: questionDisplay }] },
    subject,
    effectiveDateTime: date,
    valueCodeableConcept: { coding: [{ system: LOINC, code, display }] },
  };
}

/** HVS item 1 "Often true" (sdoh.md §2: positive) on 2026-11-24. */
export const foodPositive = answer(
  'obs-hvs-1',
  '88122-7',
  'Within the past 12 months we worried whether our food would run out before we got money to buy more',
  'LA28397-0',
  'Often true',
  '2026-11-24T10:00:00Z',
);

/** AHC transportation "No" (negative) the same day. */
export const transportNegative = answer(
  'obs-ahc-transport',
  '93030-5',
  'Has lack of transportation kept you from medical appointments, meetings, work or from getting things needed for daily living',
  'LA32-8',
  'No',
  '2026-11-24T10:00:00Z',
);

/** Sexual orientation asked and declined (US Core 7: data-absent-reason asked-declined). */
export const orientationDeclined: fhir4.Observation = {
  resourceType: 'Observation',
  id: 'obs-so',
  status: 'final',
  category: [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/observation-category',
          code: 'social-history',
        },
      ],
    },
  ],
  code: { coding: [{ system: LOINC, code: '76690-7', display: 'Sexual orientation' }] },
  subject,
  effectiveDateTime: '2026-03-01',
  valueCodeableConcept: {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
        code: 'asked-declined',
      },
    ],
  },
};

export const diabetes: fhir4.Condition = {
  resourceType: 'Condition',
  id: 'cond-dm',
  clinicalStatus: {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
    ],
  },
  verificationStatus: {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' },
    ],
  },
  category: [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/condition-category',
          code: 'problem-list-item',
        },
      ],
    },
  ],
  code: {
    coding: [
      {
        system: 'http://hl7.org/fhir/sid/icd-10-cm',
        code: 'E11.9',
        display: 'Type 2 diabetes mellitus without complications',
      },
    ],
  },
  subject,
  onsetDateTime: '2019-04-02',
  recordedDate: '2019-04-02',
};

export const officeVisit: fhir4.Encounter = {
  resourceType: 'Encounter',
  id: 'enc-2026',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  type: [
    {
      coding: [
        { system: 'http://www.ama-assn.org/go/cpt', code: '99213', display: 'Office visit' },
      ],
    },
  ],
  subject,
  period: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T09:30:00Z' },
};

export const hba1c: fhir4.Observation = {
  resourceType: 'Observation',
  id: 'obs-a1c',
  status: 'final',
  category: [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/observation-category',
          code: 'laboratory',
        },
      ],
    },
  ],
  code: { coding: [{ system: LOINC, code: '4548-4', display: 'Hemoglobin A1c' }] },
  subject,
  effectiveDateTime: '2026-03-02T09:10:00Z',
  valueQuantity: { value: 8.2, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
};

export const foodPantry: fhir4.HealthcareService = {
  resourceType: 'HealthcareService',
  id: 'hs-pantry',
  active: true,
  name: 'Springfield Community Food Pantry',
  providedBy: { reference: 'Organization/org-pantry', display: 'Springfield Food Network' },
  category: [
    {
      coding: [
        {
          system:
            'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
          code: 'food-insecurity',
        },
      ],
    },
  ],
  telecom: [{ system: 'phone', value: '555-0100' }],
};

export const drAdamsRecord: fhir4.Practitioner = {
  resourceType: 'Practitioner',
  id: 'dr-adams',
  name: [{ family: 'Adams', given: ['Grace'], prefix: ['Dr.'] }],
};

export function patientRecord(): fhir4.FhirResource[] {
  return [
    patient,
    drAdamsRecord,
    foodPositive,
    transportNegative,
    orientationDeclined,
    diabetes,
    officeVisit,
    hba1c,
    foodPantry,
  ];
}

export const READ_SCOPES = [
  'launch',
  'openid',
  'fhirUser',
  'patient/Patient.rs',
  'patient/Observation.rs',
  'patient/QuestionnaireResponse.rs',
  'patient/Condition.rs',
  'patient/Encounter.rs',
  'patient/Procedure.rs',
  'patient/ServiceRequest.rs',
  'patient/Task.rs',
  'patient/Coverage.rs',
  'patient/MedicationRequest.rs',
  'user/HealthcareService.rs',
  'user/Practitioner.rs',
];

export const WRITE_SCOPES = [
  ...READ_SCOPES,
  'patient/ServiceRequest.c',
  'patient/Task.cu',
  'patient/Procedure.c',
];
