// A small panel for the demographic stratifiers, written as real exports look: a transaction
// Bundle with urn:uuid references and Bulk FHIR NDJSON split by type. Six adults (all in the
// small engine's CMS122 denominator; numerator = latest HbA1c > 9 % or none):
//   d1 Bundle  White, not Hispanic, en-US, us-core-sex female, heterosexual, Medicare  HbA1c 10
//   d2 Bundle  Black + White, Hispanic, Spanish, interpreter yes, us-core-sex male,
//              non-binary, Medicaid (Coverage in NDJSON)                              HbA1c 7
//   d3 NDJSON  race ASKU, ethnicity ASKU, es-MX, no interpreter, individual-sex ASKU,
//              orientation declined (data-absent-reason), no Coverage                 HbA1c 11
//   d4 NDJSON  nothing recorded; a Coverage that ended in 2024                        no HbA1c
//   d5 NDJSON  Asian, ethnicity UNK, en, Coverage without a payer typology code        HbA1c 6
//   d6 NDJSON  MENA (2118-8 only), not Hispanic, language text "Arabic", commercial     no HbA1c

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hba1c } from '../worker/panel-fixtures';

const CDC = 'urn:oid:2.16.840.1.113883.6.238';
const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';
const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/';
const SNOMED = 'http://snomed.info/sct';
const SOPT = 'urn:oid:2.16.840.1.113883.3.221.5';

const ndjson = (resources: unknown[]) => resources.map((r) => JSON.stringify(r)).join('\n') + '\n';

function omb(url: string, codings: fhir4.Coding[], text: string): fhir4.Extension {
  return {
    url: `${US_CORE}${url}`,
    extension: [
      ...codings.map((valueCoding) => ({ url: 'ombCategory', valueCoding })),
      { url: 'text', valueString: text },
    ],
  };
}

const race = (codes: string[], text: string) =>
  omb(
    'us-core-race',
    codes.map((code) => ({ system: CDC, code })),
    text,
  );
const ethnicity = (code: string, text: string) =>
  omb('us-core-ethnicity', [{ system: CDC, code }], text);
const asku: fhir4.Coding = { system: NULL_FLAVOR, code: 'ASKU' };

const language = (code: string): fhir4.PatientCommunication => ({
  language: { coding: [{ system: 'urn:ietf:bcp:47', code }] },
  preferred: true,
});

function person(id: string, birthDate: string, extra: Partial<fhir4.Patient>): fhir4.Patient {
  return {
    resourceType: 'Patient',
    id,
    birthDate,
    gender: 'unknown',
    // Not read by any reader: must not be kept.
    address: [{ line: ['1 Main St'], city: 'Springfield', state: 'MA' }],
    ...extra,
  };
}

function answer(
  id: string,
  patientRef: string,
  loinc: string,
  value: Partial<fhir4.Observation>,
): fhir4.Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    subject: { reference: patientRef },
    effectiveDateTime: '2026-03-01',
    ...value,
  };
}

function coverage(
  id: string,
  patientRef: string,
  sopt: string | undefined,
  period: fhir4.Period,
): fhir4.Coverage {
  return {
    resourceType: 'Coverage',
    id,
    status: 'active',
    beneficiary: { reference: patientRef },
    payor: [{ display: 'A payer' }],
    type:
      sopt === undefined ? { text: 'Employer plan' } : { coding: [{ system: SOPT, code: sopt }] },
    period,
  };
}

export function writeDemographicsFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'equity-lens-demographics-'));
  mkdirSync(join(root, 'bundles'));
  mkdirSync(join(root, 'export'));

  const d1 = 'urn:uuid:5b1e7c1a-0000-4000-8000-0000000000d1';
  const d2 = 'urn:uuid:5b1e7c1a-0000-4000-8000-0000000000d2';
  const bundle: fhir4.Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: d1,
        resource: person('d1', '1970-03-02', {
          extension: [
            race(['2106-3'], 'White'),
            ethnicity('2186-5', 'Not Hispanic or Latino'),
            { url: `${US_CORE}us-core-sex`, valueCode: '248152002' },
          ],
          communication: [language('en-US')],
        }),
      },
      {
        fullUrl: 'urn:uuid:o-d1',
        resource: { ...hba1c('o-d1', 'd1', '2026-04-01', 10), subject: { reference: d1 } },
      },
      {
        fullUrl: 'urn:uuid:so-d1',
        resource: answer('so-d1', d1, '76690-7', {
          valueCodeableConcept: { coding: [{ system: SNOMED, code: '20430005' }] },
        }),
      },
      {
        fullUrl: 'urn:uuid:cov-d1',
        resource: coverage('cov-d1', d1, '1', { start: '2020-01-01' }),
      },
      {
        fullUrl: d2,
        resource: person('d2', '1980-05-05', {
          extension: [
            race(['2054-5', '2106-3'], 'Black and White'),
            ethnicity('2135-2', 'Hispanic or Latino'),
            { url: `${US_CORE}us-core-sex`, valueCode: '248153007' },
            {
              url: `${US_CORE}us-core-interpreter-needed`,
              valueCoding: { system: SNOMED, code: '373066001' },
            },
          ],
          communication: [language('es')],
        }),
      },
      {
        fullUrl: 'urn:uuid:o-d2',
        resource: { ...hba1c('o-d2', 'd2', '2026-04-01', 7), subject: { reference: d2 } },
      },
      {
        fullUrl: 'urn:uuid:gi-d2',
        resource: answer('gi-d2', d2, '76691-5', {
          valueCodeableConcept: { coding: [{ system: SNOMED, code: '33791000087105' }] },
        }),
      },
    ],
  };
  writeFileSync(join(root, 'bundles', 'd1-d2.json'), JSON.stringify(bundle, null, 2));

  writeFileSync(
    join(root, 'export', 'Patient.ndjson'),
    ndjson([
      person('d3', '1975-01-01', {
        extension: [
          omb('us-core-race', [asku], 'Declined'),
          omb('us-core-ethnicity', [asku], 'Declined'),
          { url: `${US_CORE}us-core-individual-sex`, valueCoding: asku },
          {
            url: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired',
            valueBoolean: false,
          },
        ],
        communication: [language('es-MX')],
      }),
      person('d4', '1990-10-10', {}),
      person('d5', '1985-07-19', {
        extension: [
          race(['2028-9'], 'Asian'),
          omb('us-core-ethnicity', [{ system: NULL_FLAVOR, code: 'UNK' }], 'Unknown'),
        ],
        communication: [language('en')],
      }),
      person('d6', '1960-02-02', {
        extension: [
          {
            url: `${US_CORE}us-core-race`,
            extension: [
              { url: 'detailed', valueCoding: { system: CDC, code: '2118-8' } },
              { url: 'text', valueString: 'Middle Eastern or North African' },
            ],
          },
          ethnicity('2186-5', 'Not Hispanic or Latino'),
        ],
        communication: [{ language: { text: 'Arabic' } }],
      }),
    ]),
  );
  writeFileSync(
    join(root, 'export', 'Observation.ndjson'),
    ndjson([
      hba1c('o-d3', 'd3', '2026-06-01', 11),
      hba1c('o-d5', 'd5', '2026-06-01', 6),
      answer('so-d3', 'Patient/d3', '76690-7', {
        dataAbsentReason: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
              code: 'asked-declined',
            },
          ],
        },
      }),
    ]),
  );
  writeFileSync(
    join(root, 'export', 'Coverage.ndjson'),
    ndjson([
      coverage('cov-d2', 'Patient/d2', '2', { start: '2026-01-01', end: '2026-12-31' }),
      coverage('cov-d4', 'Patient/d4', '5', { start: '2023-01-01', end: '2024-06-30' }),
      coverage('cov-d5', 'Patient/d5', undefined, { start: '2026-01-01' }),
      coverage('cov-d6', 'Patient/d6', '5', { start: '2025-01-01' }),
    ]),
  );
  return root;
}
