// `--report summary` withholds small cells (CMS cell-size policy) unless --no-suppression.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATA_ABSENT_REASON_URL,
  MEASURE_SCORE_SUPPRESSED_URL,
  SUPPRESSION_REASON_URL,
} from '../../../src/cli/suppress-summary';
import { measureReportProblems } from '../measures/measure-report-shape';
import { hba1c, patient } from '../worker/panel-fixtures';
import { runCli, writeInputFolder } from './cli-fixtures';

// 60 adults: 30 female (15 in the numerator), 27 male (14), 3 "other" (1).
const GROUPS: readonly { gender: fhir4.Patient['gender']; size: number; poor: number }[] = [
  { gender: 'female', size: 30, poor: 15 },
  { gender: 'male', size: 27, poor: 14 },
  { gender: 'other', size: 3, poor: 1 },
];

let panel: string;
let tiny: string;
beforeAll(() => {
  panel = mkdtempSync(join(tmpdir(), 'equity-lens-suppression-'));
  const resources: fhir4.FhirResource[] = [];
  for (const { gender, size, poor } of GROUPS)
    for (let i = 0; i < size; i += 1) {
      const id = `${gender ?? 'x'}-${i}`;
      resources.push(patient(id, '1970-01-01', gender));
      resources.push(hba1c(`o-${id}`, id, '2026-03-01', i < poor ? 10 : 7));
    }
  writeFileSync(
    join(panel, 'export.ndjson'),
    resources.map((r) => JSON.stringify(r)).join('\n') + '\n',
  );
  tiny = writeInputFolder();
});
afterAll(() => {
  rmSync(panel, { recursive: true, force: true });
  rmSync(tiny, { recursive: true, force: true });
});

function run(input: string, extra: string[]) {
  return runCli([
    'evaluate',
    '--input',
    input,
    '--period',
    '2026-01-01..2026-12-31',
    '--measures',
    'CMS122',
    ...extra,
  ]);
}

async function summary(input: string, extra: string[] = []) {
  const { code, stdout, stderr } = await run(input, ['--report', 'summary', ...extra]);
  expect(code, stderr).toBe(0);
  const report = (JSON.parse(stdout) as fhir4.Bundle<fhir4.MeasureReport>).entry?.[0]?.resource;
  expect(measureReportProblems(report)).toEqual([]);
  const group = report?.group?.[0];
  if (group === undefined) throw new Error('no group');
  return group;
}

type Population = { code?: fhir4.CodeableConcept; count?: number; _count?: fhir4.Element };
const CODES = ['initial-population', 'denominator', 'denominator-exclusion', 'numerator'];
const codeOf = (p: Population) => p.code?.coding?.[0]?.code ?? '';

/** The population's count, or its suppression reason (checking the FHIR masked marker). */
function cell(populations: Population[] | undefined, code: string): number | string {
  const p = populations?.find((x) => codeOf(x) === code);
  if (p === undefined) throw new Error(`no ${code}`);
  if (p.count !== undefined) {
    expect(p._count).toBeUndefined();
    return p.count;
  }
  const extension = p._count?.extension ?? [];
  expect(extension).toContainEqual({ url: DATA_ABSENT_REASON_URL, valueCode: 'masked' });
  const reason = extension.find((e) => e.url === SUPPRESSION_REASON_URL)?.valueCode;
  expect(['small-cell', 'complementary', 'table-too-small']).toContain(reason);
  return reason ?? '';
}

function table(group: fhir4.MeasureReportGroup) {
  const strata = group.stratifier?.[0]?.stratum ?? [];
  return {
    total: Object.fromEntries(CODES.map((c) => [c, cell(group.population, c)])),
    strata: Object.fromEntries(
      strata.map((s) => [
        s.value?.text ?? '',
        Object.fromEntries(CODES.map((c) => [c, cell(s.population, c)])),
      ]),
    ),
    scores: Object.fromEntries(strata.map((s) => [s.value?.text ?? '', s])),
  };
}

describe('equity-lens evaluate --report summary suppression', () => {
  it('withholds a stratum of 3 and a complementary stratum, so the totals reveal nothing', async () => {
    const group = await summary(panel, ['--stratify', 'gender']);
    const { total, strata, scores } = table(group);

    // The 3 "other" patients: their initial population, denominator and numerator are small.
    expect(strata.other).toMatchObject({
      'initial-population': 'small-cell',
      denominator: 'small-cell',
      numerator: 'small-cell',
      'denominator-exclusion': 0,
    });
    expect(scores.other?.measureScore).toBeUndefined();
    expect(scores.other?.extension).toContainEqual({
      url: MEASURE_SCORE_SUPPRESSED_URL,
      valueCode: 'small-cell',
    });

    // Recompute: for every population, the published total minus the published strata must
    // spread over at least two withheld strata, so no single withheld count can be worked out.
    let recomputed = 0;
    for (const code of CODES) {
      const cells = Object.values(strata).map((s) => s[code]);
      const withheld = cells.filter((c) => typeof c === 'string');
      if (withheld.length === 0) continue;
      if (typeof total[code] !== 'number') continue;
      expect(withheld.length, code).toBeGreaterThanOrEqual(2);
      expect(withheld, code).toContain('complementary');
      const visible = cells.filter((c): c is number => typeof c === 'number');
      const residue = total[code] - visible.reduce((a, b) => a + b, 0);
      // The residue is shared by the withheld cells; it is more than any small cell alone.
      expect(residue, code).toBeGreaterThan(10);
      recomputed += 1;
    }
    // At least the numerator (total 30 published) went through that check.
    expect(recomputed).toBeGreaterThanOrEqual(1);
    // A stratum whose populations are withheld also hides its score.
    for (const [label, s] of Object.entries(strata))
      if (typeof s.numerator === 'string' || typeof s.denominator === 'string')
        expect(scores[label]?.measureScore, label).toBeUndefined();

    // Group totals stay published unless the engine needs one as a complement: here the
    // initial population and denominator (the same 60 patients) may go, the numerator stays.
    const raw = {
      'initial-population': 60,
      denominator: 60,
      'denominator-exclusion': 0,
      numerator: 30,
    };
    for (const code of CODES)
      expect([raw[code as keyof typeof raw], 'complementary'], code).toContain(total[code]);
    expect(total.numerator).toBe(30);
    if (typeof total.denominator === 'number') expect(group.measureScore?.value).toBeCloseTo(0.5);
    else
      expect(group.extension).toContainEqual({
        url: MEASURE_SCORE_SUPPRESSED_URL,
        valueCode: 'complementary',
      });
  });

  it('writes raw counts with --no-suppression', async () => {
    const group = await summary(panel, ['--stratify', 'gender', '--no-suppression']);
    const { total, strata } = table(group);
    expect(total).toMatchObject({ 'initial-population': 60, numerator: 30 });
    expect(strata).toEqual({
      female: {
        'initial-population': 30,
        denominator: 30,
        'denominator-exclusion': 0,
        numerator: 15,
      },
      male: {
        'initial-population': 27,
        denominator: 27,
        'denominator-exclusion': 0,
        numerator: 14,
      },
      other: { 'initial-population': 3, denominator: 3, 'denominator-exclusion': 0, numerator: 1 },
    });
    expect(group.stratifier?.[0]?.stratum?.every((s) => s.extension === undefined)).toBe(true);
  });

  it('withholds a table too small to protect cell by cell whole', async () => {
    const group = await summary(tiny, ['--stratify', 'gender']);
    const { total, strata } = table(group);
    for (const counts of [total, ...Object.values(strata)])
      for (const code of CODES) expect(counts[code]).toBe('table-too-small');
    expect(group.measureScore).toBeUndefined();
    expect(group.extension).toContainEqual({
      url: MEASURE_SCORE_SUPPRESSED_URL,
      valueCode: 'table-too-small',
    });
  });

  it('suppresses summaries only: --no-suppression with individual reports is an error', async () => {
    const { code, stderr } = await run(tiny, ['--report', 'individual', '--no-suppression']);
    expect(code).toBe(2);
    expect(stderr).toContain('--no-suppression applies to --report summary only');
    const help = await run(tiny, ['--help']);
    expect(help.stdout).toContain('--no-suppression');
    expect(help.stdout).toContain('internal QA');
    expect(help.stdout).toContain('Individual reports are patient-level data');
  });
});
