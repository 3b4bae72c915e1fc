// Strata: the value of one stratifier (race, ethnicity, language, SOGI, payer, …) for a patient.
// An absent value is its own stratum with a reason, never dropped (NCQA HEDIS "Asked but No
// Answer" / "Unknown"; Health Equity Tracker's absence taxonomy), so strata always sum to the panel.

/** Why a demographic value is missing, as the demographic readers in src/clinical report it. */
export type AbsenceReason = 'asked-declined' | 'unknown' | 'not-collected';

export const ABSENCE_REASONS: readonly AbsenceReason[] = [
  'asked-declined',
  'unknown',
  'not-collected',
];

export type Stratum =
  { kind: 'category'; code: string; display: string } | { kind: 'absent'; reason: AbsenceReason };

/** A patient's stratum for one stratifier: a lookup table or a function over patient ids. */
export type StratumSource = ReadonlyMap<string, Stratum> | ((patientId: string) => Stratum);

export interface Stratifier {
  /** Stable id, e.g. 'race', 'preferred-language', 'payer'. */
  id: string;
  display: string;
  strata: StratumSource;
}

/** A stable string key for a stratum, unique within a stratifier. */
export function stratumKey(stratum: Stratum): string {
  switch (stratum.kind) {
    case 'category':
      return `category:${stratum.code}`;
    case 'absent':
      return `absent:${stratum.reason}`;
  }
}

/**
 * The stratum of a patient. A patient missing from a lookup table is 'unknown' (no recorded
 * value and no recorded decline, NCQA's definition of Unknown).
 */
export function stratumOf(source: StratumSource, patientId: string): Stratum {
  if (typeof source === 'function') return source(patientId);
  return source.get(patientId) ?? { kind: 'absent', reason: 'unknown' };
}

/** Readable label of a stratum. */
export function stratumDisplay(stratum: Stratum): string {
  switch (stratum.kind) {
    case 'category':
      return stratum.display;
    case 'absent':
      switch (stratum.reason) {
        case 'asked-declined':
          return 'Asked but declined';
        case 'unknown':
          return 'Unknown';
        case 'not-collected':
          return 'Not collected';
      }
  }
}
