// A few patients as FHIR R4 resources, for the panel runner tests.

export function patient(
  id: string,
  birthDate: string,
  gender: fhir4.Patient['gender'],
): fhir4.Patient {
  return { resourceType: 'Patient', id, birthDate, gender };
}

export function hba1c(
  id: string,
  patientId: string,
  date: string,
  percent: number,
): fhir4.Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: date,
    valueQuantity: { value: percent, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
  };
}

export function visit(id: string, patientId: string, date: string): fhir4.Encounter {
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${patientId}` },
    period: { start: `${date}T09:00:00Z`, end: `${date}T09:30:00Z` },
  };
}

/** p1: 10 % (numerator), p2: 7 % (not), p3: no result (numerator), p4: a child (out). */
export const panelResources: fhir4.FhirResource[] = [
  patient('p1', '1970-03-02', 'female'),
  hba1c('o1', 'p1', '2026-04-01', 10.2),
  visit('e1', 'p1', '2026-04-01'),
  patient('p2', '1985-07-19', 'male'),
  hba1c('o2', 'p2', '2026-05-01', 7.1),
  patient('p3', '1960-01-01', 'female'),
  visit('e3', 'p3', '2026-02-01'),
  patient('p4', '2015-06-30', 'male'),
];

export const period2026 = { start: '2026-01-01', end: '2026-12-31' };
