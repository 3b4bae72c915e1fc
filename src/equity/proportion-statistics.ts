// Intervals and tests for proportions and for two independent proportions. Each function cites the
// formula it implements; see ../shared/reference/equity.md §1.3–1.4.

import type { Estimate, Interval } from './interval';
import { Z_95 } from './interval';
import {
  chiSquareUpperTail,
  inverseRegularizedBeta,
  logGamma,
  normalQuantile,
  normalUpperTail,
} from './special-functions';

function zFor(level: number): number {
  return level === 0.95 ? Z_95 : normalQuantile(1 - (1 - level) / 2);
}

/**
 * Wilson score interval (Wilson 1927; Newcombe 1998a, Stat Med 17:857, method 3):
 * (p̂ + z²/2n ± z√[p̂(1−p̂)/n + z²/4n²]) / (1 + z²/n). Requires n > 0.
 */
export function wilsonInterval(x: number, n: number, level = 0.95): Interval {
  const z = zFor(level);
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  // Clamp: at x = 0 or x = n the exact limit is 0 or 1, rounding can leave ±1e-17.
  return {
    lower: x === 0 ? 0 : Math.max(0, (centre - half) / denom),
    upper: x === n ? 1 : Math.min(1, (centre + half) / denom),
    level,
    method: 'wilson',
  };
}

/**
 * Clopper–Pearson exact interval (Clopper & Pearson 1934):
 * [Beta⁻¹(α/2; x, n−x+1), Beta⁻¹(1−α/2; x+1, n−x)].
 */
export function clopperPearsonInterval(x: number, n: number, level = 0.95): Interval {
  const alpha = 1 - level;
  return {
    lower: x === 0 ? 0 : inverseRegularizedBeta(alpha / 2, x, n - x + 1),
    upper: x === n ? 1 : inverseRegularizedBeta(1 - alpha / 2, x + 1, n - x),
    level,
    method: 'clopper-pearson',
  };
}

/**
 * Newcombe hybrid score interval for p₁ − p₂ (Newcombe 1998b, Stat Med 17:873, method 10), from
 * each group's Wilson limits (lᵢ, uᵢ): L = d − √[(p₁−l₁)² + (u₂−p₂)²], U = d + √[(u₁−p₁)² + (p₂−l₂)²].
 */
export function newcombeDifference(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  level = 0.95,
): Estimate {
  if (n1 <= 0 || n2 <= 0) return { kind: 'not-estimable', reason: 'a group has no denominator' };
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilsonInterval(x1, n1, level);
  const w2 = wilsonInterval(x2, n2, level);
  const d = p1 - p2;
  return {
    kind: 'value',
    value: d,
    ci: {
      lower: d - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
      upper: d + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
      level,
      method: 'newcombe-hybrid-score',
    },
  };
}

export type ZeroCellPolicy = 'continuity-correction' | 'not-estimable';

/**
 * Rate ratio p₁/p₂ with the Katz log interval (Katz et al. 1978, Biometrics 34:469):
 * SE[ln RR] = √(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂). The interval is undefined when x₁ or x₂ is 0; with
 * 'continuity-correction' 0.5 is added to every cell of the 2×2 table (x + 0.5, n + 1) — the
 * Haldane–Anscombe correction — and the method is reported as such; otherwise 'not-estimable'.
 */
export function katzRateRatio(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  zeroCell: ZeroCellPolicy = 'continuity-correction',
  level = 0.95,
): Estimate {
  if (n1 <= 0 || n2 <= 0) return { kind: 'not-estimable', reason: 'a group has no denominator' };
  const z = zFor(level);
  const hasZero = x1 === 0 || x2 === 0;
  if (hasZero && zeroCell === 'not-estimable')
    return {
      kind: 'not-estimable',
      reason: 'a numerator is 0: the Katz log interval is undefined',
    };
  const [a, m, b, k] = hasZero ? [x1 + 0.5, n1 + 1, x2 + 0.5, n2 + 1] : [x1, n1, x2, n2];
  const rr = a / m / (b / k);
  const se = Math.sqrt(1 / a - 1 / m + 1 / b - 1 / k);
  return {
    kind: 'value',
    value: rr,
    ci: {
      lower: rr * Math.exp(-z * se),
      upper: rr * Math.exp(z * se),
      level,
      method: hasZero ? 'katz-log-continuity-corrected' : 'katz-log',
    },
    ...(hasZero ? { note: '0.5 added to each cell because a numerator is 0' } : {}),
  };
}

export type TestResult =
  | { kind: 'value'; test: 'two-proportion-z' | 'fisher-exact'; statistic: number; pValue: number }
  | { kind: 'not-estimable'; reason: string };

/**
 * Two-proportion z test with the pooled variance (Agresti, Categorical Data Analysis, 3rd ed.,
 * §3.1.1 / §2.4): z = (p₁ − p₂) / √[p̄(1−p̄)(1/n₁ + 1/n₂)], two-sided p = 2(1 − Φ(|z|)). z² equals
 * Pearson's χ² for the 2×2 table.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TestResult {
  if (n1 <= 0 || n2 <= 0) return { kind: 'not-estimable', reason: 'a group has no denominator' };
  const pooled = (x1 + x2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0)
    return { kind: 'not-estimable', reason: 'every patient has the same outcome' };
  const z = (x1 / n1 - x2 / n2) / Math.sqrt(variance);
  return {
    kind: 'value',
    test: 'two-proportion-z',
    statistic: z,
    pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))),
  };
}

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Fisher's exact test for the 2×2 table [[x1, n1−x1], [x2, n2−x2]] (Fisher 1935; Agresti §3.5.1):
 * two-sided p = sum of hypergeometric probabilities of tables no more likely than the observed
 * one (R's fisher.test convention, with a relative tolerance 1e-7 for ties). Statistic is x1.
 */
export function fisherExactTest(x1: number, n1: number, x2: number, n2: number): TestResult {
  if (n1 <= 0 || n2 <= 0) return { kind: 'not-estimable', reason: 'a group has no denominator' };
  const total = n1 + n2;
  const successes = x1 + x2;
  const lo = Math.max(0, successes - n2);
  const hi = Math.min(successes, n1);
  const logDenom = logChoose(total, successes);
  const prob = (k: number) => Math.exp(logChoose(n1, k) + logChoose(n2, successes - k) - logDenom);
  const observed = prob(x1);
  let p = 0;
  for (let k = lo; k <= hi; k += 1) {
    const pk = prob(k);
    if (pk <= observed * (1 + 1e-7)) p += pk;
  }
  return { kind: 'value', test: 'fisher-exact', statistic: x1, pValue: Math.min(1, p) };
}

/**
 * The two-group test the HSAG guidance recommends: Fisher's exact test when any numerator or
 * denominator is under 30 (or an expected count is under 5), the two-proportion z test otherwise.
 */
export function compareProportions(x1: number, n1: number, x2: number, n2: number): TestResult {
  const small = Math.min(x1, x2, n1 - x1, n2 - x2, n1, n2) < 30;
  return small ? fisherExactTest(x1, n1, x2, n2) : twoProportionZTest(x1, n1, x2, n2);
}

export interface HomogeneityTest {
  kind: 'value';
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/**
 * Pearson χ² test of homogeneity of K proportions (Agresti §3.2): X² = Σ (O − E)²/E over the
 * K×2 table, df = K − 1 (groups with n = 0 are dropped), p from the χ² upper tail.
 */
export function chiSquareHomogeneity(
  groups: readonly { numerator: number; denominator: number }[],
): HomogeneityTest | { kind: 'not-estimable'; reason: string } {
  const used = groups.filter((g) => g.denominator > 0);
  if (used.length < 2) return { kind: 'not-estimable', reason: 'fewer than two groups' };
  const n = used.reduce((s, g) => s + g.denominator, 0);
  const x = used.reduce((s, g) => s + g.numerator, 0);
  if (x === 0 || x === n)
    return { kind: 'not-estimable', reason: 'every patient has the same outcome' };
  const pooled = x / n;
  let statistic = 0;
  for (const g of used) {
    const e1 = g.denominator * pooled;
    const e0 = g.denominator - e1;
    statistic += (g.numerator - e1) ** 2 / e1 + (g.denominator - g.numerator - e0) ** 2 / e0;
  }
  const degreesOfFreedom = used.length - 1;
  return {
    kind: 'value',
    statistic,
    degreesOfFreedom,
    pValue: chiSquareUpperTail(statistic, degreesOfFreedom),
  };
}
