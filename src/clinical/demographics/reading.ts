// The shape every demographics reader returns (architecture.md rule 7): a recorded category, or an
// absence that says why, plus the data-quality notes met on the way. Readers never guess: a value
// the reader cannot place (an unknown code, an unmapped free text) is `unknown` with a note that
// keeps what was sent, so a reviewer can map it later.

/**
 * Why a demographic has no category.
 * - `asked-declined`: the patient was asked and did not answer (v3-NullFlavor ASKU,
 *   data-absent-reason `asked-declined`). HEDIS "Asked but No Answer".
 * - `unknown`: something was recorded but it says nothing usable (UNK, `unknown`, an unmapped
 *   text or code, a conflicting or impossible value). HEDIS "Unknown".
 * - `not-collected`: nothing was recorded at all (no extension, no Observation, no element).
 */
export type Absence = 'asked-declined' | 'unknown' | 'not-collected';

export const ABSENCES: readonly Absence[] = ['asked-declined', 'unknown', 'not-collected'];

/** Problems in the data, worth showing on a data-quality page (equity.md §3 "real data"). */
export type DataQualityIssue =
  /** e.g. `http://hl7.org/fhir/Profile/us-core#race` (cumulus-etl #193). */
  | 'legacy-extension-url'
  /** A flat valueCodeableConcept/valueCoding instead of the complex extension (hedis-ig #2). */
  | 'flat-extension-value'
  /** e.g. 2135-2 Hispanic or Latino as a race ombCategory (Synthea; cumulus-etl #119). */
  | 'ethnicity-code-in-race'
  | 'race-code-in-ethnicity'
  /** A category taken from free text (no code was sent). */
  | 'mapped-from-text'
  /** Free text with no code that the reader does not map: kept here, read as unknown. */
  | 'unmapped-text'
  /** A code the reader does not know (wrong system, bad check digit, outside the value set). */
  | 'unrecognised-code'
  /** ASKU/UNK sent together with categories (US Core invariant us-core-23). */
  | 'null-flavor-with-categories'
  /** Detailed codes without their OMB category (the category is derived from the hierarchy). */
  | 'detailed-without-category'
  /** The same element recorded more than once, or two sources that disagree. */
  | 'conflicting-values'
  /** A birth date with only a year or a month. */
  | 'partial-birth-date'
  | 'birth-date-after-reference-date'
  /** A Coverage without a Source of Payment Typology code. */
  | 'no-payer-typology';

export interface DataQualityNote {
  issue: DataQualityIssue;
  /** What was seen, for a person: codes, texts, URLs. */
  detail: string;
}

export type Reading<T> =
  | { status: 'recorded'; value: T; notes: DataQualityNote[] }
  | { status: Absence; notes: DataQualityNote[] };

export function recorded<T>(value: T, notes: DataQualityNote[] = []): Reading<T> {
  return { status: 'recorded', value, notes };
}

export function absent<T>(status: Absence, notes: DataQualityNote[] = []): Reading<T> {
  return { status, notes };
}

export const NULL_FLAVOR_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';
/** The pre-THO URL some servers still send. */
export const LEGACY_NULL_FLAVOR_SYSTEM = 'http://hl7.org/fhir/v3/NullFlavor';
export const DATA_ABSENT_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
export const DATA_ABSENT_REASON_EXTENSION =
  'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const LOINC_SYSTEM = 'http://loinc.org';

/**
 * Reads a null flavor or data-absent-reason coding as an absence; undefined for any other coding.
 * ASKU and `asked-declined` are declines; UNK, `unknown`, `asked-unknown`, NI, NA… are unknown.
 * OTH ("other") is not an absence: callers map it to their "another" category.
 */
export function absenceOfCoding(coding: fhir4.Coding | undefined): Absence | undefined {
  if (coding?.code === undefined) return undefined;
  if (coding.system === NULL_FLAVOR_SYSTEM || coding.system === LEGACY_NULL_FLAVOR_SYSTEM) {
    if (coding.code === 'ASKU') return 'asked-declined';
    if (coding.code === 'OTH') return undefined;
    return 'unknown';
  }
  if (coding.system === DATA_ABSENT_REASON_SYSTEM) {
    return coding.code === 'asked-declined' ? 'asked-declined' : 'unknown';
  }
  return undefined;
}

/** The absence carried by a `data-absent-reason` extension (valueCode) on an element, if any. */
export function absenceOfExtensions(
  extensions: readonly fhir4.Extension[] | undefined,
): Absence | undefined {
  const ext = extensions?.find((e) => e.url === DATA_ABSENT_REASON_EXTENSION);
  if (ext?.valueCode === undefined) return undefined;
  return ext.valueCode === 'asked-declined' ? 'asked-declined' : 'unknown';
}

/** Lower-case, trimmed, single-spaced text for table look-ups. */
export function normaliseText(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Text that means the patient declined or that the value is unknown, in any reader. */
const ABSENCE_TEXTS: ReadonlyMap<string, Absence> = new Map([
  ['declined', 'asked-declined'],
  ['patient declined', 'asked-declined'],
  ['declined to answer', 'asked-declined'],
  ['declined to specify', 'asked-declined'],
  ['asked but declined', 'asked-declined'],
  ['asked but no answer', 'asked-declined'],
  ['refused', 'asked-declined'],
  ['choose not to disclose', 'asked-declined'],
  ['prefer not to say', 'asked-declined'],
  ['prefer not to answer', 'asked-declined'],
  ['unknown', 'unknown'],
  ['not known', 'unknown'],
  ["don't know", 'unknown'],
  ['unavailable', 'unknown'],
]);

export function absenceOfText(text: string): Absence | undefined {
  return ABSENCE_TEXTS.get(normaliseText(text));
}

/** The patient's extensions with one of the given URLs (current URL first, then legacy ones). */
export function extensionsOf(
  patient: fhir4.Patient,
  urls: readonly string[],
): { ext: fhir4.Extension; legacy: boolean }[] {
  return (patient.extension ?? [])
    .filter((e) => urls.includes(e.url))
    .map((ext) => ({ ext, legacy: ext.url !== urls[0] }));
}

/** Epoch ms of an Observation's clinically relevant time: effective[x] start, else issued. */
export function observationTime(obs: fhir4.Observation): number | undefined {
  const text = obs.effectiveDateTime ?? obs.effectivePeriod?.start ?? obs.effectivePeriod?.end;
  const fromEffective = text === undefined ? Number.NaN : Date.parse(text);
  if (!Number.isNaN(fromEffective)) return fromEffective;
  const issued = obs.issued === undefined ? Number.NaN : Date.parse(obs.issued);
  return Number.isNaN(issued) ? undefined : issued;
}

/** Observations that are results (not cancelled, preliminary or entered in error). */
export function isResult(obs: fhir4.Observation): boolean {
  return obs.status === 'final' || obs.status === 'amended' || obs.status === 'corrected';
}

/** Observations whose code includes the LOINC code, latest first (undated ones last). */
export function latestObservations(
  observations: readonly fhir4.Observation[],
  loinc: string,
): fhir4.Observation[] {
  return observations
    .filter(
      (o) =>
        isResult(o) &&
        (o.code.coding ?? []).some((c) => c.system === LOINC_SYSTEM && c.code === loinc),
    )
    .map((o) => ({ o, t: observationTime(o) ?? Number.NEGATIVE_INFINITY }))
    .sort((a, b) => b.t - a.t)
    .map((x) => x.o);
}
