// Real data nobody here wrote: the 200 Synthea patients (gzipped transaction Bundles with
// urn:uuid references) load into records, and the engine says why they fall outside CMS122.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPatientRecordBuilder } from '../../../src/clinical/build-patient-records';
import type { PatientRecord, ValueSetRegistry } from '../../../src/clinical/patient-record';
import { loadValueSetRegistry } from '../../../src/clinical/value-set-registry';
import { CLINICAL_MEASURES, clinicalMeasure } from '../../../src/measures/clinical-measures';

const DATA = join(import.meta.dirname, '../../../../shared/data');
const SYNTHEA = join(DATA, 'synthea-r4-2019');
const ECQM = join(DATA, 'ecqm-2026');

let records: PatientRecord[] = [];
let valueSets: ValueSetRegistry;
const period = { start: '2020-04-01', end: '2021-03-31' };

beforeAll(() => {
  const files = readdirSync(SYNTHEA).filter((f) => f.endsWith('.json.gz'));
  // Organizations and Practitioners first, as the data README says; they carry no patient data.
  files.sort((a, b) => Number(/^[a-z]/.test(b)) - Number(/^[a-z]/.test(a)));
  const builder = createPatientRecordBuilder();
  for (const file of files)
    builder.add(JSON.parse(gunzipSync(readFileSync(join(SYNTHEA, file))).toString('utf8')));
  records = builder.build();
  valueSets = loadValueSetRegistry(
    ...readdirSync(ECQM)
      .filter((f) => f.startsWith('CMS'))
      .map((f) => JSON.parse(readFileSync(join(ECQM, f, 'valuesets.json'), 'utf8')) as unknown),
  );
}, 60_000);

describe('Synthea R4 sample', () => {
  it('builds one record per patient, joining urn:uuid references', () => {
    expect(records).toHaveLength(200);
    for (const r of records) {
      expect(r.birthDate).not.toBeNull();
      expect(r.encounters.length).toBeGreaterThan(0);
    }
  });

  it('reads HbA1c results, BP panels and colonoscopies in their real-world shapes', () => {
    const observations = records.flatMap((r) => r.observations);
    const a1c = observations.filter((o) => o.codes.includes('http://loinc.org|4548-4'));
    expect(a1c.length).toBeGreaterThan(0);
    expect(a1c.every((o) => o.value.kind === 'quantity' && o.value.unit === '%')).toBe(true);
    const panels = observations.filter((o) => o.codes.includes('http://loinc.org|55284-4'));
    expect(panels.length).toBeGreaterThan(0);
    expect(
      panels.some((o) => o.components.some((c) => c.codes.includes('http://loinc.org|8480-6'))),
    ).toBe(true);
    const colonoscopies = records
      .flatMap((r) => r.procedures)
      .filter((p) => p.codes.includes('http://snomed.info/sct|73761001'));
    expect(colonoscopies.length).toBeGreaterThan(0);
  });

  it('keeps deceased patients, with the date', () => {
    expect(records.some((r) => typeof r.deceased === 'number')).toBe(true);
  });

  it('puts no diabetic patient in CMS122 and says the encounters are coded outside the value sets', () => {
    const cms122 = clinicalMeasure('CMS122');
    const diabetic = records.filter((r) =>
      r.conditions.some((c) => c.codes.includes('http://snomed.info/sct|44054006')),
    );
    expect(diabetic.length).toBeGreaterThan(0);
    for (const record of diabetic) {
      const result = cms122.evaluate(record, { measurementPeriod: period, valueSets });
      expect(result.populations.initialPopulation).toBe(false);
      expect(result.reasons.join('\n')).toMatch(
        /no qualifying encounter: \d+ encounters? coded outside the Office Visit/,
      );
    }
  });

  it('evaluates every measure on every record and gives a reason for each patient left out', () => {
    for (const measure of CLINICAL_MEASURES) {
      for (const record of records) {
        const result = measure.evaluate(record, { measurementPeriod: period, valueSets });
        if (!result.populations.initialPopulation) expect(result.reasons.length).toBeGreaterThan(0);
      }
    }
  });
});
