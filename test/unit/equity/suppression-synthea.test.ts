// The real CLI path over real data nobody here wrote: ../shared/data/synthea-r4-2019 (see its
// README), CMS2 for 2020 stratified by race, with the shipped value sets. Without the Asian
// patients (read from each bundle's US Core race extension, OMB 2028-9) one race stratum is small
// — the situation of issue 7 §4, where the panel total used to be withheld — and the group totals
// must stay published.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPRESSION_REASON_URL } from '../../../src/cli/suppress-summary';
import { runCli } from '../cli/cli-fixtures';

const SYNTHEA = join(import.meta.dirname, '../../../../shared/data/synthea-r4-2019');
const RACE_URL = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
const ASIAN = '2028-9';

/**
 * True when the bundle's Patient has the OMB race Asian. Synthea writes the Patient first, so the
 * first 32 kB (compressed) hold it; the whole file is read only when they do not. A string search,
 * not JSON.parse: 234 MB of JSON would be read twice (here and by the CLI).
 */
function isAsian(gzipped: Buffer): boolean {
  const find = (text: string) => {
    const race = text.indexOf(RACE_URL);
    if (race < 0) return undefined;
    const omb = text.slice(race, race + 1000).match(/"ombCategory"[^}]*"code"\s*:\s*"([0-9-]+)"/);
    return omb?.[1] === ASIAN;
  };
  const prefix = gunzipSync(gzipped.subarray(0, 32_768), { finishFlush: constants.Z_SYNC_FLUSH });
  return find(prefix.toString('utf8')) ?? find(gunzipSync(gzipped).toString('utf8')) ?? false;
}

let input: string;
let skipped = 0;
beforeAll(() => {
  input = mkdtempSync(join(tmpdir(), 'equity-lens-synthea-'));
  for (const name of readdirSync(SYNTHEA).filter((n) => n.endsWith('.json.gz'))) {
    const raw = readFileSync(join(SYNTHEA, name));
    if (isAsian(raw)) skipped += 1;
    else writeFileSync(join(input, name), raw);
  }
}, 60_000);
afterAll(() => {
  rmSync(input, { recursive: true, force: true });
});

type Population = { code?: fhir4.CodeableConcept; count?: number; _count?: fhir4.Element };

/** Count, or the suppression reason, per population code. */
function cells(populations: readonly Population[] | undefined): Record<string, number | string> {
  return Object.fromEntries(
    (populations ?? []).map((p) => [
      p.code?.coding?.[0]?.code ?? '',
      p.count ??
        p._count?.extension?.find((x) => x.url === SUPPRESSION_REASON_URL)?.valueCode ??
        'missing',
    ]),
  );
}

describe('suppression on real Synthea through the CLI', () => {
  it('CMS2 2020 by race, one small stratum: the group totals stay published', async () => {
    expect(skipped).toBe(12);
    const { code, stdout, stderr } = await runCli(
      [
        'evaluate',
        '--input',
        input,
        '--period',
        '2020-01-01..2020-12-31',
        '--measures',
        'CMS2',
        '--report',
        'summary',
        '--stratify',
        'race',
      ],
      {},
    );
    expect(code, stderr).toBe(0);
    const report = (JSON.parse(stdout) as fhir4.Bundle<fhir4.MeasureReport>).entry?.[0]?.resource;
    const group = report?.group?.[0];
    // Raw counts (same run with --no-suppression): initial population = denominator = 104 =
    // American Indian or Alaska Native 1 + Black or African American 11 + White 78 + Some Other
    // Race 14; numerator, exclusions and exceptions 0 (Synthea has no depression screenings).
    expect(cells(group?.population)).toMatchObject({
      'initial-population': 104,
      denominator: 104,
      numerator: 0,
    });
    const strata: Record<string, Record<string, number | string>> = Object.fromEntries(
      (group?.stratifier?.[0]?.stratum ?? []).map((s) => [
        s.value?.text ?? '',
        cells(s.population),
      ]),
    );
    expect(Object.keys(strata).sort()).toEqual([
      'American Indian or Alaska Native',
      'Black or African American',
      'Some Other Race',
      'White',
    ]);
    expect(strata['American Indian or Alaska Native']).toMatchObject({
      'initial-population': 'small-cell',
      denominator: 'small-cell',
    });
    // The complement is the smallest stratum of 12 or more (14), not the 104 nor the 78; the
    // 11 stays shown. 104 − 11 − 78 = 15 is shared by a 1–10 and an 11+, so neither is pinned.
    expect(strata['Some Other Race']).toMatchObject({
      'initial-population': 'complementary',
      denominator: 'complementary',
    });
    expect(strata['Black or African American']).toMatchObject({ 'initial-population': 11 });
    expect(strata.White).toMatchObject({ 'initial-population': 78, denominator: 78 });
    expect(group?.measureScore?.value).toBe(0);
  }, 120_000);
});
