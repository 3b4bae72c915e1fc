// Shared result shapes for the equity statistics. Everything is plain serialisable data: no class
// instances, no functions, and never NaN/Infinity — an estimate that cannot be computed is the
// `not-estimable` variant with a reason (architecture.md rule 7).

export type IntervalMethod =
  | 'wilson'
  | 'clopper-pearson'
  | 'newcombe-hybrid-score'
  | 'katz-log'
  | 'katz-log-continuity-corrected'
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

/** A point estimate with its interval, or the reason it cannot be computed. */
export type Estimate =
  | { kind: 'value'; value: number; ci: Interval; note?: string }
  | { kind: 'not-estimable'; reason: string };

/** z for a two-sided 95% interval, Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;
