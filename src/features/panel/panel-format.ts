// How the panel's numbers read on screen and in CSVs. One function per shape, so a table cell and
// its CSV field are the same string. Absence always comes with its reason in words (architecture.md
// rule 7): "No eligible patients", "Not estimable: …", "Suppressed (small cell)" — never 0 or "—".

import type { Estimate, Interval, IntervalMethod, RatioEstimate } from '../../equity/interval';
import type { TestResult } from '../../equity/proportion-statistics';
import type { Rate } from '../../equity/stratum-rates';
import type { SuppressionReason } from '../../equity/suppression';
import type {
  MeasureCard,
  PanelMeasureInfo,
  PanelMeasureKind,
  ShownCount,
  SizeFlags,
} from '../../analysis/panel-view-model';

export type Suppressed = { kind: 'suppressed'; reason: SuppressionReason };
export type MeasureValue = MeasureCard['rate'];

/** The short word for a withheld value, with its reason. */
export function suppressionLabel(reason: SuppressionReason): string {
  switch (reason) {
    case 'small-cell':
      return 'Suppressed (small cell)';
    case 'complementary':
      return 'Suppressed (complementary)';
    case 'table-too-small':
      return 'Suppressed (table too small)';
  }
}

/** The reason in a sentence, for notes and tooltips. */
export function suppressionExplanation(reason: SuppressionReason): string {
  switch (reason) {
    case 'small-cell':
      return 'Withheld because 1 to 10 patients are behind it (CMS cell-size rule).';
    case 'complementary':
      return 'Withheld so that a small cell elsewhere in the table cannot be worked out from the totals.';
    case 'table-too-small':
      return 'Withheld because the whole table has too few patients to protect cell by cell.';
  }
}

const grouping = new Intl.NumberFormat('en-US');

export function formatInteger(value: number): string {
  return grouping.format(value);
}

export function formatCount(count: ShownCount): string {
  return count.kind === 'value' ? formatInteger(count.value) : suppressionLabel(count.reason);
}

export function countValue(count: ShownCount): number | undefined {
  return count.kind === 'value' ? count.value : undefined;
}

/** 0.1234 → "12.3%". */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** A proportion's interval as percentages: "8.1–17.9%". */
export function formatPercentInterval(ci: Interval): string {
  return `${(ci.lower * 100).toFixed(1)}–${(ci.upper * 100).toFixed(1)}%`;
}

/** A rate as shown in a table cell: "12.3%", or why there is none. */
export function formatRate(rate: Rate): string {
  switch (rate.kind) {
    case 'value':
      return formatPercent(rate.rate);
    case 'suppressed':
      return suppressionLabel(rate.reason);
    case 'not-applicable':
      return 'No eligible patients';
    case 'not-estimable':
      return `Not estimable: ${rate.reason}`;
  }
}

/** The rate's 95% CI ("8.1–17.9%"), or an empty string when there is no rate to bound. */
export function formatRateCi(rate: Rate): string {
  return rate.kind === 'value' ? formatPercentInterval(rate.ci) : '';
}

/** A signed difference in percentage points: 0.052 → "+5.2 pts". */
export function formatPoints(difference: number): string {
  const points = difference * 100;
  const sign = points > 0 ? '+' : points < 0 ? '-' : '';
  return `${sign}${Math.abs(points).toFixed(1)} pts`;
}

function signedPoints(value: number): string {
  const points = value * 100;
  return `${points < 0 ? '-' : ''}${Math.abs(points).toFixed(1)}`;
}

/** "+5.2 pts (1.1 to 9.0)". */
export function formatDifference(estimate: { value: number; ci: Interval }): string {
  return `${formatPoints(estimate.value)} (${signedPoints(estimate.ci.lower)} to ${signedPoints(estimate.ci.upper)})`;
}

export function formatRatioValue(value: number): string {
  return value.toFixed(2);
}

/** The interval method in words, for notes beside the numbers it produced. */
export function intervalMethodLabel(method: IntervalMethod): string {
  switch (method) {
    case 'wilson':
      return 'Wilson score';
    case 'clopper-pearson':
      return 'Clopper–Pearson exact';
    case 'newcombe-hybrid-score':
      return 'Newcombe hybrid score';
    case 'katz-log':
      return 'Katz log';
    case 'katz-log-continuity-corrected':
      return 'Katz log, 0.5 added to each cell';
    case 'koopman-score':
      return 'Koopman score interval (a count is 0)';
    case 'exact-poisson':
      return 'exact Poisson';
    case 't-interval':
      return 't interval';
    case 'order-statistic':
      return 'order statistics';
    case 'monte-carlo-beta':
      return 'Monte Carlo (beta)';
  }
}

/**
 * A rate ratio with its CI, naming the interval method when it is not the usual Katz log one
 * (e.g. the Koopman score interval used when a cell is 0): "1.42 (1.05 to 1.93)".
 */
export function formatRatio(estimate: RatioEstimate): string {
  if (estimate.kind === 'not-estimable') return `Not estimable: ${estimate.reason}`;
  if (estimate.kind === 'unbounded-above') {
    // The reference has no adverse outcome: only the lower limit is finite (Koopman 1984).
    return `At least ${formatRatioValue(estimate.lower)}× (reference has none), ${intervalMethodLabel(estimate.method)}`;
  }
  const base = `${formatRatioValue(estimate.value)} (${formatRatioValue(estimate.ci.lower)} to ${formatRatioValue(estimate.ci.upper)})`;
  return estimate.ci.method === 'katz-log'
    ? base
    : `${base}, ${intervalMethodLabel(estimate.ci.method)}`;
}

type Comparison<T> = T | { kind: 'not-applicable' } | Suppressed;

export function formatRateDifferenceCell(
  value: Comparison<Estimate>,
  isReference: boolean,
): string {
  switch (value.kind) {
    case 'value':
      return formatDifference(value);
    case 'not-estimable':
      return `Not estimable: ${value.reason}`;
    case 'not-applicable':
      return isReference ? 'Reference' : 'Not applicable';
    case 'suppressed':
      return suppressionLabel(value.reason);
  }
}

export function formatRateRatioCell(
  value: Comparison<RatioEstimate>,
  isReference: boolean,
): string {
  switch (value.kind) {
    case 'value':
    case 'not-estimable':
    case 'unbounded-above':
      return formatRatio(value);
    case 'not-applicable':
      return isReference ? 'Reference' : 'Not applicable';
    case 'suppressed':
      return suppressionLabel(value.reason);
  }
}

/** "< 0.001", "0.033", "0.41". */
export function formatPValue(p: number): string {
  if (p < 0.001) return '< 0.001';
  if (p < 0.01) return p.toFixed(3);
  return p.toFixed(p < 0.1 ? 3 : 2);
}

export function formatTestCell(value: Comparison<TestResult>, isReference: boolean): string {
  switch (value.kind) {
    case 'value':
      return `${formatPValue(value.pValue)} (${value.test === 'fisher-exact' ? 'Fisher exact' : 'z test'})`;
    case 'not-estimable':
      return `Not estimable: ${value.reason}`;
    case 'not-applicable':
      return isReference ? 'Reference' : 'Not applicable';
    case 'suppressed':
      return suppressionLabel(value.reason);
  }
}

/** The size flags as words: "Small (n ≤ 10)", "Unreliable (n < 30)" or "". */
export function formatFlags(flags: SizeFlags): string {
  if (flags.small) return 'Small (n ≤ 10)';
  if (flags.unreliable) return 'Unreliable (n < 30)';
  return '';
}

/** The unit a measure's headline value is in. */
export function measureUnit(kind: PanelMeasureKind): string {
  switch (kind) {
    case 'proportion':
      return '%';
    case 'event-rate':
      return 'per 1,000 patient-years';
    case 'continuous':
      return 'mean';
  }
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** An event rate or continuous estimate: "412 per 1,000 patient-years", "3.2". */
export function formatEstimate(estimate: Estimate | Suppressed, kind: PanelMeasureKind): string {
  switch (estimate.kind) {
    case 'value':
      return kind === 'event-rate'
        ? `${formatNumber(estimate.value)} per 1,000 patient-years`
        : kind === 'proportion'
          ? formatPercent(estimate.value)
          : formatNumber(estimate.value);
    case 'not-estimable':
      return `Not estimable: ${estimate.reason}`;
    case 'suppressed':
      return suppressionLabel(estimate.reason);
  }
}

export function formatEstimateCi(estimate: Estimate | Suppressed, kind: PanelMeasureKind): string {
  if (estimate.kind !== 'value') return '';
  return kind === 'proportion'
    ? formatPercentInterval(estimate.ci)
    : `${formatNumber(estimate.ci.lower)}–${formatNumber(estimate.ci.upper)}`;
}

function isRate(value: MeasureValue): value is Rate {
  return value.kind === 'not-applicable' || (value.kind === 'value' && 'rate' in value);
}

/** A measure's headline value (card, trend point), whatever its kind. */
export function formatMeasureValue(value: MeasureValue, kind: PanelMeasureKind): string {
  if (isRate(value)) return formatRate(value);
  return formatEstimate(value, kind);
}

export function formatMeasureCi(value: MeasureValue, kind: PanelMeasureKind): string {
  if (isRate(value)) return formatRateCi(value);
  return formatEstimateCi(value, kind);
}

/** The number to plot for a headline value with its CI, or undefined when there is none. */
export function plottedValue(
  value: MeasureValue,
): { value: number; lower: number; upper: number } | undefined {
  if (value.kind !== 'value') return undefined;
  if ('rate' in value) return { value: value.rate, lower: value.ci.lower, upper: value.ci.upper };
  return { value: value.value, lower: value.ci.lower, upper: value.ci.upper };
}

export function improvementWords(notation: PanelMeasureInfo['improvementNotation']): string {
  switch (notation) {
    case 'increase':
      return 'Higher is better';
    case 'decrease':
      return 'Lower is better';
    case 'none':
      return 'Describes need (not ranked as a care gap)';
  }
}

export function improvementArrow(notation: PanelMeasureInfo['improvementNotation']): string {
  switch (notation) {
    case 'increase':
      return '↑';
    case 'decrease':
      return '↓';
    case 'none':
      return '•';
  }
}
