// Turns FHIR R4 resources (a patient's Bundle, search-result Bundles, NDJSON lines already parsed,
// or any mix) into one compact PatientRecord per patient. Resources are read once as they arrive,
// so the raw JSON can be dropped right after; records are finished in `build()`.

import { addYears, MS_PER_DAY, parseCalendarDate, parseDateTime } from './cql-time';
import type {
  AdministrativeGender,
  CalendarDate,
  CodeKey,
  ConditionFact,
  CoverageFact,
  EncounterFact,
  MedicationRequestFact,
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
  /** Finishes and returns the records, in the order patients were first seen. */
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
  seen: Set<string>;
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

function codingKeys(codings: Coding[] | undefined, into: CodeKey[] = []): CodeKey[] {
  if (codings === undefined) return into;
  for (const c of codings) if (c.code !== undefined) into.push(codeKey(c.system, c.code));
  return into;
}

function conceptKeys(concept: CodeableConcept | undefined): CodeKey[] {
  const coding = concept?.coding;
  if (coding === undefined || coding.length === 0) return NONE;
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
    return parseDateTime(text, this.offset);
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
        seen: new Set(),
        pendingAges: [],
        hasPatient: false,
      };
      this.byKey.set(patientKey, acc);
    }
    return acc;
  }

  private addResource(resource: fhir4.FhirResource, fullUrl: string | undefined): void {
    const id = resource.id ?? referenceTail(fullUrl);
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
    const patientKey = referenceTail(subjectOf(resource));
    if (patientKey === '') return; // Organizations, Practitioners, Medications: not patient data
    const acc = this.accumulator(patientKey);
    const record = acc.record;
    if (!KEPT_TYPES.has(resource.resourceType)) {
      // Claims, EOBs, immunizations…: counted, not kept (and not de-duplicated: it costs a Set entry)
      record.otherResources[resource.resourceType] =
        (record.otherResources[resource.resourceType] ?? 0) + 1;
      return;
    }
    const ref = `${resource.resourceType}/${id}`;
    if (acc.seen.has(ref)) return;
    acc.seen.add(ref);
    switch (resource.resourceType) {
      case 'Encounter':
        record.encounters.push(this.encounter(resource, ref, id));
        break;
      case 'Condition': {
        const fact = this.condition(resource, ref, id, acc);
        if (this.keeps(fact.codes)) record.conditions.push(fact);
        else countUnkept(record, 'Condition');
        break;
      }
      case 'Observation': {
        const fact = this.observation(resource, ref, id);
        if (fact.bloodPressure || this.keeps(fact.codes)) record.observations.push(fact);
        else countUnkept(record, 'Observation');
        break;
      }
      case 'Procedure': {
        const fact: ProcedureFact = {
          ref,
          id,
          status: resource.status ?? '',
          codes: conceptKeys(resource.code),
          performed: this.performed(resource),
        };
        if (this.keeps(fact.codes)) record.procedures.push(fact);
        else countUnkept(record, 'Procedure');
        break;
      }
      case 'ServiceRequest':
        record.serviceRequests.push({
          ref,
          id,
          status: resource.status ?? '',
          intent: resource.intent ?? '',
          codes: conceptKeys(resource.code),
          authoredOn: this.time(resource.authoredOn),
        } satisfies RequestFact);
        break;
      case 'DeviceRequest':
        record.deviceRequests.push({
          ref,
          id,
          status: resource.status ?? '',
          intent: resource.intent ?? '',
          codes: conceptKeys(resource.codeCodeableConcept),
          authoredOn: this.time(resource.authoredOn),
        } satisfies RequestFact);
        break;
      case 'MedicationRequest':
        record.medicationRequests.push(this.medicationRequest(resource, ref, id));
        break;
      case 'Coverage':
        record.coverages.push({
          ref,
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

  private condition(c: fhir4.Condition, ref: string, id: string, acc: Accumulator): ConditionFact {
    const fact: ConditionFact = {
      ref,
      id,
      status: '',
      codes: conceptKeys(c.code),
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

  private observation(o: fhir4.Observation, ref: string, id: string): ObservationFact {
    const codes = conceptKeys(o.code);
    let effective: TimeInterval | null = null;
    if (o.effectiveDateTime !== undefined) effective = this.point(o.effectiveDateTime);
    else if (o.effectiveInstant !== undefined) effective = this.point(o.effectiveInstant);
    else if (o.effectivePeriod !== undefined) effective = this.period(o.effectivePeriod);
    let components: ObservationComponent[] = NONE;
    if (o.component !== undefined && o.component.length > 0) {
      components = o.component.map((component) => ({
        codes: conceptKeys(component.code),
        value: readValue(component),
      }));
    }
    let notDoneReason: CodeKey[] = NONE;
    let bloodPressure = codes.includes(BP_PANEL);
    for (const extension of o.extension ?? []) {
      if (extension.url === NOT_DONE_REASON)
        notDoneReason = conceptKeys(extension.valueCodeableConcept);
    }
    for (const profile of o.meta?.profile ?? []) if (BP_PROFILES.has(profile)) bloodPressure = true;
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
    return {
      ref,
      id,
      status: m.status ?? '',
      intent: m.intent ?? '',
      codes: conceptKeys(m.medicationCodeableConcept),
      authoredOn,
      requestPeriod: this.medicationRequestPeriod(m),
    };
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
      records.push(r);
    }
    this.byKey.clear();
    this.aliases.clear();
    return records;
  }
}

function countUnkept(record: PatientRecord, type: string): void {
  const key = `${type} (not kept)`;
  record.otherResources[key] = (record.otherResources[key] ?? 0) + 1;
}

function mergeInto(target: Accumulator, shell: Accumulator): void {
  const t = target.record;
  const s = shell.record;
  for (const ref of shell.seen) target.seen.add(ref);
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
