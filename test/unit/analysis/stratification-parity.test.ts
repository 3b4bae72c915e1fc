// Issue 7 §2 "One stratification path": one panel through the CLI's summary MeasureReport and
// through the dashboard's data path (dataset → evaluation → measure detail) gives identical
// counts per stratum, for every stratifier both offer.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPanelView } from '../../../src/analysis/panel-view';
import type {
  ClinicalPanelMeasureId,
  PanelStratifierId,
  ShownCount,
} from '../../../src/analysis/panel-view-model';
import { runCli } from '../cli/cli-fixtures';
import { buildFixture, type PanelFixture } from './panel-fixture';

const MEASURES: ClinicalPanelMeasureId[] = ['CMS122', 'CMS165', 'CMS125', 'CMS130', 'CMS2'];
const STRATIFIERS: PanelStratifierId[] = [
  'gender',
  'age',
  'race',
  'ethnicity',
  'spd15',
  'language',
  'interpreter',
  'sex',
  'sexual-orientation',
  'gender-identity',
  'payer',
];

/** The CLI labels administrative gender by Patient.gender's code. */
const GENDER_LABELS: Record<string, string> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Unknown',
  'not-recorded': 'Not collected',
};

let fixture: PanelFixture;
let folder: string;
let bundle: fhir4.Bundle;

beforeAll(async () => {
  fixture = await buildFixture(250, 5);
  folder = mkdtempSync(join(tmpdir(), 'equity-lens-parity-'));
  writeFileSync(
    join(folder, 'panel.ndjson'),
    fixture.resources.map((r) => JSON.stringify(r)).join('\n') + '\n',
  );
  const { code, stdout, stderr } = await runCli(
    [
      'evaluate',
      '--input',
      folder,
      '--period',
      '2026-01-01..2026-12-31',
      '--measures',
      MEASURES.join(','),
      '--report',
      'summary',
      '--stratify',
      STRATIFIERS.join(','),
      '--no-suppression',
    ],
    { now: () => new Date('2027-01-05T10:00:00Z') },
  );
  expect(stderr).not.toContain('error');
  expect(code).toBe(0);
  bundle = JSON.parse(stdout) as fhir4.Bundle;
}, 300_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

const count = (report: fhir4.MeasureReportGroupStratifierStratum, code: string): number =>
  report.population?.find((p) => p.code?.coding?.some((c) => c.code === code))?.count ?? 0;

const value = (c: ShownCount): number => (c.kind === 'value' ? c.value : -1);

describe('CLI summary MeasureReport vs the dashboard', () => {
  it.each(MEASURES)('%s: identical eligible and numerator counts per stratum', (measureId) => {
    const report = (bundle.entry ?? [])
      .map((e) => e.resource)
      .find(
        (r): r is fhir4.MeasureReport =>
          r?.resourceType === 'MeasureReport' && (r.measure ?? '').includes(measureId),
      );
    if (report === undefined) throw new Error(`no report for ${measureId}`);
    const stratifiers = report.group?.[0]?.stratifier ?? [];
    expect(stratifiers).toHaveLength(STRATIFIERS.length);
    let compared = 0;
    STRATIFIERS.forEach((stratifierId, i) => {
      const cli = new Map(
        (stratifiers[i]?.stratum ?? []).map((s) => {
          const text = s.value?.text ?? '';
          const label = stratifierId === 'gender' ? (GENDER_LABELS[text] ?? text) : text;
          return [
            label,
            {
              eligible:
                count(s, 'denominator') -
                count(s, 'denominator-exclusion') -
                count(s, 'denominator-exception'),
              numerator: count(s, 'numerator'),
            },
          ];
        }),
      );
      const rows =
        buildPanelView(fixture.panel, {
          measureIds: [measureId],
          stratifierId,
          reference: { kind: 'largest' },
          presentation: false,
        }).details[0]?.rows ?? [];
      const dashboard = new Map(
        rows.map((r) => [r.label, { eligible: value(r.eligible), numerator: value(r.numerator) }]),
      );
      expect(new Set(dashboard.keys()), `${measureId} × ${stratifierId}`).toEqual(
        new Set(cli.keys()),
      );
      for (const [label, counts] of cli) {
        expect(dashboard.get(label), `${measureId} × ${stratifierId} × ${label}`).toEqual(counts);
        compared += 1;
      }
    });
    expect(compared).toBeGreaterThan(40);
  });
});
