// The default in-thread path with the real engine: no Worker under vitest's node environment, so
// evaluatePanel loads the clinical engine in-thread, built from the value sets sent in the request
// or, without any, from the compiled ones shipped with the app.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatePanel } from '../../../src/worker/panel-client';

const cms122 = resolve(
  import.meta.dirname,
  '../../../../shared/data/ecqm-2026/CMS122FHIRDiabetesAssessGreaterThan9Percent',
);
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('evaluatePanel without a Worker and without an engine given', () => {
  it('runs the clinical engine in-thread and agrees with an official test case', async () => {
    const bundle = readJson(
      join(cms122, 'tests', 'DENEXPass-HospiceEncDuringMP-88b67805.json'),
    ) as fhir4.Bundle;
    const resources = (bundle.entry ?? [])
      .map((e) => e.resource)
      .filter(
        (r): r is fhir4.FhirResource => r !== undefined && r.resourceType !== 'MeasureReport',
      );
    const result = await evaluatePanel({
      input: { kind: 'resources', resources },
      period: { start: '2026-01-01', end: '2026-12-31' },
      measureIds: ['CMS122'],
      valueSets: [readJson(join(cms122, 'valuesets.json'))],
    });
    expect(result.results).toHaveLength(1);
    expect(result.results[0]?.populations).toEqual({
      initialPopulation: true,
      denominator: true,
      denominatorExclusion: true,
      denominatorException: false,
      numerator: false,
    });
    expect(result.results[0]?.evidence.length).toBeGreaterThan(0);
  });
});

describe('evaluatePanel with the clinical engine and the value sets shipped', () => {
  it('uses the compiled value sets when the request carries none (same result as the official ones)', async () => {
    const bundle = readJson(
      join(cms122, 'tests', 'DENEXPass-HospiceEncDuringMP-88b67805.json'),
    ) as fhir4.Bundle;
    const resources = (bundle.entry ?? [])
      .map((e) => e.resource)
      .filter(
        (r): r is fhir4.FhirResource => r !== undefined && r.resourceType !== 'MeasureReport',
      );
    const result = await evaluatePanel({
      input: { kind: 'resources', resources },
      period: { start: '2026-01-01', end: '2026-12-31' },
      measureIds: ['CMS122'],
    });
    expect(result.results[0]?.populations).toMatchObject({
      initialPopulation: true,
      denominator: true,
      denominatorExclusion: true,
      numerator: false,
    });
  });

  it('refuses an explicitly empty list rather than reporting every patient outside every population', async () => {
    await expect(
      evaluatePanel({
        input: { kind: 'resources', resources: [] },
        period: { start: '2026-01-01', end: '2026-12-31' },
        measureIds: ['CMS122'],
        valueSets: [],
      }),
    ).rejects.toThrow('no value sets given');
  });
});
