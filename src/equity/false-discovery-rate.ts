// Benjamini–Hochberg false-discovery-rate control over every comparison shown together (issue 7
// §4: the ranked gaps across measures × stratifiers; without it the top of the list is noise).

import type { NotEstimable } from './interval';
import { notEstimable, pValuesProblem } from './input-validation';

export type AdjustedPValues = { kind: 'value'; qValues: number[] } | NotEstimable;

/**
 * Benjamini–Hochberg adjusted p-values (Benjamini & Hochberg 1995, JRSS B 57:289; the step-up
 * form of R's p.adjust(method = "BH") and statsmodels' multipletests(method = "fdr_bh")): with
 * p₍₁₎ ≤ … ≤ p₍ₘ₎, q₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎/j). Rejecting every q ≤ α keeps the
 * expected share of false discoveries at most α for independent (or positively dependent) tests.
 * The q-values come back in the input's order; tied p-values get the same q. Not estimable when
 * a p-value is not a number from 0 to 1; an empty list gives an empty list.
 */
export function adjustFalseDiscoveryRate(pValues: readonly number[]): AdjustedPValues {
  const problem = pValuesProblem(pValues);
  if (problem !== undefined) return notEstimable(problem);
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const qValues = new Array<number>(m).fill(1);
  let running = 1;
  for (let rank = m; rank >= 1; rank -= 1) {
    const item = order[rank - 1];
    if (item === undefined) continue;
    // p·(m/rank), not m·p/rank: m/rank rounds to ≥ 1, so rounding never takes q below p.
    running = Math.min(running, item.p * (m / rank));
    qValues[item.index] = running;
  }
  return { kind: 'value', qValues };
}

/**
 * The q-values of {@link adjustFalseDiscoveryRate}, same order as `pValues`, non-decreasing in p
 * and at most 1. Throws a RangeError naming the first p-value that is not a number from 0 to 1 (a
 * caller's bug: every p-value this project computes is checked); use
 * `adjustFalseDiscoveryRate` to get that as a typed not-estimable instead.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const adjusted = adjustFalseDiscoveryRate(pValues);
  if (adjusted.kind !== 'value') throw new RangeError(adjusted.reason);
  return adjusted.qValues;
}
