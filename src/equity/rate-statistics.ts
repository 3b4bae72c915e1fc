// Event rates (events per 1,000 patient-years) and continuous outcomes (e.g. length of stay).
// Every public function checks its input (whole event counts, positive finite person-time, finite
// values, a level in (0, 1)) and answers bad input with a `not-estimable` reason.

import type { Estimate, NotEstimable } from './interval';
import {
  eventCountProblem,
  levelProblem,
  notEstimable,
  personTimeProblem,
  valuesProblem,
} from './input-validation';
import { inverseRegularizedGammaP, logGamma, studentTQuantile } from './special-functions';

export interface EventExposure {
  events: number;
  personYears: number;
}

/**
 * Exact Poisson interval for a count x (Garwood 1936; Ulm 1990, Am J Epidemiol 131:373):
 * [χ²_{α/2}(2x)/2, χ²_{1−α/2}(2x+2)/2], i.e. gamma quantiles G⁻¹(α/2; x) and G⁻¹(1−α/2; x+1),
 * with lower limit 0 when x = 0. The estimate is x itself.
 */
export function poissonExactCountInterval(x: number, level = 0.95): Estimate {
  const problem = eventCountProblem(x) ?? levelProblem(level);
  if (problem !== undefined) return notEstimable(problem);
  const alpha = 1 - level;
  return {
    kind: 'value',
    value: x,
    ci: {
      lower: x === 0 ? 0 : inverseRegularizedGammaP(alpha / 2, x),
      upper: inverseRegularizedGammaP(1 - alpha / 2, x + 1),
      level,
      method: 'exact-poisson',
    },
  };
}

/** Events per `per` person-years (default 1,000) with the exact Poisson interval scaled likewise. */
export function eventRate(exposure: EventExposure, per = 1000, level = 0.95): Estimate {
  const problem =
    eventCountProblem(exposure.events) ??
    personTimeProblem(exposure.personYears) ??
    (per > 0 && Number.isFinite(per)
      ? undefined
      : `the rate unit is not positive (${String(per)})`);
  if (problem !== undefined) return notEstimable(problem);
  const count = poissonExactCountInterval(exposure.events, level);
  if (count.kind !== 'value') return count;
  const scale = per / exposure.personYears;
  return {
    kind: 'value',
    value: exposure.events * scale,
    ci: { ...count.ci, lower: count.ci.lower * scale, upper: count.ci.upper * scale },
  };
}

export type ContinuousSummary =
  | {
      kind: 'value';
      n: number;
      mean: Estimate;
      median: Estimate;
      standardDeviation: number | 'not-estimable';
    }
  | NotEstimable;

/** Mean with the Student t interval: x̄ ± t_{1−α/2, n−1} s/√n (Student 1908). Needs n ≥ 2. */
export function meanWithTInterval(values: readonly number[], level = 0.95): Estimate {
  const problem = valuesProblem(values) ?? levelProblem(level);
  if (problem !== undefined) return notEstimable(problem);
  const n = values.length;
  if (n < 2) return { kind: 'not-estimable', reason: 'fewer than two values' };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = (studentTQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(variance)) / Math.sqrt(n);
  return {
    kind: 'value',
    value: mean,
    ci: { lower: mean - half, upper: mean + half, level, method: 't-interval' },
  };
}

function binomialHalfCdf(k: number, n: number): number {
  let sum = 0;
  for (let i = 0; i <= k; i += 1)
    sum += Math.exp(logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) - n * Math.LN2);
  return sum;
}

/**
 * Sample median with the distribution-free order-statistic interval (Conover, Practical
 * Nonparametric Statistics, 3rd ed., §3.2; Hahn & Meeker 1991): [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] with k the largest
 * rank such that P(B ≤ k − 1) ≤ α/2 for B ~ Binomial(n, ½); coverage ≥ the level. Reports the
 * achieved coverage in the note. Not estimable when n is too small for any such k (n < 6 at 95%).
 */
export function medianWithOrderStatisticInterval(
  values: readonly number[],
  level = 0.95,
): Estimate {
  const problem = valuesProblem(values) ?? levelProblem(level);
  if (problem !== undefined) return notEstimable(problem);
  const n = values.length;
  if (n === 0) return { kind: 'not-estimable', reason: 'no values' };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  const median =
    n % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const alpha = 1 - level;
  let k = 0;
  while (k + 1 <= Math.floor((n + 1) / 2) && binomialHalfCdf(k, n) <= alpha / 2) k += 1;
  if (k === 0)
    return {
      kind: 'not-estimable',
      reason: `too few values (${n}) for a distribution-free interval`,
    };
  const coverage = 1 - 2 * binomialHalfCdf(k - 1, n);
  return {
    kind: 'value',
    value: median,
    ci: {
      lower: sorted[k - 1] ?? median,
      upper: sorted[n - k] ?? median,
      level,
      method: 'order-statistic',
    },
    note: `order statistics ${k} and ${n - k + 1}; exact coverage ${coverage.toFixed(4)}`,
  };
}

/** Mean (t interval) and median (order-statistic interval) of a list of values. */
export function summarizeContinuous(values: readonly number[], level = 0.95): ContinuousSummary {
  const problem = valuesProblem(values) ?? levelProblem(level);
  if (problem !== undefined) return notEstimable(problem);
  const n = values.length;
  const mean = meanWithTInterval(values, level);
  let standardDeviation: number | 'not-estimable' = 'not-estimable';
  if (n >= 2) {
    const m = values.reduce((s, v) => s + v, 0) / n;
    standardDeviation = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
  }
  return {
    kind: 'value',
    n,
    mean,
    median: medianWithOrderStatisticInterval(values, level),
    standardDeviation,
  };
}
