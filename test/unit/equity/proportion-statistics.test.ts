// Reference values and where they come from:
// - Wilson: Newcombe RG (1998a) Stat Med 17:857, Table II, method 3 (4 d.p.); to 1e-9 against a
//   naive bisection of the score equation |p̂ − p| = z√(p(1−p)/n) written here.
// - Newcombe hybrid score: Newcombe RG (1998b) Stat Med 17:873, Table II, method 10 (4 d.p.);
//   to 1e-9 against the formula applied to the naive Wilson limits.
// - Katz log, z test, Fisher, χ² homogeneity: scipy 1.17.1 (stats.fisher_exact,
//   stats.chi2_contingency(correction=False)) or the formulas evaluated by hand in Python (repr
//   printed), and naive direct summation of the hypergeometric pmf written here.
// - Fisher tea tasting: Agresti, Categorical Data Analysis, §3.5.2: p = 34/70.
// - Koopman score interval for p₁/p₂:
//   · Koopman (1984, Biometrics 40:513) own example 36/40 vs 16/80, as recomputed by Nam (1995)
//     and pinned in statsmodels' test_score_confint_koopman_nam: 2.940 to 7.152;
//   · Fagerland, Lydersen & Laake (2017, Ch. 4; SMMR 2015) Perondi et al. example 7/34 vs 1/34:
//     1.2209 to 42.5757 (R contingencytables Koopman_asymptotic_score_CI_2x2, chapter 4 tests);
//     R PropCIs::riskscoreci(7, 34, 1, 34, 0.95) = 1.220853 to 42.575718 (quoted in statsmodels'
//     test_confint_2indep_propcis);
//   · zero cells: no published table found, so the limits are from an independent Python program
//     (scipy 1.17.1): restricted MLE by brentq on the likelihood equation, Koopman's own Pearson
//     form Σ(x − n·p̃)²/(n·p̃(1 − p̃)) of the statistic, limits by brentq on log θ (repr printed);
//     it reproduces both published examples above to 1e-15. statsmodels 0.15.0
//     confint_proportions_2indep(x1, n1, x2, n2, method='score', compare='ratio',
//     correction=False) (Koopman; correction=True is Miettinen–Nurminen) agrees to 1e-13: 0/10 vs
//     5/10 → (0, 0.6128605774257668), 0/16 vs 15/72 → (0, 0.9619020510079355), 0/50 vs 5/60 →
//     (0, 0.8827758048605949), 15/72 vs 0/16 → (1.0396068902775828, inf), 5/10 vs 0/10 →
//     (1.631692487384905, inf). In-test, `naiveKoopman` below checks the limits solve the score
//     equation by yet another route (bisection on the likelihood).
import { describe, expect, it } from 'vitest';
import {
  chiSquareHomogeneity,
  clopperPearsonInterval,
  compareProportions,
  fisherExactTest,
  katzRateRatio,
  koopmanRateRatio,
  newcombeDifference,
  twoProportionZTest,
  wilsonInterval,
} from '../../../src/equity/proportion-statistics';
import type { Estimate, Interval, RatioEstimate } from '../../../src/equity/interval';
import { Z_95 } from '../../../src/equity/interval';
import { mulberry32 } from '../../../src/equity/seeded-random';

const close = (actual: number, expected: number, tol = 1e-6) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);

/** The interval of an estimate that must have one. */
function ciOf(estimate: Estimate | RatioEstimate): Interval {
  if (estimate.kind !== 'value') throw new Error(`expected a value: ${JSON.stringify(estimate)}`);
  return estimate.ci;
}

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
    const ci = ciOf(wilsonInterval(x, n));
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
      const ci = ciOf(wilsonInterval(x, n));
      expect(ci.lower).toBeGreaterThanOrEqual(0);
      expect(ci.upper).toBeLessThanOrEqual(1);
      expect(ci.lower).toBeLessThanOrEqual(x / n);
      expect(ci.upper).toBeGreaterThanOrEqual(x / n);
    }
  });
});

describe('Clopper–Pearson interval', () => {
  it('matches scipy beta quantiles and the closed form at x = 0', () => {
    const ci = ciOf(clopperPearsonInterval(7, 25));
    close(ci.lower, 0.12071668850406661, 1e-9); // stats.beta.ppf(0.025, 7, 19)
    close(ci.upper, 0.49387682180625553, 1e-9); // stats.beta.ppf(0.975, 8, 18)
    close(ciOf(clopperPearsonInterval(0, 40)).upper, 1 - 0.025 ** (1 / 40), 1e-12);
  });

  it('bounds solve the binomial tail equations (naive pmf summation)', () => {
    const x = 7;
    const n = 25;
    const ci = ciOf(clopperPearsonInterval(x, n));
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

  it('states the 0.5 continuity correction when a numerator is 0 and it is asked for', () => {
    const rr = katzRateRatio(0, 50, 5, 60, 'continuity-correction');
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

/**
 * Naive Koopman statistic, written independently of the module: the restricted MLE p̃₂ by
 * bisection on the likelihood equation d/dp ln L(θp, p) = 0 (decreasing in p), then Koopman's
 * Pearson form Σ (x − n·p̃)² / (n·p̃(1 − p̃)) over both groups.
 */
function naiveKoopman(theta: number, x1: number, n1: number, x2: number, n2: number): number {
  const slope = (p: number) =>
    x1 / p - ((n1 - x1) * theta) / (1 - theta * p) + x2 / p - (n2 - x2) / (1 - p);
  let a = 1e-300;
  let b = Math.min(1, 1 / theta) * (1 - 1e-15);
  for (let i = 0; i < 3000; i += 1) {
    const m = (a + b) / 2;
    if (m <= a || m >= b) break;
    if (slope(m) > 0) a = m;
    else b = m;
  }
  const p2 = (a + b) / 2;
  const p1 = theta * p2;
  return (x1 - n1 * p1) ** 2 / (n1 * p1 * (1 - p1)) + (x2 - n2 * p2) ** 2 / (n2 * p2 * (1 - p2));
}

/** Relative closeness, for limits that span orders of magnitude. */
const closeRel = (actual: number, expected: number, tol: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));

/** The ratio's interval excludes 1. */
function excludesOne(r: RatioEstimate): boolean {
  switch (r.kind) {
    case 'value':
      return r.ci.lower > 1 || r.ci.upper < 1;
    case 'unbounded-above':
      return r.lower > 1;
    case 'not-estimable':
      return false;
  }
}

describe('Koopman score interval for a rate ratio', () => {
  it.each([
    // Koopman 1984 (via Nam 1995): 2.940 to 7.152, three decimals.
    [36, 40, 16, 80, 2.94, 7.152, 5e-4, 2.9395691922149942, 7.1522234348660305],
    // PropCIs::riskscoreci(7, 34, 1, 34): 1.220853 to 42.575718, six decimals.
    [7, 34, 1, 34, 1.220853, 42.575718, 6e-7, 1.2208528535148118, 42.57571760976039],
  ])(
    'reproduces the published interval for %i/%i vs %i/%i',
    (x1, n1, x2, n2, lo, hi, tol, pyLo, pyHi) => {
      const rr = koopmanRateRatio(x1, n1, x2, n2);
      const ci = ciOf(rr);
      close(ci.lower, lo, tol);
      close(ci.upper, hi, tol);
      closeRel(ci.lower, pyLo, 1e-13);
      closeRel(ci.upper, pyHi, 1e-13);
      expect(ci.method).toBe('koopman-score');
      expect(rr).toMatchObject({ value: x1 / n1 / (x2 / n2) });
    },
  );

  it.each([
    [0, 10, 5, 10, 0.6128605774257672],
    [0, 16, 15, 72, 0.9619020510079471],
    [0, 50, 5, 60, 0.8827758048605956],
    [0, 10, 10, 10, 0.2775327998628891],
    [0, 1, 1, 1, 1.920729410347063],
  ])('gives 0 to a finite upper limit when x₁ = 0 (%i/%i vs %i/%i)', (x1, n1, x2, n2, upper) => {
    const rr = koopmanRateRatio(x1, n1, x2, n2);
    const ci = ciOf(rr);
    expect(rr).toMatchObject({ kind: 'value', value: 0 });
    expect(ci.lower).toBe(0);
    closeRel(ci.upper, upper, 1e-13);
    // The upper limit solves Koopman's score equation T(θ) = z², computed independently.
    closeRel(naiveKoopman(ci.upper, x1, n1, x2, n2), Z_95 * Z_95, 1e-8);
    expect(naiveKoopman(ci.upper * (1 - 1e-6), x1, n1, x2, n2)).toBeLessThan(Z_95 * Z_95);
    expect(naiveKoopman(ci.upper * (1 + 1e-6), x1, n1, x2, n2)).toBeGreaterThan(Z_95 * Z_95);
  });

  it.each([
    [15, 72, 0, 16, 1.039606890277582],
    [5, 10, 0, 10, 1.6316924873849066],
    [10, 10, 0, 10, 3.6031777162700567],
  ])(
    'gives an unbounded ratio with a finite lower limit when x₂ = 0 (%i/%i vs %i/%i)',
    (x1, n1, x2, n2, lower) => {
      const rr = koopmanRateRatio(x1, n1, x2, n2);
      if (rr.kind !== 'unbounded-above') throw new Error('expected an unbounded ratio');
      closeRel(rr.lower, lower, 1e-13);
      closeRel(naiveKoopman(rr.lower, x1, n1, x2, n2), Z_95 * Z_95, 1e-8);
      expect(rr).toMatchObject({ level: 0.95, method: 'koopman-score' });
      // Plain data: no Infinity to lose in JSON or structured clone.
      expect(JSON.parse(JSON.stringify(rr))).toEqual(rr);
    },
  );

  it('is not estimable when neither group has an event', () => {
    expect(koopmanRateRatio(0, 10, 0, 20)).toEqual({
      kind: 'not-estimable',
      reason: 'no events in either group: the ratio is 0/0',
    });
  });

  it('0/10 vs 5/10: the ratio interval excludes 1, in agreement with Fisher p = 0.0325', () => {
    const fisher = fisherExactTest(0, 10, 5, 10);
    if (fisher.kind !== 'value') throw new Error('expected a value');
    close(fisher.pValue, 0.032507739938080496, 1e-12); // scipy.stats.fisher_exact
    expect(compareProportions(0, 10, 5, 10)).toEqual(fisher);
    const ci = ciOf(katzRateRatio(0, 10, 5, 10));
    expect(ci.method).toBe('koopman-score');
    expect(ci.upper).toBeLessThan(1);
    // The old default, 0.5 added to each cell, included 1 beside p = 0.0325.
    expect(ciOf(katzRateRatio(0, 10, 5, 10, 'continuity-correction')).upper).toBeGreaterThan(1);
  });

  it('inverts the score test: excludes 1 exactly when the two-proportion z test rejects (every table with n₁, n₂ ≤ 10)', () => {
    // At θ = 1 the restricted MLE is the pooled proportion and T(1) is Pearson's χ² = z².
    let checked = 0;
    for (let n1 = 1; n1 <= 10; n1 += 1)
      for (let n2 = 1; n2 <= 10; n2 += 1)
        for (let x1 = 0; x1 <= n1; x1 += 1)
          for (let x2 = 0; x2 <= n2; x2 += 1) {
            const z = twoProportionZTest(x1, n1, x2, n2);
            if (z.kind !== 'value') continue;
            const rr = koopmanRateRatio(x1, n1, x2, n2);
            expect({ table: [x1, n1, x2, n2], excludes: excludesOne(rr) }).toEqual({
              table: [x1, n1, x2, n2],
              excludes: z.pValue < 0.05,
            });
            checked += 1;
          }
    expect(checked).toBeGreaterThan(4000);
  });

  it('agrees with Fisher whenever Fisher rejects, for every zero-cell table with n₁, n₂ ≤ 30', () => {
    // Verified exhaustively here (not a theorem): Fisher's test is the more conservative, so on
    // this grid a Fisher p < 0.05 always comes with a ratio interval that excludes 1.
    let rejected = 0;
    for (let n1 = 1; n1 <= 30; n1 += 1)
      for (let n2 = 1; n2 <= 30; n2 += 1)
        for (const [x1, x2] of [
          ...Array.from({ length: n2 }, (_, k) => [0, k + 1] as const),
          ...Array.from({ length: n1 }, (_, k) => [k + 1, 0] as const),
        ]) {
          const fisher = fisherExactTest(x1, n1, x2, n2);
          if (fisher.kind !== 'value' || fisher.pValue >= 0.05) continue;
          const rr = koopmanRateRatio(x1, n1, x2, n2);
          expect({ table: [x1, n1, x2, n2], excludes: excludesOne(rr) }).toEqual({
            table: [x1, n1, x2, n2],
            excludes: true,
          });
          // …and on the same side of 1 as the observed difference.
          expect(x1 === 0 ? rr.kind === 'value' && rr.ci.upper < 1 : rr.kind).toBe(
            x1 === 0 ? true : 'unbounded-above',
          );
          rejected += 1;
        }
    expect(rejected).toBeGreaterThan(500);
    // The converse does not hold: different tests. Ritland et al. (Fagerland et al. 2017, Ch. 4)
    // 0/16 vs 15/72 has Fisher p = 0.0629 (contingencytables) but a score interval below 1.
    const ritland = fisherExactTest(0, 16, 15, 72);
    expect(ritland.kind === 'value' && ritland.pValue > 0.05).toBe(true);
    expect(excludesOne(koopmanRateRatio(0, 16, 15, 72))).toBe(true);
  });

  it('is symmetric, contains the estimate, and narrows at a lower level (seeded tables)', () => {
    const rnd = mulberry32(1984);
    for (let i = 0; i < 300; i += 1) {
      const n1 = 1 + Math.floor(rnd() * 60);
      const n2 = 1 + Math.floor(rnd() * 60);
      const x1 = rnd() < 0.2 ? 0 : Math.floor(rnd() * (n1 + 1));
      const x2 = rnd() < 0.2 ? 0 : Math.floor(rnd() * (n2 + 1));
      if (x1 === 0 && x2 === 0) continue;
      const forward = koopmanRateRatio(x1, n1, x2, n2);
      const backward = koopmanRateRatio(x2, n2, x1, n1);
      if (x2 === 0) {
        // p₁/p₂ ≥ L exactly when p₂/p₁ ≤ 1/L.
        if (forward.kind !== 'unbounded-above') throw new Error('expected unbounded');
        closeRel(ciOf(backward).upper, 1 / forward.lower, 1e-12);
        continue;
      }
      const ci = ciOf(forward);
      const value = forward.kind === 'value' ? forward.value : Number.NaN;
      expect(ci.lower).toBeLessThanOrEqual(value);
      expect(ci.upper).toBeGreaterThanOrEqual(value);
      if (x1 > 0) {
        const back = ciOf(backward);
        closeRel(back.lower, 1 / ci.upper, 1e-12);
        closeRel(back.upper, 1 / ci.lower, 1e-12);
      }
      const ninety = ciOf(koopmanRateRatio(x1, n1, x2, n2, 0.9));
      expect(ninety.lower).toBeGreaterThanOrEqual(ci.lower);
      expect(ninety.upper).toBeLessThanOrEqual(ci.upper);
    }
  });

  it('is the zero-cell default of katzRateRatio; Katz log otherwise', () => {
    expect(katzRateRatio(0, 50, 5, 60)).toEqual(koopmanRateRatio(0, 50, 5, 60));
    expect(katzRateRatio(5, 50, 0, 60)).toEqual(koopmanRateRatio(5, 50, 0, 60));
    expect(ciOf(katzRateRatio(5, 50, 3, 60)).method).toBe('katz-log');
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
