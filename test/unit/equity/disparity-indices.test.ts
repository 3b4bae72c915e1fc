// Point estimates: the formulas evaluated by hand in Python/numpy for rates 30/100, 45/110,
// 12/60 (y = 0.3, 0.40909…, 0.2; μ = 87/270): BGV 0.006576879910213244, Theil
// 0.03303977712561143, MLD 0.03520290610461725, IDisp vs best (lowest adverse) 77.27272727272727,
// vs the population mean 23.928944618599797. Intervals are Monte Carlo with a fixed seed, so they
// are checked for reproducibility and coverage of the estimate, not against external numbers.
import { describe, expect, it } from 'vitest';
import {
  betweenGroupVariance,
  disparityIndices,
  indexOfDisparity,
  meanLogDeviation,
  theilIndex,
} from '../../../src/equity/disparity-indices';
import { betaDraw, mulberry32 } from '../../../src/equity/seeded-random';

const y = [30 / 100, 45 / 110, 12 / 60];
const p = [100 / 270, 110 / 270, 60 / 270];
const value = (r: { ok: true; value: number } | { ok: false; reason: string }) => {
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe('disparity indices', () => {
  it.each([
    ['BGV', () => value(betweenGroupVariance(y, p)), 0.006576879910213244],
    ['Theil', () => value(theilIndex(y, p)), 0.03303977712561143],
    ['MLD', () => value(meanLogDeviation(y, p)), 0.03520290610461725],
    [
      'IDisp (best group)',
      () => value(indexOfDisparity(y, p, { kind: 'best-group', lowerIsBetter: true })),
      77.27272727272727,
    ],
    [
      'IDisp (population mean)',
      () => value(indexOfDisparity(y, p, { kind: 'population-mean' })),
      23.928944618599797,
    ],
  ])('%s matches the hand computation', (_name, compute, expected) => {
    expect(Math.abs(compute() - expected)).toBeLessThan(1e-12);
  });

  it('are zero when every group has the same rate', () => {
    const same = [0.25, 0.25, 0.25];
    expect(value(betweenGroupVariance(same, p))).toBeLessThan(1e-30);
    expect(Math.abs(value(theilIndex(same, p)))).toBeLessThan(1e-15);
    expect(Math.abs(value(meanLogDeviation(same, p)))).toBeLessThan(1e-15);
  });

  it('says why MLD is not defined for a zero rate', () => {
    expect(meanLogDeviation([0, 0.2], [0.5, 0.5])).toEqual({
      ok: false,
      reason: 'a group rate is 0 (ln 0)',
    });
    expect(value(theilIndex([0, 0.2], [0.5, 0.5]))).toBeCloseTo(Math.log(2), 12);
  });

  it('gives reproducible Monte Carlo intervals that contain the estimate', () => {
    const groups = [
      { key: 'a', numerator: 30, denominator: 100 },
      { key: 'b', numerator: 45, denominator: 110 },
      { key: 'c', numerator: 12, denominator: 60 },
    ];
    const first = disparityIndices(groups);
    const again = disparityIndices(groups);
    expect(again).toEqual(first);
    expect(first.monteCarlo).toEqual({ seed: 20240208, replicates: 2000 });
    for (const e of [
      first.betweenGroupVariance,
      first.theilIndex,
      first.meanLogDeviation,
      first.indexOfDisparity,
    ]) {
      if (e.kind !== 'value') throw new Error('expected a value');
      expect(e.ci.lower).toBeLessThanOrEqual(e.value);
      expect(e.ci.upper).toBeGreaterThanOrEqual(e.value);
      expect(e.ci.method).toBe('monte-carlo-beta');
    }
    expect(disparityIndices(groups, { seed: 1 })).not.toEqual(first);
    expect(first.homogeneity).toMatchObject({ kind: 'value', degreesOfFreedom: 2 });
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    expect(disparityIndices(groups.slice(0, 1)).theilIndex.kind).toBe('not-estimable');
  });

  it('leaves withheld groups out and names them', () => {
    const result = disparityIndices(
      [
        { key: 'a', numerator: 30, denominator: 100 },
        { key: 'b', numerator: 45, denominator: 110 },
        { key: 'c', numerator: 3, denominator: 8 },
      ],
      { suppressed: { c: 'small-cell' } },
    );
    expect(result.groups).toEqual(['a', 'b']);
    expect(result.excludedGroups).toEqual([{ key: 'c', reason: 'small-cell' }]);
    const bgv = result.betweenGroupVariance;
    if (bgv.kind !== 'value') throw new Error('expected a value');
    const mu = 75 / 210;
    const expected = (100 / 210) * (0.3 - mu) ** 2 + (110 / 210) * (45 / 110 - mu) ** 2;
    expect(Math.abs(bgv.value - expected)).toBeLessThan(1e-15);
  });

  it('draws beta variates with the right mean and variance (seeded)', () => {
    const u = mulberry32(3);
    const draws = Array.from({ length: 20000 }, () => betaDraw(2.5, 7.5, u));
    const mean = draws.reduce((s, d) => s + d, 0) / draws.length;
    const variance = draws.reduce((s, d) => s + (d - mean) ** 2, 0) / draws.length;
    // Beta(2.5, 7.5): mean 0.25, variance ab/((a+b)²(a+b+1)) = 18.75/1100.
    expect(Math.abs(mean - 0.25)).toBeLessThan(0.005);
    expect(Math.abs(variance - 18.75 / 1100)).toBeLessThan(0.001);
  });
});
