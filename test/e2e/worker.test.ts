// The panel computation in a real browser Worker: Chromium runs src/worker/panel-worker.ts as a
// module Worker (through the test-only harness page) over the official CMS122 test cases, and
// every patient's populations agree with the expected MeasureReports.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { HarnessRun } from './worker-harness/main';
import { launchBrowser, urls } from './support';

const CASES = join(
  import.meta.dirname,
  '../../../shared/data/ecqm-2026/CMS122FHIRDiabetesAssessGreaterThan9Percent/tests',
);

interface Case {
  patientId: string;
  expected: Record<string, number>;
  resources: fhir4.FhirResource[];
}

function readCases(): Case[] {
  return readdirSync(CASES)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .map((file) => {
      const bundle = JSON.parse(readFileSync(join(CASES, file), 'utf8')) as fhir4.Bundle;
      const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
      const report = resources.find(
        (r): r is fhir4.MeasureReport => r.resourceType === 'MeasureReport',
      );
      const patient = resources.find((r) => r.resourceType === 'Patient');
      const expected: Record<string, number> = {};
      for (const p of report?.group?.[0]?.population ?? []) {
        const code = p.code?.coding?.[0]?.code;
        if (code) expected[code] = p.count ?? 0;
      }
      return {
        patientId: patient?.id ?? '',
        expected,
        resources: resources.filter((r) => r.resourceType !== 'MeasureReport'),
      };
    });
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

describe('panel worker in Chromium', () => {
  it('evaluates the official CMS122 cases in a module Worker and agrees with each', async () => {
    const cases = readCases();
    expect(cases.length).toBeGreaterThan(10);
    const page = await browser.newPage();
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    await page.goto(new URL('worker-harness/', urls().appUrl).toString());
    await page.getByText('ready').waitFor({ timeout: 20_000 });

    const run: HarnessRun = await page.evaluate(
      (resources) => window.runPanel(resources),
      cases.flatMap((c) => c.resources),
    );

    expect(run.hadWorker).toBe(true);
    expect(workers.some((url) => /panel-worker/.test(url))).toBe(true);
    expect(run.progress.some((p) => p.phase === 'evaluating')).toBe(true);
    for (const c of cases) {
      const result = run.result.results.find((r) => r.patientId === c.patientId);
      expect(result, c.patientId).toBeDefined();
      const p = result?.populations;
      expect(
        {
          'initial-population': Number(p?.initialPopulation),
          denominator: Number(p?.denominator),
          'denominator-exclusion': Number(p?.denominatorExclusion),
          numerator: Number(p?.numerator),
        },
        c.patientId,
      ).toEqual({
        'initial-population': c.expected['initial-population'] ?? 0,
        denominator: c.expected.denominator ?? 0,
        'denominator-exclusion': c.expected['denominator-exclusion'] ?? 0,
        numerator: c.expected.numerator ?? 0,
      });
    }
    await page.close();
  });
});
