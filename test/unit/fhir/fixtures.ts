// FHIR R4 resources shaped like the sandbox's (US Core extensions, an MRN, a practitioner).

export const patientAna: fhir4.Patient = {
  resourceType: 'Patient',
  id: 'pat-ana',
  meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] },
  extension: [
    {
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
      extension: [
        {
          url: 'ombCategory',
          valueCoding: {
            system: 'urn:oid:2.16.840.1.113883.6.238',
            code: '2106-3',
            display: 'White',
          },
        },
        { url: 'text', valueString: 'White' },
      ],
    },
    {
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
      extension: [
        {
          url: 'ombCategory',
          valueCoding: {
            system: 'urn:oid:2.16.840.1.113883.6.238',
            code: '2135-2',
            display: 'Hispanic or Latino',
          },
        },
        { url: 'text', valueString: 'Hispanic or Latino' },
      ],
    },
    { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: 'F' },
  ],
  identifier: [
    {
      system: 'https://github.com/synthetichealth/synthea',
      value: '7c2b6e3f-0b4e-4d8a-9f3c-2f1e5b9a0d11',
    },
    {
      type: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
            code: 'MR',
            display: 'Medical Record Number',
          },
        ],
        text: 'Medical Record Number',
      },
      system: 'http://hospital.smarthealthit.org',
      value: 'MRN-004417',
    },
    {
      type: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
            code: 'SS',
            display: 'Social Security Number',
          },
        ],
      },
      system: 'http://hl7.org/fhir/sid/us-ssn',
      value: '999-41-7734',
    },
  ],
  name: [{ use: 'official', family: 'Lopez', given: ['Ana', 'Maria'], prefix: ['Mrs.'] }],
  telecom: [{ system: 'phone', value: '555-201-4417', use: 'home' }],
  gender: 'female',
  birthDate: '1968-07-21',
  address: [{ line: ['12 Elm St'], city: 'Springfield', state: 'MA', postalCode: '01101' }],
};

export const deceasedPatient: fhir4.Patient = {
  resourceType: 'Patient',
  id: 'pat-late',
  name: [{ family: 'Okafor', given: ['Chidi'] }],
  gender: 'male',
  birthDate: '1940-01-10',
  deceasedDateTime: '2021-06-02T08:15:00-04:00',
  identifier: [
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
      value: 'MRN-000009',
    },
  ],
};

export const drAdams: fhir4.Practitioner = {
  resourceType: 'Practitioner',
  id: 'dr-adams',
  identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '9999912345' }],
  name: [{ family: 'Adams', given: ['Grace'], prefix: ['Dr.'] }],
};
