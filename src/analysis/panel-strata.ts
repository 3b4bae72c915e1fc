// The dashboard's stratifiers as equity `Stratifier`s, over the SAME per-patient assignment as the
// CLI's summary report: the demographic ones through ./demographic-strata (the readers in
// src/clinical/demographics), administrative gender and the age band through the CLI's own
// `genderStratifier` / `ageBandStratifier` (src/measures/measure-report) over the same record
// facts. Only the labels' form differs: equity strata are a category {code, display} or an
// absence {reason}.

import type { PatientRecord } from '../clinical/patient-record';
import { ABSENCE_REASONS, stratumKey, type AbsenceReason, type Stratum } from '../equity/stratum';
import {
  AGE_BANDS,
  UNKNOWN_STRATUM,
  ageBandStratifier,
  genderStratifier,
  type ReportPeriod,
  type StratificationFacts,
} from '../measures/measure-report';
import type { PanelStratifierId } from './panel-view-model';
import {
  declaredStrata,
  demographicStratumOf,
  type CollectedStratifierId,
  type DemographicInput,
  type DemographicStratum,
} from './demographic-strata';

/** What the simple gender / age-band stratifiers need from a record. */
export function stratificationFactsOfRecord(record: PatientRecord): StratificationFacts {
  const b = record.birthDate;
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    gender: record.gender,
    ...(b ? { birthDate: `${String(b.year).padStart(4, '0')}-${pad(b.month)}-${pad(b.day)}` } : {}),
  };
}

export const PANEL_STRATIFIER_IDS: readonly PanelStratifierId[] = [
  'race',
  'ethnicity',
  'spd15',
  'language',
  'interpreter',
  'sex',
  'gender',
  'sexual-orientation',
  'gender-identity',
  'payer',
  'age',
  'social-need',
];

export function isPanelStratifierId(value: unknown): value is PanelStratifierId {
  return typeof value === 'string' && (PANEL_STRATIFIER_IDS as readonly string[]).includes(value);
}

/** A stratum as the dashboard shows it: the equity stratum, its key and label. */
export interface PanelStratum {
  /** `stratumKey(stratum)`, e.g. "category:2054-5", "absent:unknown". */
  key: string;
  stratum: Stratum;
  label: string;
  absent: boolean;
}

const ABSENCE_DISPLAY: Readonly<Record<AbsenceReason, string>> = {
  'asked-declined': 'Asked but declined',
  unknown: 'Unknown',
  'not-collected': 'Not collected',
};

function categoryStratum(code: string, label: string): PanelStratum {
  const stratum: Stratum = { kind: 'category', code, display: label };
  return { key: stratumKey(stratum), stratum, label, absent: false };
}

export function absentStratum(reason: AbsenceReason): PanelStratum {
  const stratum: Stratum = { kind: 'absent', reason };
  return { key: stratumKey(stratum), stratum, label: ABSENCE_DISPLAY[reason], absent: true };
}

function fromDemographic(s: DemographicStratum): PanelStratum {
  return s.kind === 'category' ? categoryStratum(s.code, s.label) : absentStratum(s.absence);
}

// Administrative gender: the CLI's labels are Patient.gender's codes; the record's
// "not-recorded" (no Patient.gender) is "Not collected", Patient.gender = unknown is "Unknown".
const GENDER_STRATA: ReadonlyMap<string, PanelStratum> = new Map([
  ['female', categoryStratum('female', 'Female')],
  ['male', categoryStratum('male', 'Male')],
  ['other', categoryStratum('other', 'Other')],
  [UNKNOWN_STRATUM, absentStratum('unknown')],
  ['not-recorded', absentStratum('not-collected')],
]);

/** Age bands at the period end (the eCQMs' age): the CLI's bands; no usable birth date: Unknown. */
const AGE_STRATA: ReadonlyMap<string, PanelStratum> = new Map([
  ...AGE_BANDS.map((b): [string, PanelStratum] => [b.label, categoryStratum(b.label, b.label)]),
  [UNKNOWN_STRATUM, absentStratum('unknown')],
]);

const withAllAbsences = (strata: readonly PanelStratum[]): PanelStratum[] => {
  const keys = new Set(strata.map((s) => s.key));
  return [...strata, ...ABSENCE_REASONS.map(absentStratum).filter((s) => !keys.has(s.key))];
};

/** Every stratum a stratifier declares, in display order, with all three absences. */
export function declaredPanelStrata(id: PanelStratifierId): PanelStratum[] {
  switch (id) {
    case 'gender':
      return withAllAbsences([...GENDER_STRATA.values()]);
    case 'age':
      return withAllAbsences([...AGE_STRATA.values()]);
    default:
      return withAllAbsences(declaredStrata(id).map(fromDemographic));
  }
}

/**
 * Stratifiers read from the Patient resource alone, whatever the period (./demographic-strata:
 * each needs only the Patient and ignores the period). The dataset reads them as each Patient
 * arrives, while the rest of the panel is still downloading.
 */
export const PATIENT_ONLY_STRATIFIER_IDS = [
  'race',
  'ethnicity',
  'spd15',
  'language',
  'interpreter',
  'sex',
] as const satisfies readonly CollectedStratifierId[];

/** A patient's strata under the Patient-only stratifiers (see PATIENT_ONLY_STRATIFIER_IDS). */
export function patientOnlyStrata(
  demographics: DemographicInput,
): ReadonlyMap<PanelStratifierId, PanelStratum> {
  // The period is unused by these stratifiers; any period gives the same stratum.
  const period = { start: '0001-01-01', end: '9999-12-31' };
  return new Map(
    PATIENT_ONLY_STRATIFIER_IDS.map((id): [PanelStratifierId, PanelStratum] => [
      id,
      fromDemographic(demographicStratumOf(id, demographics, { period })),
    ]),
  );
}

/** What the stratum assignment reads of one patient. */
export interface PatientStrataInput {
  id: string;
  facts: StratificationFacts;
  demographics: DemographicInput;
  /** Strata already read (patientOnlyStrata), used as they are for any period. */
  knownStrata?: ReadonlyMap<PanelStratifierId, PanelStratum>;
}

/**
 * The stratum of every patient for one stratifier over one period, as an index into `strata`
 * (declared strata in order; categories met but not declared, e.g. languages, come first, by
 * label, as in the CLI's report).
 */
export interface StratumAssignment {
  stratifierId: PanelStratifierId;
  strata: PanelStratum[];
  /** Patient (in input order) → index into `strata`. */
  index: Uint16Array;
}

export function assignStrata(
  id: PanelStratifierId,
  patients: readonly PatientStrataInput[],
  period: ReportPeriod,
): StratumAssignment {
  const declared = declaredPanelStrata(id);
  const byKey = new Map(declared.map((s) => [s.key, s]));
  const extra = new Map<string, PanelStratum>();
  const keys: string[] = new Array<string>(patients.length);
  let of: (p: PatientStrataInput) => PanelStratum;
  if (id === 'gender' || id === 'age') {
    const facts = new Map(patients.map((p) => [p.id, p.facts]));
    const report =
      id === 'gender'
        ? genderStratifier((pid) => facts.get(pid))
        : ageBandStratifier((pid) => facts.get(pid), period.end);
    const table = id === 'gender' ? GENDER_STRATA : AGE_STRATA;
    of = (p) => {
      const label = report.stratumOf(p.id);
      return table.get(label) ?? categoryStratum(label, label);
    };
  } else {
    const collected: CollectedStratifierId = id;
    of = (p) =>
      p.knownStrata?.get(id) ??
      fromDemographic(demographicStratumOf(collected, p.demographics, { period }));
  }
  patients.forEach((p, i) => {
    const s = of(p);
    keys[i] = s.key;
    if (!byKey.has(s.key)) extra.set(s.key, s);
  });
  const strata = [
    ...[...extra.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
    ...declared,
  ];
  const position = new Map(strata.map((s, i) => [s.key, i]));
  const index = new Uint16Array(patients.length);
  keys.forEach((k, i) => {
    index[i] = position.get(k) ?? 0;
  });
  return { stratifierId: id, strata, index };
}
