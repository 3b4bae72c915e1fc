// Small FHIR builders for the demographics reader tests.

export const CDC = 'urn:oid:2.16.840.1.113883.6.238';
export const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';
export const DAR = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
export const SNOMED = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
export const RACE_URL = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
export const ETHNICITY_URL = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity';

export const cdc = (code: string, display?: string): fhir4.Coding =>
  display === undefined ? { system: CDC, code } : { system: CDC, code, display };

export function patient(extension: fhir4.Extension[] = [], more: Partial<fhir4.Patient> = {}) {
  const p: fhir4.Patient = { resourceType: 'Patient', id: 'p1', ...more };
  if (extension.length > 0) p.extension = extension;
  return p;
}

/** A US Core complex race/ethnicity extension. */
export function complex(
  url: string,
  parts: { omb?: fhir4.Coding[]; detailed?: fhir4.Coding[]; text?: string },
): fhir4.Extension {
  return {
    url,
    extension: [
      ...(parts.omb ?? []).map((c) => ({ url: 'ombCategory', valueCoding: c })),
      ...(parts.detailed ?? []).map((c) => ({ url: 'detailed', valueCoding: c })),
      ...(parts.text === undefined ? [] : [{ url: 'text', valueString: parts.text }]),
    ],
  };
}

export const race = (parts: Parameters<typeof complex>[1]) => complex(RACE_URL, parts);
export const ethnicity = (parts: Parameters<typeof complex>[1]) => complex(ETHNICITY_URL, parts);

export function observation(
  loinc: string,
  date: string,
  value: Partial<fhir4.Observation>,
  status: fhir4.Observation['status'] = 'final',
): fhir4.Observation {
  return {
    resourceType: 'Observation',
    status,
    code: { coding: [{ system: LOINC, code: loinc }] },
    effectiveDateTime: date,
    ...value,
  };
}

export const concept = (...coding: fhir4.Coding[]): fhir4.CodeableConcept => ({ coding });
