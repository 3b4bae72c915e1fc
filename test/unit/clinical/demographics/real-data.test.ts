// The readers over data nobody here wrote (Synthea, the official eCQM test cases) and over the
// sandbox generator, whose documented completeness must come back (sandbox/generate/README.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generatePopulation } from '../../../../sandbox/generate/population';
import {
  summariseCompleteness,
  type CompletenessCounts,
} from '../../../../src/clinical/demographics/completeness';
import { readDemographics } from '../../../../src/clinical/demographics/read-demographics';
import { spd15Stratum, tabulateRace } from '../../../../src/clinical/demographics/race-ethnicity';
import { readSex } from '../../../../src/clinical/demographics/sex-gender';

const shared = join(import.meta.dirname, '../../../../../shared/data');

interface PatientData {
  patient: fhir4.Patient;
  observations: fhir4.Observation[];
  coverages: fhir4.Coverage[];
}

/** Every reader over one patient, the payer and screening window in `today`'s year. */
function readAll(d: PatientData, today: string) {
  const year = today.slice(0, 4);
  return readDemographics(d, {
    asOf: today,
    period: { start: `${year}-01-01`, end: `${year}-12-31` },
    screeningWindow: { start: `${Number(year) - 1}${today.slice(4)}`, end: today },
  });
}

function patientsOfBundle(bundle: fhir4.Bundle): PatientData[] {
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  return resources
    .filter((r): r is fhir4.Patient => r.resourceType === 'Patient')
    .map((patient) => ({
      patient,
      observations: resources.filter(
        (r): r is fhir4.Observation => r.resourceType === 'Observation',
      ),
      coverages: resources.filter((r): r is fhir4.Coverage => r.resourceType === 'Coverage'),
    }));
}

describe('Synthea R4 sample (200 patients)', () => {
  const dir = join(shared, 'synthea-r4-2019');
  const files = readdirSync(dir).filter(
    (f) => f.endsWith('.json.gz') && !/^(hospital|practitioner)Information/.test(f),
  );
  const patients = files.flatMap((f) =>
    patientsOfBundle(
      JSON.parse(gunzipSync(readFileSync(join(dir, f))).toString('utf8')) as fhir4.Bundle,
    ),
  );
  const readings = patients.map((p) => readAll(p, '2021-03-31'));

  it('reads every patient without throwing', () => {
    expect(patients).toHaveLength(200);
    expect(readings).toHaveLength(200);
  });

  it('reports race ombCategory 2135-2 as a data-quality note, never as a race', () => {
    const flagged = readings.filter((r) =>
      r.race.notes.some((n) => n.issue === 'ethnicity-code-in-race'),
    );
    expect(flagged.length).toBeGreaterThan(0);
    for (const r of flagged) {
      expect(r.race.notes.find((n) => n.issue === 'ethnicity-code-in-race')?.detail).toMatch(
        /ethnicity code 2135-2 found in the race extension/,
      );
    }
  });

  it('finds race, ethnicity, birth sex and language on (nearly) every patient', () => {
    const summary = summariseCompleteness(readings);
    const share = (k: string) => {
      const c = summary.get(k as keyof (typeof readings)[number]);
      return (c?.recorded ?? 0) / 200;
    };
    expect(share('race')).toBeGreaterThan(0.95);
    expect(share('ethnicity')).toBeGreaterThan(0.95);
    expect(share('birthSex')).toBe(1);
    expect(share('preferredLanguage')).toBeGreaterThan(0.95);
    expect(summary.get('sex')?.['not-collected']).toBe(200);
    expect(summary.get('genderIdentity')?.['not-collected']).toBe(200);
  });

  it('reads the valueString sexual orientation Observations', () => {
    const withOrientation = readings.filter((r) => r.sexualOrientation.status !== 'not-collected');
    expect(withOrientation.length).toBeGreaterThan(0);
    expect(withOrientation.every((r) => r.sexualOrientation.status === 'recorded')).toBe(true);
  });
});

describe('official eCQM 2026 test cases', () => {
  const root = join(shared, 'ecqm-2026');
  const files = readdirSync(root).flatMap((measure) => {
    const tests = join(root, measure, 'tests');
    if (!existsSync(tests)) return [];
    return readdirSync(tests)
      .filter((f) => f.endsWith('.json') && f !== 'index.json')
      .map((f) => join(tests, f));
  });
  const patients = files.flatMap((f) =>
    patientsOfBundle(JSON.parse(readFileSync(f, 'utf8')) as fhir4.Bundle),
  );

  it('reads every test Patient, us-core-sex included', () => {
    expect(patients.length).toBe(files.length);
    const readings = patients.map((p) => readAll(p, '2026-12-31'));
    const withSex = patients.filter((p) =>
      (p.patient.extension ?? []).some(
        (e) => e.url === 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex',
      ),
    );
    expect(withSex.length).toBeGreaterThan(0);
    for (const p of withSex) {
      const sex = readSex(p.patient);
      expect(sex.status).toBe('recorded');
      if (sex.status === 'recorded') {
        expect(sex.value.source).toBe('us-core-sex');
        expect(sex.notes).toEqual([]);
      }
    }
    const race = readings.filter((r) => r.race.status === 'recorded');
    expect(race.length).toBeGreaterThan(patients.length / 2);
    expect(readings.every((r) => r.race.notes.every((n) => n.issue !== 'unrecognised-code'))).toBe(
      true,
    );
  });
});

describe('sandbox generator (seed 1, 2,000 patients)', () => {
  const today = '2026-11-23';
  const { resources } = generatePopulation({ seed: 1, patients: 2000, today });
  const byPatient = new Map<string, PatientData>();
  const isPatient = (r: fhir4.Resource): r is fhir4.Patient => r.resourceType === 'Patient';
  const isObservation = (r: fhir4.Resource): r is fhir4.Observation =>
    r.resourceType === 'Observation';
  const isCoverage = (r: fhir4.Resource): r is fhir4.Coverage => r.resourceType === 'Coverage';
  for (const r of resources.filter(isPatient)) {
    byPatient.set(`Patient/${r.id ?? ''}`, { patient: r, observations: [], coverages: [] });
  }
  for (const r of resources.filter(isObservation)) {
    byPatient.get(r.subject?.reference ?? '')?.observations.push(r);
  }
  for (const r of resources.filter(isCoverage)) {
    byPatient.get(r.beneficiary.reference ?? '')?.coverages.push(r);
  }
  const all = [...byPatient.values()];
  const readings = all.map((p) => readAll(p, today));
  const summary = summariseCompleteness(readings);
  const share = (
    c: CompletenessCounts | undefined,
    k: 'recorded' | 'asked-declined' | 'unknown' | 'not-collected',
  ) => (c?.[k] ?? 0) / (c?.patients ?? 1);

  it('reads all 2,000 patients', () => {
    expect(all).toHaveLength(2000);
  });

  // README: ~8% no race extension, ~4% ASKU, ~2% UNK. Binomial SE at n = 2000 is ≤ 0.6 points.
  it.each([
    ['not-collected', 0.08, 0.025],
    ['asked-declined', 0.04, 0.015],
    ['unknown', 0.02, 0.012],
  ] as const)('race %s ≈ %d', (status, expected, tolerance) => {
    expect(Math.abs(share(summary.get('race'), status) - expected)).toBeLessThan(tolerance);
  });

  it('ethnicity: ~6% none, ~3% ASKU, ~1% UNK', () => {
    const c = summary.get('ethnicity');
    expect(Math.abs(share(c, 'not-collected') - 0.06)).toBeLessThan(0.02);
    expect(Math.abs(share(c, 'asked-declined') - 0.03)).toBeLessThan(0.015);
    expect(Math.abs(share(c, 'unknown') - 0.01)).toBeLessThan(0.01);
  });

  it('sexual orientation: ~30% of adults not collected, ~8% declined', () => {
    const adults = readings.filter((r) => r.age.status === 'recorded' && r.age.value.age >= 18);
    const c = summariseCompleteness(adults.map((r) => ({ o: r.sexualOrientation }))).get('o');
    // Adults with no in-person visit get no Observation either: allow for them above 30%.
    expect(share(c, 'not-collected')).toBeGreaterThan(0.26);
    expect(share(c, 'not-collected')).toBeLessThan(0.38);
    expect(Math.abs(share(c, 'asked-declined') - 0.08)).toBeLessThan(0.03);
  });

  it('reads no generated race as unrecognised, and finds MENA from detailed codes', () => {
    expect(summary.get('race')?.issues['unrecognised-code']).toBeUndefined();
    const mena = readings.filter(
      (r) => spd15Stratum(r.raceEthnicitySpd15) === 'middle-eastern-or-north-african',
    );
    expect(mena.length).toBeGreaterThan(0);
    const tab = tabulateRace(
      readings.map((r) => r.race),
      'alone-or-in-combination',
    );
    expect(tab.overlapping).toBe(true);
  });

  it('reads every sex record the generator writes', () => {
    const c = summary.get('sex');
    // us-core-sex 58% + individual-sex 35%; birth sex only 7%.
    expect(Math.abs(share(c, 'not-collected') - 0.07)).toBeLessThan(0.025);
    expect(c?.unknown).toBe(0);
  });

  it('reads preferred language on ~97% and payer for the insured', () => {
    expect(Math.abs(share(summary.get('preferredLanguage'), 'not-collected') - 0.03)).toBeLessThan(
      0.015,
    );
    expect(share(summary.get('payer'), 'recorded')).toBeGreaterThan(0.85);
    expect(summary.get('payer')?.unknown).toBe(0);
  });
});
