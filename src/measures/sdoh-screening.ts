// Screening for Social Drivers of Health, modelled on CMS SDOH-1 / MIPS #487. There is no official
// FHIR CQL for it here; the rules below are ours, from ../shared/reference/measures.md
// ("Social-needs measures") and sdoh.md §3 ("MIPS #487: screen all five AHC domains, adults 18+").
//
// - Initial population = denominator: a finished Encounter starting in the measurement period at
//   which the patient was 18 or older (SDOH-1 counts patients "18 years and older on the date of
//   admission"; we read "admission" as the visit). Any encounter class counts as a visit.
// - Numerator: for each of the five core domains (food insecurity, housing instability,
//   transportation needs, utility difficulties, interpersonal safety) at least one item of a listed
//   instrument answered (positive or negative) in the measurement period. A declined item does not
//   screen its domain.
// - Denominator exclusion ("patient opts out of screening", measures.md): not in the numerator, and
//   every one of the five domains was offered in the period (answered or declined) with at least
//   one declined. The other exclusion, "unable to complete with no caregiver able to", has no
//   representation in the data and is not applied.

import type { PatientRecord } from '../clinical/patient-record';
import type { MeasurementPeriod } from '../clinical/cql-time';
import { ageInYearsAt, calendarDateOf } from '../clinical/cql-time';
import type { CoreSdohDomain, ScreeningResult } from '../clinical/sdoh-screening';
import {
  CORE_SDOH_DOMAINS,
  coreDomainOf,
  coreDomainResults,
  readScreeningFindings,
  summariseScreening,
} from '../clinical/sdoh-screening';
import type { Evidence, PatientMeasureResult } from './measure-result';

export const SDOH_SCREENING_MEASURE_ID = 'SDOH-1';
export const SDOH_SCREENING_MIN_AGE = 18;

/** The core-domain results of every screening item answered or declined in the period. */
export interface PeriodScreening {
  results: Map<CoreSdohDomain, ScreeningResult>;
  /** Resources behind each domain's result. */
  refs: Map<CoreSdohDomain, string[]>;
}

/** Summarises the record's screening items dated in the period, per core domain. */
export function readPeriodScreening(
  record: Pick<PatientRecord, 'observations'>,
  period: Pick<MeasurementPeriod, 'start' | 'end'>,
): PeriodScreening {
  const findings = readScreeningFindings(record, period.start, period.end);
  const results = coreDomainResults(summariseScreening(findings.map((f) => f.finding)));
  const refs = new Map<CoreSdohDomain, string[]>();
  for (const domain of CORE_SDOH_DOMAINS) {
    const forDomain = findings
      .filter((f) => coreDomainOf(f.finding.domain) === domain)
      .map((f) => f.ref);
    if (forDomain.length > 0) refs.set(domain, [...new Set(forDomain)]);
  }
  return { results, refs };
}

/** Finished encounters starting in the period at which the patient was 18+. */
export function adultVisitsInPeriod(
  record: Pick<PatientRecord, 'birthDate' | 'encounters'>,
  period: MeasurementPeriod,
  minAge = SDOH_SCREENING_MIN_AGE,
): string[] {
  const birth = record.birthDate;
  if (birth === null) return [];
  return record.encounters
    .filter((e) => {
      const start = e.period?.start ?? null;
      if (e.status !== 'finished' || start === null) return false;
      if (start < period.start || start > period.end) return false;
      return ageInYearsAt(birth, calendarDateOf(start, period.offsetMinutes)) >= minAge;
    })
    .map((e) => e.ref);
}

export function evaluateSdohScreening(
  record: PatientRecord,
  period: MeasurementPeriod,
): PatientMeasureResult {
  const evidence: Evidence[] = [];
  const reasons: string[] = [];
  const visits = adultVisitsInPeriod(record, period);
  const initialPopulation = visits.length > 0;
  if (!initialPopulation) {
    reasons.push(
      record.birthDate === null
        ? 'no birth date: age at the visit cannot be computed'
        : 'no finished visit in the measurement period at age 18 or older',
    );
    return result(record.id, false, false, false, evidence, reasons);
  }
  evidence.push({ population: 'initial-population', rule: 'Visit at age 18+', resources: visits });

  const screening = readPeriodScreening(record, period);
  const answered = CORE_SDOH_DOMAINS.filter((d) => {
    const r = screening.results.get(d);
    return r === 'positive' || r === 'negative';
  });
  const declined = CORE_SDOH_DOMAINS.filter((d) => screening.results.get(d) === 'declined');
  const numerator = answered.length === CORE_SDOH_DOMAINS.length;
  const denominatorExclusion =
    !numerator &&
    declined.length > 0 &&
    answered.length + declined.length === CORE_SDOH_DOMAINS.length;

  if (numerator) {
    evidence.push({
      population: 'numerator',
      rule: 'Screened for all five domains',
      resources: answered.flatMap((d) => screening.refs.get(d) ?? []),
    });
  } else if (denominatorExclusion) {
    evidence.push({
      population: 'denominator-exclusion',
      rule: 'Opted out of screening',
      resources: declined.flatMap((d) => screening.refs.get(d) ?? []),
    });
    reasons.push(`opted out of screening: declined ${declined.join(', ')}`);
  } else {
    const missing = CORE_SDOH_DOMAINS.filter((d) => !answered.includes(d));
    reasons.push(`not screened in the measurement period for: ${missing.join(', ')}`);
  }
  return result(record.id, true, denominatorExclusion, numerator, evidence, reasons);
}

function result(
  patientId: string,
  initialPopulation: boolean,
  denominatorExclusion: boolean,
  numerator: boolean,
  evidence: Evidence[],
  reasons: string[],
): PatientMeasureResult {
  return {
    measureId: SDOH_SCREENING_MEASURE_ID,
    patientId,
    populations: {
      initialPopulation,
      denominator: initialPopulation,
      denominatorExclusion,
      denominatorException: false,
      numerator,
    },
    evidence,
    reasons,
  };
}
