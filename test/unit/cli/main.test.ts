import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureReportProblems } from '../measures/measure-report-shape';
import { runCli, writeInputFolder } from './cli-fixtures';

const project = resolve(import.meta.dirname, '../../..');
let input: string;

beforeAll(() => {
  input = writeInputFolder();
});
afterAll(() => {
  rmSync(input, { recursive: true, force: true });
});

const run = runCli;

const base = () => ['evaluate', '--input', input, '--period', '2026-01-01..2026-12-31'];

const counts = (report: fhir4.MeasureReport | undefined) =>
  Object.fromEntries(
    (report?.group?.[0]?.population ?? []).map((p): [string, number | undefined] => [
      p.code?.coding?.[0]?.code ?? '',
      p.count,
    ]),
  );

describe('equity-lens evaluate --report individual', () => {
  it('writes one MeasureReport per patient per measure as NDJSON', async () => {
    const { code, stdout } = await run([
      ...base(),
      '--measures',
      'CMS122,CMS165',
      '--report',
      'individual',
    ]);
    expect(code).toBe(0);
    const reports = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as fhir4.MeasureReport);
    expect(reports).toHaveLength(10);
    for (const report of reports) expect(measureReportProblems(report)).toEqual([]);
    const numerator = Object.fromEntries(
      reports
        .filter((r) => r.measure.endsWith('small-CMS122'))
        .map((r): [string, number | undefined] => [
          r.subject?.reference ?? '',
          counts(r).numerator,
        ]),
    );
    // p1 comes from a Bundle with urn:uuid references, p2 from a gzipped Bundle, p5 from NDJSON
    // files split by type (Patient.ndjson + nested/Observation.ndjson.gz).
    expect(numerator).toEqual({
      'Patient/p1': 1,
      'Patient/p2': 0,
      'Patient/p3': 1,
      'Patient/p4': 0,
      'Patient/p5': 1,
    });
    expect(reports[0]).toMatchObject({
      date: '2027-01-05T10:00:00.000Z',
      period: { start: '2026-01-01', end: '2026-12-31' },
    });
  });

  it('names the file and line of everything it skipped, and summarises what it read', async () => {
    const { stderr } = await run([...base(), '--measures', 'CMS122', '--report', 'individual']);
    expect(stderr).toContain('export/Patient.ndjson:3: skipped line: invalid JSON');
    expect(stderr).toContain('export/Encounter.ndjson:2: skipped line: not a FHIR resource');
    expect(stderr).toMatch(/export\/Broken\.ndjson\.gz: stopped reading: not a valid gzip file/);
    expect(stderr).toMatch(/bundles\/truncated\.json\.gz: skipped: not a valid gzip file/);
    expect(stderr).toContain('bundles/bad.json: skipped: invalid JSON');
    expect(stderr).toContain('files: 6 read, 3 skipped; NDJSON lines skipped: 2');
    expect(stderr).toContain('resources used by type: Encounter 2, Observation 4, Patient 5');
    expect(stderr).toContain(
      'resources ignored by type (not read by the measures): Claim 1, Organization 1',
    );
    expect(stderr).toContain('patients: 5 evaluated for CMS122');
    expect(stderr).toContain('wrote 5 individual MeasureReports to standard output');
    expect(stderr).toMatch(/peak memory: RSS \d+ MB, heap used \d+ MB/);
    expect(stderr).not.toContain('readme.txt');
  });
});

describe('equity-lens evaluate --report summary', () => {
  it('writes a collection Bundle of summary MeasureReports with the requested stratifiers', async () => {
    const { code, stdout } = await run([
      ...base(),
      '--measures',
      'CMS122,CMS165',
      '--report',
      'summary',
      '--no-suppression',
      '--stratify',
      'gender,age',
    ]);
    expect(code).toBe(0);
    const bundle = JSON.parse(stdout) as fhir4.Bundle<fhir4.MeasureReport>;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const [cms122, cms165] = (bundle.entry ?? []).map((e) => e.resource);
    for (const report of [cms122, cms165]) expect(measureReportProblems(report)).toEqual([]);
    expect(cms122).toMatchObject({
      type: 'summary',
      measure: 'https://example.org/Measure/small-CMS122',
    });
    expect(counts(cms122)).toEqual({
      'initial-population': 4,
      denominator: 4,
      'denominator-exclusion': 0,
      numerator: 3,
    });
    expect(cms122?.group?.[0]?.measureScore?.value).toBeCloseTo(0.75);
    const [gender, age] = cms122?.group?.[0]?.stratifier ?? [];
    expect(gender?.code?.[0]?.text).toBe('Administrative gender');
    expect(
      Object.fromEntries(
        (gender?.stratum ?? []).map((s) => [s.value?.text, s.measureScore?.value]),
      ),
    ).toEqual({ female: 1, male: 0, 'not-recorded': 1 });
    expect((age?.stratum ?? []).map((s) => s.value?.text)).toEqual([
      '0-17',
      '18-44',
      '45-64',
      '65-74',
    ]);
    expect(counts(cms165)).toMatchObject({ 'initial-population': 2, numerator: 0 });
  });

  it('writes to --out instead of standard output', async () => {
    const out = join(input, 'out', '..', 'summary.json');
    const { code, stdout, stderr } = await run([
      ...base(),
      '--measures',
      'all',
      '--report',
      'summary',
      '--out',
      out,
    ]);
    // The small engine has two measures; "all" asks for five.
    expect(code).toBe(2);
    expect(stderr).toContain('the engine has no measure CMS125, CMS130, CMS2');
    expect(stdout).toBe('');
    const ok = await run([...base(), '--measures', 'CMS122', '--report', 'summary', '--out', out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toContain(`wrote 1 summary MeasureReport to ${out}`);
    expect((JSON.parse(readFileSync(out, 'utf8')) as fhir4.Bundle).entry).toHaveLength(1);
  });
});

describe('equity-lens arguments', () => {
  it.each([
    [[], 'missing command "evaluate"'],
    [['report'], 'unknown command "report"'],
    [['evaluate', '--period', '2026-01-01..2026-12-31'], 'missing --input <folder>'],
    [['evaluate', '--input', '.', '--period', '2026-01-01'], '--period must be <start>..<end>'],
    [
      ['evaluate', '--input', '.', '--period', '2026-02-30..2026-12-31'],
      '--period dates must be YYYY-MM-DD',
    ],
    [
      ['evaluate', '--input', '.', '--period', '2026-12-31..2026-01-01'],
      '--period starts after it ends',
    ],
    [
      ['evaluate', '--input', '.', '--period', '2026-01-01..2026-12-31', '--measures', 'CMS999'],
      'unknown measure "CMS999"',
    ],
    [
      [
        'evaluate',
        '--input',
        '.',
        '--period',
        '2026-01-01..2026-12-31',
        '--measures',
        'CMS2',
        '--report',
        'pdf',
      ],
      '--report must be individual or summary',
    ],
    [
      [
        'evaluate',
        '--input',
        '.',
        '--period',
        '2026-01-01..2026-12-31',
        '--measures',
        'CMS2',
        '--report',
        'individual',
        '--stratify',
        'gender',
      ],
      '--stratify applies to --report summary only',
    ],
    [
      [
        'evaluate',
        '--input',
        '.',
        '--period',
        '2026-01-01..2026-12-31',
        '--measures',
        'CMS2',
        '--report',
        'summary',
        '--stratify',
        'gender,income',
      ],
      'unknown stratifier "income"',
    ],
    [['evaluate', '--input'], '--input needs a value'],
    [['evaluate', '--verbose'], 'unknown argument "--verbose"'],
    [
      [
        'evaluate',
        '--input',
        '/no/such/folder',
        '--period',
        '2026-01-01..2026-12-31',
        '--measures',
        'CMS122',
        '--report',
        'summary',
      ],
      '--input /no/such/folder: ENOENT',
    ],
  ])('exits 2 with a message and the usage for %j', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: equity-lens evaluate');
  });

  it('prints the usage on --help and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--report individual');
    for (const id of [
      'race',
      'ethnicity',
      'spd15',
      'language',
      'interpreter',
      'sex',
      'sexual-orientation',
      'gender-identity',
      'payer',
    ])
      expect(stdout).toContain(`  ${id} `);
  });
});

describe('the equity-lens executable', () => {
  it('runs as a child process through bin/equity-lens.js', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        join(project, 'bin', 'equity-lens.js'),
        'evaluate',
        '--input',
        input,
        '--period',
        '2026-01-01..2026-12-31',
        '--measures',
        'CMS122,CMS165',
        '--report',
        'individual',
      ],
      { cwd: project, timeout: 60_000 },
    );
    const reports = stdout
      .trimEnd()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as fhir4.MeasureReport);
    expect(reports).toHaveLength(10);
    for (const report of reports) expect(measureReportProblems(report)).toEqual([]);
    expect(new Set(reports.map((r) => r.measure))).toEqual(
      new Set([
        'https://madie.cms.gov/Measure/CMS122FHIRDiabetesAssessGreaterThan9Percent',
        'https://madie.cms.gov/Measure/CMS165FHIRControllingHighBloodPressure',
      ]),
    );
    expect(stderr).toContain('export/Patient.ndjson:3: skipped line: invalid JSON');
    expect(stderr).toMatch(/export\/Broken\.ndjson\.gz: stopped reading: not a valid gzip file/);
    expect(stderr).toContain('patients: 5 evaluated for CMS122, CMS165');
  }, 60_000);

  it('exits 2 with the usage on bad arguments', async () => {
    const child = promisify(execFile)(
      process.execPath,
      [join(project, 'bin', 'equity-lens.js'), 'evaluate'],
      {
        cwd: project,
        timeout: 60_000,
      },
    );
    await expect(child).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Usage: equity-lens') as unknown,
    });
  }, 60_000);
});

describe('equity-lens evaluate with the real engine on official eCQM test cases', () => {
  const ecqm = resolve(project, '../shared/data/ecqm-2026');
  const cases = [
    ['CMS122FHIRDiabetesAssessGreaterThan9Percent', 'DENEXPass-HospiceEncDuringMP-88b67805.json'],
    ['CMS122FHIRDiabetesAssessGreaterThan9Percent', 'DENEXFail-HospiceEncB4MP-a7332447.json'],
    ['CMS165FHIRControllingHighBloodPressure', 'DENEXFail-Age80FrailtyOnly-6d97c086.json'],
    [
      'CMS2FHIRPCSDepressionScreenAndFollowUp',
      'DENEXCEPPass-AdolescentMedicalReasonForNoDepressionScreenAge17-0e463fc3.json',
    ],
  ] as const;
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'equity-lens-official-'));
    for (const [measure, file] of cases)
      copyFileSync(join(ecqm, measure, 'tests', file), join(folder, file));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('agrees with the expected MeasureReport of each case', async () => {
    const { code, stdout, stderr } = await runCli(
      [
        'evaluate',
        '--input',
        folder,
        '--period',
        '2026-01-01..2026-12-31',
        '--measures',
        'CMS122,CMS165,CMS2',
        '--report',
        'individual',
      ],
      {},
    );
    expect(code).toBe(0);
    const reports = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as fhir4.MeasureReport);
    for (const [measure, file] of cases) {
      const bundle = JSON.parse(readFileSync(join(folder, file), 'utf8')) as fhir4.Bundle;
      const expected = bundle.entry
        ?.map((e) => e.resource)
        .find((r): r is fhir4.MeasureReport => r?.resourceType === 'MeasureReport');
      const patientId = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource
        ?.id;
      const actual = reports.find(
        (r) => r.subject?.reference === `Patient/${patientId}` && r.measure === expected?.measure,
      );
      expect(actual, `${measure} ${file}`).toBeDefined();
      expect(counts(actual), `${measure} ${file}`).toEqual(counts(expected));
    }
    expect(stderr).toContain('resources ignored by type (not read by the measures):');
  });
});
