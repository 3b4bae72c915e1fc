// Ranks disparities across measures and stratifiers ("biggest gap" surfacing). Each gap is labelled
// by its interval AND a preset practical threshold (equity.md §1.4: small groups have low power,
// so "not significant" does not mean "no disparity").

import type { Interval, RatioEstimate } from './interval';
import type { ReferenceComparison } from './reference-comparison';
import type { Stratum } from './stratum';

export interface GapThresholds {
  /** Meaningful when the adverse rate exceeds the reference by at least this much (absolute). */
  absoluteDifference: number;
  /** …or when the adverse rate ratio is at least this. */
  rateRatio: number;
}

export const DEFAULT_GAP_THRESHOLDS: GapThresholds = { absoluteDifference: 0.05, rateRatio: 1.2 };

export interface GapSource {
  measureId: string;
  stratifierId: string;
  comparisons: readonly ReferenceComparison[];
}

export interface Gap {
  measureId: string;
  stratifierId: string;
  key: string;
  strata: Stratum[];
  rateDifference: { value: number; ci: Interval };
  rateRatio: RatioEstimate;
  /** The difference's CI excludes 0. */
  significant: boolean;
  /** The difference or the ratio reaches the threshold. */
  meaningful: boolean;
  /** Eligible patients of the stratum with the adverse outcome, for outreach lists. */
  patientIds: string[];
}

export interface GapRanking {
  gaps: Gap[];
  /** Comparisons left out because a cell behind them is withheld. */
  suppressedComparisons: number;
  thresholds: GapThresholds;
}

/** True when a difference's interval excludes the null value 0. */
export function excludesNull(ci: Interval, nullValue = 0): boolean {
  return ci.lower > nullValue || ci.upper < nullValue;
}

export function isMeaningful(
  difference: number,
  rateRatio: RatioEstimate,
  thresholds: GapThresholds = DEFAULT_GAP_THRESHOLDS,
): boolean {
  return (
    difference >= thresholds.absoluteDifference || ratioReaches(rateRatio, thresholds.rateRatio)
  );
}

/** The ratio's point estimate is at least `threshold` (an unbounded ratio, +∞, always is). */
function ratioReaches(rateRatio: RatioEstimate, threshold: number): boolean {
  switch (rateRatio.kind) {
    case 'value':
      return rateRatio.value >= threshold;
    case 'unbounded-above':
      return true;
    case 'not-estimable':
      return false;
  }
}

/**
 * True when a ratio's interval excludes the null value 1 — the ratio's own significance, which
 * for the Koopman score interval agrees with the two-proportion score (z) test.
 */
export function ratioExcludesOne(rateRatio: RatioEstimate): boolean {
  switch (rateRatio.kind) {
    case 'value':
      return excludesNull(rateRatio.ci, 1);
    case 'unbounded-above':
      return rateRatio.lower > 1;
    case 'not-estimable':
      return false;
  }
}

/**
 * Every stratum whose adverse rate is above its reference's, ranked: meaningful before not,
 * significant before not, then by the size of the absolute difference (then by lower CI bound,
 * then by ids, so the order is stable).
 */
export function rankGaps(
  sources: readonly GapSource[],
  thresholds: GapThresholds = DEFAULT_GAP_THRESHOLDS,
): GapRanking {
  const gaps: Gap[] = [];
  let suppressedComparisons = 0;
  for (const source of sources)
    for (const c of source.comparisons) {
      if (c.isReference) continue;
      if (c.rateDifference.kind === 'suppressed' || c.rateRatio.kind === 'suppressed') {
        suppressedComparisons += 1;
        continue;
      }
      if (c.rateDifference.kind !== 'value' || c.rateDifference.value <= 0) continue;
      const rateRatio: RatioEstimate =
        c.rateRatio.kind === 'not-applicable'
          ? { kind: 'not-estimable', reason: 'not applicable' }
          : c.rateRatio;
      gaps.push({
        measureId: source.measureId,
        stratifierId: source.stratifierId,
        key: c.key,
        strata: c.strata,
        rateDifference: { value: c.rateDifference.value, ci: c.rateDifference.ci },
        rateRatio,
        significant: excludesNull(c.rateDifference.ci),
        meaningful: isMeaningful(c.rateDifference.value, rateRatio, thresholds),
        patientIds: [...c.adversePatientIds],
      });
    }
  gaps.sort(
    (a, b) =>
      Number(b.meaningful) - Number(a.meaningful) ||
      Number(b.significant) - Number(a.significant) ||
      b.rateDifference.value - a.rateDifference.value ||
      b.rateDifference.ci.lower - a.rateDifference.ci.lower ||
      `${a.measureId}/${a.stratifierId}/${a.key}`.localeCompare(
        `${b.measureId}/${b.stratifierId}/${b.key}`,
      ),
  );
  return { gaps, suppressedComparisons, thresholds };
}
