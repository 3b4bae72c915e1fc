// Published per-stratum event rates (per 1,000 patient-years, exact Poisson CI) and continuous
// summaries (mean with t interval, median with order-statistic interval), with the same
// small-cell and complementary suppression as the proportion tables.

import type { Estimate } from './interval';
import type { ContinuousSummary } from './rate-statistics';
import { eventRate, summarizeContinuous } from './rate-statistics';
import type {
  ContinuousStratum,
  EventStratum,
  StratifiedTable,
  StratumCell,
} from './stratify-outcomes';
import type { Stratum } from './stratum';
import type {
  CountRelation,
  CountToPublish,
  Published,
  SuppressionPolicy,
  SuppressionReason,
} from './suppression';
import { CMS_CELL_SIZE_POLICY, combineReasons, suppressCounts } from './suppression';

export interface PublishedEventStratum {
  key: string;
  strata: Stratum[];
  patients: Published<number>;
  events: Published<number>;
  /** Events per 1,000 patient-years; withheld with the events or patients behind it. */
  ratePer1000: Estimate | { kind: 'suppressed'; reason: SuppressionReason };
}

export interface PublishedContinuousStratum {
  key: string;
  strata: Stratum[];
  patients: Published<number>;
  /** Withheld when the patients behind it are: a median of a few values is one patient's value. */
  summary: ContinuousSummary | { kind: 'suppressed'; reason: SuppressionReason };
}

/**
 * Suppresses per-stratum counts of patients and of a second countable quantity (events), treating
 * each event as an item so the same linear audit covers the table and its totals.
 */
function suppressPatientsAndItems<C extends StratumCell>(
  cells: readonly C[],
  itemsOf: (cell: C) => string[],
  policy: SuppressionPolicy,
): { patients: (key: string) => Published<number>; items: (key: string) => Published<number> } {
  const counts: CountToPublish[] = [
    { id: 'total/patients', patientIds: cells.flatMap((c) => c.patientIds) },
    { id: 'total/items', patientIds: cells.flatMap(itemsOf) },
  ];
  for (const c of cells) {
    counts.push({ id: `${c.key}/patients`, patientIds: c.patientIds });
    counts.push({ id: `${c.key}/items`, patientIds: itemsOf(c) });
  }
  const relations: CountRelation[] = [
    { total: 'total/patients', parts: cells.map((c) => `${c.key}/patients`) },
    { total: 'total/items', parts: cells.map((c) => `${c.key}/items`) },
  ];
  const out = suppressCounts(counts, relations, policy);
  const get = (id: string): Published<number> =>
    out[id] ?? { kind: 'suppressed', reason: 'complementary' };
  return {
    patients: (key) => get(`${key}/patients`),
    items: (key) => get(`${key}/items`),
  };
}

/** Event rates per stratum, with counts of 1–10 patients or events withheld. */
export function publishEventStrata(
  table: StratifiedTable<EventStratum>,
  policy: SuppressionPolicy = CMS_CELL_SIZE_POLICY,
): PublishedEventStratum[] {
  // Events are whole numbers; each becomes an item `cell#k` so sums line up across strata.
  const suppressed = suppressPatientsAndItems(
    table.cells,
    (c) => Array.from({ length: Math.round(c.events) }, (_, k) => `${c.key}#${k}`),
    policy,
  );
  return table.cells.map((c) => {
    const patients = suppressed.patients(c.key);
    const events = suppressed.items(c.key);
    const reason = combineReasons(patients, events);
    return {
      key: c.key,
      strata: c.strata,
      patients,
      events,
      ratePer1000: reason
        ? { kind: 'suppressed', reason }
        : eventRate({ events: c.events, personYears: c.personYears }),
    };
  });
}

/** Continuous summaries per stratum, withheld when the stratum has 1–10 patients. */
export function publishContinuousStrata(
  table: StratifiedTable<ContinuousStratum>,
  policy: SuppressionPolicy = CMS_CELL_SIZE_POLICY,
): PublishedContinuousStratum[] {
  const suppressed = suppressPatientsAndItems(
    table.cells,
    (c) => c.values.map((_, k) => `${c.key}#${k}`),
    policy,
  );
  return table.cells.map((c) => {
    const patients = suppressed.patients(c.key);
    const reason = combineReasons(patients, suppressed.items(c.key));
    return {
      key: c.key,
      strata: c.strata,
      patients,
      summary: reason ? { kind: 'suppressed', reason } : summarizeContinuous(c.values),
    };
  });
}
