// Summary disparity indices for unordered groups (race, language, payer): Index of Disparity,
// Between-Group Variance, Theil index and Mean Log Deviation (Harper & Lynch, NCI monograph
// "Methods for Measuring Cancer Disparities", 2005; Harper et al., Am J Epidemiol 2008;
// HD*Calc). Intervals are Monte Carlo percentile intervals with a FIXED seed: each group's rate is
// redrawn from its Jeffreys posterior Beta(x + ½, n − x + ½) with the population shares held
// fixed (HD*Calc's Monte Carlo option; Li et al., IJERPH 2024, for sparse data).

import type { Estimate } from './interval';
import { countProblem, levelProblem } from './input-validation';
import { chiSquareHomogeneity } from './proportion-statistics';
import { betaDraw, mulberry32 } from './seeded-random';
import type { SuppressionReason } from './suppression';

export interface GroupRate {
  key: string;
  numerator: number;
  denominator: number;
}

export type IndexReference =
  { kind: 'best-group'; lowerIsBetter: boolean } | { kind: 'population-mean' };

export interface DisparityIndices {
  indexOfDisparity: Estimate;
  betweenGroupVariance: Estimate;
  theilIndex: Estimate;
  meanLogDeviation: Estimate;
  /** Groups the indices cover (non-empty, not withheld). */
  groups: string[];
  /**
   * Groups left out because a cell behind their rate is withheld: an index over them could be
   * worked back to the withheld count, so they are dropped and named here.
   */
  excludedGroups: { key: string; reason: SuppressionReason }[];
  /** Pearson χ² test of homogeneity over the same groups. */
  homogeneity: ReturnType<typeof chiSquareHomogeneity>;
  monteCarlo: { seed: number; replicates: number };
}

type PointResult = { ok: true; value: number } | { ok: false; reason: string };

/** Rates and shares the point formulas can use: as many of each, all finite, shares ≥ 0. */
function ratesProblem(y: readonly number[], p: readonly number[]): PointResult | undefined {
  if (y.length !== p.length)
    return { ok: false, reason: 'the rates and the population shares differ in number' };
  if (!y.every(Number.isFinite)) return { ok: false, reason: 'a rate is not a finite number' };
  if (!p.every((pj) => Number.isFinite(pj) && pj >= 0))
    return { ok: false, reason: 'a population share is not a finite number ≥ 0' };
  return undefined;
}

/** Rates y_j and population shares p_j = n_j / Σn. */
function ratesAndShares(groups: readonly GroupRate[]): { y: number[]; p: number[] } {
  const total = groups.reduce((s, g) => s + g.denominator, 0);
  return {
    y: groups.map((g) => g.numerator / g.denominator),
    p: groups.map((g) => g.denominator / total),
  };
}

function populationMean(y: readonly number[], p: readonly number[]): number {
  return y.reduce((s, yj, j) => s + (p[j] ?? 0) * yj, 0);
}

/**
 * Index of Disparity (Pearcy & Keppel 2002, Public Health Rep 117:273):
 * IDisp = [Σ_j |y_j − y_ref| / J] / y_ref × 100. Against the best group, J counts the other
 * groups (the reference adds 0); against the population mean, J counts all groups.
 */
export function indexOfDisparity(
  y: readonly number[],
  p: readonly number[],
  reference: IndexReference,
): PointResult {
  const problem = ratesProblem(y, p);
  if (problem !== undefined) return problem;
  let ref: number;
  let divisor: number;
  if (reference.kind === 'best-group') {
    ref = reference.lowerIsBetter ? Math.min(...y) : Math.max(...y);
    divisor = y.length - 1;
  } else {
    ref = populationMean(y, p);
    divisor = y.length;
  }
  if (ref === 0) return { ok: false, reason: 'the reference rate is 0' };
  if (divisor <= 0) return { ok: false, reason: 'fewer than two groups' };
  return {
    ok: true,
    value: (y.reduce((s, yj) => s + Math.abs(yj - ref), 0) / divisor / ref) * 100,
  };
}

/** Between-Group Variance BGV = Σ p_j (y_j − μ)², μ = Σ p_j y_j (Harper & Lynch 2005). */
export function betweenGroupVariance(y: readonly number[], p: readonly number[]): PointResult {
  const problem = ratesProblem(y, p);
  if (problem !== undefined) return problem;
  const mu = populationMean(y, p);
  return { ok: true, value: y.reduce((s, yj, j) => s + (p[j] ?? 0) * (yj - mu) ** 2, 0) };
}

/** Theil index T = Σ p_j r_j ln r_j, r_j = y_j/μ (0·ln 0 taken as 0) (Theil 1967; Harper & Lynch). */
export function theilIndex(y: readonly number[], p: readonly number[]): PointResult {
  const problem = ratesProblem(y, p);
  if (problem !== undefined) return problem;
  const mu = populationMean(y, p);
  if (mu === 0) return { ok: false, reason: 'the population rate is 0' };
  return {
    ok: true,
    value: y.reduce((s, yj, j) => {
      const r = yj / mu;
      return r === 0 ? s : s + (p[j] ?? 0) * r * Math.log(r);
    }, 0),
  };
}

/** Mean Log Deviation MLD = Σ p_j (−ln r_j) (Harper & Lynch 2005); undefined if a rate is 0. */
export function meanLogDeviation(y: readonly number[], p: readonly number[]): PointResult {
  const problem = ratesProblem(y, p);
  if (problem !== undefined) return problem;
  const mu = populationMean(y, p);
  if (mu === 0) return { ok: false, reason: 'the population rate is 0' };
  if (y.some((yj) => yj === 0)) return { ok: false, reason: 'a group rate is 0 (ln 0)' };
  return { ok: true, value: y.reduce((s, yj, j) => s - (p[j] ?? 0) * Math.log(yj / mu), 0) };
}

function percentile(sorted: readonly number[], q: number): number {
  // Type 7 (linear interpolation between order statistics, R's default quantile).
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? 0;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (h - lo) * (b - a);
}

export const DEFAULT_SEED = 20240208;
export const DEFAULT_REPLICATES = 2000;

/** Why the groups or options cannot be used, or undefined. */
function indicesProblem(
  groups: readonly GroupRate[],
  seed: number,
  replicates: number,
  level: number,
): string | undefined {
  for (const g of groups) {
    const problem = countProblem(g.numerator, g.denominator, `group ${g.key}`);
    if (problem !== undefined) return problem;
  }
  if (!Number.isInteger(seed)) return `the seed is not a whole number (${String(seed)})`;
  if (!(Number.isInteger(replicates) && replicates >= 1))
    return `the number of Monte Carlo draws is not a whole number ≥ 1 (${String(replicates)})`;
  return levelProblem(level);
}

/**
 * All four indices for groups with non-empty denominators, with seeded Monte Carlo 95% CIs. Groups
 * whose counts are not whole numbers with 0 ≤ numerator ≤ denominator (or a bad seed, number of
 * draws or level) make every index not estimable, with the reason.
 */
export function disparityIndices(
  groups: readonly GroupRate[],
  options: {
    reference?: IndexReference;
    seed?: number;
    replicates?: number;
    level?: number;
    /** Withheld groups by key (from the published table). */
    suppressed?: Readonly<Record<string, SuppressionReason>>;
  } = {},
): DisparityIndices {
  const suppressed = options.suppressed ?? {};
  const excludedGroups = groups.flatMap((g) => {
    const reason = suppressed[g.key];
    return reason ? [{ key: g.key, reason }] : [];
  });
  const seed = options.seed ?? DEFAULT_SEED;
  const replicates = options.replicates ?? DEFAULT_REPLICATES;
  const level = options.level ?? 0.95;
  const reference = options.reference ?? { kind: 'best-group', lowerIsBetter: true };
  const monteCarlo = { seed, replicates };
  const problem = indicesProblem(groups, seed, replicates, level);
  const used =
    problem === undefined ? groups.filter((g) => g.denominator > 0 && !(g.key in suppressed)) : [];
  const covered = {
    groups: used.map((g) => g.key),
    excludedGroups,
    homogeneity:
      problem === undefined
        ? chiSquareHomogeneity(used)
        : { kind: 'not-estimable' as const, reason: problem },
  };
  if (used.length < 2) {
    const none: Estimate = {
      kind: 'not-estimable',
      reason: problem ?? 'fewer than two groups with a denominator',
    };
    return {
      indexOfDisparity: none,
      betweenGroupVariance: none,
      theilIndex: none,
      meanLogDeviation: none,
      ...covered,
      monteCarlo,
    };
  }
  const { y, p } = ratesAndShares(used);
  const fns: ((yy: readonly number[]) => PointResult)[] = [
    (yy) => indexOfDisparity(yy, p, reference),
    (yy) => betweenGroupVariance(yy, p),
    (yy) => theilIndex(yy, p),
    (yy) => meanLogDeviation(yy, p),
  ];
  const draws: number[][] = fns.map(() => []);
  const uniform = mulberry32(seed);
  for (let r = 0; r < replicates; r += 1) {
    const yy = used.map((g) =>
      betaDraw(g.numerator + 0.5, g.denominator - g.numerator + 0.5, uniform),
    );
    fns.forEach((f, i) => {
      const v = f(yy);
      if (v.ok) draws[i]?.push(v.value);
    });
  }
  const alpha = 1 - level;
  const estimates = fns.map((f, i): Estimate => {
    const point = f(y);
    if (!point.ok) return { kind: 'not-estimable', reason: point.reason };
    const sorted = (draws[i] ?? []).sort((a, b) => a - b);
    if (sorted.length < replicates * 0.99)
      return {
        kind: 'not-estimable',
        reason: 'the index is undefined in too many Monte Carlo draws',
      };
    const lower = percentile(sorted, alpha / 2);
    const upper = percentile(sorted, 1 - alpha / 2);
    // Indices are ≥ 0 and biased upward in resampling, so the percentile interval can miss a
    // near-zero estimate; it is then widened to include it, and the note says so.
    const widened = point.value < lower || point.value > upper;
    return {
      kind: 'value',
      value: point.value,
      ci: {
        lower: Math.min(point.value, lower),
        upper: Math.max(point.value, upper),
        level,
        method: 'monte-carlo-beta',
      },
      note:
        `Monte Carlo percentile interval, ${replicates} draws, seed ${seed}` +
        (widened ? '; widened to include the estimate' : ''),
    };
  });
  const [indexOfDisparityEstimate, bgv, theil, mld] = estimates as [
    Estimate,
    Estimate,
    Estimate,
    Estimate,
  ];
  return {
    indexOfDisparity: indexOfDisparityEstimate,
    betweenGroupVariance: bgv,
    theilIndex: theil,
    meanLogDeviation: mld,
    ...covered,
    monteCarlo,
  };
}
