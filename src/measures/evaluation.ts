// The per-patient evaluation state shared by the measure definitions: the record, the digested
// measurement period, value-set lookups, and the evidence/reasons collected on the way. One
// instance per (record, measure) evaluation; nothing here allocates per resource.

import {
  ageInYearsAt,
  dayOf,
  readMeasurementPeriod,
  toDayInterval,
  type DayInterval,
  type MeasurementPeriod,
} from '../clinical/cql-time';
import type {
  CodeKey,
  PatientRecord,
  TimeInterval,
  ValueSetRegistry,
} from '../clinical/patient-record';
import type {
  Evidence,
  PatientMeasureResult,
  PopulationCode,
  PopulationMembership,
} from './measure-result';

export interface MeasureEvaluationContext {
  /** ISO dates or dateTimes; a date-only end covers its whole day (CQL "Measurement Period"). */
  measurementPeriod: { start: string; end: string };
  valueSets: ValueSetRegistry;
}

/** A satisfied CQL define: its name and the resources behind it. */
export interface Finding {
  rule: string;
  refs: string[];
}

let cachedPeriodKey = '';
let cachedPeriod: MeasurementPeriod | null = null;

/** Parses the period once per distinct value: a panel run evaluates thousands of records with one. */
export function measurementPeriodOf(context: MeasureEvaluationContext): MeasurementPeriod {
  const { start, end } = context.measurementPeriod;
  const key = `${start}/${end}`;
  if (cachedPeriod === null || key !== cachedPeriodKey) {
    cachedPeriod = readMeasurementPeriod(context.measurementPeriod);
    cachedPeriodKey = key;
  }
  return cachedPeriod;
}

export class Evaluation {
  readonly evidence: Evidence[] = [];
  readonly reasons: string[] = [];
  readonly period: MeasurementPeriod;
  readonly offset: number;
  readonly valueSets: ValueSetRegistry;
  private ageEnd: number | null | undefined;
  private ageStart: number | null | undefined;

  constructor(
    readonly record: PatientRecord,
    context: MeasureEvaluationContext,
  ) {
    this.period = measurementPeriodOf(context);
    this.offset = this.period.offsetMinutes;
    this.valueSets = context.valueSets;
  }

  /** Any of the codes is in the value set (CQL retrieve by value set / `in`). */
  in(codes: readonly CodeKey[], valueSetUrl: string): boolean {
    return this.valueSets.hasAny(valueSetUrl, codes);
  }

  /** The day number of an instant; NaN (unknown) for null. */
  day(ms: number | null): number {
    return ms === null ? Number.NaN : dayOf(ms, this.offset);
  }

  /** FHIRHelpers ToInterval at day precision (null start unknown, null end unbounded). */
  days(interval: TimeInterval | null): DayInterval | null {
    return toDayInterval(interval, this.offset);
  }

  /** `AgeInYearsAt(date from end of "Measurement Period")`; null without a birth date. */
  ageAtEnd(): number | null {
    if (this.ageEnd === undefined) {
      const birth = this.record.birthDate;
      this.ageEnd = birth === null ? null : ageInYearsAt(birth, this.period.endDate);
    }
    return this.ageEnd;
  }

  /** `AgeInYearsAt(date from start of "Measurement Period")`. */
  ageAtStart(): number | null {
    if (this.ageStart === undefined) {
      const birth = this.record.birthDate;
      this.ageStart = birth === null ? null : ageInYearsAt(birth, this.period.startDate);
    }
    return this.ageStart;
  }

  note(population: PopulationCode, finding: Finding): void {
    this.evidence.push({ population, rule: finding.rule, resources: finding.refs });
  }

  reason(text: string): void {
    this.reasons.push(text);
  }

  result(measureId: string, populations: PopulationMembership): PatientMeasureResult {
    return {
      measureId,
      patientId: this.record.id,
      populations,
      evidence: this.evidence,
      reasons: this.reasons,
    };
  }
}

/** Why an age is outside `[low, high]` (high = Infinity for "or older"). */
export function ageReason(age: number | null, low: number, high: number, at: string): string {
  if (age === null) return `no birth date: age at the ${at} of the period is unknown`;
  if (age < low) return `age ${age} at the ${at} of the period: below ${low}`;
  return `age ${age} at the ${at} of the period: above ${high}`;
}
