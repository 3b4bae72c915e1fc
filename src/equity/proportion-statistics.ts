// Intervals and tests for proportions and for two independent proportions. Each function cites the
// formula it implements; see ../shared/reference/equity.md §1.3–1.4. Every public function checks
// its input (whole counts, 0 ≤ x ≤ n, a level in (0, 1)) and answers bad input with a
// `not-estimable` reason, never NaN, Infinity or a throw.

import type { Estimate, NotEstimable, RatioEstimate } from './interval';
import { Z_95 } from './interval';
import {
  countProblem,
  levelProblem,
  notEstimable,
  proportionProblem,
  twoGroupProblem,
} from './input-validation';
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

/** Wilson limits for valid x, n > 0 (the public functions check their input first). */
function wilsonLimits(x: number, n: number, z: number): { lower: number; upper: number } {
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  // Clamp: at x = 0 or x = n the exact limit is 0 or 1, rounding can leave ±1e-17.
  return {
    lower: x === 0 ? 0 : Math.max(0, (centre - half) / denom),
    upper: x === n ? 1 : Math.min(1, (centre + half) / denom),
  };
}

/**
 * Wilson score interval (Wilson 1927; Newcombe 1998a, Stat Med 17:857, method 3):
 * (p̂ + z²/2n ± z√[p̂(1−p̂)/n + z²/4n²]) / (1 + z²/n), with the estimate p̂ = x/n. Not estimable
 * for n = 0 or invalid counts.
 */
export function wilsonInterval(x: number, n: number, level = 0.95): Estimate {
  const problem = proportionProblem(x, n) ?? levelProblem(level);
  if (problem !== undefined) return notEstimable(problem);
  return {
    kind: 'value',
    value: x / n,
    ci: { ...wilsonLimits(x, n, zFor(level)), level, method: 'wilson' },
  };
}

/**
 * Clopper–Pearson exact interval (Clopper & Pearson 1934):
 * [Beta⁻¹(α/2; x, n−x+1), Beta⁻¹(1−α/2; x+1, n−x)], with the estimate p̂ = x/n.
 */
export function clopperPearsonInterval(x: number, n: number, level = 0.95): Estimate {
  const problem = proportionProblem(x, n) ?? levelProblem(level);
  if (problem !== undefined) return notEstimable(problem);
  const alpha = 1 - level;
  return {
    kind: 'value',
    value: x / n,
    ci: {
      lower: x === 0 ? 0 : inverseRegularizedBeta(alpha / 2, x, n - x + 1),
      upper: x === n ? 1 : inverseRegularizedBeta(1 - alpha / 2, x + 1, n - x),
      level,
      method: 'clopper-pearson',
    },
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
  const problem = twoGroupProblem(x1, n1, x2, n2) ?? levelProblem(level);
  if (problem !== undefined) return notEstimable(problem);
  const z = zFor(level);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilsonLimits(x1, n1, z);
  const w2 = wilsonLimits(x2, n2, z);
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

/**
 * Koopman's score statistic for H₀: p₁ = θ·p₂ (Koopman 1984, Biometrics 40:513), in the form of
 * Miettinen & Nurminen (1985, Stat Med 4:213) without their N/(N − 1) factor:
 * T(θ) = (p̂₁ − θp̂₂)² / [p̃₁(1 − p̃₁)/n₁ + θ² p̃₂(1 − p̃₂)/n₂], where p̃₂ is the maximum-likelihood
 * estimate of p₂ under H₀ — the smaller root of Nθ·p² − [θ(n₁ + x₂) + x₁ + n₂]·p + (x₁ + x₂) = 0
 * (N = n₁ + n₂) — and p̃₁ = θp̃₂. T(θ) is χ²₁ under H₀. Needs x₁ + x₂ > 0.
 */
function koopmanStatistic(theta: number, x1: number, n1: number, x2: number, n2: number): number {
  const a = theta * (n1 + n2);
  const b = -(theta * (n1 + x2) + x1 + n2);
  const c = x1 + x2;
  // Smaller root written as 2c / (−b + √disc): no cancellation when a·c is small.
  const p2 = Math.min(1, (2 * c) / (-b + Math.sqrt(Math.max(0, b * b - 4 * a * c))));
  const p1 = Math.min(1, theta * p2);
  const difference = x1 / n1 - theta * (x2 / n2);
  if (difference === 0) return 0;
  const variance = (p1 * (1 - p1)) / n1 + (theta * theta * p2 * (1 - p2)) / n2;
  return variance > 0 ? (difference * difference) / variance : Number.POSITIVE_INFINITY;
}

/**
 * The θ where T crosses `target`, between `inside` (T ≤ target) and `outside` (T > target), by
 * bisection on log θ until no float lies between the two — robust where Newton steps are not
 * (T is flat near 0 and ∞).
 */
function scoreLimit(
  statistic: (theta: number) => number,
  target: number,
  inside: number,
  outside: number,
): number {
  let a = inside;
  let b = outside;
  for (let i = 0; i < 4000; i += 1) {
    const mid = Math.sqrt(a) * Math.sqrt(b);
    if (!(mid > Math.min(a, b) && mid < Math.max(a, b))) break;
    if (statistic(mid) > target) b = mid;
    else a = mid;
  }
  return Math.sqrt(a) * Math.sqrt(b);
}

/** Steps θ by `factor` from `start` until `accept(θ)`; undefined if it never does. */
function stepUntil(
  start: number,
  factor: number,
  accept: (theta: number) => boolean,
): { found: number; previous: number } | undefined {
  let previous = start;
  let theta = start;
  for (let i = 0; i < 2100; i += 1) {
    if (accept(theta)) return { found: theta, previous };
    previous = theta;
    theta *= factor;
    if (!(theta > 0 && Number.isFinite(theta))) return undefined;
  }
  return undefined;
}

/**
 * Rate ratio p₁/p₂ with the Koopman score interval (Koopman 1984, Biometrics 40:513; Fagerland,
 * Lydersen & Laake, Statistical Analysis of Contingency Tables, 2017, §4.8): every θ whose score
 * test T(θ) ≤ z² (see `koopmanStatistic`), both limits found by a bracketed bisection on log θ.
 * It stays defined when a count is 0: with x₁ = 0 the estimate and lower limit are 0; with x₂ = 0
 * the estimate and upper limit are +∞, returned as `unbounded-above` with the finite lower limit.
 * At θ = 1 the statistic is Pearson's χ² (= z² of `twoProportionZTest`), so the interval excludes
 * 1 exactly when that test rejects at the same level.
 */
export function koopmanRateRatio(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  level = 0.95,
): RatioEstimate {
  const problem = twoGroupProblem(x1, n1, x2, n2) ?? levelProblem(level);
  if (problem !== undefined) return notEstimable(problem);
  if (x1 === 0 && x2 === 0) return notEstimable('no events in either group: the ratio is 0/0');
  const z = zFor(level);
  const target = z * z;
  const statistic = (theta: number) => koopmanStatistic(theta, x1, n1, x2, n2);
  const accepted = (theta: number) => statistic(theta) <= target;
  const rejected = (theta: number) => !accepted(theta);
  const estimate = x2 === 0 ? undefined : x1 / n1 / (x2 / n2);
  const failed = notEstimable('the score interval could not be bracketed');

  // An accepted θ to search from: the estimate itself (T = 0), or for a 0 count a θ found by
  // stepping towards it (T → 0 as θ → 0 when x₁ = 0 and as θ → ∞ when x₂ = 0).
  const start =
    estimate !== undefined && estimate > 0
      ? estimate
      : stepUntil(1, x1 === 0 ? 0.5 : 2, accepted)?.found;
  if (start === undefined) return failed;

  let lower = 0;
  if (x1 > 0) {
    const bracket = stepUntil(start, 0.5, rejected);
    if (bracket === undefined) return failed;
    lower = scoreLimit(statistic, target, bracket.previous, bracket.found);
  }
  if (x2 === 0)
    return {
      kind: 'unbounded-above',
      lower,
      level,
      method: 'koopman-score',
      note: 'no events in group 2: the ratio and its upper limit are unbounded',
    };
  const bracket = stepUntil(start, 2, rejected);
  if (bracket === undefined || estimate === undefined) return failed;
  return {
    kind: 'value',
    value: estimate,
    ci: {
      lower,
      upper: scoreLimit(statistic, target, bracket.previous, bracket.found),
      level,
      method: 'koopman-score',
    },
  };
}

/**
 * What to do when a numerator is 0 and the Katz log interval is undefined: the Koopman score
 * interval (the default; Fagerland et al. 2017 recommend it), the Haldane–Anscombe 0.5 correction,
 * or not estimable.
 */
export type ZeroCellPolicy = 'koopman-score' | 'continuity-correction' | 'not-estimable';

/**
 * Rate ratio p₁/p₂ with the Katz log interval (Katz et al. 1978, Biometrics 34:469):
 * SE[ln RR] = √(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂). The interval is undefined when x₁ or x₂ is 0; then,
 * by `zeroCell`: the Koopman score interval (`koopmanRateRatio`, default), 0.5 added to every cell
 * of the 2×2 table (x + 0.5, n + 1; Haldane–Anscombe, reported as such), or not estimable.
 */
export function katzRateRatio(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  zeroCell: ZeroCellPolicy = 'koopman-score',
  level = 0.95,
): RatioEstimate {
  const problem = twoGroupProblem(x1, n1, x2, n2) ?? levelProblem(level);
  if (problem !== undefined) return notEstimable(problem);
  const hasZero = x1 === 0 || x2 === 0;
  if (hasZero)
    switch (zeroCell) {
      case 'koopman-score':
        return koopmanRateRatio(x1, n1, x2, n2, level);
      case 'not-estimable':
        return notEstimable('a numerator is 0: the Katz log interval is undefined');
      case 'continuity-correction':
        break;
    }
  const z = zFor(level);
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
  | NotEstimable;

/**
 * Two-proportion z test with the pooled variance (Agresti, Categorical Data Analysis, 3rd ed.,
 * §3.1.1 / §2.4): z = (p₁ − p₂) / √[p̄(1−p̄)(1/n₁ + 1/n₂)], two-sided p = 2(1 − Φ(|z|)). z² equals
 * Pearson's χ² for the 2×2 table.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TestResult {
  const problem = twoGroupProblem(x1, n1, x2, n2);
  if (problem !== undefined) return notEstimable(problem);
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
  // Whole counts within their denominators, or the sum below runs over no table and gives p = 0.
  const problem = twoGroupProblem(x1, n1, x2, n2);
  if (problem !== undefined) return notEstimable(problem);
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
  const problem = twoGroupProblem(x1, n1, x2, n2);
  if (problem !== undefined) return notEstimable(problem);
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
): HomogeneityTest | NotEstimable {
  for (const [i, g] of groups.entries()) {
    const problem = countProblem(g.numerator, g.denominator, `group ${i + 1}`);
    if (problem !== undefined) return notEstimable(problem);
  }
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
