import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemographicStrata } from '../../../src/analysis/demographic-strata';
import { measureReportProblems } from '../measures/measure-report-shape';
import { runCli } from './cli-fixtures';
import { writeDemographicsFolder } from './demographics-fixtures';

let input: string;
beforeAll(() => {
  input = writeDemographicsFolder();
});
afterAll(() => {
  rmSync(input, { recursive: true, force: true });
});

async function summary(stratify: string) {
  const { code, stdout, stderr } = await runCli([
    'evaluate',
    '--input',
    input,
    '--period',
    '2026-01-01..2026-12-31',
    '--measures',
    'CMS122',
    '--report',
    'summary',
    // These tests check the demographics readers' exact raw counts on a tiny panel.
    '--no-suppression',
    '--stratify',
    stratify,
  ]);
  expect(code, stderr).toBe(0);
  const bundle = JSON.parse(stdout) as fhir4.Bundle<fhir4.MeasureReport>;
  const report = bundle.entry?.[0]?.resource;
  expect(measureReportProblems(report)).toEqual([]);
  return { report, stderr };
}

const count = (
  populations: { code?: fhir4.CodeableConcept; count?: number }[] | undefined,
  code: string,
) => populations?.find((p) => p.code?.coding?.[0]?.code === code)?.count;

/** Stratum label → [initial population, numerator], in report order. */
function strata(stratifier: fhir4.MeasureReportGroupStratifier | undefined) {
  return (stratifier?.stratum ?? []).map((s) => [
    s.value?.text ?? '',
    count(s.population, 'initial-population'),
    count(s.population, 'numerator'),
  ]);
}

const coding = (stratifier: fhir4.MeasureReportGroupStratifier | undefined, label: string) =>
  stratifier?.stratum?.find((s) => s.value?.text === label)?.value?.coding?.[0];

const CDC = 'urn:oid:2.16.840.1.113883.6.238';
const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';

describe('equity-lens evaluate --stratify with the demographics readers', () => {
  it('stratifies by race alone, ethnicity and SPD 15, absences as strata of their own', async () => {
    const { report, stderr } = await summary('race,ethnicity,spd15');
    const group = report?.group?.[0];
    expect(count(group?.population, 'initial-population')).toBe(6);
    expect(count(group?.population, 'numerator')).toBe(4);
    const [race, ethnicity, spd15] = group?.stratifier ?? [];
    expect(race?.code?.[0]?.text).toMatch(/^Race/);
    expect(strata(race)).toEqual([
      ['Asian', 1, 0],
      ['White', 2, 2],
      ['Two or more races', 1, 0],
      ['Asked but declined', 1, 1],
      ['Not collected', 1, 1],
    ]);
    expect(race?.stratum?.find((s) => s.value?.text === 'White')?.value).toEqual({
      coding: [{ system: CDC, code: '2106-3', display: 'White' }],
      text: 'White',
    });
    expect(coding(race, 'Two or more races')).toBeUndefined();
    expect(coding(race, 'Asked but declined')).toMatchObject({ system: NULL_FLAVOR, code: 'ASKU' });
    expect(coding(race, 'Not collected')).toBeUndefined();
    expect(strata(ethnicity)).toEqual([
      ['Hispanic or Latino', 1, 0],
      ['Not Hispanic or Latino', 2, 2],
      ['Asked but declined', 1, 1],
      ['Unknown', 1, 0],
      ['Not collected', 1, 1],
    ]);
    expect(coding(ethnicity, 'Hispanic or Latino')).toMatchObject({ system: CDC, code: '2135-2' });
    expect(coding(ethnicity, 'Unknown')).toMatchObject({ system: NULL_FLAVOR, code: 'UNK' });
    expect(strata(spd15)).toEqual([
      ['Asian', 1, 0],
      ['Middle Eastern or North African', 1, 1],
      ['White', 1, 1],
      ['Multiracial and/or Multiethnic', 1, 0],
      ['Asked but declined', 1, 1],
      ['Not collected', 1, 1],
    ]);
    expect(coding(spd15, 'Middle Eastern or North African')).toMatchObject({
      system: CDC,
      code: '2118-8',
    });
    // Six slim Patients kept (no Observation or Coverage is needed by these three).
    expect(stderr).toContain(
      'demographic strata (race, ethnicity, spd15): 6 resources kept for 6 patients',
    );
  });

  it('stratifies by preferred language and interpreter need', async () => {
    const { report } = await summary('language,interpreter');
    const [language, interpreter] = report?.group?.[0]?.stratifier ?? [];
    expect(strata(language)).toEqual([
      ['Arabic', 1, 1],
      ['English', 2, 1],
      ['Spanish', 2, 1],
      ['Not collected', 1, 1],
    ]);
    expect(coding(language, 'Spanish')).toMatchObject({ system: 'urn:ietf:bcp:47', code: 'es' });
    expect(strata(interpreter)).toEqual([
      ['Interpreter needed', 1, 0],
      ['No interpreter needed', 1, 1],
      ['Not collected', 4, 3],
    ]);
  });

  it('stratifies by sex, sexual orientation and gender identity', async () => {
    const { report, stderr } = await summary('sex,sexual-orientation,gender-identity');
    const [sex, orientation, identity] = report?.group?.[0]?.stratifier ?? [];
    expect(strata(sex)).toEqual([
      ['Female', 1, 1],
      ['Male', 1, 0],
      ['Asked but declined', 1, 1],
      ['Not collected', 3, 2],
    ]);
    expect(coding(sex, 'Female')).toMatchObject({
      system: 'http://snomed.info/sct',
      code: '248152002',
    });
    expect(strata(orientation)).toEqual([
      ['Straight or heterosexual', 1, 1],
      ['Asked but declined', 1, 1],
      ['Not collected', 4, 2],
    ]);
    expect(strata(identity)).toEqual([
      ['Non-binary', 1, 0],
      ['Not collected', 5, 4],
    ]);
    // 6 Patients + the 3 sexual-orientation / gender-identity Observations; no HbA1c.
    expect(stderr).toContain('9 resources kept for 6 patients');
  });

  it('stratifies by the payer of Coverage overlapping the period; none is "Not collected"', async () => {
    const { report, stderr } = await summary('payer,gender');
    const [payer, gender] = report?.group?.[0]?.stratifier ?? [];
    expect(strata(payer)).toEqual([
      ['Medicare', 1, 1],
      ['Medicaid', 1, 0],
      ['Commercial', 1, 1],
      ['Unknown', 1, 0],
      ['Not collected', 2, 2],
    ]);
    expect(coding(payer, 'Medicare')).toMatchObject({
      system: 'urn:oid:2.16.840.1.113883.3.221.5',
      code: '1',
    });
    expect(coding(payer, 'Commercial')).toBeUndefined();
    expect(gender?.code?.[0]?.text).toBe('Administrative gender');
    // Only the five Coverages are kept (from the Bundle and the NDJSON file).
    expect(stderr).toContain('demographic strata (payer): 5 resources kept for 5 patients');
  });

  it('exits 2 with the usage on an unknown stratifier', async () => {
    const { code, stdout, stderr } = await runCli([
      'evaluate',
      '--input',
      input,
      '--period',
      '2026-01-01..2026-12-31',
      '--measures',
      'CMS122',
      '--report',
      'summary',
      '--stratify',
      'race,religion',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown stratifier "religion" (known: gender, age, race,');
    expect(stderr).toContain('Usage: equity-lens evaluate');
    expect(stderr).toContain('sexual-orientation');
  });
});

describe('DemographicStrata', () => {
  const period = { start: '2026-01-01', end: '2026-12-31' };

  it('keeps only what the asked-for readers need, and nothing without a stratifier', () => {
    const none = new DemographicStrata([], { period });
    none.collect({ resourceType: 'Patient', id: 'p' }, 'p');
    expect(none.kept).toBe(0);

    const strata = new DemographicStrata(['sexual-orientation'], { period });
    strata.collect({ resourceType: 'Patient', id: 'p' }, 'p');
    strata.collect(
      {
        resourceType: 'Observation',
        id: 'bmi',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '39156-5' }] },
      },
      'p',
    );
    const orientation: fhir4.Observation = {
      resourceType: 'Observation',
      id: 'so',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '76690-7' }] },
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '42035005' }] },
    };
    strata.collect(orientation, 'p');
    strata.collect(orientation, 'p');
    strata.collect(orientation, undefined);
    expect(strata.kept).toBe(1);
    strata.finish();
    const [stratifier] = strata.stratifiers();
    expect(stratifier?.stratumOf('p')).toBe('Bisexual');
    // A patient the read never saw has nothing recorded.
    expect(stratifier?.stratumOf('elsewhere')).toBe('Not collected');
  });
});
