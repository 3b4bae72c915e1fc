// Per-stratum rates and the published (suppressed) measure tables built from stratified counts.

import type { Interval, NotEstimable } from './interval';
import { wilsonInterval } from './proportion-statistics';
import type { MeasureStratumCounts, StratifiedTable } from './stratify-outcomes';
import type { Stratum } from './stratum';
import type {
  CountRelation,
  CountToPublish,
  Published,
  SuppressionPolicy,
  SuppressionReason,
} from './suppression';
import { CMS_CELL_SIZE_POLICY, combineReasons, suppressCounts } from './suppression';

/** Denominators under 30 are flagged unreliable (NCHS presentation standards; HEDIS "NA"). */
export const UNRELIABLE_DENOMINATOR = 30;

export type Rate =
  | {
      kind: 'value';
      rate: number;
      numerator: number;
      denominator: number;
      ci: Interval;
      unreliable: boolean;
    }
  | { kind: 'suppressed'; reason: SuppressionReason }
  | { kind: 'not-applicable'; reason: 'empty-denominator' }
  | NotEstimable;

/**
 * numerator / denominator with a Wilson interval; not applicable when nobody is eligible, not
 * estimable (with the reason) when the counts are not whole numbers with 0 ≤ numerator ≤ denominator.
 */
export function stratumRate(numerator: number, denominator: number, level = 0.95): Rate {
  if (denominator === 0 && numerator === 0)
    return { kind: 'not-applicable', reason: 'empty-denominator' };
  const wilson = wilsonInterval(numerator, denominator, level);
  if (wilson.kind !== 'value') return wilson;
  return {
    kind: 'value',
    rate: wilson.value,
    numerator,
    denominator,
    ci: wilson.ci,
    unreliable: denominator < UNRELIABLE_DENOMINATOR,
  };
}

export interface PublishedStratum {
  key: string;
  strata: Stratum[];
  patients: Published<number>;
  eligible: Published<number>;
  numerator: Published<number>;
  /** Eligible patients not in the numerator. */
  notMet: Published<number>;
  rate: Rate;
}

export interface PublishedMeasureTable {
  tableId: string;
  stratifierIds: string[];
  cells: PublishedStratum[];
}

export interface PublishedMeasure {
  total: {
    patients: Published<number>;
    eligible: Published<number>;
    numerator: Published<number>;
    notMet: Published<number>;
    rate: Rate;
  };
  tables: PublishedMeasureTable[];
  /** Patients with a recorded category, per stratifier (the completeness numerator). */
  completenessRecorded: Record<string, Published<number>>;
}

type Quantity = 'patients' | 'eligible' | 'numerator' | 'notMet';
const QUANTITIES: readonly Quantity[] = ['patients', 'eligible', 'numerator', 'notMet'];

function tableIdOf(table: StratifiedTable<MeasureStratumCounts>): string {
  return table.stratifiers.map((s) => s.id).join('×');
}

function patientsFor(cell: MeasureStratumCounts, q: Quantity): readonly string[] {
  switch (q) {
    case 'patients':
      return cell.patientIds;
    case 'eligible':
      return cell.eligiblePatientIds;
    case 'numerator':
      return cell.numeratorPatientIds;
    case 'notMet': {
      const met = new Set(cell.numeratorPatientIds);
      return cell.eligiblePatientIds.filter((id) => !met.has(id));
    }
  }
}

function publishedRate(
  numerator: Published<number>,
  eligible: Published<number>,
  notMet: Published<number>,
  counts: { numerator: number; eligible: number },
): Rate {
  // A rate, its interval or anything built from them would let a reader work the withheld count back out.
  const reason = combineReasons(numerator, eligible, notMet);
  if (reason !== undefined) return { kind: 'suppressed', reason };
  return stratumRate(counts.numerator, counts.eligible);
}

/**
 * Publishes the stratified tables of one measure over one panel (any mix of one-way and two-way
 * tables) together with the panel totals and the completeness counts, applying small-cell and
 * complementary suppression jointly so no withheld count can be recovered across tables. When any
 * linked family of counts (e.g. eligible/numerator/not-met) is under 30 and has a count to withhold,
 * everything — counts, totals, completeness and rates — is withheld as `table-too-small`.
 */
export function publishMeasureStrata(
  tables: readonly StratifiedTable<MeasureStratumCounts>[],
  policy: SuppressionPolicy = CMS_CELL_SIZE_POLICY,
): PublishedMeasure {
  const counts: CountToPublish[] = [];
  const relations: CountRelation[] = [];
  const idOf = (tableId: string, key: string, q: Quantity) => `${tableId}/${key}/${q}`;
  const totalId = (q: Quantity) => `total/${q}`;
  const first = tables[0];
  if (first) {
    const allCells = first.cells;
    for (const q of QUANTITIES)
      counts.push({ id: totalId(q), patientIds: allCells.flatMap((c) => [...patientsFor(c, q)]) });
    relations.push({
      total: totalId('eligible'),
      parts: [totalId('numerator'), totalId('notMet')],
    });
  }
  const oneWay = new Map<string, StratifiedTable<MeasureStratumCounts>>();
  for (const table of tables) {
    const tableId = tableIdOf(table);
    if (table.stratifiers.length === 1) oneWay.set(tableId, table);
    for (const cell of table.cells) {
      for (const q of QUANTITIES)
        counts.push({ id: idOf(tableId, cell.key, q), patientIds: patientsFor(cell, q) });
      relations.push({
        total: idOf(tableId, cell.key, 'eligible'),
        parts: [idOf(tableId, cell.key, 'numerator'), idOf(tableId, cell.key, 'notMet')],
      });
    }
    for (const q of QUANTITIES)
      relations.push({ total: totalId(q), parts: table.cells.map((c) => idOf(tableId, c.key, q)) });
  }
  for (const table of tables) {
    if (table.stratifiers.length !== 2) continue;
    const tableId = tableIdOf(table);
    table.stratifiers.forEach((stratifier, axis) => {
      const margin = oneWay.get(stratifier.id);
      if (!margin) return;
      for (const marginCell of margin.cells)
        for (const q of QUANTITIES)
          relations.push({
            total: idOf(stratifier.id, marginCell.key, q),
            parts: table.cells
              .filter((c) => c.key.split('|')[axis] === marginCell.key)
              .map((c) => idOf(tableId, c.key, q)),
          });
    });
  }
  const completenessIds: Record<string, string> = {};
  for (const [stratifierId, table] of oneWay) {
    const id = `completeness/${stratifierId}/recorded`;
    completenessIds[stratifierId] = id;
    const categoryCells = table.cells.filter((c) => c.strata[0]?.kind === 'category');
    counts.push({ id, patientIds: categoryCells.flatMap((c) => c.patientIds) });
    relations.push({
      total: id,
      parts: categoryCells.map((c) => idOf(stratifierId, c.key, 'patients')),
    });
  }

  const published = suppressCounts(counts, relations, policy);
  const get = (id: string): Published<number> =>
    published[id] ?? { kind: 'suppressed', reason: 'complementary' };
  const raw = (cells: readonly MeasureStratumCounts[]) => ({
    numerator: cells.reduce((s, c) => s + c.numerator, 0),
    eligible: cells.reduce((s, c) => s + c.eligible, 0),
  });
  const totalNumerator = get(totalId('numerator'));
  const totalEligible = get(totalId('eligible'));
  const totalNotMet = get(totalId('notMet'));
  return {
    total: {
      patients: get(totalId('patients')),
      eligible: totalEligible,
      numerator: totalNumerator,
      notMet: totalNotMet,
      rate: publishedRate(totalNumerator, totalEligible, totalNotMet, raw(first?.cells ?? [])),
    },
    tables: tables.map((table) => {
      const tableId = tableIdOf(table);
      return {
        tableId,
        stratifierIds: table.stratifiers.map((s) => s.id),
        cells: table.cells.map((cell) => {
          const numerator = get(idOf(tableId, cell.key, 'numerator'));
          const eligible = get(idOf(tableId, cell.key, 'eligible'));
          const notMet = get(idOf(tableId, cell.key, 'notMet'));
          return {
            key: cell.key,
            strata: cell.strata,
            patients: get(idOf(tableId, cell.key, 'patients')),
            eligible,
            numerator,
            notMet,
            rate: publishedRate(numerator, eligible, notMet, cell),
          };
        }),
      };
    }),
    completenessRecorded: Object.fromEntries(
      Object.entries(completenessIds).map(([stratifierId, id]) => [stratifierId, get(id)]),
    ),
  };
}

/**
 * Strata of a published table whose rate is withheld, with the reason: feed this to
 * `compareToReference` and `disparityIndices` so nothing is computed from a withheld cell.
 */
export function withheldStrata(table: PublishedMeasureTable): Record<string, SuppressionReason> {
  const out: Record<string, SuppressionReason> = {};
  for (const cell of table.cells)
    if (cell.rate.kind === 'suppressed') out[cell.key] = cell.rate.reason;
  return out;
}
