// The dashboard's overview and measure detail over one evaluated panel (issue 7 §4): cards, the
// gap ranking across every selected measure × every stratifier with Benjamini–Hochberg control,
// per-measure stratum tables with Wilson / Newcombe / Katz–Koopman statistics, the disparity
// indices, the two-way heat map, root causes and data completeness.
//
// Staff view: every count is shown, with size flags (n ≤ 10 small, n < 30 unreliable).
// Presentation mode: counts go through src/equity's suppression engine and every statistic built
// from a withheld cell is withheld too.

import { DEFAULT_GAP_THRESHOLDS, isMeaningful } from '../equity/gap-ranking';
import type { Estimate, RatioEstimate } from '../equity/interval';
import { disparityIndices } from '../equity/disparity-indices';
import {
  publishContinuousStrata,
  publishEventStrata,
  type PublishedContinuousStratum,
  type PublishedEventStratum,
} from '../equity/publish-rate-strata';
import { eventRate, summarizeContinuous } from '../equity/rate-statistics';
import {
  bestPerformingKey,
  compareToReference,
  type ImprovementNotation,
  type ReferenceComparison,
} from '../equity/reference-comparison';
import {
  stratumRate,
  withheldStrata,
  type PublishedMeasure,
  type PublishedStratum,
} from '../equity/stratum-rates';
import {
  combineReasons,
  suppressCounts,
  type CountRelation,
  type CountToPublish,
  type Published,
  type SuppressionReason,
} from '../equity/suppression';
import { adverseNotation, panelMeasureInfo } from './panel-catalog';
import { COMPLETENESS_STRATIFIERS, type EvaluatedPanel } from './panel-evaluation';
import { PANEL_STRATIFIER_IDS, type StratumAssignment } from './panel-strata';
import {
  asStratifiedTable,
  continuousTable,
  eventTable,
  type ProportionCell,
  type ProportionTable,
} from './panel-tables';
import {
  assignment,
  axesOf,
  cached,
  measureTable,
  proportionColumn,
  publication,
  tableIdOf,
} from './panel-tables-cache';
import { benjaminiHochberg } from '../equity/false-discovery-rate';
import type {
  CompletenessElementView,
  ContinuousRow,
  EventRateRow,
  GapRankingView,
  HeatMapView,
  IndexView,
  MeasureCard,
  MeasureDetail,
  PanelMeasureId,
  PanelStratifierId,
  PanelView,
  PanelViewParams,
  RankedGap,
  ReferenceSelection,
  RootCauseView,
  ShownCount,
  SizeFlags,
  StratumLabel,
  StratumRow,
} from './panel-view-model';

/** False discovery rate the gap ranking controls (Benjamini & Hochberg 1995). */
export const FDR_LEVEL = 0.05;

/** CMS cell-size line: counts of 1–10 are small. */
const SMALL_MAX = 10;
/** NCHS presentation standard / HEDIS "NA": denominators under 30 are unreliable. */
const RELIABLE_MIN = 30;

export const shown = (value: number): ShownCount => ({ kind: 'value', value });

export function sizeFlags(n: number): SizeFlags {
  return { small: n > 0 && n <= SMALL_MAX, unreliable: n < RELIABLE_MIN };
}

type Suppressed = { kind: 'suppressed'; reason: SuppressionReason };

// ---------------------------------------------------------------- reference group

interface ResolvedReference {
  key: string;
  how: ReferenceSelection['kind'];
}

const isCategoryCell = (cell: ProportionCell) => cell.strata.every((s) => s.kind === 'category');

/** The largest category stratum by eligible denominator (ties: the key), not withheld. */
function largestKey(
  cells: readonly ProportionCell[],
  suppressed: Readonly<Record<string, SuppressionReason>>,
): string | undefined {
  return [...cells]
    .filter((c) => c.eligible > 0 && isCategoryCell(c) && !(c.key in suppressed))
    .sort((a, b) => b.eligible - a.eligible || a.key.localeCompare(b.key))[0]?.key;
}

/**
 * The reference actually used: the chosen stratum when it has eligible patients in this table,
 * else the largest; best = the lowest adverse rate among reliable category strata (equity.md §1.3).
 */
function resolveReference(
  cells: readonly ProportionCell[],
  selection: ReferenceSelection,
  notation: ImprovementNotation,
  suppressed: Readonly<Record<string, SuppressionReason>>,
): ResolvedReference | undefined {
  if (selection.kind === 'chosen') {
    const chosen = cells.find((c) => c.key === selection.stratumKey);
    if (chosen !== undefined && chosen.eligible > 0 && !(chosen.key in suppressed))
      return { key: chosen.key, how: 'chosen' };
  }
  if (selection.kind === 'best') {
    const key = bestPerformingKey(cells, notation, suppressed);
    if (key !== undefined) return { key, how: 'best' };
  }
  const key = largestKey(cells, suppressed);
  return key === undefined ? undefined : { key, how: 'largest' };
}

function compare(
  table: ProportionTable,
  notation: ImprovementNotation,
  selection: ReferenceSelection,
  suppressed: Readonly<Record<string, SuppressionReason>>,
): { reference: ResolvedReference | undefined; comparisons: ReferenceComparison[] } {
  const reference = resolveReference(table.cells, selection, notation, suppressed);
  const comparisons = compareToReference(table.cells, {
    improvementNotation: notation,
    // No usable reference: every comparison is "not applicable".
    reference: { kind: 'group', key: reference?.key ?? '' },
    suppressed,
  });
  return { reference, comparisons };
}

// ---------------------------------------------------------------- published lookups

function publishedTable(
  published: PublishedMeasure | undefined,
  axes: readonly StratumAssignment[],
): Map<string, PublishedStratum> | undefined {
  if (published === undefined) return undefined;
  const table = published.tables.find((t) => t.tableId === tableIdOf(axes));
  if (table === undefined) throw new Error(`table ${tableIdOf(axes)} was not published`);
  return new Map(table.cells.map((c) => [c.key, c]));
}

function withheldOf(
  published: PublishedMeasure | undefined,
  axes: readonly StratumAssignment[],
): Record<string, SuppressionReason> {
  if (published === undefined) return {};
  const table = published.tables.find((t) => t.tableId === tableIdOf(axes));
  return table === undefined ? {} : withheldStrata(table);
}

const countOr = (p: PublishedStratum | undefined, key: keyof PublishedStratum, raw: number) => {
  const value = p?.[key];
  return value !== undefined &&
    typeof value === 'object' &&
    'kind' in value &&
    !Array.isArray(value)
    ? (value as Published<number>)
    : shown(raw);
};

// ---------------------------------------------------------------- gap ranking

interface Candidate {
  measureId: PanelMeasureId;
  stratifierId: PanelStratifierId;
  comparison: ReferenceComparison;
  cell: ProportionCell;
  referenceLabel: string;
  pValue: number;
}

/**
 * Pairs whose stratifier is read from the measure's own outcome, so every "gap" is true by
 * definition: social-need status comes from the screening the social-needs measures count
 * (unscreened patients are "Not collected"), and completeness counts the very elements the
 * demographic stratifiers read. Shown in the measure detail, never ranked as gaps.
 */
function isCircular(measureId: PanelMeasureId, stratifierId: PanelStratifierId): boolean {
  if (stratifierId === 'social-need') return panelMeasureInfo(measureId).group === 'social-needs';
  return (
    measureId === 'DEMOGRAPHIC-COMPLETENESS' && COMPLETENESS_STRATIFIERS.includes(stratifierId)
  );
}

const isRankable = (id: PanelMeasureId) => {
  const info = panelMeasureInfo(id);
  return info.kind === 'proportion' && info.role === 'quality';
};

function rankedGaps(panel: EvaluatedPanel, params: PanelViewParams): GapRankingView {
  const candidates: Candidate[] = [];
  let withheld = 0;
  for (const measureId of params.measureIds.filter(isRankable)) {
    const notation = adverseNotation(panelMeasureInfo(measureId));
    for (const stratifierId of PANEL_STRATIFIER_IDS) {
      if (isCircular(measureId, stratifierId)) continue;
      const axes = [assignment(panel, stratifierId)];
      const published = params.presentation ? publication(panel, measureId, axes) : undefined;
      const table = measureTable(panel, measureId, axes, params.presentation);
      // A chosen stratum belongs to the chosen stratifier; the others compare with their largest.
      const selection: ReferenceSelection =
        stratifierId === params.stratifierId ? params.reference : { kind: 'largest' };
      const { reference, comparisons } = compare(
        table,
        notation,
        selection,
        withheldOf(published, axes),
      );
      const referenceLabel =
        table.cells.find((c) => c.key === reference?.key)?.view.label ?? 'no reference';
      comparisons.forEach((comparison, i) => {
        const cell = table.cells[i];
        if (comparison.isReference || cell === undefined || cell.eligible === 0) return;
        if (comparison.test.kind === 'suppressed') {
          withheld += 1;
          return;
        }
        // Not estimable (e.g. everyone has the same outcome): no comparison to count.
        if (comparison.test.kind !== 'value') return;
        candidates.push({
          measureId,
          stratifierId,
          comparison,
          cell,
          referenceLabel,
          pValue: comparison.test.pValue,
        });
      });
    }
  }
  // FDR over EVERY comparison on the page (both directions), not only the gaps shown.
  const q = benjaminiHochberg(candidates.map((c) => c.pValue));
  const gaps: RankedGap[] = [];
  candidates.forEach((c, i) => {
    const { comparison } = c;
    const difference = comparison.rateDifference;
    const ratio = comparison.rateRatio;
    if (difference.kind !== 'value' || difference.value <= 0) return;
    if (ratio.kind === 'suppressed' || ratio.kind === 'not-applicable') return;
    const own = comparison.adverseRate;
    const ref = comparison.referenceAdverseRate;
    if (own.kind !== 'value' || ref.kind !== 'value') return;
    const qValue = q[i] ?? 1;
    const rateRatio: RatioEstimate = ratio;
    gaps.push({
      ...c.cell.view,
      measureId: c.measureId,
      stratifierId: c.stratifierId,
      referenceLabel: c.referenceLabel,
      adverseRate: own.rate,
      referenceAdverseRate: ref.rate,
      rateDifference: { value: difference.value, ci: difference.ci },
      rateRatio,
      pValue: c.pValue,
      qValue,
      significantAfterFdr: qValue <= FDR_LEVEL,
      meaningful: isMeaningful(difference.value, rateRatio, DEFAULT_GAP_THRESHOLDS),
      eligible: c.cell.eligible,
      adverseCount: c.cell.adverse,
      flags: sizeFlags(c.cell.eligible),
    });
  });
  // Significant after FDR first (the rest of the list is what chance alone produces), then
  // meaningful (≥ 5 points or RR ≥ 1.2), then the size of the difference.
  gaps.sort(
    (a, b) =>
      Number(b.significantAfterFdr) - Number(a.significantAfterFdr) ||
      Number(b.meaningful) - Number(a.meaningful) ||
      b.rateDifference.value - a.rateDifference.value ||
      `${a.measureId}/${a.stratifierId}/${a.key}`.localeCompare(
        `${b.measureId}/${b.stratifierId}/${b.key}`,
      ),
  );
  return {
    gaps,
    comparisons: candidates.length,
    fdrLevel: FDR_LEVEL,
    significantAfterFdr: gaps.filter((g) => g.significantAfterFdr).length,
    withheldComparisons: withheld,
  };
}

// ---------------------------------------------------------------- measure detail: proportions

const INDEX_DEFINITIONS: readonly { name: string; definition: string }[] = [
  {
    name: 'Index of Disparity',
    definition:
      "mean absolute difference of the groups' adverse rates from the best group's, as % of it (Pearcy & Keppel 2002)",
  },
  {
    name: 'Between-group variance',
    definition:
      'population-weighted variance of the group rates around the panel rate (Harper & Lynch 2005)',
  },
  {
    name: 'Theil index',
    definition:
      'population-weighted mean of (rate / panel rate) × ln(rate / panel rate) (Theil 1967)',
  },
  {
    name: 'Mean log deviation',
    definition: 'population-weighted mean of ln(panel rate / group rate) (Theil 1967)',
  },
];

function proportionRows(
  table: ProportionTable,
  comparisons: readonly ReferenceComparison[],
  published: Map<string, PublishedStratum> | undefined,
): StratumRow[] {
  const rows: StratumRow[] = [];
  table.cells.forEach((cell, i) => {
    const comparison = comparisons[i];
    if (cell.patientCount === 0 || comparison === undefined) return;
    const p = published?.get(cell.key);
    rows.push({
      ...cell.view,
      patients: countOr(p, 'patients', cell.patientCount),
      eligible: countOr(p, 'eligible', cell.eligible),
      numerator: countOr(p, 'numerator', cell.numerator),
      notMet: countOr(p, 'notMet', cell.eligible - cell.numerator),
      rate: p === undefined ? stratumRate(cell.numerator, cell.eligible) : p.rate,
      flags: sizeFlags(cell.eligible),
      isReference: comparison.isReference,
      rateDifference: comparison.rateDifference,
      rateRatio: comparison.rateRatio,
      test: comparison.test,
    });
  });
  return rows;
}

function indicesOf(
  table: ProportionTable,
  suppressed: Readonly<Record<string, SuppressionReason>>,
): { indices: IndexView[]; homogeneity: MeasureDetail['homogeneity'] } {
  // Indices compare population groups: category strata only (an absence is not a group).
  const groups = table.cells
    .filter((c) => c.eligible > 0 && c.strata.every((s) => s.kind === 'category'))
    .map((c) => ({ key: c.key, numerator: c.adverse, denominator: c.eligible }));
  const result = disparityIndices(groups, {
    // The groups' rates are adverse rates, so the best group has the lowest.
    reference: { kind: 'best-group', lowerIsBetter: true },
    suppressed,
  });
  const estimates: Estimate[] = [
    result.indexOfDisparity,
    result.betweenGroupVariance,
    result.theilIndex,
    result.meanLogDeviation,
  ];
  return {
    indices: INDEX_DEFINITIONS.map((d, i) => ({
      ...d,
      estimate: estimates[i] ?? { kind: 'not-estimable', reason: 'not computed' },
    })),
    homogeneity: result.homogeneity,
  };
}

function heatMap(
  table: ProportionTable,
  published: Map<string, PublishedStratum> | undefined,
): HeatMapView | undefined {
  const [rowAxis, columnAxis] = table.axes;
  if (rowAxis === undefined || columnAxis === undefined) return undefined;
  const byKey = new Map(table.cells.map((c) => [c.key, c]));
  const used = (axis: number) => {
    const keys = new Set(
      table.cells.filter((c) => c.patientCount > 0).map((c) => c.axes[axis]?.key),
    );
    return (axis === 0 ? rowAxis : columnAxis).strata.filter((s) => keys.has(s.key));
  };
  const rows = used(0);
  const columns = used(1);
  const label = (s: (typeof rows)[number]): StratumLabel => ({
    key: s.key,
    label: s.label,
    absent: s.absent,
  });
  return {
    rowStratifierId: rowAxis.stratifierId,
    columnStratifierId: columnAxis.stratifierId,
    rows: rows.map(label),
    columns: columns.map(label),
    cells: rows.map((r) =>
      columns.map((c) => {
        const key = `${r.key}|${c.key}`;
        const cell = byKey.get(key);
        const p = published?.get(key);
        const eligible = cell?.eligible ?? 0;
        return {
          rate: p === undefined ? stratumRate(cell?.numerator ?? 0, eligible) : p.rate,
          eligible: countOr(p, 'eligible', eligible),
          flags: sizeFlags(eligible),
        };
      }),
    ),
  };
}

/** Each stratum's adverse patients split by root cause (published jointly in presentation). */
function rootCauses(
  panel: EvaluatedPanel,
  measureId: PanelMeasureId,
  table: ProportionTable,
  presentation: boolean,
): RootCauseView | undefined {
  const column = proportionColumn(panel, measureId);
  const categories = column.categories;
  if (categories.length === 0) return undefined;
  const cells = table.cells.filter((c) => c.eligible > 0);
  let get: (cellKey: string, what: string, raw: number) => ShownCount = (_k, _w, raw) => shown(raw);
  if (presentation) {
    const ids = new Map<string, string[]>();
    const push = (id: string, patient: string) => {
      const list = ids.get(id);
      if (list === undefined) ids.set(id, [patient]);
      else list.push(patient);
    };
    const n = column.rootCause.length;
    for (let i = 0; i < n; i += 1) {
      const cause = column.rootCause[i] ?? 0;
      if (cause === 0) continue;
      const key = table.axes.map((a) => a.strata[a.index[i] ?? 0]?.key ?? '').join('|');
      const patient = panel.dataset.patients[i]?.id ?? '';
      push(`${key}/${categories[cause - 1]?.id ?? ''}`, patient);
      push(`${key}/adverse`, patient);
    }
    const counts: CountToPublish[] = [];
    const relations: CountRelation[] = [];
    for (const cell of cells) {
      const parts = categories.map((c) => `${cell.key}/${c.id}`);
      for (const id of [...parts, `${cell.key}/adverse`])
        counts.push({ id, patientIds: ids.get(id) ?? [] });
      relations.push({ total: `${cell.key}/adverse`, parts });
    }
    for (const category of [...categories.map((c) => c.id), 'adverse'])
      counts.push({
        id: `total/${category}`,
        patientIds: cells.flatMap((c) => ids.get(`${c.key}/${category}`) ?? []),
      });
    for (const category of [...categories.map((c) => c.id), 'adverse'])
      relations.push({
        total: `total/${category}`,
        parts: cells.map((c) => `${c.key}/${category}`),
      });
    const out = suppressCounts(counts, relations);
    get = (cellKey, what) =>
      out[`${cellKey}/${what}`] ?? { kind: 'suppressed', reason: 'complementary' };
  }
  return {
    measureId,
    categories,
    rows: cells.map((cell) => ({
      ...cell.view,
      counts: Object.fromEntries(
        categories.map((c, k) => [c.id, get(cell.key, c.id, cell.rootCauses[k] ?? 0)]),
      ),
      adverse: get(cell.key, 'adverse', cell.adverse),
    })),
  };
}

/** The panel rate of a proportion measure: the table's total, as published in presentation mode. */
function proportionPanelRate(
  table: ReturnType<typeof measureTable>,
  published: ReturnType<typeof publication> | undefined,
): MeasureDetail['panel'] {
  return published === undefined
    ? stratumRate(table.total.numerator, table.total.eligible)
    : published.total.rate;
}

/** The panel rate a card shows, without the rest of the measure's detail. */
function panelRateOf(
  panel: EvaluatedPanel,
  measureId: PanelMeasureId,
  params: PanelViewParams,
): MeasureDetail['panel'] {
  if (panelMeasureInfo(measureId).kind !== 'proportion')
    return rateDetail(panel, measureId, params).panel;
  const axes = axesOf(panel, params.stratifierId, params.secondStratifierId);
  const published = params.presentation ? publication(panel, measureId, axes) : undefined;
  return proportionPanelRate(measureTable(panel, measureId, axes, params.presentation), published);
}

function proportionDetail(
  panel: EvaluatedPanel,
  measureId: PanelMeasureId,
  params: PanelViewParams,
): MeasureDetail {
  const notation = adverseNotation(panelMeasureInfo(measureId));
  const axes = axesOf(panel, params.stratifierId, params.secondStratifierId);
  const published = params.presentation ? publication(panel, measureId, axes) : undefined;
  const table = measureTable(panel, measureId, axes, params.presentation);
  const suppressed = withheldOf(published, axes);
  const { reference, comparisons } = compare(table, notation, params.reference, suppressed);
  const cells = publishedTable(published, axes);
  const referenceCell = table.cells.find((c) => c.key === reference?.key);
  const { indices, homogeneity } = indicesOf(table, suppressed);
  return {
    measureId,
    kind: 'proportion',
    stratifierIds: axes.map((a) => a.stratifierId),
    panel: proportionPanelRate(table, published),
    reference:
      reference === undefined || referenceCell === undefined
        ? undefined
        : { ...referenceCell.view, how: reference.how },
    rows: proportionRows(table, comparisons, cells),
    eventRows: [],
    continuousRows: [],
    indices,
    homogeneity,
    heatMap: heatMap(table, cells),
    rootCauses: rootCauses(panel, measureId, table, params.presentation),
  };
}

// ---------------------------------------------------------------- event rates and continuous

function eventRows(panel: EvaluatedPanel, axes: StratumAssignment[], presentation: boolean) {
  const cells = eventTable(panel.dataset, panel.edVisits, axes);
  const published: Map<string, PublishedEventStratum> | undefined = presentation
    ? new Map(
        publishEventStrata(asStratifiedTable(axes, cells, panel.dataset.patients.length)).map(
          (p) => [p.key, p],
        ),
      )
    : undefined;
  const total = cells.reduce(
    (s, c) => ({ events: s.events + c.events, personYears: s.personYears + c.personYears }),
    { events: 0, personYears: 0 },
  );
  const rows: EventRateRow[] = cells
    .filter((c) => c.patientCount > 0)
    .map((c) => {
      const p = published?.get(c.key);
      const patients = p?.patients ?? shown(c.patientCount);
      return {
        ...c.view,
        patients,
        events: p?.events ?? shown(c.events),
        personYears: patients.kind === 'value' ? shown(c.personYears) : patients,
        ratePer1000: p?.ratePer1000 ?? eventRate({ events: c.events, personYears: c.personYears }),
        flags: sizeFlags(c.patientCount),
      };
    });
  return { rows, total, patients: cells.reduce((s, c) => s + c.patientCount, 0) };
}

function continuousRows(
  panel: EvaluatedPanel,
  axes: StratumAssignment[],
  presentation: boolean,
): { rows: ContinuousRow[]; values: number[] } {
  const cells = continuousTable(panel.dataset, panel.lengthOfStay, axes);
  const published: Map<string, PublishedContinuousStratum> | undefined = presentation
    ? new Map(
        publishContinuousStrata(asStratifiedTable(axes, cells, panel.dataset.patients.length)).map(
          (p) => [p.key, p],
        ),
      )
    : undefined;
  const rows: ContinuousRow[] = cells
    .filter((c) => c.patientCount > 0)
    .map((c) => {
      const p = published?.get(c.key);
      const summary = p?.summary ?? summarizeContinuous(c.values);
      const part = (which: 'mean' | 'median'): Estimate | Suppressed =>
        summary.kind === 'value'
          ? summary[which]
          : summary.kind === 'suppressed'
            ? summary
            : { kind: 'not-estimable', reason: summary.reason };
      return {
        ...c.view,
        patients: p?.patients ?? shown(c.patientCount),
        values: p === undefined ? shown(c.values.length) : withheldOr(p.patients, c.values.length),
        mean: part('mean'),
        median: part('median'),
        flags: sizeFlags(c.patientCount),
      };
    });
  return { rows, values: cells.flatMap((c) => c.values) };
}

/** A count withheld with the patients behind it (values of withheld patients are withheld). */
function withheldOr(patients: Published<number>, raw: number): ShownCount {
  const reason = combineReasons(patients);
  return reason === undefined ? shown(raw) : { kind: 'suppressed', reason };
}

const EMPTY_INDICES: IndexView[] = [];

function rateDetail(
  panel: EvaluatedPanel,
  measureId: PanelMeasureId,
  params: PanelViewParams,
): MeasureDetail {
  const axes = axesOf(panel, params.stratifierId, params.secondStratifierId);
  const base = {
    measureId,
    stratifierIds: axes.map((a) => a.stratifierId),
    reference: undefined,
    rows: [],
    indices: EMPTY_INDICES,
    homogeneity: { kind: 'not-estimable' as const, reason: 'a test of proportions does not apply' },
    heatMap: undefined,
    rootCauses: undefined,
  };
  if (panelMeasureInfo(measureId).kind === 'event-rate') {
    const { rows, total } = eventRows(panel, axes, params.presentation);
    return {
      ...base,
      kind: 'event-rate',
      panel: panelEventRate(panel, total, params.presentation),
      eventRows: rows,
      continuousRows: [],
    };
  }
  const { rows, values } = continuousRows(panel, axes, params.presentation);
  return {
    ...base,
    kind: 'continuous',
    panel: panelMean(values, params.presentation),
    eventRows: [],
    continuousRows: rows,
  };
}

/** A panel-level rate with patients under the cell-size line is withheld in presentation mode. */
function panelEventRate(
  panel: EvaluatedPanel,
  total: { events: number; personYears: number },
  presentation: boolean,
): Estimate | Suppressed {
  const patients = panel.edVisits.applicable.reduce((s, v) => s + v, 0);
  if (
    presentation &&
    ((patients > 0 && patients <= SMALL_MAX) || (total.events > 0 && total.events <= SMALL_MAX))
  )
    return { kind: 'suppressed', reason: 'small-cell' };
  return eventRate(total);
}

function panelMean(values: readonly number[], presentation: boolean): Estimate | Suppressed {
  if (presentation && values.length > 0 && values.length <= SMALL_MAX)
    return { kind: 'suppressed', reason: 'small-cell' };
  const summary = summarizeContinuous(values);
  return summary.kind === 'value' ? summary.mean : summary;
}

export function buildMeasureDetail(
  panel: EvaluatedPanel,
  measureId: PanelMeasureId,
  params: PanelViewParams,
): MeasureDetail {
  return panelMeasureInfo(measureId).kind === 'proportion'
    ? proportionDetail(panel, measureId, params)
    : rateDetail(panel, measureId, params);
}

// ---------------------------------------------------------------- cards

function card(
  panel: EvaluatedPanel,
  detail: Pick<MeasureDetail, 'measureId' | 'panel'>,
  gaps: readonly RankedGap[],
  params: PanelViewParams,
): MeasureCard {
  const info = panelMeasureInfo(detail.measureId);
  let n: ShownCount;
  let raw: number;
  if (info.kind === 'proportion') {
    const table = measureTable(
      panel,
      detail.measureId,
      [assignment(panel, params.stratifierId)],
      params.presentation,
    );
    raw = table.total.eligible;
    n = params.presentation
      ? publication(panel, detail.measureId, [assignment(panel, params.stratifierId)]).total
          .eligible
      : shown(raw);
  } else if (info.kind === 'event-rate') {
    raw = panel.edVisits.applicable.reduce((s, v) => s + v, 0);
    n =
      params.presentation && raw > 0 && raw <= SMALL_MAX
        ? { kind: 'suppressed', reason: 'small-cell' }
        : shown(raw);
  } else {
    raw = panel.lengthOfStay.values.reduce((s, v) => s + v.length, 0);
    n =
      params.presentation && raw > 0 && raw <= SMALL_MAX
        ? { kind: 'suppressed', reason: 'small-cell' }
        : shown(raw);
  }
  return {
    measureId: detail.measureId,
    kind: info.kind,
    rate: detail.panel,
    n,
    improvementNotation: info.improvementNotation,
    largestGap: gaps.find(
      (g) =>
        g.measureId === detail.measureId && g.stratifierId === params.stratifierId && g.meaningful,
    ),
    emptyReasons: raw === 0 ? (panel.emptyReasons.get(detail.measureId) ?? []).slice(0, 3) : [],
  };
}

// ---------------------------------------------------------------- completeness

const COMPLETENESS_ELEMENTS: readonly {
  element: CompletenessElementView['element'];
  label: string;
}[] = [
  { element: 'race', label: 'Race' },
  { element: 'ethnicity', label: 'Ethnicity' },
  { element: 'language', label: 'Preferred language' },
  { element: 'interpreter', label: 'Interpreter needed' },
  { element: 'sexual-orientation', label: 'Sexual orientation' },
  { element: 'gender-identity', label: 'Gender identity' },
];

export type CompletenessState = 'recorded' | 'declined' | 'unknown' | 'notCollected';

/** The completeness state of patient `i` for an element (its stratum under that stratifier). */
export function completenessState(
  panel: EvaluatedPanel,
  element: CompletenessElementView['element'],
  i: number,
): CompletenessState {
  const a = assignment(panel, element);
  const stratum = a.strata[a.index[i] ?? 0]?.stratum;
  if (stratum === undefined || stratum.kind === 'category') return 'recorded';
  switch (stratum.reason) {
    case 'asked-declined':
      return 'declined';
    case 'unknown':
      return 'unknown';
    case 'not-collected':
      return 'notCollected';
  }
}

const STATES: readonly CompletenessState[] = ['recorded', 'declined', 'unknown', 'notCollected'];

/**
 * Recorded / declined / unknown / not collected per element among patients alive at the period
 * end (the completeness measure's population; equity.md §0.5: declined is an answer).
 */
function completeness(panel: EvaluatedPanel, presentation: boolean): CompletenessElementView[] {
  return COMPLETENESS_ELEMENTS.map(({ element, label }) => {
    const ids: Record<CompletenessState, string[]> = {
      recorded: [],
      declined: [],
      unknown: [],
      notCollected: [],
    };
    panel.dataset.patients.forEach((p, i) => {
      if (panel.living[i] === 1) ids[completenessState(panel, element, i)].push(p.id);
    });
    const total = STATES.reduce((s, k) => s + ids[k].length, 0);
    let get = (state: CompletenessState | 'total'): ShownCount =>
      shown(state === 'total' ? total : ids[state].length);
    if (presentation) {
      const out = suppressCounts(
        [
          ...STATES.map((s) => ({ id: s, patientIds: ids[s] })),
          { id: 'total', patientIds: STATES.flatMap((s) => ids[s]) },
        ],
        [{ total: 'total', parts: [...STATES] }],
      );
      get = (state) => out[state] ?? { kind: 'suppressed', reason: 'complementary' };
    }
    const collected = ids.recorded.length + ids.declined.length;
    const reason = presentation
      ? combineReasons(get('recorded'), get('declined'), get('total'))
      : undefined;
    return {
      element,
      label,
      recorded: get('recorded'),
      declined: get('declined'),
      unknown: get('unknown'),
      notCollected: get('notCollected'),
      total: get('total'),
      recordedShare:
        reason === undefined ? stratumRate(collected, total) : { kind: 'suppressed', reason },
    };
  });
}

// ---------------------------------------------------------------- the page

export function buildPanelView(panel: EvaluatedPanel, params: PanelViewParams): PanelView {
  const key = `view|${JSON.stringify(params)}`;
  return cached(panel, key, () => {
    const gaps = rankedGaps(panel, params);
    const detailIds = params.detailMeasureIds ?? params.measureIds;
    const details = params.measureIds
      .filter((id) => detailIds.includes(id))
      .map((id) => buildMeasureDetail(panel, id, params));
    const rates = params.measureIds.map(
      (measureId) =>
        details.find((d) => d.measureId === measureId) ?? {
          measureId,
          panel: panelRateOf(panel, measureId, params),
        },
    );
    const chosen = assignment(panel, params.stratifierId);
    const populated = new Set(chosen.index);
    return {
      period: panel.period,
      panelSize: panel.dataset.patients.length,
      partial: panel.partial,
      presentation: params.presentation,
      cards: rates.map((d) => card(panel, d, gaps.gaps, params)),
      gaps,
      details,
      completeness: completeness(panel, params.presentation),
      referenceChoices: chosen.strata
        .filter((s, i) => !s.absent && populated.has(i))
        .map((s) => ({ key: s.key, label: s.label, absent: s.absent })),
    };
  });
}
