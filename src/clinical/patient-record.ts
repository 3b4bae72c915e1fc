// The compact, query-ready form of one patient's FHIR R4 data that the measure engine reads.
// Built by ./build-patient-records.ts from any mix of resources. Compact on purpose: times are
// numbers (epoch milliseconds, UTC), codes are `system|code` strings, and only the elements the
// eCQMs (and the equity strata) read are kept, so 100,000 patients fit in memory.
// Records are read-only data: an empty or one-element list may be a shared frozen array (one per
// distinct code), so never mutate them.

/** `system|code`, e.g. `http://loinc.org|4548-4`. One lookup in a ValueSetRegistry. */
export type CodeKey = string;

/**
 * A CQL `Interval<DateTime>` reduced to two instants (epoch ms). Both boundaries are closed.
 * `null` means the boundary is unknown/absent in the data (e.g. a Period without `end`); how
 * that reads (unbounded or unknown) is decided by the CQL operator, see ./cql-time.ts.
 * FHIR `date` values without a time are placed at midnight of the build's timezone offset
 * (CQL converts a Date to a DateTime with the evaluation request's offset).
 */
export interface TimeInterval {
  start: number | null;
  end: number | null;
}

/** A birth date kept as calendar fields: CQL `AgeInYearsAt` is calendar arithmetic, not ms. */
export interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

/** `Observation.value[x]`, as much as measures need of it. */
export type ObservationValue =
  | { kind: 'quantity'; value: number; unit: string | null }
  | { kind: 'concept'; codes: CodeKey[] }
  /**
   * valueInteger (e.g. the AHC HRSN safety total 95614-4). Kept apart from `quantity`: in CQL an
   * Integer is not a Quantity, so `value as Quantity` comparisons (CMS122) must not see it.
   */
  | { kind: 'integer'; value: number }
  /** A value of another type (string, boolean, …): present, but neither a number nor a code. */
  | { kind: 'other' }
  /** No value; `reason` is the dataAbsentReason code (e.g. `asked-declined`) when one is given. */
  | { kind: 'absent'; reason: string | undefined };

export interface ObservationComponent {
  codes: CodeKey[];
  value: ObservationValue;
}

interface FactBase {
  /** `Type/id` reference, the evidence measures report. */
  ref: string;
  id: string;
  /** The resource's `status` code ('' when missing). */
  status: string;
}

export interface EncounterFact extends FactBase {
  /** `Encounter.type` codings: the retrieve code path of `[Encounter: "VS"]`. */
  codes: CodeKey[];
  /** `Encounter.class.code` (v3-ActCode: AMB, EMER, IMP, …) or '' */
  classCode: string;
  period: TimeInterval | null;
  /** `Encounter.hospitalization.dischargeDisposition` codings */
  dischargeDisposition: CodeKey[];
}

export interface ConditionFact extends FactBase {
  codes: CodeKey[];
  /** condition-clinical code (active, recurrence, relapse, inactive, remission, resolved) or '' */
  clinicalStatus: string;
  /** condition-ver-status code, or '' when the element is absent (CQL null). */
  verificationStatus: string;
  /** condition-category codes: problem-list-item, encounter-diagnosis, health-concern … */
  categories: string[];
  bodySite: CodeKey[];
  /** `onset[x]` as an interval (QICoreCommon `toInterval`); null when absent. */
  onset: TimeInterval | null;
  /**
   * `abatement[x]` as QICoreCommon `abatementInterval()`; `abatementEndOpen` is true for the
   * forms whose end is exclusive (age ranges, Period).
   */
  abatement: TimeInterval | null;
  abatementEndOpen: boolean;
}

export interface ObservationFact extends FactBase {
  codes: CodeKey[];
  /** observation-category codes (laboratory, vital-signs, imaging, exam, survey …) */
  categories: string[];
  /** `effective[x]` (dateTime, instant or Period) as an interval; null when absent. */
  effective: TimeInterval | null;
  /** `issued`, epoch ms, or null */
  issued: number | null;
  value: ObservationValue;
  components: ObservationComponent[];
  /** Id of `Observation.encounter` (the tail of the reference), or '' */
  encounterId: string;
  /** QI-Core notDoneReason extension codings (ObservationCancelled) */
  notDoneReason: CodeKey[];
  /** True when the resource declares the US Core / FHIR blood pressure profile or code 85354-9. */
  bloodPressure: boolean;
}

export interface ProcedureFact extends FactBase {
  codes: CodeKey[];
  /** `performed[x]` as an interval; null when absent. */
  performed: TimeInterval | null;
}

/** ServiceRequest, DeviceRequest (codeCodeableConcept) */
export interface RequestFact extends FactBase {
  codes: CodeKey[];
  intent: string;
  authoredOn: number | null;
}

/**
 * Where a MedicationRequest's codes came from. QI-Core/US Core MedicationRequest.medication[x] is
 * a CodeableConcept or a Reference(Medication), whose `Medication.code` is then the drug; EHRs
 * (Epic, Oracle Health) send the reference. `unresolved`: a reference to a Medication the input
 * never held (or an unusable one), so the fact has no codes and no measure can see the drug;
 * `absent`: neither element.
 */
export type MedicationSource =
  'codeable-concept' | 'contained' | 'referenced' | 'unresolved' | 'absent';

export interface MedicationRequestFact extends RequestFact {
  /**
   * CumulativeMedicationDuration `medicationRequestPeriod()`, computed at build time from
   * dosage, dispenseRequest and authoredOn; null when it cannot be computed.
   */
  requestPeriod: TimeInterval | null;
  medicationSource: MedicationSource;
  /** `medicationReference.reference` as written (`#id`, `Medication/id`, a URL), else null. */
  medicationReference: string | null;
}

export interface CoverageFact extends FactBase {
  /** `Coverage.type` codings (payer, SDE Payer) */
  codes: CodeKey[];
  period: TimeInterval | null;
}

/** Administrative sex (`Patient.gender`). */
export type AdministrativeGender = 'male' | 'female' | 'other' | 'unknown' | 'not-recorded';

export interface PatientRecord {
  id: string;
  birthDate: CalendarDate | null;
  gender: AdministrativeGender;
  /** `us-core-sex` extension code (SNOMED 248152002 female, 248153007 male), '' if absent. */
  sexCode: string;
  /** Epoch ms of `deceasedDateTime`, `true` if `deceasedBoolean` is true, else null. */
  deceased: number | true | null;
  /** us-core-race `ombCategory` + `detailed` codes (CDC race & ethnicity system), text. */
  race: { codes: string[]; text: string | null };
  /** us-core-ethnicity `ombCategory` + `detailed` codes, text. */
  ethnicity: { codes: string[]; text: string | null };
  /** `Patient.communication.language` codes (BCP-47), preferred first. */
  languages: string[];
  encounters: EncounterFact[];
  conditions: ConditionFact[];
  observations: ObservationFact[];
  procedures: ProcedureFact[];
  serviceRequests: RequestFact[];
  deviceRequests: RequestFact[];
  medicationRequests: MedicationRequestFact[];
  coverages: CoverageFact[];
  /** Resources read but of types no measure uses, counted by type (for data-quality notes). */
  otherResources: Record<string, number>;
  /**
   * MedicationRequests whose `medicationReference` did not resolve to a Medication by `build()`
   * (a data-quality note: the measures cannot see those drugs, e.g. dementia medications in the
   * advanced illness and frailty exclusion, CMS2's depression medications).
   */
  unresolvedMedicationRequests: number;
}

/** Looks up value-set membership: built from the official `valuesets.json` Bundles. */
export interface ValueSetRegistry {
  /** True when `system|code` is in the value set (canonical URL, with or without `|version`, or its OID). */
  has(valueSetUrl: string, code: CodeKey): boolean;
  /** True when any of the codes is in the value set. */
  hasAny(valueSetUrl: string, codes: readonly CodeKey[]): boolean;
  /** The canonical URLs of the value sets containing the code (empty when none). */
  valueSetsOf(code: CodeKey): ReadonlySet<string>;
  /** Whether the registry holds an expansion for the value set at all. */
  knows(valueSetUrl: string): boolean;
  readonly size: number;
}
