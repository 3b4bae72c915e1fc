// Groups per-patient measure outcomes by one stratifier or by two at once (intersections) and
// counts the measure populations in each stratum. Every patient lands in exactly one stratum, so
// strata always sum to the panel; absent values are strata of their own.

import type { AbsenceReason, Stratifier, Stratum } from './stratum';
import { ABSENCE_REASONS, stratumKey, stratumOf } from './stratum';

/**
 * Population membership for one patient, structurally the same as `PatientMeasureResult` in
 * src/measures/measure-result.ts (the lint boundary keeps src/equity from importing src/measures,
 * so the shape is restated here; a test checks that the two stay assignable).
 */
export interface MeasureOutcome {
  measureId: string;
  patientId: string;
  populations: {
    initialPopulation: boolean;
    denominator: boolean;
    denominatorExclusion: boolean;
    denominatorException: boolean;
    numerator: boolean;
  };
}

/** Events and person-time for one patient (e.g. ED visits, per 1,000 patient-years). */
export interface EventOutcome {
  patientId: string;
  events: number;
  personYears: number;
}

/** Measured values for one patient (e.g. lengths of stay of their admissions). */
export interface ContinuousOutcome {
  patientId: string;
  values: readonly number[];
}

export interface StratifierRef {
  id: string;
  display: string;
}

/** A stratum of one stratifier, or a cell of two stratifiers crossed. */
export interface StratumCell {
  /** `stratumKey` of each stratum joined by '|', unique within the table. */
  key: string;
  strata: Stratum[];
  /** Patients in the cell (the panel slice), with or without a value. */
  patientIds: string[];
}

export interface MeasureStratumCounts extends StratumCell {
  initialPopulation: number;
  denominator: number;
  denominatorExclusion: number;
  denominatorException: number;
  /** Eligible denominator: in the denominator and neither excluded nor excepted. */
  eligible: number;
  /** Numerator patients within the eligible denominator. */
  numerator: number;
  eligiblePatientIds: string[];
  numeratorPatientIds: string[];
}

export type Share = { kind: 'value'; value: number } | { kind: 'not-applicable' };

/** How many patients have a recorded value for a stratifier (CMS/NCQA data-completeness rate). */
export interface Completeness {
  stratifierId: string;
  panelSize: number;
  /** Patients with a category. */
  recorded: number;
  /** Patients by absence reason; `asked-declined` is a recorded answer but not a category. */
  absent: Record<AbsenceReason, number>;
  share: Share;
}

export interface StratifiedTable<C extends StratumCell> {
  stratifiers: StratifierRef[];
  panelSize: number;
  cells: C[];
  completeness: Completeness[];
}

/** Category strata the caller wants reported even when empty (e.g. all OMB race categories). */
export interface StratifierWithCategories extends Stratifier {
  categories?: readonly { code: string; display: string }[];
}

function orderStrata(a: Stratum, b: Stratum): number {
  if (a.kind === 'category' && b.kind === 'category') return a.code.localeCompare(b.code);
  if (a.kind === 'category') return -1;
  if (b.kind === 'category') return 1;
  return ABSENCE_REASONS.indexOf(a.reason) - ABSENCE_REASONS.indexOf(b.reason);
}

/** The strata reported for a stratifier: declared categories, observed ones, and every absence. */
function reportedStrata(stratifier: StratifierWithCategories, observed: Stratum[]): Stratum[] {
  const byKey = new Map<string, Stratum>();
  for (const c of stratifier.categories ?? [])
    byKey.set(stratumKey({ kind: 'category', ...c }), { kind: 'category', ...c });
  for (const s of observed) if (!byKey.has(stratumKey(s))) byKey.set(stratumKey(s), s);
  for (const reason of ABSENCE_REASONS) {
    const s: Stratum = { kind: 'absent', reason };
    if (!byKey.has(stratumKey(s))) byKey.set(stratumKey(s), s);
  }
  return [...byKey.values()].sort(orderStrata);
}

function completenessOf(stratifier: Stratifier, patientIds: readonly string[]): Completeness {
  const absent: Record<AbsenceReason, number> = {
    'asked-declined': 0,
    unknown: 0,
    'not-collected': 0,
  };
  let recorded = 0;
  for (const id of patientIds) {
    const s = stratumOf(stratifier.strata, id);
    if (s.kind === 'category') recorded += 1;
    else absent[s.reason] += 1;
  }
  const panelSize = patientIds.length;
  return {
    stratifierId: stratifier.id,
    panelSize,
    recorded,
    absent,
    share:
      panelSize === 0 ? { kind: 'not-applicable' } : { kind: 'value', value: recorded / panelSize },
  };
}

/**
 * Groups items (one per patient) into the cells of one stratifier or two crossed stratifiers.
 * Every reported cell is present even when empty; the cells partition the items.
 */
export function groupByStrata<T extends { patientId: string }>(
  items: readonly T[],
  stratifiers:
    | readonly [StratifierWithCategories]
    | readonly [StratifierWithCategories, StratifierWithCategories],
): { table: StratifiedTable<StratumCell>; members: Map<string, T[]> } {
  const ids = items.map((i) => i.patientId);
  const perStratifier = stratifiers.map((st) =>
    reportedStrata(
      st,
      ids.map((id) => stratumOf(st.strata, id)),
    ),
  );
  let combos: Stratum[][] = [[]];
  for (const strata of perStratifier) combos = combos.flatMap((c) => strata.map((s) => [...c, s]));
  const keyOf = (strata: readonly Stratum[]) => strata.map(stratumKey).join('|');
  const members = new Map<string, T[]>(combos.map((c) => [keyOf(c), []]));
  for (const item of items) {
    const key = keyOf(stratifiers.map((st) => stratumOf(st.strata, item.patientId)));
    members.get(key)?.push(item);
  }
  const cells = combos.map((strata) => {
    const key = keyOf(strata);
    return { key, strata, patientIds: (members.get(key) ?? []).map((i) => i.patientId) };
  });
  return {
    table: {
      stratifiers: stratifiers.map((s) => ({ id: s.id, display: s.display })),
      panelSize: items.length,
      cells,
      completeness: stratifiers.map((s) => completenessOf(s, ids)),
    },
    members,
  };
}

/**
 * Counts measure populations per stratum. Eligible denominator = denominator − exclusions −
 * exceptions (CMS eCQM proportion scoring); the numerator is counted within it.
 */
export function stratifyOutcomes(
  outcomes: readonly MeasureOutcome[],
  stratifiers:
    | readonly [StratifierWithCategories]
    | readonly [StratifierWithCategories, StratifierWithCategories],
): StratifiedTable<MeasureStratumCounts> {
  const { table, members } = groupByStrata(outcomes, stratifiers);
  const cells = table.cells.map((cell): MeasureStratumCounts => {
    const rows = members.get(cell.key) ?? [];
    const eligibleRows = rows.filter(
      (r) =>
        r.populations.denominator &&
        !r.populations.denominatorExclusion &&
        !r.populations.denominatorException,
    );
    const numeratorRows = eligibleRows.filter((r) => r.populations.numerator);
    const count = (pick: (p: MeasureOutcome['populations']) => boolean) =>
      rows.filter((r) => pick(r.populations)).length;
    return {
      ...cell,
      initialPopulation: count((p) => p.initialPopulation),
      denominator: count((p) => p.denominator),
      denominatorExclusion: count((p) => p.denominator && p.denominatorExclusion),
      denominatorException: count(
        (p) => p.denominator && !p.denominatorExclusion && p.denominatorException,
      ),
      eligible: eligibleRows.length,
      numerator: numeratorRows.length,
      eligiblePatientIds: eligibleRows.map((r) => r.patientId),
      numeratorPatientIds: numeratorRows.map((r) => r.patientId),
    };
  });
  return { ...table, cells };
}

export interface EventStratum extends StratumCell {
  events: number;
  personYears: number;
}

/** Sums events and person-years per stratum. */
export function stratifyEventOutcomes(
  outcomes: readonly EventOutcome[],
  stratifiers:
    | readonly [StratifierWithCategories]
    | readonly [StratifierWithCategories, StratifierWithCategories],
): StratifiedTable<EventStratum> {
  const { table, members } = groupByStrata(outcomes, stratifiers);
  return {
    ...table,
    cells: table.cells.map((cell) => {
      const rows = members.get(cell.key) ?? [];
      return {
        ...cell,
        events: rows.reduce((s, r) => s + r.events, 0),
        personYears: rows.reduce((s, r) => s + r.personYears, 0),
      };
    }),
  };
}

export interface ContinuousStratum extends StratumCell {
  values: number[];
}

/** Collects the values of each stratum's patients. */
export function stratifyContinuousOutcomes(
  outcomes: readonly ContinuousOutcome[],
  stratifiers:
    | readonly [StratifierWithCategories]
    | readonly [StratifierWithCategories, StratifierWithCategories],
): StratifiedTable<ContinuousStratum> {
  const { table, members } = groupByStrata(outcomes, stratifiers);
  return {
    ...table,
    cells: table.cells.map((cell) => ({
      ...cell,
      values: (members.get(cell.key) ?? []).flatMap((r) => [...r.values]),
    })),
  };
}
