// The dashboard's views over a sandbox panel, checked against counts the test makes on its own:
// the engine run patient by patient on records with every fact kept, and race read straight from
// the Patient resources.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildDrillDownView } from '../../../src/analysis/panel-drill-down';
import { PANEL_STRATIFIER_IDS } from '../../../src/analysis/panel-strata';
import { buildTrendView } from '../../../src/analysis/panel-trend';
import { buildPanelView } from '../../../src/analysis/panel-view';
import type {
  PanelViewParams,
  ShownCount,
  StratumRow,
} from '../../../src/analysis/panel-view-model';
import { buildFixture, outcomeOf, raceKeyOf, TODAY, type PanelFixture } from './panel-fixture';

let fixture: PanelFixture;

const CIRCULAR = new Set([
  'race',
  'ethnicity',
  'language',
  'sexual-orientation',
  'gender-identity',
]);

beforeAll(async () => {
  fixture = await buildFixture(300, 11);
}, 120_000);

const staff = (over: Partial<PanelViewParams> = {}): PanelViewParams => ({
  measureIds: ['CMS165'],
  stratifierId: 'race',
  reference: { kind: 'largest' },
  presentation: false,
  ...over,
});

const value = (count: ShownCount): number => {
  if (count.kind !== 'value') throw new Error(`withheld: ${count.reason}`);
  return count.value;
};

/** The test's own tally of CMS165 by race. */
function tallyByRace(measureId: 'CMS165' | 'CMS122') {
  const tally = new Map<string, { eligible: number; numerator: number; patients: string[] }>();
  for (const p of fixture.patients) {
    const id = p.id ?? '';
    const key = raceKeyOf(p);
    const t = tally.get(key) ?? { eligible: 0, numerator: 0, patients: [] };
    const o = outcomeOf(fixture, measureId, id);
    if (o.eligible) t.eligible += 1;
    if (o.numerator) t.numerator += 1;
    t.patients.push(id);
    tally.set(key, t);
  }
  return tally;
}

/** Wilson score interval (Wilson 1927), written out here to check the view's. */
function wilson(x: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = x / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
}

describe('measure detail (staff)', () => {
  it('counts each race stratum as the engine does, with Wilson intervals', () => {
    const view = buildPanelView(fixture.panel, staff());
    const detail = view.details[0];
    if (detail === undefined) throw new Error('no detail');
    const tally = tallyByRace('CMS165');
    expect(detail.rows.map((r) => r.key).sort()).toEqual([...tally.keys()].sort());
    for (const row of detail.rows) {
      const t = tally.get(row.key);
      if (t === undefined) throw new Error(row.key);
      expect(value(row.patients)).toBe(t.patients.length);
      expect(value(row.eligible)).toBe(t.eligible);
      expect(value(row.numerator)).toBe(t.numerator);
      expect(value(row.notMet)).toBe(t.eligible - t.numerator);
      expect(row.flags).toEqual({
        small: t.eligible > 0 && t.eligible <= 10,
        unreliable: t.eligible < 30,
      });
      if (t.eligible === 0) {
        expect(row.rate.kind).toBe('not-applicable');
        continue;
      }
      if (row.rate.kind !== 'value') throw new Error('no rate');
      expect(row.rate.rate).toBeCloseTo(t.numerator / t.eligible, 12);
      const [lo, hi] = wilson(t.numerator, t.eligible);
      expect(row.rate.ci.lower).toBeCloseTo(lo, 10);
      expect(row.rate.ci.upper).toBeCloseTo(hi, 10);
    }
    // The reference is the largest category stratum; differences are of ADVERSE (not controlled) rates.
    const largest = [...tally.entries()]
      .filter(([k]) => k.startsWith('category:'))
      .sort((a, b) => b[1].eligible - a[1].eligible)[0];
    if (largest === undefined) throw new Error('no category');
    expect(detail.reference?.key).toBe(largest[0]);
    const refAdverse = 1 - largest[1].numerator / largest[1].eligible;
    for (const row of detail.rows) {
      const t = tally.get(row.key);
      if (t === undefined || t.eligible === 0 || row.isReference) continue;
      if (row.rateDifference.kind !== 'value') throw new Error(`${row.key}: no difference`);
      const expected = 1 - t.numerator / t.eligible - refAdverse;
      expect(row.rateDifference.value).toBeCloseTo(expected, 12);
      expect(row.rateDifference.ci.lower).toBeLessThanOrEqual(expected);
      expect(row.rateDifference.ci.upper).toBeGreaterThanOrEqual(expected);
    }
    const card = view.cards[0];
    const all = [...tally.values()].reduce(
      (s, t) => ({ e: s.e + t.eligible, n: s.n + t.numerator }),
      { e: 0, n: 0 },
    );
    expect(card?.n).toEqual({ kind: 'value', value: all.e });
    expect(card?.rate.kind === 'value' && 'rate' in card.rate ? card.rate.rate : NaN).toBeCloseTo(
      all.n / all.e,
      12,
    );
  });

  it('gives the indices and a two-way heat map whose cells add up to the one-way strata', () => {
    const view = buildPanelView(fixture.panel, staff({ secondStratifierId: 'sex' }));
    const detail = view.details[0];
    expect(detail?.indices.map((i) => i.name)).toEqual([
      'Index of Disparity',
      'Between-group variance',
      'Theil index',
      'Mean log deviation',
    ]);
    const heat = detail?.heatMap;
    if (heat === undefined) throw new Error('no heat map');
    const oneWay = buildPanelView(fixture.panel, staff()).details[0]?.rows ?? [];
    heat.rows.forEach((r, i) => {
      const sum = (heat.cells[i] ?? []).reduce((s, c) => s + value(c.eligible), 0);
      expect(sum).toBe(
        value(oneWay.find((o) => o.key === r.key)?.eligible ?? { kind: 'value', value: -1 }),
      );
    });
  });
});

describe('reference group', () => {
  it('uses the chosen stratum, or the best reliable one (lowest adverse rate)', () => {
    const tally = tallyByRace('CMS165');
    const chosen = buildPanelView(
      fixture.panel,
      staff({ reference: { kind: 'chosen', stratumKey: 'category:2054-5' } }),
    );
    expect(chosen.details[0]?.reference).toMatchObject({ key: 'category:2054-5', how: 'chosen' });
    expect(chosen.referenceChoices.map((c) => c.key)).toContain('category:2054-5');
    // Reliable strata (n ≥ 30) when there are any, else every non-empty category stratum;
    // ties go to the larger stratum.
    const categories = [...tally.entries()].filter(
      ([k, t]) => k.startsWith('category:') && t.eligible > 0,
    );
    const reliable = categories.filter(([, t]) => t.eligible >= 30);
    const best = (reliable.length > 0 ? reliable : categories).sort(
      (a, b) =>
        b[1].numerator / b[1].eligible - a[1].numerator / a[1].eligible ||
        b[1].eligible - a[1].eligible ||
        a[0].localeCompare(b[0]),
    )[0];
    expect(best).toBeDefined();
    const view = buildPanelView(fixture.panel, staff({ reference: { kind: 'best' } }));
    // CMS165 is an increase measure: the lowest adverse rate is the highest control rate.
    expect(view.details[0]?.reference).toMatchObject({ key: best?.[0], how: 'best' });
  });
});

describe('root causes', () => {
  it("splits each stratum's adverse patients by the engine's reasons, adding up", () => {
    const staffView = buildPanelView(fixture.panel, staff({ measureIds: ['CMS122'] }));
    const causes = staffView.details[0]?.rootCauses;
    if (causes === undefined) throw new Error('no root causes');
    expect(causes.categories.length).toBeGreaterThan(1);
    const tally = tallyByRace('CMS122');
    for (const row of causes.rows) {
      const parts = Object.values(row.counts).reduce((s, c) => s + value(c), 0);
      expect(parts).toBe(value(row.adverse));
      // CMS122 is a decrease measure: its adverse patients are its numerator.
      expect(value(row.adverse)).toBe(tally.get(row.key)?.numerator);
    }
    const shownView = buildPanelView(
      fixture.panel,
      staff({ measureIds: ['CMS122'], presentation: true }),
    );
    for (const row of shownView.details[0]?.rootCauses?.rows ?? [])
      for (const c of [...Object.values(row.counts), row.adverse])
        if (c.kind === 'value') expect(c.value === 0 || c.value > 10).toBe(true);
  });
});

describe('gap ranking', () => {
  it('controls the false discovery rate over every comparison of every stratifier', () => {
    const measureIds = ['CMS165', 'CMS122', 'SDOH-1', 'DEMOGRAPHIC-COMPLETENESS'] as const;
    const view = buildPanelView(fixture.panel, staff({ measureIds: [...measureIds] }));
    // The comparisons, read back one stratifier at a time from the measure details.
    const comparisons: { p: number; worse: boolean }[] = [];
    for (const stratifierId of PANEL_STRATIFIER_IDS) {
      const v = buildPanelView(fixture.panel, staff({ measureIds: [...measureIds], stratifierId }));
      for (const d of v.details) {
        // A stratifier read from the measure's own outcome is not ranked (every gap is true by
        // definition): social need vs screening, the demographic elements vs completeness.
        if (stratifierId === 'social-need' && d.measureId === 'SDOH-1') continue;
        if (d.measureId === 'DEMOGRAPHIC-COMPLETENESS' && CIRCULAR.has(stratifierId)) continue;
        for (const row of d.rows) {
          if (row.isReference || row.test.kind !== 'value') continue;
          const diff = row.rateDifference;
          comparisons.push({ p: row.test.pValue, worse: diff.kind === 'value' && diff.value > 0 });
        }
      }
    }
    expect(view.gaps.comparisons).toBe(comparisons.length);
    // Benjamini–Hochberg step-up (1995): reject the k smallest, k the largest with p(k) ≤ k α / m.
    const m = comparisons.length;
    const sorted = [...comparisons].sort((a, b) => a.p - b.p);
    let k = 0;
    sorted.forEach((c, i) => {
      if (c.p <= ((i + 1) * 0.05) / m) k = i + 1;
    });
    const expected = sorted.slice(0, k).filter((c) => c.worse).length;
    // The sandbox's designed gaps survive the correction; chance ones do not.
    expect(expected).toBeGreaterThan(0);
    expect(k).toBeLessThan(m);
    expect(view.gaps.significantAfterFdr).toBe(expected);
    expect(view.gaps.gaps.filter((g) => g.significantAfterFdr)).toHaveLength(expected);
    for (const g of view.gaps.gaps) expect(g.qValue).toBeGreaterThanOrEqual(g.pValue);
    // Significant gaps come first.
    const firstNot = view.gaps.gaps.findIndex((g) => !g.significantAfterFdr);
    if (firstNot >= 0)
      expect(view.gaps.gaps.slice(firstNot).every((g) => !g.significantAfterFdr)).toBe(true);
  });
});

describe('presentation mode', () => {
  const rowsOf = (presentation: boolean): StratumRow[] =>
    buildPanelView(fixture.panel, staff({ presentation, stratifierId: 'race' })).details[0]?.rows ??
    [];

  it('withholds small cells (1–10) and everything built from them', () => {
    const shownRows = rowsOf(false);
    const published = rowsOf(true);
    const small = shownRows.filter((r) => r.flags.small);
    expect(small.length).toBeGreaterThan(0);
    for (const row of small) {
      const p = published.find((r) => r.key === row.key);
      expect(p?.eligible.kind).toBe('suppressed');
      expect(p?.rate.kind).toBe('suppressed');
      if (!row.isReference) expect(p?.rateDifference.kind).toBe('suppressed');
    }
    for (const row of published)
      for (const count of [row.patients, row.eligible, row.numerator, row.notMet])
        if (count.kind === 'value') expect(count.value === 0 || count.value > 10).toBe(true);
    const view = buildPanelView(fixture.panel, staff({ presentation: true }));
    expect(view.gaps.withheldComparisons).toBeGreaterThan(0);
    for (const c of view.completeness)
      for (const count of [c.recorded, c.declined, c.unknown, c.notCollected])
        if (count.kind === 'value') expect(count.value === 0 || count.value > 10).toBe(true);
  });
  it('withholds patient-years wherever it withholds the patient count (event rates)', () => {
    const detailOf = (presentation: boolean) =>
      buildPanelView(
        fixture.panel,
        staff({ presentation, measureIds: ['ED-VISITS'], stratifierId: 'race' }),
      ).details[0];
    const staffRows = detailOf(false)?.eventRows ?? [];
    const publishedRows = detailOf(true)?.eventRows ?? [];
    expect(staffRows.length).toBeGreaterThan(0);
    expect(staffRows.every((r) => r.personYears.kind === 'value')).toBe(true);
    expect(publishedRows.some((r) => r.patients.kind === 'suppressed')).toBe(true);
    for (const row of publishedRows) expect(row.personYears.kind).toBe(row.patients.kind);
  });
});

describe('drill-down', () => {
  it('lists exactly the eligible patients not meeting the measure in the stratum', () => {
    const tally = tallyByRace('CMS165');
    for (const key of ['category:2106-3', 'category:2054-5']) {
      const expected = (tally.get(key)?.patients ?? []).filter((id) => {
        const o = outcomeOf(fixture, 'CMS165', id);
        return o.eligible && !o.numerator;
      });
      expect(expected.length).toBeGreaterThan(0);
      const view = buildDrillDownView(fixture.panel, {
        selection: { kind: 'measure', measureId: 'CMS165', stratumKey: key },
        stratifierId: 'race',
      });
      expect(view.rows.map((r) => r.patientId).sort()).toEqual([...expected].sort());
      expect(view.containsPhi).toBe(true);
      for (const row of view.rows) expect(row.reason).not.toBe('');
    }
  });

  it('for a decrease measure lists the numerator (HbA1c > 9% or not tested)', () => {
    const expected = fixture.patients
      .map((p) => p.id ?? '')
      .filter((id) => outcomeOf(fixture, 'CMS122', id).numerator);
    const view = buildDrillDownView(fixture.panel, {
      selection: { kind: 'measure', measureId: 'CMS122' },
      stratifierId: 'race',
    });
    expect(view.rows.map((r) => r.patientId).sort()).toEqual(expected.sort());
  });
});

describe('completeness', () => {
  it('counts race states among living patients and lists the unknown / not collected for outreach', () => {
    const view = buildPanelView(fixture.panel, staff());
    const race = view.completeness.find((c) => c.element === 'race');
    if (race === undefined) throw new Error('no race');
    const living = fixture.patients.filter(
      (p) => p.deceasedDateTime === undefined && p.deceasedBoolean !== true,
    );
    const keys = living.map(raceKeyOf);
    expect(value(race.total)).toBe(living.length);
    expect(value(race.declined)).toBe(keys.filter((k) => k === 'absent:asked-declined').length);
    expect(value(race.notCollected)).toBe(keys.filter((k) => k === 'absent:not-collected').length);
    const list = buildDrillDownView(fixture.panel, {
      selection: { kind: 'completeness', element: 'race' },
      stratifierId: 'race',
    });
    const expected = living
      .filter((p) => ['absent:unknown', 'absent:not-collected'].includes(raceKeyOf(p)))
      .map((p) => p.id ?? '');
    expect(expected.length).toBeGreaterThan(0);
    expect(list.rows.map((r) => r.patientId).sort()).toEqual(expected.sort());
    expect(list.rows).toHaveLength(value(race.unknown) + value(race.notCollected));
  });
});

describe('trend', () => {
  it('re-evaluates the measure over the rolling year ending at each of 8 completed quarters', () => {
    const trend = buildTrendView(
      fixture.panel,
      { measureId: 'CMS165', stratifierId: 'race', quarters: 8, presentation: false },
      TODAY,
    );
    expect(trend.points.map((p) => p.label)).toEqual([
      '2024 Q4',
      '2025 Q1',
      '2025 Q2',
      '2025 Q3',
      '2025 Q4',
      '2026 Q1',
      '2026 Q2',
      '2026 Q3',
    ]);
    for (const at of [0, 7]) {
      const point = trend.points[at];
      if (point === undefined) throw new Error('no point');
      let eligible = 0;
      let numerator = 0;
      for (const p of fixture.patients) {
        const o = outcomeOf(fixture, 'CMS165', p.id ?? '', point.period);
        eligible += Number(o.eligible);
        numerator += Number(o.numerator);
      }
      const rate = trend.panel[at];
      expect(
        rate?.kind === 'value' && 'numerator' in rate ? [rate.numerator, rate.denominator] : [],
      ).toEqual([numerator, eligible]);
    }
  });
});

describe('details asked for', () => {
  const measures: PanelViewParams['measureIds'] = [
    'CMS122',
    'CMS165',
    'ED-VISITS',
    'LENGTH-OF-STAY',
  ];
  const variants: Partial<PanelViewParams>[] = [
    {},
    { presentation: true },
    { secondStratifierId: 'sex' },
    { presentation: true, secondStratifierId: 'sex' },
  ];

  it('a view without details has the same cards and gaps as the full view', () => {
    for (const over of variants) {
      const full = buildPanelView(fixture.panel, staff({ measureIds: measures, ...over }));
      const bare = buildPanelView(
        fixture.panel,
        staff({ measureIds: measures, detailMeasureIds: [], ...over }),
      );
      expect(full.details.map((d) => d.measureId)).toEqual(measures);
      expect(bare.details).toEqual([]);
      expect(bare.cards).toEqual(full.cards);
      expect(bare.gaps).toEqual(full.gaps);
      expect(bare.completeness).toEqual(full.completeness);
    }
  });

  it('carries exactly the details asked for, equal to the full view’s', () => {
    for (const over of variants) {
      const full = buildPanelView(fixture.panel, staff({ measureIds: measures, ...over }));
      const one = buildPanelView(
        fixture.panel,
        staff({ measureIds: measures, detailMeasureIds: ['CMS165', 'ED-VISITS'], ...over }),
      );
      expect(one.details.map((d) => d.measureId)).toEqual(['CMS165', 'ED-VISITS']);
      expect(one.details).toEqual(
        full.details.filter((d) => d.measureId !== 'CMS122' && d.measureId !== 'LENGTH-OF-STAY'),
      );
      expect(one.cards).toEqual(full.cards);
    }
  });
});
