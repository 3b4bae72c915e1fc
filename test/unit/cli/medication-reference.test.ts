// The CLI with the value sets shipped with the app (its default) and with an official package
// (--valuesets), on official cases whose MedicationRequests reference a Medication kept in
// another file (a Bulk export's Medication.ndjson): same reports, equal to the official ones.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseBundle,
  ECQM,
  expectedOf,
  OFFICIAL_CASES,
  rewriteMedicationsAsReferences,
} from '../measures/official-case-fixtures';
import { runCli } from './cli-fixtures';

const CASES = [
  ['CMS165', 'DENEXPass-DementiaMedReqDoNotPerformIsFalse'],
  ['CMS2', 'NUMERPass-12yoPosAdolDepScreenandFUPrescrip'],
].map(([measureId, prefix]) => {
  const found = OFFICIAL_CASES.find(
    (c) => c.measureId === measureId && c.file.startsWith(prefix ?? ''),
  );
  if (found === undefined) throw new Error(`no official case ${measureId} ${prefix}`);
  return found;
});

const ARGS = [
  '--period',
  '2026-01-01..2026-12-31',
  '--measures',
  'CMS165,CMS2',
  '--report',
  'individual',
];

function populations(stdout: string): Map<string, Record<string, number>> {
  const reports = stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as fhir4.MeasureReport);
  return new Map(
    reports.map((r) => [
      `${r.measure} ${r.subject?.reference ?? ''}`,
      Object.fromEntries(
        (r.group?.[0]?.population ?? []).map((p) => [
          p.code?.coding?.[0]?.code ?? '',
          p.count ?? 0,
        ]),
      ),
    ]),
  );
}

describe('equity-lens evaluate with medicationReference and the shipped value sets', () => {
  let folder: string;
  let withoutMedications: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'equity-lens-medref-'));
    withoutMedications = mkdtempSync(join(tmpdir(), 'equity-lens-medref-missing-'));
    const medications: fhir4.Medication[] = [];
    for (const c of CASES) {
      const { bundle, medications: meds } = rewriteMedicationsAsReferences(c, 'absolute');
      medications.push(...meds);
      for (const root of [folder, withoutMedications])
        writeFileSync(join(root, `${c.measureId}.json`), JSON.stringify(bundle));
    }
    mkdirSync(join(folder, 'export'));
    writeFileSync(
      join(folder, 'export', 'Medication.ndjson'),
      medications.map((m) => JSON.stringify(m)).join('\n') + '\n',
    );
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
    rmSync(withoutMedications, { recursive: true, force: true });
  });

  it('gives the official populations by default, and the same reports with --valuesets', async () => {
    const now = () => new Date('2027-01-05T10:00:00Z');
    const shipped = await runCli(['evaluate', '--input', folder, ...ARGS], { now });
    const official = await runCli(['evaluate', '--input', folder, ...ARGS, '--valuesets', ECQM], {
      now,
    });
    expect([shipped.code, official.code]).toEqual([0, 0]);
    expect(shipped.stdout).toBe(official.stdout);
    expect(shipped.stderr).not.toContain('not in the input');
    expect(shipped.stderr).toMatch(/resources used by type: [^\n]*Medication 2/);
    const actual = populations(shipped.stdout);
    for (const c of CASES) {
      const bundle = caseBundle(c);
      const patientId = bundle.entry.find((e) => e.resource.resourceType === 'Patient')?.resource
        .id;
      const report = bundle.entry.find((e) => e.resource.resourceType === 'MeasureReport')
        ?.resource as fhir4.MeasureReport | undefined;
      const expected = Object.fromEntries(
        Object.entries(expectedOf(bundle).counts).filter(([code]) =>
          (report?.group?.[0]?.population ?? []).some((p) => p.code?.coding?.[0]?.code === code),
        ),
      );
      expect([c.file, actual.get(`${report?.measure ?? ''} Patient/${patientId ?? ''}`)]).toEqual([
        c.file,
        expected,
      ]);
    }
  });

  it('says how many referenced Medications were not in the input', async () => {
    const { code, stdout, stderr } = await runCli(
      ['evaluate', '--input', withoutMedications, ...ARGS],
      {},
    );
    expect(code).toBe(0);
    expect(stderr).toContain(
      'equity-lens: 2 Medications referenced by MedicationRequests are not in the input: those requests have no drug code',
    );
    // Without the drug, the dementia-medication exclusion no longer applies.
    const cms165 = CASES[0];
    if (cms165 === undefined) throw new Error('fixture');
    const bundle = caseBundle(cms165);
    const patientId = bundle.entry.find((e) => e.resource.resourceType === 'Patient')?.resource.id;
    const measure = (
      bundle.entry.find((e) => e.resource.resourceType === 'MeasureReport')?.resource as
        fhir4.MeasureReport | undefined
    )?.measure;
    expect(expectedOf(bundle).counts['denominator-exclusion']).toBe(1);
    expect(
      populations(stdout).get(`${measure ?? ''} Patient/${patientId ?? ''}`)?.[
        'denominator-exclusion'
      ],
    ).toBe(0);
  });
});
