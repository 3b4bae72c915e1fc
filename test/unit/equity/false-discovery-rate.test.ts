// Reference values: statsmodels 0.15.0, multipletests(p, alpha=0.05, method='fdr_bh')[1] (repr
// printed), which is R's p.adjust(p, "BH"). The first list is Benjamini & Hochberg's own example
// (1995, JRSS B 57:289, §4: 15 p-values from Neuhaus et al.), where at q* = 0.05 the procedure
// rejects the four smallest. A naive O(m²) transcription of the definition, written here, checks
// seeded random lists.
import { describe, expect, it } from 'vitest';
import {
  adjustFalseDiscoveryRate,
  benjaminiHochberg,
} from '../../../src/equity/false-discovery-rate';
import { mulberry32 } from '../../../src/equity/seeded-random';

const BH_1995 = [
  0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719,
  0.6528, 0.759, 1.0,
];

function expectClose(actual: readonly number[], expected: readonly number[]) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((q, i) =>
    expect({ i, q: Math.abs(q - (expected[i] ?? Number.NaN)) <= 1e-15 }).toEqual({ i, q: true }),
  );
}

/** q_i = min over every p_j ≥ p_i of min(1, m·p_j / rank_j), ranks counting ties upwards. */
function naiveBh(p: readonly number[]): number[] {
  const m = p.length;
  const rankOf = (x: number) => p.filter((y) => y <= x).length;
  return p.map((pi) =>
    Math.min(1, ...p.filter((pj) => pj >= pi).map((pj) => (m * pj) / rankOf(pj))),
  );
}

describe('benjaminiHochberg', () => {
  it.each([
    [
      BH_1995,
      [
        0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714285714286, 0.06385714285714286, 0.0645,
        0.07650000000000001, 0.48600000000000004, 0.5811818181818182, 0.7148749999999999,
        0.7532307692307693, 0.8132142857142857, 1.0,
      ],
    ],
    [
      [0.04, 0.01, 0.03, 0.04, 0.2],
      [0.049999999999999996, 0.049999999999999996, 0.049999999999999996, 0.049999999999999996, 0.2],
    ],
    [
      [0.0, 1.0, 0.02, 0.9, 0.001],
      [0.0, 1.0, 0.03333333333333333, 1.0, 0.0025],
    ],
    [
      [0.5, 0.5, 0.5],
      [0.5, 0.5, 0.5],
    ],
    [[0.01], [0.01]],
  ])('matches statsmodels fdr_bh for %j', (p, q) => {
    expectClose(benjaminiHochberg(p), q);
  });

  it('rejects the four smallest of the 1995 example at q* = 0.05, as the paper does', () => {
    const q = benjaminiHochberg(BH_1995);
    expect(q.map((x) => x <= 0.05)).toEqual(BH_1995.map((_, i) => i < 4));
  });

  it('keeps the input order, is monotone in p, never below p and never above 1 (seeded lists)', () => {
    const rnd = mulberry32(1995);
    for (let trial = 0; trial < 200; trial += 1) {
      const m = 1 + Math.floor(rnd() * 40);
      // Some ties and some exact 0s and 1s, as real test output has.
      const p = Array.from({ length: m }, () => {
        const u = rnd();
        return u < 0.05 ? 0 : u > 0.95 ? 1 : Math.round(rnd() ** 2 * 200) / 200;
      });
      const q = benjaminiHochberg(p);
      naiveBh(p).forEach((expected, i) =>
        expect({ i, error: Math.abs((q[i] ?? Number.NaN) - expected) < 1e-12 }).toEqual({
          i,
          error: true,
        }),
      );
      for (let i = 0; i < m; i += 1) {
        expect(q[i]).toBeGreaterThanOrEqual(p[i] ?? 0);
        expect(q[i]).toBeLessThanOrEqual(1);
        for (let j = 0; j < m; j += 1)
          if ((p[i] ?? 0) <= (p[j] ?? 0)) expect(q[i]).toBeLessThanOrEqual(q[j] ?? 0);
      }
    }
  });

  it('gives an empty list for no comparisons', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(adjustFalseDiscoveryRate([])).toEqual({ kind: 'value', qValues: [] });
  });

  it.each([
    [[0.01, Number.NaN], /p-value 2 .*\(NaN\)/],
    [[-0.01, 0.2], /p-value 1 .*\(-0\.01\)/],
    [[0.2, 1.5], /p-value 2 .*\(1\.5\)/],
    [[Number.POSITIVE_INFINITY], /p-value 1 .*\(Infinity\)/],
    [[0.3, 0.1, Number.NEGATIVE_INFINITY], /p-value 3 .*\(-Infinity\)/],
  ])('rejects %j: typed not-estimable, or a RangeError from benjaminiHochberg', (p, reason) => {
    const adjusted = adjustFalseDiscoveryRate(p);
    expect(adjusted.kind).toBe('not-estimable');
    expect(adjusted.kind === 'not-estimable' ? adjusted.reason : '').toMatch(reason);
    expect(JSON.parse(JSON.stringify(adjusted))).toEqual(adjusted);
    expect(() => benjaminiHochberg(p)).toThrow(RangeError);
    expect(() => benjaminiHochberg(p)).toThrow(reason);
  });
});
