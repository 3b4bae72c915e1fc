// Stratified tables of one measure column by one stratifier or two crossed: the cells equity's
// `stratifyOutcomes` / `stratifyEventOutcomes` / `stratifyContinuousOutcomes` would give (same
// shapes, same counting rules: eligible = denominator − exclusions − exceptions, numerator within
// it), counted in one pass over typed columns so a page of 15 measures × 12 stratifiers over
// 10,000 patients stays fast. A unit test checks the cells equal `stratifyOutcomes`'.

import type {
  ContinuousStratum,
  EventStratum,
  MeasureStratumCounts,
  StratifiedTable,
  StratumCell,
} from '../equity/stratify-outcomes';
import { adverseCounts, type ImprovementNotation } from '../equity/reference-comparison';
import type { PanelDataset } from './panel-dataset';
import {
  EXCEPTED,
  EXCLUDED,
  IN_DENOMINATOR,
  IN_INITIAL_POPULATION,
  IN_NUMERATOR,
  type ContinuousColumn,
  type EventColumn,
  type ProportionColumn,
} from './panel-evaluation';
import type { PanelStratum, StratumAssignment } from './panel-strata';
import type { StratumLabel } from './panel-view-model';

interface CellLabels {
  /** One stratum per axis. */
  axes: PanelStratum[];
  /** The view's label of the cell. */
  view: StratumLabel;
  patientCount: number;
}

export interface ProportionCell extends MeasureStratumCounts, CellLabels {
  /** Adverse (eligible, not meeting the measure) patients. */
  adverse: number;
  /** Adverse patients per root-cause category, in the column's category order. */
  rootCauses: number[];
}

export interface ProportionTable {
  axes: StratumAssignment[];
  cells: ProportionCell[];
  /** Panel totals. */
  total: { patients: number; eligible: number; numerator: number; adverse: number };
  /** Patient ids are filled (presentation mode needs them for suppression). */
  withIds: boolean;
}

export interface EventCell extends EventStratum, CellLabels {}
export interface ContinuousCell extends ContinuousStratum, CellLabels {}

const joinKey = (axes: readonly PanelStratum[]) => axes.map((s) => s.key).join('|');

function labelOf(axes: readonly PanelStratum[]): StratumLabel {
  return {
    key: joinKey(axes),
    label: axes.map((s) => s.label).join(' × '),
    absent: axes.some((s) => s.absent),
  };
}

/** Every combination of the axes' strata, row-major (the first axis varies slowest). */
function combinations(axes: readonly StratumAssignment[]): PanelStratum[][] {
  let combos: PanelStratum[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.strata.map((s) => [...c, s]));
  return combos;
}

/** Cell index of patient `i`. */
function cellIndexer(axes: readonly StratumAssignment[]): (i: number) => number {
  const [a, b] = axes;
  if (a === undefined) return () => 0;
  if (b === undefined) return (i) => a.index[i] ?? 0;
  const width = b.strata.length;
  return (i) => (a.index[i] ?? 0) * width + (b.index[i] ?? 0);
}

export function proportionTable(
  dataset: PanelDataset,
  column: ProportionColumn,
  axes: readonly StratumAssignment[],
  notation: ImprovementNotation,
  withIds: boolean,
): ProportionTable {
  const combos = combinations(axes);
  const categories = column.categories.length;
  const cells: ProportionCell[] = combos.map((strata) => ({
    key: joinKey(strata),
    strata: strata.map((s) => s.stratum),
    patientIds: [],
    initialPopulation: 0,
    denominator: 0,
    denominatorExclusion: 0,
    denominatorException: 0,
    eligible: 0,
    numerator: 0,
    eligiblePatientIds: [],
    numeratorPatientIds: [],
    axes: strata,
    view: labelOf(strata),
    patientCount: 0,
    adverse: 0,
    rootCauses: new Array<number>(categories).fill(0),
  }));
  const cellOf = cellIndexer(axes);
  const n = column.flags.length;
  for (let i = 0; i < n; i += 1) {
    const cell = cells[cellOf(i)];
    if (cell === undefined) continue;
    const flags = column.flags[i] ?? 0;
    cell.patientCount += 1;
    const id = withIds ? (dataset.patients[i]?.id ?? '') : '';
    if (withIds) cell.patientIds.push(id);
    if ((flags & IN_INITIAL_POPULATION) !== 0) cell.initialPopulation += 1;
    if ((flags & IN_DENOMINATOR) === 0) continue;
    cell.denominator += 1;
    if ((flags & EXCLUDED) !== 0) {
      cell.denominatorExclusion += 1;
      continue;
    }
    if ((flags & EXCEPTED) !== 0) {
      cell.denominatorException += 1;
      continue;
    }
    cell.eligible += 1;
    if (withIds) cell.eligiblePatientIds.push(id);
    if ((flags & IN_NUMERATOR) !== 0) {
      cell.numerator += 1;
      if (withIds) cell.numeratorPatientIds.push(id);
    }
    const cause = column.rootCause[i] ?? 0;
    if (cause > 0) cell.rootCauses[cause - 1] = (cell.rootCauses[cause - 1] ?? 0) + 1;
  }
  const total = { patients: 0, eligible: 0, numerator: 0, adverse: 0 };
  for (const cell of cells) {
    cell.adverse = adverseCounts(cell.numerator, cell.eligible, notation).adverse;
    total.patients += cell.patientCount;
    total.eligible += cell.eligible;
    total.numerator += cell.numerator;
    total.adverse += cell.adverse;
  }
  return { axes: [...axes], cells, total, withIds };
}

/** A table in equity's shape (for the publish functions of src/equity). */
export function asStratifiedTable<C extends StratumCell>(
  axes: readonly StratumAssignment[],
  cells: C[],
  panelSize: number,
): StratifiedTable<C> {
  return {
    stratifiers: axes.map((a) => ({ id: a.stratifierId, display: a.stratifierId })),
    panelSize,
    cells,
    completeness: [],
  };
}

export function eventTable(
  dataset: PanelDataset,
  column: EventColumn,
  axes: readonly StratumAssignment[],
): EventCell[] {
  const combos = combinations(axes);
  const cells: EventCell[] = combos.map((strata) => ({
    key: joinKey(strata),
    strata: strata.map((s) => s.stratum),
    patientIds: [],
    events: 0,
    personYears: 0,
    axes: strata,
    view: labelOf(strata),
    patientCount: 0,
  }));
  const cellOf = cellIndexer(axes);
  for (let i = 0; i < column.applicable.length; i += 1) {
    if (column.applicable[i] !== 1) continue;
    const cell = cells[cellOf(i)];
    if (cell === undefined) continue;
    cell.patientCount += 1;
    cell.patientIds.push(dataset.patients[i]?.id ?? '');
    cell.events += column.events[i] ?? 0;
    cell.personYears += column.personYears[i] ?? 0;
  }
  return cells;
}

export function continuousTable(
  dataset: PanelDataset,
  column: ContinuousColumn,
  axes: readonly StratumAssignment[],
): ContinuousCell[] {
  const combos = combinations(axes);
  const cells: ContinuousCell[] = combos.map((strata) => ({
    key: joinKey(strata),
    strata: strata.map((s) => s.stratum),
    patientIds: [],
    values: [],
    axes: strata,
    view: labelOf(strata),
    patientCount: 0,
  }));
  const cellOf = cellIndexer(axes);
  column.values.forEach((values, i) => {
    if (values.length === 0) return;
    const cell = cells[cellOf(i)];
    if (cell === undefined) return;
    cell.patientCount += 1;
    cell.patientIds.push(dataset.patients[i]?.id ?? '');
    cell.values.push(...values);
  });
  return cells;
}
