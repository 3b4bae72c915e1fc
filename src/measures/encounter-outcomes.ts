// Encounter outcomes: 30-day readmission, ED visit rate, inpatient length of stay, in-hospital
// mortality. None has an eCQM; the definitions and choices are ours and are stated here. They are
// stay-level or event-rate measures, so they do not fit one patient's 0/1 populations: each has a
// small result type below, one per patient, holding the stays or the events and person-time that
// a panel sums before dividing (the equity layer sums per stratum).
//
// Inpatient stay (all four): an Encounter with class IMP (inpatient encounter) or ACUTE (inpatient
// acute) in v3-ActCode, status `finished`, with both a start and an end. `end` is the discharge.
// Stays with another status (in-progress, cancelled, entered-in-error) or no end are skipped with a
// reason. Day arithmetic uses day numbers in the measurement period's offset (../clinical/cql-time).
//
// 30-day all-cause readmission (`READMIT-30`, modelled on the CMS hospital-wide readmission
// measure, without its risk adjustment and without its planned-readmission algorithm: the record
// carries no procedure-based planned flag, so planned readmissions are counted):
// - Index stay: an inpatient stay whose discharge falls in the measurement period and which ended
//   alive: discharge disposition not `exp` (http://terminology.hl7.org/CodeSystem/discharge-disposition)
//   and no recorded death at or before the discharge. Discharges against medical advice (`aadvice`)
//   are not index stays (the CMS measure excludes them).
// - Readmitted: another inpatient stay (finished or in-progress) admitted after the index
//   discharge and no more than 30 days after its day. Readmissions are looked for after the
//   period's end too, so data must reach 30 days past it. A readmission can itself be an index stay.
//
// ED visits per 1,000 patient-years (`ED-VISITS`):
// - Events: Encounters with class EMER, not planned / cancelled / entered-in-error, starting
//   while the patient is observed in the period. An ED visit followed by admission counts.
// - Person-time: from the later of the period start and the birth date (start of its day) to the
//   earlier of the period end and the death; in years of 365.25 days. A death with no date
//   (deceasedBoolean) leaves the person-time unknown: not-applicable, with the reason.
//
// Inpatient length of stay (`INPATIENT-LOS`): per inpatient stay discharged in the period, the
// days from the admission day to the discharge day (midnights; a same-day stay is 0, as HCUP
// counts it), plus the exact hours. Continuous: mean and median come from the per-stay values.
//
// In-hospital mortality (`IN-HOSPITAL-MORTALITY`): per inpatient stay whose discharge falls in the
// period, died = discharge disposition `exp`, or a recorded death between the admission and one day
// after the discharge (the day-after allowance catches a death recorded just after the stay).

import type { EncounterFact, PatientRecord } from '../clinical/patient-record';
import type { MeasurementPeriod } from '../clinical/cql-time';
import { dayOf, dayOfDate, MS_PER_DAY, MS_PER_MINUTE } from '../clinical/cql-time';

export type EncounterOutcomeMeasureId =
  'READMIT-30' | 'ED-VISITS' | 'INPATIENT-LOS' | 'IN-HOSPITAL-MORTALITY';

export const READMISSION_WINDOW_DAYS = 30;
const INPATIENT_CLASSES: ReadonlySet<string> = new Set(['IMP', 'ACUTE']);
const DISPOSITION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';
const EXPIRED = `${DISPOSITION_SYSTEM}|exp`;
const AGAINST_ADVICE = `${DISPOSITION_SYSTEM}|aadvice`;
const MS_PER_YEAR = 365.25 * MS_PER_DAY;

/** A finished inpatient stay with known admission and discharge instants (epoch ms). */
export interface InpatientStay {
  encounter: string;
  admission: number;
  discharge: number;
  dischargeDisposition: string[];
}

export interface SkippedStay {
  encounter: string;
  reason: string;
}

/** Reads the record's inpatient stays, oldest admission first, and those that cannot be used. */
export function readInpatientStays(record: Pick<PatientRecord, 'encounters'>): {
  stays: InpatientStay[];
  skipped: SkippedStay[];
} {
  const stays: InpatientStay[] = [];
  const skipped: SkippedStay[] = [];
  for (const e of record.encounters) {
    if (!INPATIENT_CLASSES.has(e.classCode)) continue;
    const start = e.period?.start ?? null;
    const end = e.period?.end ?? null;
    if (e.status !== 'finished') {
      skipped.push({ encounter: e.ref, reason: `inpatient encounter with status '${e.status}'` });
    } else if (start === null || end === null) {
      skipped.push({
        encounter: e.ref,
        reason: 'inpatient encounter without admission or discharge time',
      });
    } else {
      stays.push({
        encounter: e.ref,
        admission: start,
        discharge: end,
        dischargeDisposition: e.dischargeDisposition,
      });
    }
  }
  stays.sort((a, b) => a.admission - b.admission);
  return { stays, skipped };
}

function dischargedInPeriod(stay: InpatientStay, period: MeasurementPeriod): boolean {
  return stay.discharge >= period.start && stay.discharge <= period.end;
}

// ---------------------------------------------------------------- 30-day readmission

export interface ReadmissionIndexStay {
  encounter: string;
  discharge: number;
  /** The first inpatient admission within 30 days after the discharge, or null. */
  readmission: { encounter: string; daysAfterDischarge: number } | null;
}

export interface ReadmissionResult {
  measureId: 'READMIT-30';
  patientId: string;
  /** Index stays in discharge order; the rate is readmitted index stays / index stays. */
  indexStays: ReadmissionIndexStay[];
  reasons: string[];
}

export function evaluateReadmissions(
  record: PatientRecord,
  period: MeasurementPeriod,
): ReadmissionResult {
  const off = period.offsetMinutes;
  const { stays, skipped } = readInpatientStays(record);
  const reasons = skipped.map((s) => `${s.encounter}: ${s.reason}`);
  const laterAdmissions = [
    ...stays.map((s) => ({ encounter: s.encounter, admission: s.admission })),
    ...record.encounters
      .filter((e) => INPATIENT_CLASSES.has(e.classCode) && e.status === 'in-progress')
      .flatMap((e) => {
        const admission = e.period?.start ?? null;
        return admission === null ? [] : [{ encounter: e.ref, admission }];
      }),
  ].sort((a, b) => a.admission - b.admission);
  const deathMs = typeof record.deceased === 'number' ? record.deceased : null;

  const indexStays: ReadmissionIndexStay[] = [];
  for (const stay of stays) {
    if (!dischargedInPeriod(stay, period)) continue;
    if (
      stay.dischargeDisposition.includes(EXPIRED) ||
      (deathMs !== null && deathMs <= stay.discharge)
    ) {
      reasons.push(`${stay.encounter}: not an index stay, died in hospital`);
      continue;
    }
    if (stay.dischargeDisposition.includes(AGAINST_ADVICE)) {
      reasons.push(`${stay.encounter}: not an index stay, discharged against medical advice`);
      continue;
    }
    const dischargeDay = dayOf(stay.discharge, off);
    const next = laterAdmissions.find(
      (a) =>
        a.encounter !== stay.encounter &&
        a.admission > stay.discharge &&
        dayOf(a.admission, off) - dischargeDay <= READMISSION_WINDOW_DAYS,
    );
    indexStays.push({
      encounter: stay.encounter,
      discharge: stay.discharge,
      readmission:
        next === undefined
          ? null
          : {
              encounter: next.encounter,
              daysAfterDischarge: dayOf(next.admission, off) - dischargeDay,
            },
    });
  }
  if (indexStays.length === 0 && reasons.length === 0) {
    reasons.push('no inpatient discharge in the measurement period');
  }
  return { measureId: 'READMIT-30', patientId: record.id, indexStays, reasons };
}

// ---------------------------------------------------------------- ED visits per 1,000 patient-years

export type EdVisitResult =
  | {
      kind: 'value';
      measureId: 'ED-VISITS';
      patientId: string;
      events: number;
      personYears: number;
      encounters: string[];
    }
  | { kind: 'not-applicable'; measureId: 'ED-VISITS'; patientId: string; reason: string };

const NOT_A_VISIT: ReadonlySet<string> = new Set(['planned', 'cancelled', 'entered-in-error']);

export function evaluateEdVisits(record: PatientRecord, period: MeasurementPeriod): EdVisitResult {
  const base = { measureId: 'ED-VISITS', patientId: record.id } as const;
  if (record.deceased === true) {
    return {
      ...base,
      kind: 'not-applicable',
      reason: 'deceased without a date of death: person-time unknown',
    };
  }
  const birthMs =
    record.birthDate === null
      ? null
      : dayOfDate(record.birthDate) * MS_PER_DAY - period.offsetMinutes * MS_PER_MINUTE;
  const from = Math.max(period.start, birthMs ?? period.start);
  const to = Math.min(period.end, record.deceased ?? period.end);
  if (to <= from) {
    return {
      ...base,
      kind: 'not-applicable',
      reason:
        birthMs !== null && birthMs > period.end
          ? 'born after the measurement period'
          : 'died before the measurement period',
    };
  }
  const encounters = record.encounters
    .filter((e: EncounterFact) => {
      const start = e.period?.start ?? null;
      return (
        e.classCode === 'EMER' &&
        !NOT_A_VISIT.has(e.status) &&
        start !== null &&
        start >= from &&
        start <= to
      );
    })
    .map((e) => e.ref);
  return {
    ...base,
    kind: 'value',
    events: encounters.length,
    personYears: (to - from) / MS_PER_YEAR,
    encounters,
  };
}

/** A panel's (or stratum's) event rate per 1,000 patient-years. */
export type EventRate =
  | { kind: 'value'; events: number; personYears: number; per1000: number }
  | { kind: 'not-applicable'; reason: string };

export function edVisitRate(results: readonly EdVisitResult[]): EventRate {
  let events = 0;
  let personYears = 0;
  for (const r of results) {
    if (r.kind !== 'value') continue;
    events += r.events;
    personYears += r.personYears;
  }
  if (personYears <= 0) return { kind: 'not-applicable', reason: 'no person-time in the period' };
  return { kind: 'value', events, personYears, per1000: (events / personYears) * 1000 };
}

// ---------------------------------------------------------------- length of stay

export interface StayLength {
  encounter: string;
  /** Admission day to discharge day, in days (midnights); 0 for a same-day stay. */
  days: number;
  /** Exact duration in hours. */
  hours: number;
}

export interface LengthOfStayResult {
  measureId: 'INPATIENT-LOS';
  patientId: string;
  stays: StayLength[];
  reasons: string[];
}

export function evaluateLengthOfStay(
  record: PatientRecord,
  period: MeasurementPeriod,
): LengthOfStayResult {
  const off = period.offsetMinutes;
  const { stays, skipped } = readInpatientStays(record);
  return {
    measureId: 'INPATIENT-LOS',
    patientId: record.id,
    stays: stays
      .filter((s) => dischargedInPeriod(s, period))
      .map((s) => ({
        encounter: s.encounter,
        days: dayOf(s.discharge, off) - dayOf(s.admission, off),
        hours: (s.discharge - s.admission) / (60 * MS_PER_MINUTE),
      })),
    reasons: skipped.map((s) => `${s.encounter}: ${s.reason}`),
  };
}

/** Mean and median of continuous values, or not-applicable when there are none. */
export type ContinuousSummary =
  | { kind: 'value'; count: number; mean: number; median: number }
  | { kind: 'not-applicable'; reason: string };

export function summariseContinuous(values: readonly number[]): ContinuousSummary {
  if (values.length === 0) return { kind: 'not-applicable', reason: 'no values' };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { kind: 'value', count: sorted.length, mean, median };
}

// ---------------------------------------------------------------- in-hospital mortality

export interface StayMortality {
  encounter: string;
  died: boolean;
  /** What showed the death: the discharge disposition, the Patient's deceasedDateTime, or none. */
  source: 'discharge-disposition' | 'deceased-date' | null;
}

export interface InHospitalMortalityResult {
  measureId: 'IN-HOSPITAL-MORTALITY';
  patientId: string;
  stays: StayMortality[];
  reasons: string[];
}

export function evaluateInHospitalMortality(
  record: PatientRecord,
  period: MeasurementPeriod,
): InHospitalMortalityResult {
  const { stays, skipped } = readInpatientStays(record);
  const reasons = skipped.map((s) => `${s.encounter}: ${s.reason}`);
  const deathMs = typeof record.deceased === 'number' ? record.deceased : null;
  if (record.deceased === true) {
    reasons.push('deceased without a date: deaths are seen only through the discharge disposition');
  }
  return {
    measureId: 'IN-HOSPITAL-MORTALITY',
    patientId: record.id,
    stays: stays
      .filter((s) => dischargedInPeriod(s, period))
      .map((s): StayMortality => {
        if (s.dischargeDisposition.includes(EXPIRED)) {
          return { encounter: s.encounter, died: true, source: 'discharge-disposition' };
        }
        if (deathMs !== null && deathMs >= s.admission && deathMs <= s.discharge + MS_PER_DAY) {
          return { encounter: s.encounter, died: true, source: 'deceased-date' };
        }
        return { encounter: s.encounter, died: false, source: null };
      }),
    reasons,
  };
}
