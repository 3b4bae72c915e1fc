import { describe, expect, it } from 'vitest';
import {
  excludesNull,
  isMeaningful,
  rankGaps,
  ratioExcludesOne,
} from '../../../src/equity/gap-ranking';
import { compareToReference } from '../../../src/equity/reference-comparison';
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

describe('gap ranking', () => {
  it('labels significance by the CI and meaningfulness by the thresholds', () => {
    expect(excludesNull({ lower: 0.01, upper: 0.2, level: 0.95, method: 'wilson' })).toBe(true);
    expect(excludesNull({ lower: -0.01, upper: 0.2, level: 0.95, method: 'wilson' })).toBe(false);
    const ratio = (value: number) => ({
      kind: 'value' as const,
      value,
      ci: { lower: 1, upper: 2, level: 0.95, method: 'katz-log' as const },
    });
    expect(isMeaningful(0.05, ratio(1.1))).toBe(true);
    expect(isMeaningful(0.02, ratio(1.2))).toBe(true);
    expect(isMeaningful(0.02, ratio(1.1))).toBe(false);
    expect(isMeaningful(0.02, ratio(1.1), { absoluteDifference: 0.01, rateRatio: 2 })).toBe(true);
  });

  it('reads an unbounded ratio (reference with no adverse outcome) as meaningful, by its lower limit', () => {
    const unbounded = (lower: number) => ({
      kind: 'unbounded-above' as const,
      lower,
      level: 0.95,
      method: 'koopman-score' as const,
      note: 'no events in group 2',
    });
    expect(isMeaningful(0.01, unbounded(0.4))).toBe(true);
    expect(ratioExcludesOne(unbounded(1.63))).toBe(true);
    expect(ratioExcludesOne(unbounded(0.4))).toBe(false);
    expect(isMeaningful(0.01, { kind: 'not-estimable', reason: 'no events' })).toBe(false);
    expect(ratioExcludesOne({ kind: 'not-estimable', reason: 'no events' })).toBe(false);
    const value = (lower: number, upper: number) => ({
      kind: 'value' as const,
      value: (lower + upper) / 2,
      ci: { lower, upper, level: 0.95, method: 'koopman-score' as const },
    });
    expect(ratioExcludesOne(value(0, 0.61))).toBe(true);
    expect(ratioExcludesOne(value(0.8, 1.2))).toBe(false);
  });

  it('ranks meaningful significant gaps first across measures with the patients behind them', () => {
    const screening = compareToReference(
      [cell('a', 400, 360), cell('b', 300, 210), cell('c', 40, 34)],
      {
        improvementNotation: 'increase',
        reference: { kind: 'best-performing' },
      },
    );
    const hba1c = compareToReference([cell('a', 200, 40), cell('b', 200, 46)], {
      improvementNotation: 'decrease',
      reference: { kind: 'group', key: 'category:a' },
    });
    const ranking = rankGaps([
      { measureId: 'CMS125', stratifierId: 'race', comparisons: screening },
      { measureId: 'CMS122', stratifierId: 'race', comparisons: hba1c },
    ]);
    expect(ranking.gaps.map((g) => `${g.measureId}:${g.key}`)).toEqual([
      'CMS125:category:b', // 30% vs 10% adverse: significant and meaningful
      'CMS125:category:c', // 15% vs 10%: meaningful (RR 1.5) but not significant
      'CMS122:category:b', // 23% vs 20%: neither (RR 1.15, 3 points)
    ]);
    const top = ranking.gaps[0];
    expect(top).toMatchObject({ significant: true, meaningful: true });
    expect(top?.patientIds).toHaveLength(90);
    expect(ranking.gaps[1]).toMatchObject({
      key: 'category:c',
      significant: false,
      meaningful: true,
    });
    expect(ranking.gaps[2]).toMatchObject({
      measureId: 'CMS122',
      significant: false,
      meaningful: false,
    });
    expect(JSON.parse(JSON.stringify(ranking))).toEqual(ranking);
  });

  it('leaves withheld comparisons out and counts them', () => {
    const comparisons = compareToReference([cell('a', 400, 360), cell('b', 8, 2)], {
      improvementNotation: 'increase',
      reference: { kind: 'group', key: 'category:a' },
      suppressed: { 'category:b': 'small-cell' },
    });
    const ranking = rankGaps([{ measureId: 'CMS125', stratifierId: 'race', comparisons }]);
    expect(ranking.gaps).toEqual([]);
    expect(ranking.suppressedComparisons).toBe(1);
  });
});
