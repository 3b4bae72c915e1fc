// Turns FHIR R4 resources (a patient's Bundle, search-result Bundles, NDJSON lines already parsed,
// or any mix) into one compact PatientRecord per patient. Resources are read once as they arrive,
// so the raw JSON can be dropped right after; records are finished in `build()`.
// Medications are shared, not patient data: a MedicationRequest's `medicationReference` resolves
// to a contained Medication, or to a Medication added before or after it (any file, any page);
// until `build()` the caller can ask which are still missing, fetch them, and add them.

import { addYears, MS_PER_DAY, parseCalendarDate, parseDateTime } from './cql-time';
import type {
  AdministrativeGender,
  CalendarDate,
  CodeKey,
  ConditionFact,
  CoverageFact,
  EncounterFact,
  MedicationRequestFact,
  MedicationSource,
  ObservationComponent,
  ObservationFact,
  ObservationValue,
  PatientRecord,
  ProcedureFact,
  RequestFact,
  TimeInterval,
} from './patient-record';
import { codeKey } from './value-set-registry';

export interface BuildOptions {
  /** Offset (minutes east of UTC) at which FHIR dates without a time start; default 0 (UTC). */
  timezoneOffsetMinutes?: number;
  /**
   * Optional filter that keeps records small on large panels: Observations, Procedures and
   * Conditions none of whose codes it accepts are counted in `otherResources` instead of kept
   * (blood-pressure panels are always kept). Encounters are always kept: reasons count them.
   * See `acceptsCodesIn` in ./value-set-registry.
   */
  keepCodes?: (codes: readonly CodeKey[]) => boolean;
}

export interface PatientRecordBuilder {
  /** Adds a resource, a Bundle (its entries, recursively), or an array of either. */
  add(input: unknown): void;
  /**
   * The distinct `Medication/<id>` references that MedicationRequests added so far point at and
   * no Medication added so far answers (absolute URLs reduced to `Medication/<id>`), in the order
   * first met. Fetch each once and `add` it before `build()`; Bundle-local (`urn:uuid:`) and
   * contained references cannot be fetched and are not listed.
   */
  unresolvedMedicationReferences(): string[];
  /**
   * Finishes and returns the records, in the order patients were first seen. References still
   * unresolved leave their facts without codes, counted in `unresolvedMedicationRequests`.
   */
  build(): PatientRecord[];
}

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/';
const NOT_DONE_REASON = 'http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-notDoneReason';
const BP_PROFILES = new Set([
  `${US_CORE}us-core-blood-pressure`,
  'http://hl7.org/fhir/StructureDefinition/bp',
  'http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-blood-pressure',
]);
/** LOINC 85354-9 Blood pressure panel: the code the US Core BP profile fixes. */
const BP_PANEL = 'http://loinc.org|85354-9';

const KEPT_TYPES = new Set([
  'Encounter',
  'Condition',
  'Observation',
  'Procedure',
  'ServiceRequest',
  'DeviceRequest',
  'MedicationRequest',
  'Coverage',
]);

type Coding = fhir4.Coding;
type CodeableConcept = fhir4.CodeableConcept;

interface PendingAge {
  fact: ConditionFact;
  field: 'onset' | 'abatement';
  low: fhir4.Quantity | undefined;
  high: fhir4.Quantity | undefined;
}

interface Accumulator {
  record: PatientRecord;
  /**
   * Resources already read, to skip duplicates: id → type of the first resource with that id
   * (no string to build per resource), and `Type/id` refs for ids shared by several types.
   */
  seenIds: Map<string, string>;
  seenRefs: Set<string> | undefined;
  pendingAges: PendingAge[];
  /** The Patient resource was seen (else the record is a shell built from references). */
  hasPatient: boolean;
}

function emptyRecord(id: string): PatientRecord {
  return {
    id,
    birthDate: null,
    gender: 'not-recorded',
    sexCode: '',
    deceased: null,
    race: { codes: [], text: null },
    ethnicity: { codes: [], text: null },
    languages: [],
    encounters: [],
    conditions: [],
    observations: [],
    procedures: [],
    serviceRequests: [],
    deviceRequests: [],
    medicationRequests: [],
    coverages: [],
    otherResources: {},
    unresolvedMedicationRequests: 0,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The id a reference points at: the tail after the last `/` or `:` (`Patient/x`, `urn:uuid:x`). */
export function referenceTail(reference: string | undefined): string {
  if (reference === undefined) return '';
  const cut = Math.max(reference.lastIndexOf('/'), reference.lastIndexOf(':'));
  return cut < 0 ? reference : reference.slice(cut + 1);
}

/**
 * One shared, frozen empty list: most facts have no body site, components, reasons… and a
 * separate empty array for each would be most of a record's size.
 */
const NONE = Object.freeze([]) as unknown as never[];

/**
 * Shared frozen one-element lists: nearly every concept has a single coding, and one list per
 * distinct code (like the interned key itself) saves an array per fact on large panels.
 */
const SINGLE_KEYS = new Map<string, readonly string[]>();

function single(value: string): string[] {
  let list = SINGLE_KEYS.get(value);
  if (list === undefined) {
    list = Object.freeze([value]);
    SINGLE_KEYS.set(value, list);
  }
  return list as string[];
}

function codingKeys(codings: Coding[] | undefined, into: CodeKey[] = []): CodeKey[] {
  if (codings === undefined) return into;
  for (const c of codings) if (c.code !== undefined) into.push(codeKey(c.system, c.code));
  return into;
}

function conceptKeys(concept: CodeableConcept | undefined): CodeKey[] {
  const coding = concept?.coding;
  if (coding === undefined || coding.length === 0) return NONE;
  if (coding.length === 1) {
    const c = coding[0];
    return c?.code === undefined ? NONE : single(codeKey(c.system, c.code));
  }
  return codingKeys(coding);
}

function conceptsKeys(concepts: CodeableConcept[] | undefined): CodeKey[] {
  if (concepts === undefined || concepts.length === 0) return NONE;
  const keys: CodeKey[] = [];
  for (const c of concepts) codingKeys(c.coding, keys);
  return keys;
}

/** Bare codes (no system) of concepts from a known code system, e.g. categories, statuses. */
function plainCodes(concepts: CodeableConcept[] | undefined): string[] {
  if (concepts === undefined || concepts.length === 0) return NONE;
  if (concepts.length === 1) {
    const coding = concepts[0]?.coding;
    if (coding === undefined || coding.length === 0) return NONE;
    if (coding.length === 1) {
      const code = coding[0]?.code;
      return code === undefined ? NONE : single(code);
    }
  }
  const codes: string[] = [];
  for (const concept of concepts)
    for (const c of concept.coding ?? []) if (c.code !== undefined) codes.push(c.code);
  return codes;
}

function firstCode(concept: CodeableConcept | undefined): string {
  return concept?.coding?.[0]?.code ?? '';
}

export class RecordBuilder implements PatientRecordBuilder {
  private readonly byKey = new Map<string, Accumulator>();
  /** fullUrl tails of Patient entries → Patient.id, to join `urn:uuid:` references. */
  private readonly aliases = new Map<string, string>();
  private readonly offset: number;
  private readonly keepCodes: ((codes: readonly CodeKey[]) => boolean) | undefined;
  /** The last subject reference read and its accumulator. */
  private lastSubject: string | undefined;
  private lastAccumulator: Accumulator | undefined;
  /** `Medication.code` keys of the Medications added, by `Medication/id` and by Bundle fullUrl. */
  private readonly medications = new Map<string, CodeKey[]>();
  /** MedicationRequest facts waiting for the Medication they reference, by the same keys. */
  private readonly awaitingMedication = new Map<string, MedicationRequestFact[]>();

  constructor(options: BuildOptions = {}) {
    this.offset = options.timezoneOffsetMinutes ?? 0;
    this.keepCodes = options.keepCodes;
  }

  private keeps(codes: readonly CodeKey[]): boolean {
    return this.keepCodes === undefined || this.keepCodes(codes);
  }

  add(input: unknown, fullUrl?: string): void {
    if (Array.isArray(input)) {
      for (const item of input) this.add(item);
      return;
    }
    if (!isObject(input) || typeof input.resourceType !== 'string') return;
    if (input.resourceType === 'Bundle') {
      const entries = input.entry;
      if (Array.isArray(entries)) {
        for (const entry of entries) {
          if (isObject(entry))
            this.add(entry.resource, typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined);
        }
      }
      return;
    }
    this.addResource(input as unknown as fhir4.FhirResource, fullUrl);
  }

  private time(text: string | undefined): number | null {
    if (text === undefined) return null;
    const fast = fastDateTime(text);
    return Number.isNaN(fast) ? parseDateTime(text, this.offset) : fast;
  }

  private period(period: fhir4.Period | undefined): TimeInterval | null {
    if (period === undefined) return null;
    return { start: this.time(period.start), end: this.time(period.end) };
  }

  private point(text: string | undefined): TimeInterval | null {
    const t = this.time(text);
    return t === null ? null : { start: t, end: t };
  }

  private accumulator(patientKey: string): Accumulator {
    let acc = this.byKey.get(patientKey);
    if (acc === undefined) {
      acc = {
        record: emptyRecord(patientKey),
        seenIds: new Map(),
        seenRefs: undefined,
        pendingAges: [],
        hasPatient: false,
      };
      this.byKey.set(patientKey, acc);
    }
    return acc;
  }

  private addResource(resource: fhir4.FhirResource, fullUrl: string | undefined): void {
    const id = resource.id ?? referenceTail(fullUrl);
    if (resource.resourceType === 'Medication') {
      this.addMedication(resource, fullUrl);
      return;
    }
    if (resource.resourceType === 'Patient') {
      const acc = this.accumulator(id);
      if (fullUrl !== undefined) {
        const alias = referenceTail(fullUrl);
        if (alias !== id) this.aliases.set(alias, id);
      }
      if (!acc.hasPatient) {
        acc.hasPatient = true;
        readPatient(resource, acc.record);
      }
      return;
    }
    const subject = subjectOf(resource);
    let acc: Accumulator;
    if (
      subject !== undefined &&
      subject === this.lastSubject &&
      this.lastAccumulator !== undefined
    ) {
      // NDJSON and Bundles list a patient's resources together: skip the tail and the lookup.
      acc = this.lastAccumulator;
    } else {
      const patientKey = referenceTail(subject);
      if (patientKey === '') return; // Organizations, Practitioners, Medications: not patient data
      acc = this.accumulator(patientKey);
      this.lastSubject = subject;
      this.lastAccumulator = acc;
    }
    const record = acc.record;
    if (!KEPT_TYPES.has(resource.resourceType)) {
      // Claims, EOBs, immunizations…: counted, not kept (and not de-duplicated: it costs a Set entry)
      record.otherResources[resource.resourceType] =
        (record.otherResources[resource.resourceType] ?? 0) + 1;
      return;
    }
    if (!markSeen(acc, resource.resourceType, id)) return;
    // The `Type/id` evidence ref is built only for facts that are kept.
    switch (resource.resourceType) {
      case 'Encounter':
        record.encounters.push(this.encounter(resource, refOf('Encounter', id), id));
        break;
      case 'Condition': {
        // Codes first: a dropped fact costs no more than reading them.
        const codes = conceptKeys(resource.code);
        if (this.keeps(codes))
          record.conditions.push(this.condition(resource, refOf('Condition', id), id, codes, acc));
        else countUnkept(record, UNKEPT_CONDITION);
        break;
      }
      case 'Observation': {
        const codes = conceptKeys(resource.code);
        const bloodPressure = isBloodPressure(resource, codes);
        if (bloodPressure || this.keeps(codes))
          record.observations.push(
            this.observation(resource, refOf('Observation', id), id, codes, bloodPressure),
          );
        else countUnkept(record, UNKEPT_OBSERVATION);
        break;
      }
      case 'Procedure': {
        const codes = conceptKeys(resource.code);
        if (this.keeps(codes))
          record.procedures.push({
            ref: refOf('Procedure', id),
            id,
            status: resource.status ?? '',
            codes,
            performed: this.performed(resource),
          } satisfies ProcedureFact);
        else countUnkept(record, UNKEPT_PROCEDURE);
        break;
      }
      case 'ServiceRequest':
        record.serviceRequests.push({
          ref: refOf('ServiceRequest', id),
          id,
          status: resource.status ?? '',
          intent: resource.intent ?? '',
          codes: conceptKeys(resource.code),
          authoredOn: this.time(resource.authoredOn),
        } satisfies RequestFact);
        break;
      case 'DeviceRequest':
        record.deviceRequests.push({
          ref: refOf('DeviceRequest', id),
          id,
          status: resource.status ?? '',
          intent: resource.intent ?? '',
          codes: conceptKeys(resource.codeCodeableConcept),
          authoredOn: this.time(resource.authoredOn),
        } satisfies RequestFact);
        break;
      case 'MedicationRequest':
        record.medicationRequests.push(
          this.medicationRequest(resource, refOf('MedicationRequest', id), id),
        );
        break;
      case 'Coverage':
        record.coverages.push({
          ref: refOf('Coverage', id),
          id,
          status: resource.status ?? '',
          codes: conceptKeys(resource.type),
          period: this.period(resource.period),
        } satisfies CoverageFact);
        break;
      default:
        record.otherResources[resource.resourceType] =
          (record.otherResources[resource.resourceType] ?? 0) + 1;
    }
  }

  private encounter(e: fhir4.Encounter, ref: string, id: string): EncounterFact {
    return {
      ref,
      id,
      status: e.status ?? '',
      codes: conceptsKeys(e.type),
      classCode: e.class?.code ?? '',
      period: this.period(e.period),
      dischargeDisposition: conceptKeys(e.hospitalization?.dischargeDisposition),
    };
  }

  private condition(
    c: fhir4.Condition,
    ref: string,
    id: string,
    codes: CodeKey[],
    acc: Accumulator,
  ): ConditionFact {
    const fact: ConditionFact = {
      ref,
      id,
      status: '',
      codes,
      clinicalStatus: firstCode(c.clinicalStatus),
      verificationStatus: firstCode(c.verificationStatus),
      categories: plainCodes(c.category),
      bodySite: conceptsKeys(c.bodySite),
      onset: null,
      abatement: null,
      abatementEndOpen: false,
    };
    // QICoreCommon toInterval(onset): DateTime → [t, t]; Period → [start, end]; Age/Range → from birth.
    if (c.onsetDateTime !== undefined) fact.onset = this.point(c.onsetDateTime);
    else if (c.onsetPeriod !== undefined) fact.onset = this.period(c.onsetPeriod);
    else if (c.onsetAge !== undefined)
      acc.pendingAges.push({ fact, field: 'onset', low: c.onsetAge, high: c.onsetAge });
    else if (c.onsetRange !== undefined)
      acc.pendingAges.push({
        fact,
        field: 'onset',
        low: c.onsetRange.low,
        high: c.onsetRange.high,
      });
    // QICoreCommon abatementInterval(): DateTime closed; Period/Age/Range end open.
    if (c.abatementDateTime !== undefined) fact.abatement = this.point(c.abatementDateTime);
    else if (c.abatementPeriod !== undefined) {
      fact.abatement = this.period(c.abatementPeriod);
      fact.abatementEndOpen = true;
    } else if (c.abatementAge !== undefined)
      acc.pendingAges.push({ fact, field: 'abatement', low: c.abatementAge, high: c.abatementAge });
    else if (c.abatementRange !== undefined)
      acc.pendingAges.push({
        fact,
        field: 'abatement',
        low: c.abatementRange.low,
        high: c.abatementRange.high,
      });
    return fact;
  }

  private observation(
    o: fhir4.Observation,
    ref: string,
    id: string,
    codes: CodeKey[],
    bloodPressure: boolean,
  ): ObservationFact {
    let effective: TimeInterval | null = null;
    if (o.effectiveDateTime !== undefined) effective = this.point(o.effectiveDateTime);
    else if (o.effectiveInstant !== undefined) effective = this.point(o.effectiveInstant);
    else if (o.effectivePeriod !== undefined) effective = this.period(o.effectivePeriod);
    let components: ObservationComponent[] = NONE;
    const parts = o.component;
    if (parts !== undefined && parts.length > 0) {
      components = [];
      for (const component of parts)
        components.push({ codes: conceptKeys(component.code), value: readValue(component) });
    }
    let notDoneReason: CodeKey[] = NONE;
    const extensions = o.extension;
    if (extensions !== undefined) {
      for (const extension of extensions) {
        if (extension.url === NOT_DONE_REASON)
          notDoneReason = conceptKeys(extension.valueCodeableConcept);
      }
    }
    return {
      ref,
      id,
      status: o.status ?? '',
      codes,
      categories: plainCodes(o.category),
      effective,
      issued: this.time(o.issued),
      value: readValue(o),
      components,
      encounterId: referenceTail(o.encounter?.reference),
      notDoneReason,
      bloodPressure,
    };
  }

  private performed(p: fhir4.Procedure): TimeInterval | null {
    if (p.performedDateTime !== undefined) return this.point(p.performedDateTime);
    if (p.performedPeriod !== undefined) return this.period(p.performedPeriod);
    return null;
  }

  private medicationRequest(
    m: fhir4.MedicationRequest,
    ref: string,
    id: string,
  ): MedicationRequestFact {
    const authoredOn = this.time(m.authoredOn);
    const fact: MedicationRequestFact = {
      ref,
      id,
      status: m.status ?? '',
      intent: m.intent ?? '',
      codes: NONE,
      authoredOn,
      requestPeriod: this.medicationRequestPeriod(m),
      medicationSource: 'absent',
      medicationReference: null,
    };
    if (m.medicationCodeableConcept !== undefined) {
      fact.codes = conceptKeys(m.medicationCodeableConcept);
      fact.medicationSource = 'codeable-concept';
    } else if (m.medicationReference !== undefined) {
      this.resolveMedication(fact, m.medicationReference.reference, m.contained);
    }
    return fact;
  }

  /**
   * Medication[x] as a Reference (US Core MedicationRequest: a contained or a separate
   * Medication; QI-Core retrieves by its `Medication.code`).
   */
  private resolveMedication(
    fact: MedicationRequestFact,
    reference: string | undefined,
    contained: fhir4.FhirResource[] | undefined,
  ): void {
    fact.medicationReference = reference ?? null;
    fact.medicationSource = 'unresolved';
    // A reference by identifier or display only names no resource: it stays unresolved.
    if (reference === undefined) return;
    if (reference.startsWith('#')) {
      const local = reference.slice(1);
      const medication = contained?.find(
        (r): r is fhir4.Medication => r.resourceType === 'Medication' && r.id === local,
      );
      if (medication !== undefined) {
        fact.codes = conceptKeys(medication.code);
        fact.medicationSource = 'contained';
      }
      return;
    }
    const key = medicationKey(reference);
    if (key === null) return;
    const codes = this.medications.get(key);
    if (codes !== undefined) {
      fact.codes = codes;
      fact.medicationSource = 'referenced';
      return;
    }
    const waiting = this.awaitingMedication.get(key);
    if (waiting === undefined) this.awaitingMedication.set(key, [fact]);
    else waiting.push(fact);
  }

  /** A Medication (shared by patients): its codes answer requests waiting for it and later ones. */
  private addMedication(medication: fhir4.Medication, fullUrl: string | undefined): void {
    const keys: string[] = [];
    if (medication.id !== undefined) keys.push(`Medication/${medication.id}`);
    const fromUrl = fullUrl === undefined ? null : medicationKey(fullUrl);
    if (fromUrl !== null && !keys.includes(fromUrl)) keys.push(fromUrl);
    if (keys.length === 0) return;
    const codes = conceptKeys(medication.code);
    for (const key of keys) {
      // The first Medication with a key wins, as duplicates of patient resources do.
      if (this.medications.has(key)) continue;
      this.medications.set(key, codes);
      const waiting = this.awaitingMedication.get(key);
      if (waiting === undefined) continue;
      for (const fact of waiting) {
        fact.codes = codes;
        fact.medicationSource = 'referenced';
      }
      this.awaitingMedication.delete(key);
    }
  }

  unresolvedMedicationReferences(): string[] {
    const references: string[] = [];
    for (const key of this.awaitingMedication.keys())
      if (key.startsWith('Medication/')) references.push(key);
    return references;
  }

  /** CumulativeMedicationDuration `medicationRequestPeriod()`, in whole days from the start date. */
  private medicationRequestPeriod(m: fhir4.MedicationRequest): TimeInterval | null {
    const dosage = m.dosageInstruction?.length === 1 ? m.dosageInstruction[0] : undefined;
    const doseAndRate = dosage?.doseAndRate?.length === 1 ? dosage.doseAndRate[0] : undefined;
    const repeat = dosage?.timing?.repeat;
    const bounds = repeat?.boundsPeriod;
    const startText = bounds?.start ?? m.authoredOn ?? m.dispenseRequest?.validityPeriod?.start;
    // `date from` drops the time: the interval is whole days.
    const startDate = parseCalendarDate(
      startText === undefined ? undefined : this.localDate(startText),
    );
    if (startDate === null) return null;
    const start =
      Date.UTC(startDate.year, startDate.month - 1, startDate.day) - this.offset * 60_000;
    const frequency = repeat?.frequencyMax ?? repeat?.frequency;
    const perDayFromPeriod =
      frequency !== undefined && repeat?.period !== undefined && repeat.periodUnit !== undefined
        ? toDaily(frequency, repeat.period, repeat.periodUnit)
        : null;
    const dosesPerDay = perDayFromPeriod ?? (repeat?.timeOfDay?.length || 1);
    const dose = doseAndRate?.doseRange?.high?.value ?? doseAndRate?.doseQuantity?.value;
    const supply = m.dispenseRequest?.expectedSupplyDuration;
    const daysSupply =
      supply?.value !== undefined ? toDays(supply.value, supply.code ?? supply.unit) : null;
    const quantity = m.dispenseRequest?.quantity?.value;
    const refills = m.dispenseRequest?.numberOfRepeatsAllowed ?? 0;
    const base =
      daysSupply ??
      (quantity !== undefined && dose !== undefined && dose !== 0
        ? quantity / (dose * dosesPerDay)
        : null);
    if (base !== null) {
      // startDate + Quantity(total - 1, 'day'): Date arithmetic truncates a fractional day.
      const total = base * (1 + refills);
      return { start, end: start + Math.trunc(total - 1) * MS_PER_DAY };
    }
    if (bounds?.end !== undefined) {
      const endDate = parseCalendarDate(this.localDate(bounds.end));
      if (endDate === null) return null;
      return {
        start,
        end: Date.UTC(endDate.year, endDate.month - 1, endDate.day) - this.offset * 60_000,
      };
    }
    return null;
  }

  /** The calendar date (YYYY-MM-DD) of a FHIR dateTime in the build's offset. */
  private localDate(text: string): string {
    if (text.length <= 10) return text;
    const t = this.time(text);
    return t === null ? text : new Date(t + this.offset * 60_000).toISOString().slice(0, 10);
  }

  build(): PatientRecord[] {
    for (const [alias, id] of this.aliases) {
      const shell = this.byKey.get(alias);
      if (shell === undefined || alias === id) continue;
      const target = this.accumulator(id);
      mergeInto(target, shell);
      this.byKey.delete(alias);
    }
    const records: PatientRecord[] = [];
    for (const acc of this.byKey.values()) {
      for (const pending of acc.pendingAges) resolveAge(pending, acc.record.birthDate, this.offset);
      const r = acc.record;
      r.unresolvedMedicationRequests = countUnresolved(r.medicationRequests);
      records.push(r);
    }
    this.byKey.clear();
    this.lastSubject = undefined;
    this.lastAccumulator = undefined;
    this.aliases.clear();
    this.medications.clear();
    this.awaitingMedication.clear();
    return records;
  }
}

const UNRESOLVED: MedicationSource = 'unresolved';

function countUnresolved(requests: readonly MedicationRequestFact[]): number {
  let n = 0;
  for (const m of requests) if (m.medicationSource === UNRESOLVED) n += 1;
  return n;
}

const MEDICATION_REFERENCE = /(?:^|\/)Medication\/([A-Za-z0-9\-.]+)(?:\/_history\/[^/]+)?$/;

/**
 * The key a Medication reference resolves by: `Medication/<id>` for relative and absolute
 * references (a version suffix dropped), the URN itself for Bundle-local `urn:uuid:`/`urn:oid:`
 * ones; null for anything else (not a Medication).
 */
export function medicationKey(reference: string): string | null {
  if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) return reference;
  const match = MEDICATION_REFERENCE.exec(reference);
  return match?.[1] === undefined ? null : `Medication/${match[1]}`;
}

function refOf(type: string, id: string): string {
  return `${type}/${id}`;
}

/** Records that the patient has a `type` resource with this id; false if it already had. */
function markSeen(acc: Accumulator, type: string, id: string): boolean {
  const first = acc.seenIds.get(id);
  if (first === undefined) {
    acc.seenIds.set(id, type);
    return true;
  }
  if (first === type) return false;
  const ref = `${type}/${id}`;
  acc.seenRefs ??= new Set();
  if (acc.seenRefs.has(ref)) return false;
  acc.seenRefs.add(ref);
  return true;
}

const UNKEPT_CONDITION = 'Condition (not kept)';
const UNKEPT_OBSERVATION = 'Observation (not kept)';
const UNKEPT_PROCEDURE = 'Procedure (not kept)';

function countUnkept(record: PatientRecord, key: string): void {
  record.otherResources[key] = (record.otherResources[key] ?? 0) + 1;
}

/** The Observation is a blood-pressure panel: code 85354-9 or a BP profile. */
function isBloodPressure(o: fhir4.Observation, codes: readonly CodeKey[]): boolean {
  if (codes.includes(BP_PANEL)) return true;
  const profiles = o.meta?.profile;
  if (profiles !== undefined)
    for (const profile of profiles) if (BP_PROFILES.has(profile)) return true;
  return false;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The value of the two ASCII digits at `at`, or NaN. */
function twoDigits(text: string, at: number): number {
  const hi = text.charCodeAt(at) - 48;
  const lo = text.charCodeAt(at + 1) - 48;
  return hi >= 0 && hi <= 9 && lo >= 0 && lo <= 9 ? hi * 10 + lo : Number.NaN;
}

/**
 * Epoch ms of the common dateTime shape `YYYY-MM-DDThh:mm:ss(.s{1,3})?(Z|±hh:mm)` with every
 * field in range, by hand (no regex, no Date); NaN for any other text, which the caller hands to
 * `parseDateTime`. Same result as `Date.parse` on the shapes it accepts.
 */
function fastDateTime(text: string): number {
  const n = text.length;
  if (n < 20 || n > 29) return Number.NaN;
  if (
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  )
    return Number.NaN;
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  // NaN fails every one of these tests.
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59))
    return Number.NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (!(day <= (DAYS_IN_MONTH[month] ?? 0) || (month === 2 && day === 29 && leap)))
    return Number.NaN;
  let i = 19;
  let ms = 0;
  if (text.charCodeAt(i) === 46) {
    // .s, .ss or .sss
    let scale = 100;
    i += 1;
    while (i < n && scale >= 1) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      ms += digit * scale;
      scale /= 10;
      i += 1;
    }
    if (i === 20) return Number.NaN;
  }
  let zone: number;
  if (i === n - 1 && text.charCodeAt(i) === 90)
    zone = 0; // Z
  else if (i === n - 6 && text.charCodeAt(i + 3) === 58) {
    const sign = text.charCodeAt(i);
    const zh = twoDigits(text, i + 1);
    const zm = twoDigits(text, i + 4);
    if (!(zh <= 23 && zm <= 59)) return Number.NaN;
    if (sign === 43) zone = zh * 60 + zm;
    else if (sign === 45) zone = -(zh * 60 + zm);
    else return Number.NaN;
  } else return Number.NaN;
  // Days from 1970-01-01 of the civil date (H. Hinnant's days_from_civil).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146_097 + doe - 719_468;
  return ((days * 24 + hour) * 60 + minute - zone) * 60_000 + second * 1000 + ms;
}

function mergeInto(target: Accumulator, shell: Accumulator): void {
  const t = target.record;
  const s = shell.record;
  for (const [id, type] of shell.seenIds) markSeen(target, type, id);
  if (shell.seenRefs !== undefined) {
    for (const ref of shell.seenRefs) {
      const slash = ref.indexOf('/');
      markSeen(target, ref.slice(0, slash), ref.slice(slash + 1));
    }
  }
  target.pendingAges.push(...shell.pendingAges);
  t.encounters.push(...s.encounters);
  t.conditions.push(...s.conditions);
  t.observations.push(...s.observations);
  t.procedures.push(...s.procedures);
  t.serviceRequests.push(...s.serviceRequests);
  t.deviceRequests.push(...s.deviceRequests);
  t.medicationRequests.push(...s.medicationRequests);
  t.coverages.push(...s.coverages);
  for (const [type, n] of Object.entries(s.otherResources))
    t.otherResources[type] = (t.otherResources[type] ?? 0) + n;
}

/** QICoreCommon toInterval(Quantity / Interval<Quantity>): [birthDate + low, birthDate + high + 1 year). */
function resolveAge(pending: PendingAge, birthDate: CalendarDate | null, offset: number): void {
  if (birthDate === null) return;
  const low = ageYears(pending.low);
  const high = ageYears(pending.high);
  if (low === null || high === null) return;
  const at = (date: CalendarDate): number =>
    Date.UTC(date.year, date.month - 1, date.day) - offset * 60_000;
  const interval = {
    start: at(addYears(birthDate, low)),
    end: at(addYears(birthDate, high + 1)) - 1,
  };
  if (pending.field === 'onset') pending.fact.onset = interval;
  else {
    pending.fact.abatement = { start: interval.start, end: interval.end + 1 };
    pending.fact.abatementEndOpen = true;
  }
}

function ageYears(quantity: fhir4.Quantity | undefined): number | null {
  if (quantity?.value === undefined) return null;
  const unit = quantity.code ?? quantity.unit ?? 'a';
  if (unit === 'a' || unit === 'year' || unit === 'years') return Math.floor(quantity.value);
  if (unit === 'mo' || unit === 'month' || unit === 'months')
    return Math.floor(quantity.value / 12);
  return null;
}

/** CumulativeMedicationDuration `ToDaily(frequency, period)`. */
function toDaily(frequency: number, period: number, unit: string): number | null {
  if (period === 0) return null;
  const perDay: Record<string, number> = {
    h: 24,
    min: 1440,
    s: 86_400,
    d: 1,
    wk: 1 / 7,
    mo: 1 / 30,
    a: 1 / 365,
  };
  const factor = perDay[unit];
  return factor === undefined ? null : (frequency * factor) / period;
}

/** `convert quantity to days` for a supply duration. */
function toDays(value: number, unit: string | undefined): number | null {
  switch (unit) {
    case 'd':
    case 'day':
    case 'days':
      return value;
    case 'wk':
    case 'week':
    case 'weeks':
      return value * 7;
    case 'h':
    case 'hour':
    case 'hours':
      return value / 24;
    case 'mo':
    case 'month':
    case 'months':
      return value * 30;
    case 'a':
    case 'year':
    case 'years':
      return value * 365;
    default:
      return null;
  }
}

interface ValueCarrier {
  valueQuantity?: fhir4.Quantity;
  valueCodeableConcept?: CodeableConcept;
  valueString?: string;
  valueBoolean?: boolean;
  valueInteger?: number;
  valueRange?: fhir4.Range;
  valueRatio?: fhir4.Ratio;
  valueSampledData?: fhir4.SampledData;
  valueTime?: string;
  valueDateTime?: string;
  valuePeriod?: fhir4.Period;
  dataAbsentReason?: CodeableConcept;
}

function readValue(o: ValueCarrier): ObservationValue {
  const q = o.valueQuantity;
  if (q !== undefined) {
    if (q.value === undefined) return { kind: 'other' };
    return { kind: 'quantity', value: q.value, unit: q.code ?? q.unit ?? null };
  }
  if (o.valueCodeableConcept !== undefined)
    return { kind: 'concept', codes: conceptKeys(o.valueCodeableConcept) };
  if (o.valueInteger !== undefined) return { kind: 'integer', value: o.valueInteger };

  if (
    o.valueString !== undefined ||
    o.valueBoolean !== undefined ||
    o.valueRange !== undefined ||
    o.valueRatio !== undefined ||
    o.valueSampledData !== undefined ||
    o.valueTime !== undefined ||
    o.valueDateTime !== undefined ||
    o.valuePeriod !== undefined
  ) {
    return { kind: 'other' };
  }
  // http://terminology.hl7.org/CodeSystem/data-absent-reason (asked-declined, unknown, …)
  return { kind: 'absent', reason: o.dataAbsentReason?.coding?.find((c) => c.code)?.code };
}

function subjectOf(resource: fhir4.FhirResource): string | undefined {
  switch (resource.resourceType) {
    case 'Encounter':
    case 'Condition':
    case 'Observation':
    case 'Procedure':
    case 'ServiceRequest':
    case 'DeviceRequest':
    case 'MedicationRequest':
      return resource.subject?.reference;
    case 'Coverage':
      return resource.beneficiary?.reference;
    default: {
      const r = resource as { subject?: fhir4.Reference; patient?: fhir4.Reference };
      return r.subject?.reference ?? r.patient?.reference;
    }
  }
}

const GENDERS: Record<string, AdministrativeGender> = {
  male: 'male',
  female: 'female',
  other: 'other',
  unknown: 'unknown',
};

function readPatient(p: fhir4.Patient, record: PatientRecord): void {
  record.birthDate = parseCalendarDate(p.birthDate);
  record.gender = p.gender === undefined ? 'not-recorded' : (GENDERS[p.gender] ?? 'not-recorded');
  if (p.deceasedDateTime !== undefined) record.deceased = parseDateTime(p.deceasedDateTime) ?? true;
  else if (p.deceasedBoolean === true) record.deceased = true;
  for (const extension of p.extension ?? []) {
    const url = extension.url;
    if (url === `${US_CORE}us-core-sex`) {
      record.sexCode = extension.valueCode ?? extension.valueCoding?.code ?? '';
    } else if (url === `${US_CORE}us-core-race` || url === `${US_CORE}us-core-ethnicity`) {
      const target = url === `${US_CORE}us-core-race` ? record.race : record.ethnicity;
      for (const part of extension.extension ?? []) {
        if (
          (part.url === 'ombCategory' || part.url === 'detailed') &&
          part.valueCoding?.code !== undefined
        ) {
          target.codes.push(part.valueCoding.code);
        } else if (part.url === 'text' && part.valueString !== undefined) {
          target.text = part.valueString;
        }
      }
    }
  }
  const preferred: string[] = [];
  const others: string[] = [];
  for (const communication of p.communication ?? []) {
    const code = communication.language?.coding?.[0]?.code;
    if (code !== undefined) (communication.preferred === true ? preferred : others).push(code);
  }
  record.languages = preferred.concat(others);
}

/** Builds records from any mix of resources, Bundles and arrays of them. */
export function buildPatientRecords(input: unknown, options: BuildOptions = {}): PatientRecord[] {
  const builder = new RecordBuilder(options);
  builder.add(input);
  return builder.build();
}

/** A builder for streaming input (NDJSON lines, paged search results): `add` each, then `build`. */
export function createPatientRecordBuilder(options: BuildOptions = {}): PatientRecordBuilder {
  return new RecordBuilder(options);
}
