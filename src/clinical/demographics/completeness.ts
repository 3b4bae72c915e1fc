// Data completeness per demographic element (equity.md §0.5: always show Unknown, Declined and
// the completeness rate), plus the data-quality notes met, counted by issue.

import type { Absence, DataQualityIssue, Reading } from './reading';

export type CompletenessStatus = 'recorded' | Absence;

export type CompletenessCounts = Record<CompletenessStatus, number> & {
  patients: number;
  /** Patients with at least one note of each issue. */
  issues: Partial<Record<DataQualityIssue, number>>;
};

const emptyCounts = (): CompletenessCounts => ({
  patients: 0,
  recorded: 0,
  'asked-declined': 0,
  unknown: 0,
  'not-collected': 0,
  issues: {},
});

/**
 * Counts recorded / asked-declined / unknown / not-collected per element over a list of patients,
 * each given as `{ element: reading }` (e.g. `{ race: readRace(p), ethnicity: readEthnicity(p) }`).
 */
export function summariseCompleteness<K extends string>(
  patients: readonly Readonly<Record<K, Reading<unknown>>>[],
): Map<K, CompletenessCounts> {
  const out = new Map<K, CompletenessCounts>();
  for (const patient of patients) {
    for (const element of Object.keys(patient) as K[]) {
      const reading = patient[element];
      const counts = out.get(element) ?? emptyCounts();
      counts.patients += 1;
      counts[reading.status] += 1;
      for (const issue of new Set(reading.notes.map((n) => n.issue))) {
        counts.issues[issue] = (counts.issues[issue] ?? 0) + 1;
      }
      out.set(element, counts);
    }
  }
  return out;
}

/** Share of patients with a recorded value (0–1), or undefined for no patients. */
export function completenessRate(counts: CompletenessCounts): number | undefined {
  return counts.patients === 0 ? undefined : counts.recorded / counts.patients;
}
