// Pairwise disparities of each stratum against a reference group, framed on the ADVERSE outcome
// (Keppel & Pearcy: relative disparities change size and even direction with the wording of the
// indicator, so every ratio here is of adverse-outcome rates: "not screened", "HbA1c > 9%").

import type { Estimate, RatioEstimate } from './interval';
import type { TestResult, ZeroCellPolicy } from './proportion-statistics';
import { compareProportions, katzRateRatio, newcombeDifference } from './proportion-statistics';
import type { Rate } from './stratum-rates';
import { stratumRate, UNRELIABLE_DENOMINATOR } from './stratum-rates';
import type { MeasureStratumCounts } from './stratify-outcomes';
import type { Stratum } from './stratum';
import type { SuppressionReason } from './suppression';

/** A measure's improvement notation (FHIR Measure.improvementNotation). */
export type ImprovementNotation = 'increase' | 'decrease';

export type ReferenceChoice =
  { kind: 'group'; key: string } | { kind: 'best-performing' } | { kind: 'rest-of-panel' };

export interface AdverseCounts {
  adverse: number;
  denominator: number;
}

/**
 * The adverse-outcome count: for an 'increase' measure (higher is better, e.g. CMS125 screening)
 * the eligible patients NOT in the numerator; for a 'decrease' measure (CMS122 HbA1c > 9%) the
 * numerator itself.
 */
export function adverseCounts(
  numerator: number,
  eligible: number,
  improvementNotation: ImprovementNotation,
): AdverseCounts {
  switch (improvementNotation) {
    case 'increase':
      return { adverse: eligible - numerator, denominator: eligible };
    case 'decrease':
      return { adverse: numerator, denominator: eligible };
  }
}

export type Suppressible<T> = T | { kind: 'suppressed'; reason: SuppressionReason };

export interface ReferenceComparison {
  key: string;
  strata: Stratum[];
  /** True for the reference group itself (its disparities are not applicable). */
  isReference: boolean;
  adverseRate: Rate;
  referenceAdverseRate: Rate;
  /** Adverse rate minus reference adverse rate (Newcombe hybrid score CI). */
  rateDifference: Suppressible<Estimate | { kind: 'not-applicable' }>;
  /**
   * Adverse rate over reference adverse rate: Katz log CI, or the Koopman score CI when either
   * adverse count is 0 (by default; see `CompareOptions.zeroCell`).
   */
  rateRatio: Suppressible<RatioEstimate | { kind: 'not-applicable' }>;
  /** Fisher's exact test when a count is under 30, else the two-proportion z test. */
  test: Suppressible<TestResult | { kind: 'not-applicable' }>;
  /** Drill-down: the eligible patients of this stratum with the adverse outcome (ids only). */
  adversePatientIds: string[];
}

export interface CompareOptions {
  improvementNotation: ImprovementNotation;
  reference: ReferenceChoice;
  /**
   * Ratio interval when an adverse count is 0 (default 'koopman-score', which agrees with the
   * score test; 'continuity-correction' only when asked for explicitly).
   */
  zeroCell?: ZeroCellPolicy;
  /** Withheld cells by stratum key: every statistic built from them is withheld too. */
  suppressed?: Readonly<Record<string, SuppressionReason>>;
}

function adversePatientIds(cell: MeasureStratumCounts, notation: ImprovementNotation): string[] {
  switch (notation) {
    case 'decrease':
      return [...cell.numeratorPatientIds];
    case 'increase': {
      const met = new Set(cell.numeratorPatientIds);
      return cell.eligiblePatientIds.filter((id) => !met.has(id));
    }
  }
}

/**
 * The best-performing group: the lowest adverse rate among category strata (absent-value strata
 * are not a meaningful benchmark) with a reliable denominator, falling back to any non-empty
 * category stratum; ties go to the larger denominator, then the key.
 */
export function bestPerformingKey(
  cells: readonly MeasureStratumCounts[],
  notation: ImprovementNotation,
  suppressed: Readonly<Record<string, SuppressionReason>> = {},
): string | undefined {
  const usable = cells.filter(
    (c) => c.eligible > 0 && c.strata.every((s) => s.kind === 'category') && !(c.key in suppressed),
  );
  const reliable = usable.filter((c) => c.eligible >= UNRELIABLE_DENOMINATOR);
  const pool = reliable.length > 0 ? reliable : usable;
  const rate = (c: MeasureStratumCounts) => {
    const a = adverseCounts(c.numerator, c.eligible, notation);
    return a.adverse / a.denominator;
  };
  return [...pool].sort(
    (a, b) => rate(a) - rate(b) || b.eligible - a.eligible || a.key.localeCompare(b.key),
  )[0]?.key;
}

/** Compares every stratum with the chosen reference on the adverse-outcome scale. */
export function compareToReference(
  cells: readonly MeasureStratumCounts[],
  options: CompareOptions,
): ReferenceComparison[] {
  const notation = options.improvementNotation;
  const suppressed = options.suppressed ?? {};
  const zeroCell = options.zeroCell ?? 'koopman-score';
  const fixedKey =
    options.reference.kind === 'group'
      ? options.reference.key
      : options.reference.kind === 'best-performing'
        ? bestPerformingKey(cells, notation, suppressed)
        : undefined;
  const fixed = cells.find((c) => c.key === fixedKey);
  const totals = cells.reduce(
    (s, c) => ({ numerator: s.numerator + c.numerator, eligible: s.eligible + c.eligible }),
    { numerator: 0, eligible: 0 },
  );

  return cells.map((cell) => {
    const own = adverseCounts(cell.numerator, cell.eligible, notation);
    const ref =
      options.reference.kind === 'rest-of-panel'
        ? adverseCounts(
            totals.numerator - cell.numerator,
            totals.eligible - cell.eligible,
            notation,
          )
        : fixed
          ? adverseCounts(fixed.numerator, fixed.eligible, notation)
          : undefined;
    const isReference = fixed !== undefined && fixed.key === cell.key;
    const ownSuppressed = suppressed[cell.key];
    // "Rest of panel" = total − this cell, so a withheld cell withholds its reference as well.
    const refSuppressed =
      options.reference.kind === 'rest-of-panel'
        ? ownSuppressed
        : fixed
          ? suppressed[fixed.key]
          : undefined;
    const withheld: SuppressionReason | undefined =
      ownSuppressed === 'small-cell' || refSuppressed === 'small-cell'
        ? 'small-cell'
        : (ownSuppressed ?? refSuppressed);
    const hide = <T>(value: T): Suppressible<T> =>
      withheld ? { kind: 'suppressed', reason: withheld } : value;
    const rateOf = (a: AdverseCounts | undefined, reason: SuppressionReason | undefined): Rate =>
      reason
        ? { kind: 'suppressed', reason }
        : a
          ? stratumRate(a.adverse, a.denominator)
          : { kind: 'not-applicable', reason: 'empty-denominator' };
    const base = {
      key: cell.key,
      strata: cell.strata,
      isReference,
      adverseRate: rateOf(own, ownSuppressed),
      referenceAdverseRate: rateOf(ref, refSuppressed),
      adversePatientIds: adversePatientIds(cell, notation),
    };
    if (isReference || ref === undefined || own.denominator === 0 || ref.denominator === 0)
      return {
        ...base,
        rateDifference: hide({ kind: 'not-applicable' as const }),
        rateRatio: hide({ kind: 'not-applicable' as const }),
        test: hide({ kind: 'not-applicable' as const }),
      };
    return {
      ...base,
      rateDifference: hide(
        newcombeDifference(own.adverse, own.denominator, ref.adverse, ref.denominator),
      ),
      rateRatio: hide(
        own.adverse === 0 && ref.adverse === 0
          ? { kind: 'not-estimable' as const, reason: 'no adverse outcomes in either group' }
          : katzRateRatio(own.adverse, own.denominator, ref.adverse, ref.denominator, zeroCell),
      ),
      test: hide(compareProportions(own.adverse, own.denominator, ref.adverse, ref.denominator)),
    };
  });
}
