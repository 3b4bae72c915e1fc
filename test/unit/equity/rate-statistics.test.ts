// Reference values: scipy 1.17.1 stats.gamma.ppf / stats.t.ppf (repr printed), closed forms for
// x = 0 and x = 1, and a naive check that the limits solve the Poisson tail equations by direct
// summation of the Poisson pmf. Median coverage: exact binomial(n, ½) fractions.
import { describe, expect, it } from 'vitest';
import type { Estimate, Interval } from '../../../src/equity/interval';
import {
  eventRate,
  meanWithTInterval,
  medianWithOrderStatisticInterval,
  poissonExactCountInterval,
  summarizeContinuous,
} from '../../../src/equity/rate-statistics';

const close = (actual: number, expected: number, tol = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));

function ciOf(estimate: Estimate): Interval {
  if (estimate.kind !== 'value') throw new Error(`expected a value: ${JSON.stringify(estimate)}`);
  return estimate.ci;
}

function poissonCdf(k: number, mu: number): number {
  let term = Math.exp(-mu);
  let s = term;
  for (let i = 1; i <= k; i += 1) {
    term *= mu / i;
    s += term;
  }
  return s;
}

describe('exact Poisson interval', () => {
  it.each([
    [0, 0, 3.6888794541139354],
    [1, 0.025317807984289876, 5.571643390938898],
    [5, 1.6234863901184207, 11.66833207932267],
    [10, 4.7953886961324335, 18.39035604201778],
    [37, 26.05141456710603, 50.999626141930825],
    [250, 219.9679956309373, 282.98770504231607],
  ])('count %i matches scipy gamma quantiles', (x, lo, hi) => {
    const count = poissonExactCountInterval(x);
    expect(count).toMatchObject({ kind: 'value', value: x });
    const ci = ciOf(count);
    close(ci.lower, lo);
    close(ci.upper, hi);
  });

  it('uses the closed forms −ln(0.025) and −ln(0.975) at 0 and 1 events', () => {
    close(ciOf(poissonExactCountInterval(0)).upper, -Math.log(0.025), 1e-13);
    close(ciOf(poissonExactCountInterval(1)).lower, -Math.log(0.975), 1e-13);
  });

  it.each([3, 12, 60])(
    'limits for %i events solve the Poisson tail equations (naive pmf sums)',
    (x) => {
      const ci = ciOf(poissonExactCountInterval(x));
      close(1 - poissonCdf(x - 1, ci.lower), 0.025, 1e-10);
      close(poissonCdf(x, ci.upper), 0.025, 1e-10);
    },
  );

  it('scales to events per 1,000 patient-years', () => {
    const r = eventRate({ events: 10, personYears: 250 });
    if (r.kind !== 'value') throw new Error('expected a value');
    close(r.value, 40, 1e-12);
    close(r.ci.lower, 4.7953886961324335 * 4);
    close(r.ci.upper, 18.39035604201778 * 4);
    expect(eventRate({ events: 0, personYears: 0 })).toEqual({
      kind: 'not-estimable',
      reason: 'no person-time at risk',
    });
  });
});

describe('continuous outcomes', () => {
  const values = [2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 7.1, 3.9, 4.0];

  it('mean with a t interval matches numpy/scipy', () => {
    const m = meanWithTInterval(values);
    if (m.kind !== 'value') throw new Error('expected a value');
    close(m.value, 3.85, 1e-12);
    close(m.ci.lower, 2.7208081231360755);
    close(m.ci.upper, 4.979191876863925);
    const s = summarizeContinuous(values);
    if (s.kind !== 'value') throw new Error('expected a value');
    expect(s.standardDeviation).toBeCloseTo(1.5785013990068766, 12);
  });

  it('median with order statistics 2 and 9 for n = 10 (coverage 1 − 2·11/1024)', () => {
    const m = medianWithOrderStatisticInterval(values);
    if (m.kind !== 'value') throw new Error('expected a value');
    close(m.value, (3.4 + 3.9) / 2, 1e-12);
    expect(m.ci).toMatchObject({ lower: 2.1, upper: 5.6, method: 'order-statistic' });
    expect(m.note).toContain(`exact coverage ${(1 - 22 / 1024).toFixed(4)}`);
  });

  it('says when there are too few values', () => {
    expect(medianWithOrderStatisticInterval([1, 2, 3, 4, 5]).kind).toBe('not-estimable');
    expect(medianWithOrderStatisticInterval([1, 2, 3, 4, 5, 6]).kind).toBe('value');
    expect(meanWithTInterval([4]).kind).toBe('not-estimable');
  });
});
