// Shared result shapes for the equity statistics. Everything is plain serialisable data: no class
// instances, no functions, and never NaN/Infinity — an estimate that cannot be computed is the
// `not-estimable` variant with a reason (architecture.md rule 7).

export type IntervalMethod =
  | 'wilson'
  | 'clopper-pearson'
  | 'newcombe-hybrid-score'
  | 'katz-log'
  | 'katz-log-continuity-corrected'
  | 'koopman-score'
  | 'exact-poisson'
  | 't-interval'
  | 'order-statistic'
  | 'monte-carlo-beta';

export interface Interval {
  lower: number;
  upper: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
  method: IntervalMethod;
}

/** Why a statistic cannot be computed (bad input, no denominator, too few values, …). */
export interface NotEstimable {
  kind: 'not-estimable';
  reason: string;
}

/** A point estimate with its interval, or the reason it cannot be computed. */
export type Estimate = { kind: 'value'; value: number; ci: Interval; note?: string } | NotEstimable;

/**
 * A ratio p₁/p₂ whose second count is 0 while its first is not: the point estimate and the upper
 * confidence limit are +∞, which plain data cannot carry (JSON has no Infinity), so only the
 * finite lower limit is given — read it as "at least `lower` times". Koopman score interval
 * (Koopman 1984, Biometrics 40:513): the upper limit of the score interval is unbounded when x₂ = 0.
 */
export interface UnboundedRatio {
  kind: 'unbounded-above';
  lower: number;
  level: number;
  method: IntervalMethod;
  note: string;
}

/** A rate ratio: a finite estimate with its interval, an unbounded one, or not estimable. */
export type RatioEstimate = Estimate | UnboundedRatio;

/** z for a two-sided 95% interval, Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;
