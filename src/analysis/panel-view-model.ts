// The panel dashboard's contract: which measures and stratifiers it offers, what a view asks for
// and what comes back. Plain, structured-clone-safe data only: these cross the worker boundary
// (src/worker/panel-session-protocol.ts) and the page renders them as they are. The pure code
// that fills them lives beside this file (src/analysis); the worker only relays.

import type { Estimate, Interval, RatioEstimate } from '../equity/interval';
import type { HomogeneityTest, TestResult } from '../equity/proportion-statistics';
import type { Rate } from '../equity/stratum-rates';
import type { SuppressionReason, Published } from '../equity/suppression';

// ---------------------------------------------------------------- measures

export type ClinicalPanelMeasureId = 'CMS122' | 'CMS165' | 'CMS125' | 'CMS130' | 'CMS2';
export type SdohPanelMeasureId =
  | 'SDOH-1'
  | 'SDOH2-food'
  | 'SDOH2-housing'
  | 'SDOH2-transportation'
  | 'SDOH2-utilities'
  | 'SDOH2-safety'
  | 'SNSE-food-screening'
  | 'SNSE-food-intervention'
  | 'SNSE-housing-screening'
  | 'SNSE-housing-intervention'
  | 'SNSE-transportation-screening'
  | 'SNSE-transportation-intervention';
export type EncounterPanelMeasureId =
  'READMISSION-30' | 'ED-VISITS' | 'LENGTH-OF-STAY' | 'IN-HOSPITAL-MORTALITY';
export type EquityPanelMeasureId = 'DEMOGRAPHIC-COMPLETENESS';

export type PanelMeasureId =
  ClinicalPanelMeasureId | SdohPanelMeasureId | EncounterPanelMeasureId | EquityPanelMeasureId;

/**
 * `proportion`: numerator / eligible denominator (Wilson CI; gaps, indices, suppression);
 * `event-rate`: events per 1,000 patient-years (exact Poisson CI);
 * `continuous`: a value per patient event (mean / median with CIs).
 */
export type PanelMeasureKind = 'proportion' | 'event-rate' | 'continuous';

/**
 * `quality`: a care-quality rate; its gaps rank on the overview. `context`: a rate that describes
 * need (e.g. positive food screens), shown but never ranked as a care gap.
 */
export type PanelMeasureRole = 'quality' | 'context';

export type PanelMeasureGroup = 'ecqm' | 'social-needs' | 'encounters' | 'data-quality';

export interface PanelMeasureInfo {
  id: PanelMeasureId;
  /** e.g. "Diabetes: HbA1c poor control (> 9%)". */
  title: string;
  /** e.g. "HbA1c > 9%"; fits on a card. */
  shortTitle: string;
  group: PanelMeasureGroup;
  kind: PanelMeasureKind;
  role: PanelMeasureRole;
  /** FHIR Measure.improvementNotation; 'none' for context measures. */
  improvementNotation: 'increase' | 'decrease' | 'none';
  /** What the rate counts, e.g. "patients whose last HbA1c is > 9% or missing". */
  numeratorLabel: string;
  /** The adverse outcome gaps are framed on, e.g. "not screened" (Keppel & Pearcy). */
  adverseLabel: string;
  /** Where the rule comes from, e.g. "CMS122v14 (eCQM 2026, FHIR CQL)". */
  source: string;
}

// ---------------------------------------------------------------- stratifiers

export type PanelStratifierId =
  | 'race'
  | 'ethnicity'
  | 'spd15'
  | 'language'
  | 'interpreter'
  | 'sex'
  | 'gender'
  | 'sexual-orientation'
  | 'gender-identity'
  | 'payer'
  | 'age'
  | 'social-need';

export interface PanelStratifierInfo {
  id: PanelStratifierId;
  /** e.g. "Race (OMB, race alone)". */
  label: string;
  /** How it is read, in plain words (shown as help). */
  description: string;
}

// ---------------------------------------------------------------- what a view asks for

/** Measurement period: the calendar year so far ("current year") or the 12 months to today. */
export type PeriodChoice = { kind: 'calendar-year'; year: number } | { kind: 'last-12-months' };

/** ISO dates, both inclusive. */
export interface DateRange {
  start: string;
  end: string;
}

/**
 * The comparison group: the largest category stratum, the best-performing one (lowest adverse
 * rate among reliable strata), or a chosen stratum by key.
 */
export type ReferenceSelection =
  { kind: 'largest' } | { kind: 'best' } | { kind: 'chosen'; stratumKey: string };

export interface PanelViewParams {
  measureIds: PanelMeasureId[];
  stratifierId: PanelStratifierId;
  /** A second stratifier for the two-way (intersectional) view and its heat map. */
  secondStratifierId?: PanelStratifierId;
  reference: ReferenceSelection;
  /**
   * Presentation mode (numbers that leave the clinic: community meetings, "share" exports):
   * every count and rate goes through the suppression engine; no patient list is available.
   */
  presentation: boolean;
  /**
   * The selected measures whose detail (`PanelView.details`) the view carries; default: every
   * selected measure. A detail's indices have Monte Carlo intervals, so a screen that shows no
   * detail (the overview) asks for none and gets its cards and gaps sooner.
   */
  detailMeasureIds?: PanelMeasureId[];
}

// ---------------------------------------------------------------- what comes back

/** A count as staff see it (always shown) or as presentation mode publishes it. */
export type ShownCount = Published<number>;

/**
 * Size flags on screen (staff view): n < 30 unreliable (NCHS / HEDIS NA), n ≤ 10 small (the CMS
 * cell-size line). Both are shown, never hidden, outside presentation mode.
 */
export interface SizeFlags {
  small: boolean;
  unreliable: boolean;
}

export interface StratumLabel {
  /** `stratumKey`s joined by '|' (unique within the table), e.g. "category:2054-5". */
  key: string;
  /** e.g. "Black or African American", or "Black or African American × Spanish". */
  label: string;
  /** True for absence strata (Asked but declined, Unknown, Not collected). */
  absent: boolean;
}

/** One stratum of one measure against the reference, on the adverse-outcome scale. */
export interface StratumRow extends StratumLabel {
  /** Patients of the panel in the stratum. */
  patients: ShownCount;
  /** Eligible denominator (denominator − exclusions − exceptions). */
  eligible: ShownCount;
  numerator: ShownCount;
  notMet: ShownCount;
  /** The measure's own rate (numerator / eligible) with its Wilson CI. */
  rate: Rate;
  flags: SizeFlags;
  isReference: boolean;
  /** Adverse rate minus the reference's (Newcombe hybrid score CI). */
  rateDifference:
    Estimate | { kind: 'not-applicable' } | { kind: 'suppressed'; reason: SuppressionReason };
  /**
   * Adverse rate ratio (Katz log; Koopman score when a cell is 0). `unbounded-above`: the
   * reference has no adverse outcome, so only the lower limit is finite ("at least …×").
   */
  rateRatio:
    RatioEstimate | { kind: 'not-applicable' } | { kind: 'suppressed'; reason: SuppressionReason };
  test: TestResult | { kind: 'not-applicable' } | { kind: 'suppressed'; reason: SuppressionReason };
}

export interface EventRateRow extends StratumLabel {
  patients: ShownCount;
  events: ShownCount;
  /**
   * Patient-years at risk. Presentation mode withholds it with the patient count: exact
   * person-time next to a withheld count would give the count away.
   */
  personYears: Published<number>;
  /** Per 1,000 patient-years, exact Poisson CI. */
  ratePer1000: Estimate | { kind: 'suppressed'; reason: SuppressionReason };
  flags: SizeFlags;
}

export interface ContinuousRow extends StratumLabel {
  patients: ShownCount;
  values: ShownCount;
  mean: Estimate | { kind: 'suppressed'; reason: SuppressionReason };
  median: Estimate | { kind: 'suppressed'; reason: SuppressionReason };
  flags: SizeFlags;
}

export interface IndexView {
  /** e.g. "Index of Disparity". */
  name: string;
  /** The definition in words, e.g. "mean absolute difference from the best group's rate, as % of it (Pearcy & Keppel 2002)". */
  definition: string;
  estimate: Estimate;
}

/** A ranked gap: one stratum worse than its reference on one measure × stratifier. */
export interface RankedGap extends StratumLabel {
  measureId: PanelMeasureId;
  stratifierId: PanelStratifierId;
  referenceLabel: string;
  adverseRate: number;
  referenceAdverseRate: number;
  /** Adverse-rate difference with its Newcombe CI (percentage points = value × 100). */
  rateDifference: { value: number; ci: Interval };
  /** Katz log; Koopman score when a count is 0 (`unbounded-above` when the reference's is). */
  rateRatio: RatioEstimate;
  pValue: number;
  /** Benjamini–Hochberg adjusted p-value over every comparison on the page. */
  qValue: number;
  significantAfterFdr: boolean;
  /** ≥ 5 points or RR ≥ 1.2 (equity.md §1.4). */
  meaningful: boolean;
  eligible: number;
  adverseCount: number;
  flags: SizeFlags;
}

export interface GapRankingView {
  gaps: RankedGap[];
  /** Comparisons the FDR control covered (every measure × stratifier × non-reference stratum). */
  comparisons: number;
  fdrLevel: number;
  significantAfterFdr: number;
  /** Comparisons left out because presentation mode withholds a cell behind them. */
  withheldComparisons: number;
}

export interface MeasureCard {
  measureId: PanelMeasureId;
  kind: PanelMeasureKind;
  /** Panel rate (proportion) with its CI; an event rate or mean for the other kinds. */
  rate: Rate | Estimate | { kind: 'suppressed'; reason: SuppressionReason };
  /** Eligible denominator (or patients with an event exposure / values). */
  n: ShownCount;
  improvementNotation: PanelMeasureInfo['improvementNotation'];
  /** The largest meaningful gap for the chosen stratifier, if any. */
  largestGap: RankedGap | undefined;
  /** Why nobody is eligible, when nobody is (the engine's most common reasons, with counts). */
  emptyReasons: { reason: string; patients: number }[];
}

export interface RootCauseCategory {
  /** e.g. "no-test", "elevated". */
  id: string;
  /** e.g. "No HbA1c in the period". */
  label: string;
}

/** Why the gap: each stratum's not-met (adverse) patients split by the engine's reasons. */
export interface RootCauseView {
  measureId: PanelMeasureId;
  categories: RootCauseCategory[];
  rows: (StratumLabel & { counts: Record<string, ShownCount>; adverse: ShownCount })[];
}

export interface HeatMapView {
  rowStratifierId: PanelStratifierId;
  columnStratifierId: PanelStratifierId;
  rows: StratumLabel[];
  columns: StratumLabel[];
  /** Row-major: cells[r][c]. */
  cells: { rate: Rate; eligible: ShownCount; flags: SizeFlags }[][];
}

export interface MeasureDetail {
  measureId: PanelMeasureId;
  kind: PanelMeasureKind;
  stratifierIds: PanelStratifierId[];
  panel: Rate | Estimate | { kind: 'suppressed'; reason: SuppressionReason };
  /** The reference actually used, with how it was chosen. */
  reference: (StratumLabel & { how: ReferenceSelection['kind'] }) | undefined;
  /** Proportion measures: one row per stratum (one-way) or per cell (two-way). */
  rows: StratumRow[];
  eventRows: EventRateRow[];
  continuousRows: ContinuousRow[];
  indices: IndexView[];
  /** Pearson χ² test that every group has one common rate (Agresti §3.2). */
  homogeneity:
    | HomogeneityTest
    | { kind: 'not-estimable'; reason: string }
    | { kind: 'suppressed'; reason: SuppressionReason };
  heatMap: HeatMapView | undefined;
  rootCauses: RootCauseView | undefined;
}

export interface CompletenessElementView {
  element:
    'race' | 'ethnicity' | 'language' | 'interpreter' | 'sexual-orientation' | 'gender-identity';
  label: string;
  recorded: ShownCount;
  declined: ShownCount;
  unknown: ShownCount;
  notCollected: ShownCount;
  total: ShownCount;
  /** Share recorded (declined counts as asked). */
  recordedShare: Rate;
}

export interface PanelView {
  period: DateRange;
  panelSize: number;
  /** Some queries failed: every rate was computed on partial data. */
  partial: boolean;
  presentation: boolean;
  cards: MeasureCard[];
  gaps: GapRankingView;
  /** One detail per selected measure asked for (`PanelViewParams.detailMeasureIds`). */
  details: MeasureDetail[];
  completeness: CompletenessElementView[];
  /** Strata of the chosen stratifier a user may pick as the reference. */
  referenceChoices: StratumLabel[];
}

// ---------------------------------------------------------------- drill-down and trends

export type DrillDownSelection =
  | { kind: 'measure'; measureId: PanelMeasureId; stratumKey?: string; rootCause?: string }
  | { kind: 'completeness'; element: CompletenessElementView['element'] };

export interface DrillDownParams {
  selection: DrillDownSelection;
  stratifierId: PanelStratifierId;
  secondStratifierId?: PanelStratifierId;
}

export interface DrillDownRow {
  patientId: string;
  name: string;
  /** Medical record number, when the Patient has one. */
  mrn: string | undefined;
  birthDate: string | undefined;
  stratumLabel: string;
  /** The root-cause label, or for completeness the element's state ("Not collected"). */
  reason: string;
  /** The deciding evidence, e.g. { label: "Last HbA1c", value: "9.4 %", date: "2026-03-02" }. */
  evidence: { label: string; value: string; date: string | undefined } | undefined;
}

export interface DrillDownView {
  title: string;
  rows: DrillDownRow[];
  /** Always true: the list names patients. Exports say so. */
  containsPhi: true;
}

export interface TrendParams {
  measureId: PanelMeasureId;
  stratifierId: PanelStratifierId;
  /** Quarters to show, most recent last (default 8). */
  quarters: number;
  presentation: boolean;
}

export interface TrendPoint {
  /** e.g. "2026 Q3". */
  label: string;
  /**
   * The 12-month measurement period ending with the quarter (a rolling annual rate per quarter,
   * so each point is the same annual measure as the overview).
   */
  period: DateRange;
}

export interface TrendView {
  measureId: PanelMeasureId;
  stratifierId: PanelStratifierId;
  points: TrendPoint[];
  panel: (Rate | Estimate | { kind: 'suppressed'; reason: SuppressionReason })[];
  series: (StratumLabel & {
    values: (Rate | Estimate | { kind: 'suppressed'; reason: SuppressionReason })[];
  })[];
}
