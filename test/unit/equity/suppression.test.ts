// Small-cell and complementary suppression against adversarial tables. "No withheld value can be
// recovered" is proven by an independent attacker written here: it enumerates every integer
// assignment of the withheld counts consistent with the published counts and the table's linear
// relations (rows, columns, margins, numerator + not-met = eligible, across the one-way and
// two-way tables), knowing each withheld small cell is 1–10 and — reading the labels — each
// complementary cell is 0 or ≥ 11 (a `table-too-small` count is label-free: any value up to the
// bound). Every withheld count must keep at least two feasible values.
import { describe, expect, it } from 'vitest';
import type { CountRelation, CountToPublish, Published } from '../../../src/equity/suppression';
import { CMS_CELL_SIZE_POLICY, suppressCounts } from '../../../src/equity/suppression';
import type {
  MeasureOutcome,
  StratifierWithCategories,
} from '../../../src/equity/stratify-outcomes';
import { stratifyOutcomes } from '../../../src/equity/stratify-outcomes';
import type { Stratum } from '../../../src/equity/stratum';
import { publishMeasureStrata } from '../../../src/equity/stratum-rates';
import { mulberry32 } from '../../../src/equity/seeded-random';

/** Feasible values of each withheld count, by exhaustive search (up to two values each). */
function attack(
  published: Record<string, Published<number>>,
  relations: readonly CountRelation[],
  max: number,
): Map<string, Set<number>> {
  const unknown = Object.keys(published).filter((id) => published[id]?.kind === 'suppressed');
  const allowed = (id: string, v: number) => {
    const p = published[id];
    if (v < 0 || v > max || !Number.isInteger(v)) return false;
    if (p?.kind !== 'suppressed') return p?.value === v;
    switch (p.reason) {
      case 'small-cell':
        return v >= 1 && v <= 10;
      case 'complementary':
        return v === 0 || v >= 11;
      case 'table-too-small':
        return true;
    }
  };
  const seen = new Map(unknown.map((id) => [id, new Set<number>()]));
  const known = (a: Map<string, number>, id: string): number | undefined => {
    const p = published[id];
    return p?.kind === 'value' ? p.value : a.get(id);
  };
  // Depth-first search for one full assignment extending `assigned`; records it and returns true.
  const search = (assigned: Map<string, number>): boolean => {
    const a = new Map(assigned);
    for (let changed = true; changed;) {
      changed = false;
      for (const r of relations) {
        const ids = [r.total, ...r.parts];
        const open = ids.filter((id) => known(a, id) === undefined);
        const partSum = r.parts.reduce((s, id) => s + (known(a, id) ?? 0), 0);
        if (open.length === 0) {
          if (partSum !== known(a, r.total)) return false;
        } else if (open.length === 1) {
          const id = open[0] as string;
          const v = id === r.total ? partSum : (known(a, r.total) ?? 0) - partSum;
          if (!allowed(id, v)) return false;
          a.set(id, v);
          changed = true;
        }
      }
    }
    const next = unknown.find((id) => !a.has(id));
    if (next === undefined) {
      for (const id of unknown) seen.get(id)?.add(a.get(id) ?? -1);
      return true;
    }
    for (let v = 0; v <= max; v += 1)
      if (allowed(next, v) && search(new Map([...a, [next, v]]))) return true;
    return false;
  };
  // One solution, then for each withheld count look for a solution with a different value.
  if (search(new Map()))
    for (const id of unknown)
      for (let v = 0; v <= max && (seen.get(id)?.size ?? 0) < 2; v += 1)
        if (allowed(id, v) && !seen.get(id)?.has(v)) search(new Map([[id, v]]));
  return seen;
}

function expectNothingRecoverable(
  published: Record<string, Published<number>>,
  relations: readonly CountRelation[],
  max: number,
) {
  const feasible = attack(published, relations, max);
  for (const [id, values] of feasible)
    expect({ id, feasible: Math.min(values.size, 2) }).toEqual({ id, feasible: 2 });
}

/**
 * Independent linear attacker: a withheld count is determined by the published relations exactly
 * when its unit vector lies in the row space of the relations restricted to the withheld counts
 * (rank test by exact elimination modulo the prime 2³¹ − 1).
 */
function linearlyDetermined(
  published: Record<string, Published<number>>,
  relations: readonly CountRelation[],
): string[] {
  const P = 2147483647n;
  const unknown = Object.keys(published).filter((id) => published[id]?.kind === 'suppressed');
  const col = new Map(unknown.map((id, i) => [id, i]));
  const rows = relations.map((r) => {
    const row = unknown.map(() => 0n);
    const bump = (id: string, by: bigint) => {
      const c = col.get(id);
      if (c !== undefined) row[c] = ((((row[c] ?? 0n) + by) % P) + P) % P;
    };
    bump(r.total, 1n);
    for (const part of r.parts) bump(part, -1n);
    return row;
  });
  const power = (b: bigint, e: bigint): bigint => {
    let result = 1n;
    let base = b % P;
    let exp = e;
    while (exp > 0n) {
      if (exp & 1n) result = (result * base) % P;
      base = (base * base) % P;
      exp >>= 1n;
    }
    return result;
  };
  const rank = (matrix: bigint[][]): number => {
    const m = matrix.map((r) => [...r]);
    let r = 0;
    for (let c = 0; c < unknown.length && r < m.length; c += 1) {
      const pivot = m.findIndex((row, i) => i >= r && (row[c] ?? 0n) !== 0n);
      if (pivot < 0) continue;
      [m[r], m[pivot]] = [m[pivot] ?? [], m[r] ?? []];
      const inv = power(m[r]?.[c] ?? 1n, P - 2n);
      for (let i = 0; i < m.length; i += 1) {
        if (i === r) continue;
        const f = ((m[i]?.[c] ?? 0n) * inv) % P;
        if (f === 0n) continue;
        m[i] = (m[i] ?? []).map((x, j) => (((x - f * (m[r]?.[j] ?? 0n)) % P) + P) % P);
      }
      r += 1;
    }
    return r;
  };
  const base = rank(rows);
  return unknown.filter(
    (_, i) => rank([...rows, unknown.map((_, j) => (j === i ? 1n : 0n))]) === base,
  );
}

/** A rows×cols table of counts as patient sets with its row, column and grand totals. */
function twoWay(
  rows: number,
  cols: number,
  values: readonly number[],
): { counts: CountToPublish[]; relations: CountRelation[]; grand: number } {
  let next = 0;
  const members = values.map((n) => Array.from({ length: n }, () => `p${(next += 1)}`));
  const rs = Array.from({ length: rows }, (_, r) => r);
  const cs = Array.from({ length: cols }, (_, c) => c);
  const id = (r: number, c: number) => `r${r}c${c}`;
  const cellsOf = (pick: (r: number, c: number) => boolean) =>
    rs.flatMap((r) =>
      cs
        .filter((c) => pick(r, c))
        .map((c) => members[r * cols + c] ?? [])
        .flat(),
    );
  const counts: CountToPublish[] = [
    ...rs.flatMap((r) =>
      cs.map((c) => ({ id: id(r, c), patientIds: members[r * cols + c] ?? [] })),
    ),
    ...rs.map((r) => ({ id: `r${r}`, patientIds: cellsOf((rr) => rr === r) })),
    ...cs.map((c) => ({ id: `c${c}`, patientIds: cellsOf((_, cc) => cc === c) })),
    { id: 'all', patientIds: cellsOf(() => true) },
  ];
  const relations: CountRelation[] = [
    ...rs.map((r) => ({ total: `r${r}`, parts: cs.map((c) => id(r, c)) })),
    ...cs.map((c) => ({ total: `c${c}`, parts: rs.map((r) => id(r, c)) })),
    { total: 'all', parts: rs.map((r) => `r${r}`) },
    { total: 'all', parts: cs.map((c) => `c${c}`) },
  ];
  return { counts, relations, grand: next };
}

/** Every table of `cells` cells with values 0..`top` and a grand total in [from, to). */
function allTables(cells: number, top: number, from: number, to: number): number[][] {
  const out: number[][] = [];
  const walk = (prefix: number[], sum: number) => {
    if (sum >= to) return;
    if (prefix.length === cells) {
      if (sum >= from) out.push(prefix);
      return;
    }
    for (let v = 0; v <= top; v += 1) walk([...prefix, v], sum + v);
  };
  walk([], 0);
  return out;
}

/** A one-way table of counts as patient sets, its total, and the relation between them. */
function oneWay(values: Record<string, number>): {
  counts: CountToPublish[];
  relations: CountRelation[];
} {
  let next = 0;
  const counts = Object.entries(values).map(([id, n]) => ({
    id,
    patientIds: Array.from({ length: n }, () => `p${(next += 1)}`),
  }));
  counts.push({ id: 'total', patientIds: counts.flatMap((c) => c.patientIds) });
  return { counts, relations: [{ total: 'total', parts: Object.keys(values) }] };
}

describe('the attackers', () => {
  it('recover the lone small cell of naively suppressed tables', () => {
    const naive: Record<string, Published<number>> = {
      a: { kind: 'value', value: 50 },
      b: { kind: 'suppressed', reason: 'small-cell' },
      c: { kind: 'value', value: 60 },
      total: { kind: 'value', value: 117 },
    };
    const relations = [{ total: 'total', parts: ['a', 'b', 'c'] }];
    expect(linearlyDetermined(naive, relations)).toEqual(['b']);
    expect(attack(naive, relations, 117).get('b')).toEqual(new Set([7]));
    // Two withheld 1s: not determined linearly, but pinned by the 1–10 bounds.
    const pair: Record<string, Published<number>> = {
      a: { kind: 'suppressed', reason: 'small-cell' },
      b: { kind: 'suppressed', reason: 'small-cell' },
      c: { kind: 'value', value: 50 },
      total: { kind: 'value', value: 52 },
    };
    expect(linearlyDetermined(pair, relations)).toEqual([]);
    expect(attack(pair, relations, 52).get('a')).toEqual(new Set([1]));
  });
});

describe('suppressCounts', () => {
  it('withholds counts of 1–10 and shows 0 and 11+', () => {
    const { counts, relations } = oneWay({ a: 0, b: 1, c: 10, d: 11, e: 40 });
    const out = suppressCounts(counts, relations);
    expect(out.a).toEqual({ kind: 'value', value: 0 });
    expect(out.b).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    expect(out.c).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    expect(out.d?.kind === 'value' || out.e?.kind === 'value').toBe(true);
  });

  it('adds a complementary cell so a lone small cell cannot be subtracted from the total', () => {
    // Naive: publish 50, 60 and 117 → the 7 is 117 − 50 − 60.
    const { counts, relations } = oneWay({ a: 50, b: 7, c: 60 });
    const out = suppressCounts(counts, relations);
    expect(out.b).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    expect(Object.values(out).filter((v) => v.kind === 'suppressed')).toHaveLength(2);
    expectNothingRecoverable(out, relations, 117);
  });

  it.each<[Record<string, number>, string]>([
    [{ a: 1, b: 1, c: 50 }, 'two withheld 1s summing to 2 are both 1'],
    [{ a: 10, b: 10, c: 50 }, 'two withheld 10s summing to 20 are both 10'],
    [{ a: 1, b: 11, c: 50 }, 'a complement of 11 next to a 1 is pinned by the labels'],
    [{ a: 1, b: 11 }, 'no count of 12 or more in the line but the total'],
  ])('closes the bounds leak in %j (%s)', (values) => {
    const { counts, relations } = oneWay(values);
    const out = suppressCounts(counts, relations);
    expectNothingRecoverable(out, relations, 100);
  });

  it('leaves nothing recoverable in seeded random small two-way tables (exhaustive attacker)', () => {
    const rnd = mulberry32(4242);
    for (let trial = 0; trial < 100; trial += 1) {
      const values = Array.from({ length: 6 }, () => Math.floor(rnd() * rnd() * 30));
      const { counts, relations, grand } = twoWay(2, 3, values);
      const out = suppressCounts(counts, relations);
      expect(linearlyDetermined(out, relations)).toEqual([]);
      expectNothingRecoverable(out, relations, grand);
    }
  });

  describe('tables too small to protect cell by cell (grand total under 30)', () => {
    // Cells 1,0,3 / 1,1,8: rows 4, 10; columns 2, 1, 11; grand total 14.
    const example = twoWay(2, 3, [1, 0, 3, 1, 1, 8]);

    it('would give values away through the labels alone, even with every count withheld', () => {
      // Every count withheld cell by cell, labelled as the engine labels them: 1–10 small-cell,
      // the 0 and the 11+ complementary.
      const labelled: Record<string, Published<number>> = {};
      for (const c of example.counts)
        labelled[c.id] = {
          kind: 'suppressed',
          reason:
            c.patientIds.length >= 1 && c.patientIds.length <= 10 ? 'small-cell' : 'complementary',
        };
      expect(labelled.r0c1).toEqual({ kind: 'suppressed', reason: 'complementary' });
      // Column 2 is 1–10, so its complementary cell cannot be ≥ 11: it is 0.
      expect(attack(labelled, example.relations, 29).get('r0c1')).toEqual(new Set([0]));
      // The engine's own audit sees it too: with the size rule off it still withholds the table.
      const withoutSizeRule = suppressCounts(example.counts, example.relations, {
        ...CMS_CELL_SIZE_POLICY,
        minimumTableTotal: 0,
      });
      expect(withoutSizeRule.r0c1).toEqual({ kind: 'suppressed', reason: 'table-too-small' });
    });

    it('withholds the example 1,0,3 / 1,1,8 whole with a label-free reason', () => {
      const out = suppressCounts(example.counts, example.relations);
      for (const id of Object.keys(out))
        expect({ id, out: out[id] }).toEqual({
          id,
          out: { kind: 'suppressed', reason: 'table-too-small' },
        });
      expect(linearlyDetermined(out, example.relations)).toEqual([]);
      expectNothingRecoverable(out, example.relations, 29);
    });

    // Whole-table outputs all look alike, so the attacker's verdict is cached per publication.
    const checkAll = (
      tables: readonly number[][],
      build: (values: readonly number[]) => {
        counts: CountToPublish[];
        relations: CountRelation[];
      },
    ) => {
      const verdicts = new Map<string, string[]>();
      let whole = 0;
      for (const values of tables) {
        const { counts, relations } = build(values);
        const out = suppressCounts(counts, relations);
        const withheld = Object.values(out).filter((v) => v.kind === 'suppressed');
        if (withheld.length > 0 && withheld.length === Object.keys(out).length) whole += 1;
        const key = JSON.stringify(out);
        let pinned = verdicts.get(key);
        if (pinned === undefined) {
          const feasible = attack(out, relations, 29);
          pinned = [...linearlyDetermined(out, relations)];
          for (const [id, v] of feasible) if (v.size < 2) pinned.push(id);
          verdicts.set(key, pinned);
        }
        expect({ values, pinned }).toEqual({ values, pinned: [] });
        // Either nothing is withheld (no count of 1–10 anywhere) or everything is.
        expect(withheld.length === 0 || withheld.length === Object.keys(out).length).toBe(true);
      }
      return whole;
    };

    it('leaves nothing recoverable in every 1×3 table with cells 0–12 and total under 30', () => {
      const tables = allTables(3, 12, 0, 30);
      expect(tables.length).toBeGreaterThan(1000);
      expect(
        checkAll(tables, (v) => oneWay({ a: v[0] ?? 0, b: v[1] ?? 0, c: v[2] ?? 0 })),
      ).toBeGreaterThan(0);
    });

    it('leaves nothing recoverable in every 2×2 table (with margins) with cells 0–12 and total under 30', () => {
      const tables = allTables(4, 12, 0, 30);
      expect(tables.length).toBeGreaterThan(10000);
      expect(checkAll(tables, (v) => twoWay(2, 2, v))).toBeGreaterThan(0);
    }, 60_000);

    it('withholds a small measure panel whole, rates included', () => {
      const outcomes: MeasureOutcome[] = [];
      const strata = new Map<string, Stratum>();
      const add = (code: string, eligible: number, met: number) => {
        for (let i = 0; i < eligible; i += 1) {
          const id = `${code}${i}`;
          outcomes.push(measureOutcome(id, true, i < met));
          strata.set(id, cat(code));
        }
      };
      add('a', 12, 3);
      add('b', 9, 9);
      const race: StratifierWithCategories = { id: 'race', display: 'Race', strata };
      const published = publishMeasureStrata([stratifyOutcomes(outcomes, [race])]);
      const hidden = { kind: 'suppressed', reason: 'table-too-small' };
      expect(published.total).toEqual({
        patients: hidden,
        eligible: hidden,
        numerator: hidden,
        notMet: hidden,
        rate: hidden,
      });
      for (const cell of published.tables[0]?.cells ?? [])
        for (const q of ['patients', 'eligible', 'numerator', 'notMet', 'rate'] as const)
          expect(cell[q]).toEqual(hidden);
      expect(published.completenessRecorded.race).toEqual(hidden);
    });
  });

  it('protects tables of 30 or more cell by cell (every 1×3 table, cells 0–15, total 30–35)', () => {
    for (const values of allTables(3, 15, 30, 36)) {
      const { counts, relations } = oneWay({
        a: values[0] ?? 0,
        b: values[1] ?? 0,
        c: values[2] ?? 0,
      });
      const out = suppressCounts(counts, relations);
      const total = values.reduce((s, v) => s + v, 0);
      expect(out.total?.kind === 'suppressed' && out.total.reason === 'table-too-small').toBe(
        false,
      );
      const feasible = attack(out, relations, total + 20);
      const pinned = [...feasible].filter(([, v]) => v.size < 2).map(([id]) => id);
      expect({ values, pinned }).toEqual({ values, pinned: [] });
    }
  });

  it('protects a two-way table with its margins (2×3 with two small cells in one row)', () => {
    const cells: Record<string, number> = {
      r1c1: 4,
      r1c2: 30,
      r1c3: 6,
      r2c1: 25,
      r2c2: 40,
      r2c3: 35,
    };
    let next = 0;
    const members = Object.fromEntries(
      Object.entries(cells).map(([id, n]) => [
        id,
        Array.from({ length: n }, () => `p${(next += 1)}`),
      ]),
    );
    const union = (ids: string[]) => ids.flatMap((id) => members[id] ?? []);
    const counts: CountToPublish[] = [
      ...Object.keys(cells).map((id) => ({ id, patientIds: members[id] ?? [] })),
      { id: 'r1', patientIds: union(['r1c1', 'r1c2', 'r1c3']) },
      { id: 'r2', patientIds: union(['r2c1', 'r2c2', 'r2c3']) },
      { id: 'c1', patientIds: union(['r1c1', 'r2c1']) },
      { id: 'c2', patientIds: union(['r1c2', 'r2c2']) },
      { id: 'c3', patientIds: union(['r1c3', 'r2c3']) },
      { id: 'all', patientIds: Object.values(members).flat() },
    ];
    const relations: CountRelation[] = [
      { total: 'r1', parts: ['r1c1', 'r1c2', 'r1c3'] },
      { total: 'r2', parts: ['r2c1', 'r2c2', 'r2c3'] },
      { total: 'c1', parts: ['r1c1', 'r2c1'] },
      { total: 'c2', parts: ['r1c2', 'r2c2'] },
      { total: 'c3', parts: ['r1c3', 'r2c3'] },
      { total: 'all', parts: ['r1', 'r2'] },
      { total: 'all', parts: ['c1', 'c2', 'c3'] },
    ];
    const out = suppressCounts(counts, relations);
    expect(out.r1c1).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    expect(out.r1c3).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    // Naive row-only suppression (two withheld in row 1) leaks both through columns 1 and 3.
    expect(out.r2c1?.kind === 'suppressed' || out.c1?.kind === 'suppressed').toBe(true);
    expectNothingRecoverable(out, relations, 140);
  });
});

const cat = (code: string): Stratum => ({ kind: 'category', code, display: code });

function measureOutcome(patientId: string, eligible: boolean, met: boolean): MeasureOutcome {
  return {
    measureId: 'CMS125',
    patientId,
    populations: {
      initialPopulation: true,
      denominator: eligible,
      denominatorExclusion: false,
      denominatorException: false,
      numerator: eligible && met,
    },
  };
}

describe('publishMeasureStrata', () => {
  it('withholds a small numerator even though eligible and not-met would reveal it, and withholds its rate', () => {
    // Stratum "b": 40 eligible, 4 screened. Naive suppression of the numerator column alone leaks
    // 4 = eligible (40) − not screened (36).
    const outcomes: MeasureOutcome[] = [];
    const strata = new Map<string, Stratum>();
    const add = (code: string, eligible: number, met: number) => {
      for (let i = 0; i < eligible; i += 1) {
        const id = `${code}${i}`;
        outcomes.push(measureOutcome(id, true, i < met));
        strata.set(id, cat(code));
      }
    };
    add('a', 60, 45);
    add('b', 40, 4);
    add('c', 50, 30);
    const race: StratifierWithCategories = { id: 'race', display: 'Race', strata };
    const table = stratifyOutcomes(outcomes, [race]);
    const published = publishMeasureStrata([table]);
    const b = published.tables[0]?.cells.find((c) => c.key === 'category:b');
    expect(b?.numerator).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    expect(b?.rate).toMatchObject({ kind: 'suppressed' });
    expect(b?.eligible.kind === 'suppressed' || b?.notMet.kind === 'suppressed').toBe(true);
    expect(JSON.parse(JSON.stringify(published))).toEqual(published);

    // Independent attacker over the published table's own relations.
    const flat: Record<string, Published<number>> = {};
    const relations: CountRelation[] = [];
    const qs = ['patients', 'eligible', 'numerator', 'notMet'] as const;
    for (const q of qs) flat[`total/${q}`] = published.total[q];
    for (const cell of published.tables[0]?.cells ?? [])
      for (const q of qs) flat[`${cell.key}/${q}`] = cell[q];
    const keys = (published.tables[0]?.cells ?? []).map((c) => c.key);
    for (const k of [...keys, 'total']) {
      const id = (q: string) => (k === 'total' ? `total/${q}` : `${k}/${q}`);
      relations.push({ total: id('eligible'), parts: [id('numerator'), id('notMet')] });
    }
    for (const q of qs)
      relations.push({ total: `total/${q}`, parts: keys.map((k) => `${k}/${q}`) });
    flat.recorded = published.completenessRecorded.race ?? { kind: 'value', value: 0 };
    relations.push({
      total: 'recorded',
      parts: keys.filter((k) => k.startsWith('category')).map((k) => `${k}/patients`),
    });
    expectNothingRecoverable(flat, relations, 150);
  });

  it('protects one-way and two-way tables of the same data jointly (seeded random panels)', () => {
    const rnd = mulberry32(99);
    for (let trial = 0; trial < 6; trial += 1) {
      const outcomes: MeasureOutcome[] = [];
      const sa = new Map<string, Stratum>();
      const sb = new Map<string, Stratum>();
      const aCodes = ['a1', 'a2', 'a3'];
      const bCodes = ['b1', 'b2'];
      for (let i = 0; i < 90; i += 1) {
        const id = `p${i}`;
        outcomes.push(measureOutcome(id, rnd() < 0.9, rnd() < 0.5));
        sa.set(id, cat(aCodes[Math.floor(rnd() * rnd() * 3)] ?? 'a1'));
        if (rnd() < 0.93) sb.set(id, cat(bCodes[Math.floor(rnd() * 2)] ?? 'b1'));
      }
      const A: StratifierWithCategories = { id: 'A', display: 'A', strata: sa };
      const B: StratifierWithCategories = { id: 'B', display: 'B', strata: sb };
      const tA = stratifyOutcomes(outcomes, [A]);
      const tB = stratifyOutcomes(outcomes, [B]);
      const tAB = stratifyOutcomes(outcomes, [A, B]);
      const pub = publishMeasureStrata([tA, tB, tAB]);
      const qs = ['patients', 'eligible', 'numerator', 'notMet'] as const;
      const flat: Record<string, Published<number>> = {};
      const relations: CountRelation[] = [];
      for (const q of qs) flat[`T/${q}`] = pub.total[q];
      relations.push({ total: 'T/eligible', parts: ['T/numerator', 'T/notMet'] });
      for (const t of pub.tables) {
        for (const c of t.cells) {
          for (const q of qs) flat[`${t.tableId}/${c.key}/${q}`] = c[q];
          relations.push({
            total: `${t.tableId}/${c.key}/eligible`,
            parts: [`${t.tableId}/${c.key}/numerator`, `${t.tableId}/${c.key}/notMet`],
          });
        }
        for (const q of qs)
          relations.push({
            total: `T/${q}`,
            parts: t.cells.map((c) => `${t.tableId}/${c.key}/${q}`),
          });
      }
      const ab = pub.tables.find((t) => t.tableId === 'A×B');
      for (const [axis, tid] of [
        [0, 'A'],
        [1, 'B'],
      ] as const)
        for (const m of pub.tables.find((t) => t.tableId === tid)?.cells ?? [])
          for (const q of qs)
            relations.push({
              total: `${tid}/${m.key}/${q}`,
              parts: (ab?.cells ?? [])
                .filter((c) => c.key.split('|')[axis] === m.key)
                .map((c) => `A×B/${c.key}/${q}`),
            });
      // Every primary cell is withheld, and no withheld count is recoverable.
      for (const t of [tA, tB, tAB])
        for (const c of t.cells) {
          const p = pub.tables.find(
            (x) => x.stratifierIds.join('×') === t.stratifiers.map((s) => s.id).join('×'),
          );
          const cell = p?.cells.find((x) => x.key === c.key);
          if (c.numerator >= 1 && c.numerator <= 10)
            expect(cell?.numerator).toEqual({ kind: 'suppressed', reason: 'small-cell' });
          if (cell?.numerator.kind === 'suppressed') expect(cell.rate.kind).toBe('suppressed');
        }
      expect(linearlyDetermined(flat, relations)).toEqual([]);
    }
  });
});

/**
 * Counts shaped like the CLI's summary MeasureReport (src/cli/suppress-summary.ts): for each
 * population code a group total and one count per stratum, related by total = Σ strata. The
 * initial population and the denominator are the same patients (no exclusions), as in CMS130 and
 * CMS2 on Synthea. The attacker is also told that they are equal (one more relation per pair).
 */
function reportShaped(strata: Record<string, { patients: number; numerator: number }>): {
  counts: CountToPublish[];
  relations: CountRelation[];
  grand: number;
} {
  const codes = ['initial-population', 'denominator', 'denominator-exclusion', 'numerator'];
  const members = new Map<string, string[]>();
  for (const code of codes)
    for (const owner of ['group', ...Object.keys(strata)]) members.set(`${owner}/${code}`, []);
  for (const [label, { patients, numerator }] of Object.entries(strata))
    for (let i = 0; i < patients; i += 1)
      for (const code of [
        'initial-population',
        'denominator',
        ...(i < numerator ? ['numerator'] : []),
      ])
        for (const owner of ['group', label])
          members.get(`${owner}/${code}`)?.push(`${label}-${i}`);
  const relations: CountRelation[] = codes.map((code) => ({
    total: `group/${code}`,
    parts: Object.keys(strata).map((label) => `${label}/${code}`),
  }));
  for (const owner of ['group', ...Object.keys(strata)])
    relations.push({ total: `${owner}/initial-population`, parts: [`${owner}/denominator`] });
  return {
    counts: [...members].map(([id, patientIds]) => ({ id, patientIds })),
    relations,
    grand: Object.values(strata).reduce((s, c) => s + c.patients, 0),
  };
}

describe('complements keep the totals people need (issue 7 §4)', () => {
  // Issue 7 §4: "on unseen Synthea today, stratifying by race alone masks the panel totals of
  // CMS130 (124 patients) and CMS2 (263), because one race stratum is small". The issue gives the
  // totals and that one race stratum is small; that data set is not in ../shared/data, so the
  // split over races below is illustrative, with those totals and one small stratum. The engine
  // withheld the totals because the initial population and the denominator are the same patients:
  // no single stratum could stop the leak while its twin population stayed published, and the
  // fallback took the count sharing patients with the small stratum — the panel total.
  const CMS130 = {
    white: { patients: 98, numerator: 61 },
    black: { patients: 19, numerator: 12 },
    asian: { patients: 7, numerator: 3 },
  };
  const CMS2 = {
    white: { patients: 200, numerator: 120 },
    black: { patients: 40, numerator: 25 },
    other: { patients: 17, numerator: 12 },
    asian: { patients: 6, numerator: 2 },
  };

  it.each([
    ['CMS130', CMS130, 124, 'black'],
    ['CMS2', CMS2, 263, 'other'],
  ] as const)(
    '%s: the panel total stays published; the smallest stratum that can serve is withheld',
    (_measure, strata, total, complement) => {
      const { counts, relations, grand } = reportShaped(strata);
      expect(grand).toBe(total);
      const out = suppressCounts(counts, relations);
      for (const code of ['initial-population', 'denominator'])
        expect({ code, out: out[`group/${code}`] }).toEqual({
          code,
          out: { kind: 'value', value: total },
        });
      expect(out['group/numerator']?.kind).toBe('value');
      expect(out['asian/initial-population']).toEqual({ kind: 'suppressed', reason: 'small-cell' });
      expect(out[`${complement}/initial-population`]).toEqual({
        kind: 'suppressed',
        reason: 'complementary',
      });
      // Twins go together: the same patients are never withheld in one population and shown in
      // the other.
      for (const label of Object.keys(strata))
        expect(out[`${label}/denominator`]?.kind).toBe(out[`${label}/initial-population`]?.kind);
      expect(out['white/initial-population']).toEqual({
        kind: 'value',
        value: strata.white.patients,
      });
      expect(linearlyDetermined(out, relations)).toEqual([]);
      expectNothingRecoverable(out, relations, grand);
    },
  );

  it('real Synthea (../shared/data/synthea-r4-2019, CMS2, 2020, race): two small strata protect each other', () => {
    // Per-race initial population of CMS2 over the 200 shared Synthea patients for 2020, from
    // `equity-lens evaluate --input ../shared/data/synthea-r4-2019 --period 2020-01-01..2020-12-31
    // --measures CMS2 --report summary --stratify race --no-suppression`: 109 = 1 + 5 + 11 + 78 +
    // 14, numerator 0 (Synthea has no depression screenings). Nothing else needs withholding.
    const { counts, relations, grand } = reportShaped({
      aian: { patients: 1, numerator: 0 },
      asian: { patients: 5, numerator: 0 },
      black: { patients: 11, numerator: 0 },
      white: { patients: 78, numerator: 0 },
      other: { patients: 14, numerator: 0 },
    });
    const out = suppressCounts(counts, relations);
    const withheld = Object.keys(out).filter((id) => out[id]?.kind === 'suppressed');
    expect(withheld.sort()).toEqual([
      'aian/denominator',
      'aian/initial-population',
      'asian/denominator',
      'asian/initial-population',
    ]);
    expect(out['group/initial-population']).toEqual({ kind: 'value', value: 109 });
    expectNothingRecoverable(out, relations, grand);
  });

  it('prefers the smallest stratum of 12 or more to larger ones and to the total', () => {
    const { counts, relations } = oneWay({ small: 6, a: 14, b: 40, c: 64 });
    const out = suppressCounts(counts, relations);
    expect(Object.keys(out).filter((id) => out[id]?.kind === 'suppressed')).toEqual(['small', 'a']);
    expect(out.total).toEqual({ kind: 'value', value: 124 });
    expectNothingRecoverable(out, relations, 124);
  });

  it('takes an 11 rather than the total when the labels cannot pin it (5 + 11 = 16)', () => {
    const { counts, relations } = oneWay({ small: 5, a: 11, b: 11, c: 11 });
    const out = suppressCounts(counts, relations);
    expect(out.total).toEqual({ kind: 'value', value: 38 });
    expect(out.a).toEqual({ kind: 'suppressed', reason: 'complementary' });
    expectNothingRecoverable(out, relations, 38);
  });

  it('keeps the panel totals of a two-way publication (one-way margins serve as complements)', () => {
    // Race × sex with the one-way margins and the panel total: the small cell is protected inside
    // the table, never by withholding the panel total.
    const { counts, relations, grand } = twoWay(2, 3, [40, 25, 6, 38, 30, 22]);
    const out = suppressCounts(counts, relations);
    expect(out.all).toEqual({ kind: 'value', value: grand });
    expect(out.r0c2).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    expect(linearlyDetermined(out, relations)).toEqual([]);
    expectNothingRecoverable(out, relations, grand);
  });
});

describe('publishMeasureStrata keeps the panel totals (share exports, presentation mode)', () => {
  it.each([
    ['CMS130', { white: [98, 61], black: [19, 12], asian: [7, 3] }, 124, 76],
    ['CMS2', { white: [200, 120], black: [40, 25], other: [17, 12], asian: [6, 2] }, 263, 159],
  ] as const)(
    '%s by race: panel patients, eligible, numerator and rate stay published',
    (_measure, byRace, total, numerator) => {
      // Same illustrative split as above (issue 7 §4 gives the totals 124 and 263 only).
      const outcomes: MeasureOutcome[] = [];
      const strata = new Map<string, Stratum>();
      for (const [code, [eligible, met]] of Object.entries(byRace))
        for (let i = 0; i < eligible; i += 1) {
          outcomes.push(measureOutcome(`${code}${i}`, true, i < met));
          strata.set(`${code}${i}`, cat(code));
        }
      const race: StratifierWithCategories = { id: 'race', display: 'Race', strata };
      const published = publishMeasureStrata([stratifyOutcomes(outcomes, [race])]);
      expect(published.total).toMatchObject({
        patients: { kind: 'value', value: total },
        eligible: { kind: 'value', value: total },
        numerator: { kind: 'value', value: numerator },
        notMet: { kind: 'value', value: total - numerator },
        rate: { kind: 'value', rate: numerator / total },
      });
      const asian = published.tables[0]?.cells.find((c) => c.key === 'category:asian');
      expect(asian?.patients).toEqual({ kind: 'suppressed', reason: 'small-cell' });
      expect(asian?.rate.kind).toBe('suppressed');
      // White, the largest stratum, is never the complement.
      const white = published.tables[0]?.cells.find((c) => c.key === 'category:white');
      expect(white?.rate.kind).toBe('value');
    },
  );
});
