// Every public statistics function answers bad input with a typed `not-estimable` and a reason:
// never NaN or Infinity (which JSON turns into null), never a throw, and Fisher's test never a
// p-value of 0 for counts that do not describe a 2×2 table.
import { describe, expect, it } from 'vitest';
import { disparityIndices } from '../../../src/equity/disparity-indices';
import {
  chiSquareHomogeneity,
  clopperPearsonInterval,
  compareProportions,
  fisherExactTest,
  katzRateRatio,
  koopmanRateRatio,
  newcombeDifference,
  twoProportionZTest,
  wilsonInterval,
} from '../../../src/equity/proportion-statistics';
import {
  eventRate,
  meanWithTInterval,
  medianWithOrderStatisticInterval,
  poissonExactCountInterval,
  summarizeContinuous,
} from '../../../src/equity/rate-statistics';
import { stratumRate } from '../../../src/equity/stratum-rates';

/** A not-estimable result whose reason matches, and that survives JSON unchanged (no NaN). */
function expectNotEstimable(result: unknown, reason: RegExp) {
  const problem = result as { kind?: unknown; reason?: unknown };
  expect(problem.kind).toBe('not-estimable');
  expect(typeof problem.reason === 'string' ? problem.reason : '').toMatch(reason);
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
}

/** (x, n) pairs that are not a count out of a denominator, with the reason expected. */
const BAD_COUNTS: readonly [number, number, RegExp][] = [
  [Number.NaN, 10, /count.* is not a whole number \(NaN\)/],
  [Number.POSITIVE_INFINITY, 10, /count.* is not a whole number \(Infinity\)/],
  [Number.NEGATIVE_INFINITY, 10, /count.* is not a whole number/],
  [-1, 10, /count.* is negative \(-1\)/],
  [2.5, 10, /count.* is not a whole number \(2\.5\)/],
  [11, 10, /count.* \(11\) exceeds its denominator \(10\)/],
  [3, Number.NaN, /denominator.* is not a whole number \(NaN\)/],
  [3, Number.POSITIVE_INFINITY, /denominator.* is not a whole number \(Infinity\)/],
  [3, -5, /denominator.* is negative \(-5\)/],
  [3, 2.5, /denominator.* is not a whole number \(2\.5\)/],
];

const BAD_LEVELS = [0, 1, -0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY];

describe('one proportion', () => {
  it.each([...BAD_COUNTS, [0, 0, /^no denominator$/] as [number, number, RegExp]])(
    'Wilson and Clopper–Pearson: x = %s, n = %s is not estimable',
    (x, n, reason) => {
      expectNotEstimable(wilsonInterval(x, n), reason);
      expectNotEstimable(clopperPearsonInterval(x, n), reason);
    },
  );

  it.each(BAD_LEVELS)('rejects the confidence level %s', (level) => {
    const reason = /confidence level must be between 0 and 1/;
    expectNotEstimable(wilsonInterval(3, 10, level), reason);
    expectNotEstimable(clopperPearsonInterval(3, 10, level), reason);
    expectNotEstimable(newcombeDifference(3, 10, 4, 12, level), reason);
    expectNotEstimable(katzRateRatio(3, 10, 4, 12, 'koopman-score', level), reason);
    expectNotEstimable(koopmanRateRatio(0, 10, 4, 12, level), reason);
    expectNotEstimable(poissonExactCountInterval(3, level), reason);
    expectNotEstimable(eventRate({ events: 3, personYears: 10 }, 1000, level), reason);
    expectNotEstimable(meanWithTInterval([1, 2, 3], level), reason);
    expectNotEstimable(medianWithOrderStatisticInterval([1, 2, 3, 4, 5, 6], level), reason);
    expectNotEstimable(summarizeContinuous([1, 2, 3], level), reason);
    expect(stratumRate(3, 10, level)).toMatchObject({ kind: 'not-estimable' });
  });

  it.each(BAD_COUNTS)('stratumRate: %s of %s is not estimable', (x, n, reason) => {
    expectNotEstimable(stratumRate(x, n), reason);
  });

  it('stratumRate: nobody eligible is not applicable, as before', () => {
    expect(stratumRate(0, 0)).toEqual({ kind: 'not-applicable', reason: 'empty-denominator' });
  });
});

type TwoGroupFunction = (x1: number, n1: number, x2: number, n2: number) => unknown;

describe('two proportions', () => {
  const twoGroup: readonly (readonly [string, TwoGroupFunction])[] = [
    ['newcombeDifference', newcombeDifference],
    ['katzRateRatio', katzRateRatio],
    ['koopmanRateRatio', koopmanRateRatio],
    ['twoProportionZTest', twoProportionZTest],
    ['fisherExactTest', fisherExactTest],
    ['compareProportions', compareProportions],
  ];
  const withBadCounts = twoGroup.flatMap(([name, f]) =>
    BAD_COUNTS.map(([x, n, r]) => [name, f, x, n, r] as const),
  );

  it.each(withBadCounts)('%s: group 1 = %s/%s is not estimable', (_name, f, x, n, reason) => {
    expectNotEstimable(f(x, n, 3, 10), reason);
    expectNotEstimable(f(x, n, 3, 10), /group 1/);
  });

  it.each(withBadCounts)('%s: group 2 = %s/%s is not estimable', (_name, f, x, n, reason) => {
    expectNotEstimable(f(3, 10, x, n), reason);
    expectNotEstimable(f(3, 10, x, n), /group 2/);
  });

  it.each(twoGroup)('%s: an empty group has no denominator', (_name, f) => {
    expectNotEstimable(f(0, 0, 3, 10), /^a group has no denominator$/);
    expectNotEstimable(f(3, 10, 0, 0), /^a group has no denominator$/);
  });

  it('Fisher never reports p = 0 for counts outside their denominators', () => {
    // Before validation, 12/10 vs 0/10 summed over no table at all and returned p = 0.
    for (const [x1, n1, x2, n2] of [
      [12, 10, 0, 10],
      [0, 10, -3, 10],
      [5, 10, 2.5, 10],
      [Number.NaN, 10, 3, 10],
    ] as const) {
      const result = fisherExactTest(x1, n1, x2, n2);
      expect(result.kind).toBe('not-estimable');
      expect(result).not.toHaveProperty('pValue');
    }
  });

  it.each(BAD_COUNTS)('χ² homogeneity: a group with %s of %s is not estimable', (x, n, reason) => {
    const groups = [
      { numerator: 3, denominator: 10 },
      { numerator: x, denominator: n },
      { numerator: 5, denominator: 12 },
    ];
    expectNotEstimable(chiSquareHomogeneity(groups), reason);
    expectNotEstimable(chiSquareHomogeneity(groups), /group 2/);
  });
});

describe('event rates and continuous outcomes', () => {
  it.each([
    [Number.NaN, /event count is not a whole number/],
    [-1, /event count is negative/],
    [2.5, /event count is not a whole number/],
    [Number.POSITIVE_INFINITY, /event count is not a whole number/],
  ])('an event count of %s is not estimable', (events, reason) => {
    expectNotEstimable(poissonExactCountInterval(events), reason);
    expectNotEstimable(eventRate({ events, personYears: 10 }), reason);
  });

  it.each([
    [0, /^no person-time at risk$/],
    [-2, /^no person-time at risk$/],
    [Number.NaN, /person-time is not a finite number/],
    [Number.POSITIVE_INFINITY, /person-time is not a finite number/],
  ])('person-time of %s is not estimable', (personYears, reason) => {
    expectNotEstimable(eventRate({ events: 3, personYears }), reason);
  });

  it.each([0, -1000, Number.NaN])('a rate unit of %s is not estimable', (per) => {
    expectNotEstimable(eventRate({ events: 3, personYears: 10 }, per), /rate unit/);
  });

  it.each([
    [[1, Number.NaN, 3, 4, 5, 6], /value 2 is not a finite number \(NaN\)/],
    [[1, 2, 3, 4, 5, Number.POSITIVE_INFINITY], /value 6 is not a finite number/],
    [[Number.NEGATIVE_INFINITY, 2, 3, 4, 5, 6], /value 1 is not a finite number/],
  ])('values %j are not estimable', (values, reason) => {
    expectNotEstimable(meanWithTInterval(values), reason);
    expectNotEstimable(medianWithOrderStatisticInterval(values), reason);
    expectNotEstimable(summarizeContinuous(values), reason);
  });
});

describe('disparity indices', () => {
  const good = { key: 'a', numerator: 30, denominator: 100 };

  it.each(BAD_COUNTS)('a group with %s of %s makes every index not estimable', (x, n, reason) => {
    const result = disparityIndices([good, { key: 'b', numerator: x, denominator: n }]);
    for (const index of [
      result.indexOfDisparity,
      result.betweenGroupVariance,
      result.theilIndex,
      result.meanLogDeviation,
      result.homogeneity,
    ]) {
      expectNotEstimable(index, reason);
      expectNotEstimable(index, /group b/);
    }
    expect(result.groups).toEqual([]);
  });

  it.each([
    [{ seed: Number.NaN }, /seed is not a whole number/],
    [{ seed: 1.5 }, /seed is not a whole number/],
    [{ replicates: 0 }, /Monte Carlo draws/],
    [{ replicates: Number.POSITIVE_INFINITY }, /Monte Carlo draws/],
    [{ level: 1.5 }, /confidence level/],
  ])('options %j make every index not estimable', (options, reason) => {
    const result = disparityIndices([good, { key: 'b', numerator: 45, denominator: 110 }], options);
    expectNotEstimable(result.theilIndex, reason);
    expectNotEstimable(result.indexOfDisparity, reason);
  });
});
