// Pairwise comparisons on the adverse scale. Expected numbers are the formula outputs checked in
// proportion-statistics.test.ts (Newcombe 1998b, Katz, Fisher/scipy); here the point is which
// counts go in (adverse framing, reference choice) and that withheld cells withhold the result.
import { describe, expect, it } from 'vitest';
import {
  adverseCounts,
  bestPerformingKey,
  compareToReference,
} from '../../../src/equity/reference-comparison';
import { ratioExcludesOne } from '../../../src/equity/gap-ranking';
import { katzRateRatio, newcombeDifference } from '../../../src/equity/proportion-statistics';
import type { MeasureStratumCounts } from '../../../src/equity/stratify-outcomes';

function cell(code: string, eligible: number, numerator: number): MeasureStratumCounts {
  const ids = Array.from({ length: eligible }, (_, i) => `${code}-${i}`);
  return {
    key: `category:${code}`,
    strata: [{ kind: 'category', code, display: code }],
    patientIds: ids,
    initialPopulation: eligible,
    denominator: eligible,
    denominatorExclusion: 0,
    denominatorException: 0,
    eligible,
    numerator,
    eligiblePatientIds: ids,
    numeratorPatientIds: ids.slice(0, numerator),
  };
}

describe('adverse framing', () => {
  it('counts the unmet for an increase measure and the numerator for a decrease measure', () => {
    expect(adverseCounts(70, 100, 'increase')).toEqual({ adverse: 30, denominator: 100 });
    expect(adverseCounts(20, 100, 'decrease')).toEqual({ adverse: 20, denominator: 100 });
  });

  it('gives the same ratio whichever way a screening indicator is worded', () => {
    // "screened" (increase) and "not screened" (decrease) describe the same patients.
    const screened = [cell('a', 100, 80), cell('b', 80, 48)];
    const notScreened = [cell('a', 100, 20), cell('b', 80, 32)];
    const ref = { kind: 'group', key: 'category:a' } as const;
    const one = compareToReference(screened, { improvementNotation: 'increase', reference: ref });
    const two = compareToReference(notScreened, {
      improvementNotation: 'decrease',
      reference: ref,
    });
    expect(one[1]?.rateRatio).toEqual(two[1]?.rateRatio);
    expect(one[1]?.rateRatio).toEqual(katzRateRatio(32, 80, 20, 100));
    expect(one[1]?.rateDifference).toEqual(newcombeDifference(32, 80, 20, 100));
    expect(one[1]?.adversePatientIds).toHaveLength(32);
  });
});

describe('compareToReference', () => {
  const cells = [cell('a', 200, 180), cell('b', 120, 84), cell('c', 20, 10)];

  it('picks the best-performing reliable group', () => {
    expect(bestPerformingKey(cells, 'increase')).toBe('category:a');
    const result = compareToReference(cells, {
      improvementNotation: 'increase',
      reference: { kind: 'best-performing' },
    });
    expect(result[0]).toMatchObject({ isReference: true, rateRatio: { kind: 'not-applicable' } });
    expect(result[1]?.rateDifference).toEqual(newcombeDifference(36, 120, 20, 200));
    expect(result[2]?.test).toMatchObject({ test: 'fisher-exact' });
  });

  it('compares with the rest of the panel', () => {
    const result = compareToReference(cells, {
      improvementNotation: 'increase',
      reference: { kind: 'rest-of-panel' },
    });
    // b: 36/120 adverse vs the others 20 + 10 of 220.
    expect(result[1]?.rateDifference).toEqual(newcombeDifference(36, 120, 30, 220));
    expect(result[1]?.isReference).toBe(false);
  });

  it('withholds every statistic built from a withheld cell, including its reference', () => {
    const result = compareToReference(cells, {
      improvementNotation: 'increase',
      reference: { kind: 'group', key: 'category:c' },
      suppressed: { 'category:c': 'small-cell' },
    });
    expect(result[0]?.rateDifference).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    expect(result[0]?.referenceAdverseRate).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    expect(result[2]?.adverseRate).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('reports not-estimable ratios instead of NaN when nobody has the adverse outcome', () => {
    const result = compareToReference([cell('a', 40, 40), cell('b', 40, 40)], {
      improvementNotation: 'increase',
      reference: { kind: 'group', key: 'category:a' },
    });
    expect(result[1]?.rateRatio).toEqual({
      kind: 'not-estimable',
      reason: 'no adverse outcomes in either group',
    });
  });

  it('0/10 vs 5/10 on screen: the ratio interval agrees with Fisher p = 0.0325 (issue 7 §5)', () => {
    // CMS122 is a decrease measure, so the numerator (HbA1c > 9%) is the adverse outcome. Values:
    // Koopman score limits from statsmodels 0.15.0 (see proportion-statistics.test.ts) and
    // scipy.stats.fisher_exact.
    const result = compareToReference([cell('a', 10, 0), cell('b', 10, 5)], {
      improvementNotation: 'decrease',
      reference: { kind: 'group', key: 'category:a' },
    });
    const b = result[1];
    expect(b?.test).toMatchObject({ kind: 'value', test: 'fisher-exact' });
    expect(b?.test.kind === 'value' ? b.test.pValue : 0).toBeCloseTo(0.032507739938080496, 12);
    // The reference has no adverse outcome: the ratio is unbounded above, at least 1.63 times.
    const unbounded = b?.rateRatio;
    if (unbounded?.kind !== 'unbounded-above')
      throw new Error(`expected an unbounded ratio: ${JSON.stringify(unbounded)}`);
    expect(unbounded.method).toBe('koopman-score');
    expect(unbounded.lower).toBeCloseTo(1.631692487384905, 12);
    expect(ratioExcludesOne(unbounded)).toBe(true);
    expect(JSON.parse(JSON.stringify(b))).toEqual(b);

    // The other way round: a stratum with no adverse outcome against a reference with 5/10.
    const reversed = compareToReference([cell('a', 10, 5), cell('b', 10, 0)], {
      improvementNotation: 'decrease',
      reference: { kind: 'group', key: 'category:a' },
    })[1];
    const ratio = reversed?.rateRatio;
    if (ratio?.kind !== 'value') throw new Error(`expected a value: ${JSON.stringify(ratio)}`);
    expect(ratio.value).toBe(0);
    expect(ratio.ci.method).toBe('koopman-score');
    expect(ratio.ci.upper).toBeCloseTo(0.6128605774257668, 12);
    expect(ratioExcludesOne(ratio)).toBe(true);
  });
});
