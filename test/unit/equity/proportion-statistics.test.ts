// Reference values and where they come from:
// - Wilson: Newcombe RG (1998a) Stat Med 17:857, Table II, method 3 (4 d.p.); to 1e-9 against a
//   naive bisection of the score equation |p̂ − p| = z√(p(1−p)/n) written here.
// - Newcombe hybrid score: Newcombe RG (1998b) Stat Med 17:873, Table II, method 10 (4 d.p.);
//   to 1e-9 against the formula applied to the naive Wilson limits.
// - Katz log, z test, Fisher, χ² homogeneity: scipy 1.17.1 (stats.fisher_exact,
//   stats.chi2_contingency(correction=False)) or the formulas evaluated by hand in Python (repr
//   printed), and naive direct summation of the hypergeometric pmf written here.
// - Fisher tea tasting: Agresti, Categorical Data Analysis, §3.5.2: p = 34/70.
import { describe, expect, it } from 'vitest';
import {
  chiSquareHomogeneity,
  clopperPearsonInterval,
  compareProportions,
  fisherExactTest,
  katzRateRatio,
  newcombeDifference,
  twoProportionZTest,
  wilsonInterval,
} from '../../../src/equity/proportion-statistics';
import { Z_95 } from '../../../src/equity/interval';
import { mulberry32 } from '../../../src/equity/seeded-random';

const close = (actual: number, expected: number, tol = 1e-6) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);

/** Naive Wilson limits: bisection on the score equation (x/n − p)² = z² p(1 − p)/n. */
function naiveWilson(x: number, n: number): [number, number] {
  const phat = x / n;
  const f = (p: number) => (phat - p) ** 2 - (Z_95 * Z_95 * p * (1 - p)) / n;
  // Upper root: f ≤ 0 just above p̂ and f > 0 at 1; lower root: f > 0 at 0 and f ≤ 0 at p̂.
  const bisect = (lo: number, hi: number, keepLo: (v: number) => boolean) => {
    let a = lo;
    let b = hi;
    for (let i = 0; i < 200; i += 1) {
      const m = (a + b) / 2;
      if (keepLo(f(m))) a = m;
      else b = m;
    }
    return (a + b) / 2;
  };
  return [
    x === 0 ? 0 : bisect(0, phat, (v) => v > 0),
    x === n ? 1 : bisect(phat, 1, (v) => v <= 0),
  ];
}

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i += 1) s += Math.log(i);
  return s;
}

/** Naive two-sided Fisher p: direct summation of the hypergeometric pmf with log factorials. */
function naiveFisher(x1: number, n1: number, x2: number, n2: number): number {
  const m = x1 + x2;
  const N = n1 + n2;
  const pmf = (k: number) =>
    Math.exp(
      logFactorial(n1) -
        logFactorial(k) -
        logFactorial(n1 - k) +
        logFactorial(n2) -
        logFactorial(m - k) -
        logFactorial(n2 - m + k) -
        (logFactorial(N) - logFactorial(m) - logFactorial(N - m)),
    );
  const obs = pmf(x1);
  let p = 0;
  for (let k = Math.max(0, m - n2); k <= Math.min(m, n1); k += 1)
    if (pmf(k) <= obs * (1 + 1e-7)) p += pmf(k);
  return p;
}

describe('Wilson score interval', () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('reproduces Newcombe 1998a Table II for %i/%i', (x, n, lo, hi) => {
    const ci = wilsonInterval(x, n);
    close(ci.lower, lo, 5e-5);
    close(ci.upper, hi, 5e-5);
    const [nl, nu] = naiveWilson(x, n);
    close(ci.lower, nl, 1e-9);
    close(ci.upper, nu, 1e-9);
  });

  it('contains the rate and stays in [0, 1] for seeded random tables', () => {
    const rnd = mulberry32(7);
    for (let i = 0; i < 500; i += 1) {
      const n = 1 + Math.floor(rnd() * 400);
      const x = Math.floor(rnd() * (n + 1));
      const ci = wilsonInterval(x, n);
      expect(ci.lower).toBeGreaterThanOrEqual(0);
      expect(ci.upper).toBeLessThanOrEqual(1);
      expect(ci.lower).toBeLessThanOrEqual(x / n);
      expect(ci.upper).toBeGreaterThanOrEqual(x / n);
    }
  });
});

describe('Clopper–Pearson interval', () => {
  it('matches scipy beta quantiles and the closed form at x = 0', () => {
    const ci = clopperPearsonInterval(7, 25);
    close(ci.lower, 0.12071668850406661, 1e-9); // stats.beta.ppf(0.025, 7, 19)
    close(ci.upper, 0.49387682180625553, 1e-9); // stats.beta.ppf(0.975, 8, 18)
    close(clopperPearsonInterval(0, 40).upper, 1 - 0.025 ** (1 / 40), 1e-12);
  });

  it('bounds solve the binomial tail equations (naive pmf summation)', () => {
    const x = 7;
    const n = 25;
    const ci = clopperPearsonInterval(x, n);
    const tail = (p: number, from: number, to: number) => {
      let s = 0;
      for (let k = from; k <= to; k += 1)
        s += Math.exp(
          logFactorial(n) -
            logFactorial(k) -
            logFactorial(n - k) +
            k * Math.log(p) +
            (n - k) * Math.log1p(-p),
        );
      return s;
    };
    close(tail(ci.lower, x, n), 0.025, 1e-9);
    close(tail(ci.upper, 0, x), 0.025, 1e-9);
  });
});

describe('Newcombe hybrid score interval for a difference', () => {
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
  ])('reproduces Newcombe 1998b Table II for %i/%i − %i/%i', (x1, n1, x2, n2, lo, hi) => {
    const d = newcombeDifference(x1, n1, x2, n2);
    if (d.kind !== 'value') throw new Error('expected a value');
    close(d.value, x1 / n1 - x2 / n2, 1e-12);
    close(d.ci.lower, lo, 5e-5);
    close(d.ci.upper, hi, 5e-5);
    const [l1, u1] = naiveWilson(x1, n1);
    const [l2, u2] = naiveWilson(x2, n2);
    const p1 = x1 / n1;
    const p2 = x2 / n2;
    close(d.ci.lower, p1 - p2 - Math.hypot(p1 - l1, u2 - p2), 1e-9);
    close(d.ci.upper, p1 - p2 + Math.hypot(u1 - p1, p2 - l2), 1e-9);
  });

  it('always contains the difference (seeded property test)', () => {
    const rnd = mulberry32(11);
    for (let i = 0; i < 500; i += 1) {
      const n1 = 1 + Math.floor(rnd() * 200);
      const n2 = 1 + Math.floor(rnd() * 200);
      const x1 = Math.floor(rnd() * (n1 + 1));
      const x2 = Math.floor(rnd() * (n2 + 1));
      const d = newcombeDifference(x1, n1, x2, n2);
      if (d.kind !== 'value') throw new Error('expected a value');
      expect(d.ci.lower).toBeLessThanOrEqual(d.value + 1e-12);
      expect(d.ci.upper).toBeGreaterThanOrEqual(d.value - 1e-12);
      expect(d.ci.lower).toBeGreaterThanOrEqual(-1 - 1e-12);
      expect(d.ci.upper).toBeLessThanOrEqual(1 + 1e-12);
    }
  });

  it('is not estimable without a denominator', () => {
    expect(newcombeDifference(0, 0, 3, 10)).toEqual({
      kind: 'not-estimable',
      reason: 'a group has no denominator',
    });
  });
});

describe('Katz log interval for a rate ratio', () => {
  it('matches the formula evaluated in Python for 20/100 vs 10/100', () => {
    const rr = katzRateRatio(20, 100, 10, 100);
    if (rr.kind !== 'value') throw new Error('expected a value');
    close(rr.value, 2, 1e-12);
    close(rr.ci.lower, 0.9865632067317821, 1e-9);
    close(rr.ci.upper, 4.054479198804628, 1e-9);
    expect(rr.ci.method).toBe('katz-log');
  });

  it('states the 0.5 continuity correction when a numerator is 0', () => {
    const rr = katzRateRatio(0, 50, 5, 60);
    if (rr.kind !== 'value') throw new Error('expected a value');
    // (0.5/51)/(5.5/61) and SE √(1/0.5 − 1/51 + 1/5.5 − 1/61), evaluated in Python.
    close(rr.value, 0.10873440285204991, 1e-12);
    close(rr.ci.lower, 0.0061585047094265, 1e-9);
    close(rr.ci.upper, 1.91981185716961, 1e-9);
    expect(rr.ci.method).toBe('katz-log-continuity-corrected');
  });

  it('reports not-estimable when asked to', () => {
    expect(katzRateRatio(0, 50, 5, 60, 'not-estimable').kind).toBe('not-estimable');
  });
});

describe('two-group tests', () => {
  it('Fisher exact: Agresti tea tasting p = 34/70', () => {
    const t = fisherExactTest(3, 4, 1, 4);
    if (t.kind !== 'value') throw new Error('expected a value');
    close(t.pValue, 34 / 70, 1e-12);
  });

  it.each([
    [2, 12, 9, 14, 0.02141607214968367],
    [7, 25, 15, 28, 0.09366124983812073],
  ])('Fisher exact %i/%i vs %i/%i matches scipy and naive summation', (x1, n1, x2, n2, p) => {
    const t = fisherExactTest(x1, n1, x2, n2);
    if (t.kind !== 'value') throw new Error('expected a value');
    close(t.pValue, p, 1e-10);
    close(t.pValue, naiveFisher(x1, n1, x2, n2), 1e-10);
  });

  it('two-proportion z test matches the pooled formula (Python) and equals √χ²', () => {
    const t = twoProportionZTest(45, 110, 30, 100);
    if (t.kind !== 'value') throw new Error('expected a value');
    close(t.statistic, 1.6477716817421997, 1e-10);
    close(t.pValue, 0.09939953216165578, 1e-10);
    const chi = chiSquareHomogeneity([
      { numerator: 45, denominator: 110 },
      { numerator: 30, denominator: 100 },
    ]);
    if (chi.kind !== 'value') throw new Error('expected a value');
    close(chi.statistic, t.statistic ** 2, 1e-10);
    close(chi.pValue, t.pValue, 1e-10);
  });

  it('uses Fisher for small cells and z otherwise', () => {
    expect(compareProportions(3, 20, 10, 25)).toMatchObject({ test: 'fisher-exact' });
    expect(compareProportions(45, 110, 30, 100)).toMatchObject({ test: 'two-proportion-z' });
  });

  it('χ² test of homogeneity matches scipy.stats.chi2_contingency(correction=False)', () => {
    const chi = chiSquareHomogeneity([
      { numerator: 30, denominator: 100 },
      { numerator: 45, denominator: 110 },
      { numerator: 12, denominator: 60 },
    ]);
    if (chi.kind !== 'value') throw new Error('expected a value');
    close(chi.statistic, 8.130941980574544, 1e-10);
    close(chi.pValue, 0.01715490757570424, 1e-10);
    expect(chi.degreesOfFreedom).toBe(2);
    // df = 2 closed form: p = e^{−X²/2}.
    close(chi.pValue, Math.exp(-chi.statistic / 2), 1e-12);
  });
});
