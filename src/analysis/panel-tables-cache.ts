// Tables and publications over one evaluated panel, computed once per key and kept in the
// evaluation's cache: a view, its drill-down and the next view with another reference group reuse
// them. Presentation mode publishes every table of a measure that can appear on one page JOINTLY
// (src/equity/stratum-rates.ts publishMeasureStrata), so a withheld count cannot be worked back
// from another stratifier's table of the same measure.

import type { MeasureStratumCounts, StratifiedTable } from '../equity/stratify-outcomes';
import { publishMeasureStrata, type PublishedMeasure } from '../equity/stratum-rates';
import { adverseNotation, panelMeasureInfo } from './panel-catalog';
import type { EvaluatedPanel, ProportionColumn } from './panel-evaluation';
import type { StratumAssignment } from './panel-strata';
import {
  asStratifiedTable,
  proportionTable,
  type ProportionCell,
  type ProportionTable,
} from './panel-tables';
import type { PanelMeasureId, PanelStratifierId } from './panel-view-model';

/** Entries kept per panel: enough for a session's clicks, bounded so memory stays the records'. */
const CACHE_LIMIT = 300;

export function cached<T>(panel: EvaluatedPanel, key: string, compute: () => T): T {
  if (panel.cache.has(key)) return panel.cache.get(key) as T;
  const value = compute();
  // Oldest first (a Map keeps insertion order).
  while (panel.cache.size >= CACHE_LIMIT) {
    const oldest = panel.cache.keys().next();
    if (oldest.done === true) break;
    panel.cache.delete(oldest.value);
  }
  panel.cache.set(key, value);
  return value;
}

export function assignment(panel: EvaluatedPanel, id: PanelStratifierId): StratumAssignment {
  const found = panel.strata.get(id);
  if (found === undefined) throw new RangeError(`no stratifier ${id}`);
  return found;
}

/** The axes of a one-way (second undefined or the same) or two-way table. */
export function axesOf(
  panel: EvaluatedPanel,
  first: PanelStratifierId,
  second: PanelStratifierId | undefined,
): StratumAssignment[] {
  const axes = [assignment(panel, first)];
  if (second !== undefined && second !== first) axes.push(assignment(panel, second));
  return axes;
}

export function proportionColumn(panel: EvaluatedPanel, id: PanelMeasureId): ProportionColumn {
  const column = panel.proportions.get(id);
  if (column === undefined) throw new RangeError(`${id} is not a proportion measure`);
  return column;
}

const axesKey = (axes: readonly StratumAssignment[]) => axes.map((a) => a.stratifierId).join('×');

/** The measure's table over the axes; `withIds` fills patient ids (presentation mode needs them). */
export function measureTable(
  panel: EvaluatedPanel,
  measureId: PanelMeasureId,
  axes: readonly StratumAssignment[],
  withIds: boolean,
): ProportionTable {
  return cached(panel, `table|${measureId}|${axesKey(axes)}|${String(withIds)}`, () =>
    proportionTable(
      panel.dataset,
      proportionColumn(panel, measureId),
      axes,
      adverseNotation(panelMeasureInfo(measureId)),
      withIds,
    ),
  );
}

export function equityTable(
  panel: EvaluatedPanel,
  table: ProportionTable,
): StratifiedTable<MeasureStratumCounts> {
  return asStratifiedTable<ProportionCell>(table.axes, table.cells, panel.dataset.patients.length);
}

export const tableIdOf = (axes: readonly StratumAssignment[]): string => axesKey(axes);

/**
 * The measure published for presentation over one table: a one-way table alone, or a two-way
 * table jointly with its two margins (so a withheld cell cannot be recovered from a margin).
 * Each stratifier's table is published on its own: publishing all twelve jointly costs minutes
 * at 1,000 patients, the per-table audit well under a second per measure.
 */
export function publication(
  panel: EvaluatedPanel,
  measureId: PanelMeasureId,
  axes: readonly StratumAssignment[],
): PublishedMeasure {
  return cached(panel, `publication|${measureId}|${axesKey(axes)}`, () => {
    const tables = axes.map((a) => equityTable(panel, measureTable(panel, measureId, [a], true)));
    if (axes.length > 1)
      tables.push(equityTable(panel, measureTable(panel, measureId, axes, true)));
    return publishMeasureStrata(tables);
  });
}
