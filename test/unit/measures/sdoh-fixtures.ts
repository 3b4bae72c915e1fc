// Small FHIR R4 fixtures for the social-needs and encounter-outcome measure tests, built in code
// and run through the real record builder.

import { buildPatientRecords } from '../../../src/clinical/build-patient-records';
import type { PatientRecord } from '../../../src/clinical/patient-record';

export const PATIENT_ID = 'p1';
const subject = { reference: `Patient/${PATIENT_ID}` };
let counter = 0;
const nextId = (prefix: string): string => `${prefix}-${++counter}`;

export function patient(birthDate: string, extra: Partial<fhir4.Patient> = {}): fhir4.Patient {
  return { resourceType: 'Patient', id: PATIENT_ID, birthDate, gender: 'female', ...extra };
}

export function encounter(
  start: string,
  options: {
    classCode?: string;
    end?: string;
    status?: fhir4.Encounter['status'];
    disposition?: string;
    id?: string;
  } = {},
): fhir4.Encounter {
  const e: fhir4.Encounter = {
    resourceType: 'Encounter',
    id: options.id ?? nextId('enc'),
    status: options.status ?? 'finished',
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: options.classCode ?? 'AMB',
    },
    subject,
    period: { start, ...(options.end === undefined ? {} : { end: options.end }) },
  };
  if (options.disposition !== undefined) {
    e.hospitalization = {
      dischargeDisposition: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
            code: options.disposition,
          },
        ],
      },
    };
  }
  return e;
}

/** One screening item: an LA answer code, a score (AHC total), or `null` for asked-declined. */
export function item(
  question: string,
  answer: string | number | null,
  date: string,
  id = nextId('obs'),
): fhir4.Observation {
  const obs: fhir4.Observation = {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: question }] },
    subject,
    effectiveDateTime: date,
  };
  if (answer === null) {
    obs.dataAbsentReason = {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
          code: 'asked-declined',
        },
      ],
    };
  } else if (typeof answer === 'number') {
    // A score as a UCUM {score} Quantity; sdoh-positive-rate.test.ts also covers valueInteger.
    obs.valueQuantity = { value: answer, system: 'http://unitsofmeasure.org', code: '{score}' };
  } else {
    obs.valueCodeableConcept = { coding: [{ system: 'http://loinc.org', code: answer }] };
  }
  return obs;
}

/** A negative AHC screening of all five domains on `date`: HVS food, 71802-3, 93030-5, 96779-4, the four safety items ("Never") and their total. */
export function negativeScreen(date: string): fhir4.Observation[] {
  return [
    item('88122-7', 'LA28398-8', date),
    item('88123-5', 'LA28398-8', date),
    item('71802-3', 'LA31993-1', date),
    item('93030-5', 'LA32-8', date),
    item('96779-4', 'LA32-8', date),
    ...['95618-5', '95617-7', '95616-9', '95615-1'].map((q) => item(q, 'LA6270-8', date)),
    item('95614-4', 4, date),
  ];
}

export function serviceRequest(
  snomed: string,
  authoredOn: string,
  status: fhir4.ServiceRequest['status'] = 'active',
): fhir4.ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id: nextId('sr'),
    status,
    intent: 'order',
    code: { coding: [{ system: 'http://snomed.info/sct', code: snomed }] },
    subject,
    authoredOn,
  };
}

export function procedure(snomed: string, performed: string): fhir4.Procedure {
  return {
    resourceType: 'Procedure',
    id: nextId('proc'),
    status: 'completed',
    code: { coding: [{ system: 'http://snomed.info/sct', code: snomed }] },
    subject,
    performedDateTime: performed,
  };
}

export function recordOf(resources: fhir4.Resource[]): PatientRecord {
  const records = buildPatientRecords(resources);
  const record = records.find((r) => r.id === PATIENT_ID);
  if (record === undefined) throw new Error('fixture has no patient record');
  return record;
}
