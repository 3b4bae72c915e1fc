// Input checks shared by the public statistics functions. Each returns the reason the input
// cannot be used, or undefined when it can, so every function answers bad data with a typed
// `not-estimable` (architecture.md rule 7) instead of NaN, Infinity, a throw or — for Fisher's
// test — a p-value of 0.

import type { NotEstimable } from './interval';

export function notEstimable(reason: string): NotEstimable {
  return { kind: 'not-estimable', reason };
}

/**
 * A count x out of n: both whole numbers (which rules out NaN and ±Infinity) and 0 ≤ x ≤ n.
 * `what` names the group in the reason ("group 1") when there are several. n = 0 passes: callers
 * decide what an empty group means (not estimable, or dropped).
 */
export function countProblem(x: number, n: number, what?: string): string | undefined {
  const of = what === undefined ? '' : ` of ${what}`;
  if (!Number.isInteger(n)) return `the denominator${of} is not a whole number (${String(n)})`;
  if (n < 0) return `the denominator${of} is negative (${String(n)})`;
  if (!Number.isInteger(x)) return `the count${of} is not a whole number (${String(x)})`;
  if (x < 0) return `the count${of} is negative (${String(x)})`;
  if (x > n) return `the count${of} (${String(x)}) exceeds its denominator (${String(n)})`;
  return undefined;
}

/** One proportion x/n: valid counts and n > 0. */
export function proportionProblem(x: number, n: number): string | undefined {
  return countProblem(x, n) ?? (n === 0 ? 'no denominator' : undefined);
}

/** Two groups' counts, checked in order (the reason names the group), and both n > 0. */
export function twoGroupProblem(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): string | undefined {
  return (
    countProblem(x1, n1, 'group 1') ??
    countProblem(x2, n2, 'group 2') ??
    (n1 === 0 || n2 === 0 ? 'a group has no denominator' : undefined)
  );
}

/** A confidence level strictly between 0 and 1. */
export function levelProblem(level: number): string | undefined {
  return level > 0 && level < 1
    ? undefined
    : `the confidence level must be between 0 and 1 (${String(level)})`;
}

/** A whole number of events, 0 or more. */
export function eventCountProblem(events: number): string | undefined {
  if (!Number.isInteger(events)) return `the event count is not a whole number (${String(events)})`;
  if (events < 0) return `the event count is negative (${String(events)})`;
  return undefined;
}

/** Person-time at risk: finite and positive. */
export function personTimeProblem(personYears: number): string | undefined {
  if (!Number.isFinite(personYears))
    return `person-time is not a finite number (${String(personYears)})`;
  if (personYears <= 0) return 'no person-time at risk';
  return undefined;
}

/** Measured values: every one finite. */
export function valuesProblem(values: readonly number[]): string | undefined {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  return bad < 0 ? undefined : `value ${bad + 1} is not a finite number (${String(values[bad])})`;
}

/** P-values: every one a finite number with 0 ≤ p ≤ 1. */
export function pValuesProblem(pValues: readonly number[]): string | undefined {
  const bad = pValues.findIndex((p) => !(p >= 0 && p <= 1));
  return bad < 0
    ? undefined
    : `p-value ${bad + 1} is not a number from 0 to 1 (${String(pValues[bad])})`;
}
