// Runs every official MADiE test case shipped in ../shared/data/ecqm-2026/*/tests/: builds the
// record from the case Bundle, evaluates the matching measure, and compares the five population
// counts with the expected MeasureReport. New cases need no code.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPatientRecords } from '../../../src/clinical/build-patient-records';
import { acceptsCodesIn, loadValueSetRegistry } from '../../../src/clinical/value-set-registry';
import { CLINICAL_MEASURES } from '../../../src/measures/clinical-measures';
import { MEASURE_DIRECT_CODES } from '../../../src/measures/value-sets';
import {
  POPULATION_CODES,
  type PopulationCode,
  type PopulationMembership,
} from '../../../src/measures/measure-result';

const ECQM = join(import.meta.dirname, '../../../../shared/data/ecqm-2026');

const FIELD: Record<PopulationCode, keyof PopulationMembership> = {
  'initial-population': 'initialPopulation',
  denominator: 'denominator',
  'denominator-exclusion': 'denominatorExclusion',
  'denominator-exception': 'denominatorException',
  numerator: 'numerator',
};

interface Case {
  measureId: string;
  folder: string;
  file: string;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

const folders = readdirSync(ECQM).filter((f) => f.startsWith('CMS'));
const cases: Case[] = folders.flatMap((folder) =>
  readdirSync(join(ECQM, folder, 'tests'))
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort()
    .map((file) => ({ measureId: /^CMS\d+/.exec(folder)?.[0] ?? folder, folder, file })),
);
const registries = new Map(
  folders.map((f) => [f, loadValueSetRegistry(readJson(join(ECQM, f, 'valuesets.json')))]),
);

interface ExpectedReport {
  period: { start: string; end: string };
  group: { population: { code: { coding: { code: PopulationCode }[] }; count: number }[] }[];
}

describe('official eCQM test cases', () => {
  it('finds the official cases', () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it.each(cases)('$measureId $file', ({ measureId, folder, file }) => {
    const bundle = readJson(join(ECQM, folder, 'tests', file)) as {
      entry: { resource: { resourceType: string } }[];
    };
    const report = bundle.entry.find((e) => e.resource.resourceType === 'MeasureReport')
      ?.resource as unknown as ExpectedReport | undefined;
    expect(report).toBeDefined();
    if (report === undefined) return;
    const measure = CLINICAL_MEASURES.find((m) => m.id === measureId);
    if (measure === undefined) {
      expect.fail(`no definition registered for ${measureId}`);
      return;
    }
    const valueSets = registries.get(folder);
    if (valueSets === undefined) return;
    // Once with full records, once with records filtered to measure-relevant codes: same answer.
    const full = buildPatientRecords(bundle);
    const filtered = buildPatientRecords(bundle, {
      keepCodes: acceptsCodesIn(valueSets, MEASURE_DIRECT_CODES),
    });
    expect(full).toHaveLength(1);
    expect(filtered).toHaveLength(1);
    const [record] = full;
    const [small] = filtered;
    if (record === undefined || small === undefined) return;
    const result = measure.evaluate(record, { measurementPeriod: report.period, valueSets });
    const smallResult = measure.evaluate(small, { measurementPeriod: report.period, valueSets });
    expect(smallResult.populations).toEqual(result.populations);
    // All five populations: one the Measure does not define (an exception) must count 0.
    const expected: Record<string, number> = {};
    const actual: Record<string, number> = {};
    for (const code of POPULATION_CODES) {
      expected[code] = 0;
      actual[code] = result.populations[FIELD[code]] ? 1 : 0;
    }
    for (const population of report.group[0]?.population ?? []) {
      const code = population.code.coding[0]?.code;
      if (code !== undefined && POPULATION_CODES.includes(code)) expected[code] = population.count;
    }
    expect({ actual, reasons: result.reasons, evidence: result.evidence }).toMatchObject({
      actual: expected,
    });
  });
});
