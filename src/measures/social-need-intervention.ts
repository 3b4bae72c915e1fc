// Social Need Screening and Intervention, modelled on HEDIS SNS-E (measures.md "Social-needs
// measures"; sdoh.md §3 "Quality measures"). No official FHIR CQL here; the rules are ours:
//
// - Six results per patient, as SNS-E reports six rates: `SNSE-<domain>-screening` and
//   `SNSE-<domain>-intervention` for food, housing and transportation. Housing covers housing
//   instability, homelessness and inadequate housing (measures.md).
// - Initial population: a finished encounter starting in the measurement period (the clinic's
//   stand-in for SNS-E's "enrolled members"), any age (SNS-E reports age strata; stratify later).
// - Denominator exclusion: died during the measurement period (SNS-E); a `deceasedBoolean` without
//   a date is read as such. SNS-E's hospice exclusion is not applied here.
// - Screening numerator: an item of a listed instrument (../clinical/sdoh-screening.ts) answered,
//   positive or negative, between the period start and 30 days before its end (Jan 1 – Dec 1 for
//   a calendar year, SNS-E), leaving room for the intervention window.
// - Intervention denominator: a positive screen for the domain in that window. Numerator: a
//   ServiceRequest (authoredOn; not draft / entered-in-error) or a completed Procedure
//   (performed start) with one of the domain's intervention codes, on or within N days after the
//   day of the FIRST positive screen. N defaults to 30 (SNS-E); MIPS #498 uses 60.
//   A revoked ServiceRequest still counts: the referral was made; its outcome is another question.

import type { PatientRecord } from '../clinical/patient-record';
import type { MeasurementPeriod } from '../clinical/cql-time';
import { dayOf, withinDaysOnOrAfter } from '../clinical/cql-time';
import type { CoreSdohDomain } from '../clinical/sdoh-screening';
import {
  SNOMED_SYSTEM,
  coreDomainOf,
  interventionDomains,
  readScreeningFindings,
} from '../clinical/sdoh-screening';
import type { Evidence, PatientMeasureResult } from './measure-result';

export type SnsEDomain = Extract<CoreSdohDomain, 'food' | 'housing' | 'transportation'>;
export const SOCIAL_NEED_INTERVENTION_DOMAINS: readonly SnsEDomain[] = [
  'food',
  'housing',
  'transportation',
];

export type SocialNeedMeasureId = `SNSE-${SnsEDomain}-${'screening' | 'intervention'}`;

/** SNS-E: intervention within 30 days of the first positive screen. */
export const SNS_E_INTERVENTION_DAYS = 30;
/** The screening window ends this many days before the period ends (Dec 1 for Dec 31, SNS-E). */
export const SNS_E_SCREENING_CUTOFF_DAYS = 30;

export interface SocialNeedOptions {
  /** Days after the first positive screen in which an intervention counts (default 30). */
  interventionWindowDays?: number;
}

const SNOMED_PREFIX = `${SNOMED_SYSTEM}|`;

/** Six results, per domain the screening then the intervention result. */
export function evaluateSocialNeedScreeningAndIntervention(
  record: PatientRecord,
  period: MeasurementPeriod,
  options: SocialNeedOptions = {},
): PatientMeasureResult[] {
  const windowDays = options.interventionWindowDays ?? SNS_E_INTERVENTION_DAYS;
  const off = period.offsetMinutes;
  const visits = record.encounters.filter((e) => {
    const start = e.period?.start ?? null;
    return (
      e.status === 'finished' && start !== null && start >= period.start && start <= period.end
    );
  });
  const initialPopulation = visits.length > 0;
  const deathMs = typeof record.deceased === 'number' ? record.deceased : null;
  const died =
    record.deceased === true ||
    (deathMs !== null && deathMs >= period.start && deathMs <= period.end);

  const lastScreeningDay = period.days.hi - SNS_E_SCREENING_CUTOFF_DAYS;
  const findings = readScreeningFindings(record, period.start, period.end).filter(
    (f) => dayOf(f.time, off) <= lastScreeningDay,
  );
  const interventions = readInterventions(record, off);

  return SOCIAL_NEED_INTERVENTION_DOMAINS.flatMap((domain) => {
    const mine = findings.filter(
      (f) => f.finding.kind === 'result' && coreDomainOf(f.finding.domain) === domain,
    );
    const answered = mine.filter(
      (f) => f.finding.kind === 'result' && f.finding.result !== 'declined',
    );
    const firstPositive = mine.find(
      (f) => f.finding.kind === 'result' && f.finding.result === 'positive',
    );
    const screened = answered.length > 0;
    const base = {
      patientId: record.id,
      initialPopulation,
      denominatorExclusion: initialPopulation && died,
      visits: visits.map((v) => v.ref),
    };

    const screeningReasons: string[] = [];
    if (!initialPopulation)
      screeningReasons.push('no finished encounter in the measurement period');
    else if (died) screeningReasons.push('died during the measurement period');
    else if (!screened)
      screeningReasons.push(
        `no ${domain} screening answered between the period start and ${SNS_E_SCREENING_CUTOFF_DAYS} days before its end`,
      );
    const screeningResult = build(`SNSE-${domain}-screening`, base, {
      denominator: initialPopulation,
      numerator: screened,
      numeratorEvidence: screened
        ? { rule: `${domain} screening`, resources: unique(answered.map((f) => f.ref)) }
        : null,
      reasons: screeningReasons,
    });

    let interventionRef: string | null = null;
    const interventionReasons: string[] = [];
    if (firstPositive !== undefined) {
      const positiveDay = dayOf(firstPositive.time, off);
      interventionRef =
        interventions.find(
          (i) => i.domains.has(domain) && withinDaysOnOrAfter(i.day, positiveDay, windowDays),
        )?.ref ?? null;
      if (interventionRef === null)
        interventionReasons.push(
          `no ${domain} intervention on or within ${windowDays} days after the first positive screen`,
        );
    } else if (initialPopulation) {
      interventionReasons.push(`no positive ${domain} screen in the screening window`);
    } else {
      interventionReasons.push('no finished encounter in the measurement period');
    }
    const interventionResult = build(`SNSE-${domain}-intervention`, base, {
      denominator: initialPopulation && firstPositive !== undefined,
      denominatorEvidence:
        firstPositive === undefined
          ? null
          : { rule: `First positive ${domain} screen`, resources: [firstPositive.ref] },
      numerator: interventionRef !== null,
      numeratorEvidence:
        interventionRef === null
          ? null
          : {
              rule: `${domain} intervention within ${windowDays} days`,
              resources: [interventionRef],
            },
      reasons: interventionReasons,
    });
    return [screeningResult, interventionResult];
  });
}

interface Intervention {
  ref: string;
  day: number;
  domains: Set<CoreSdohDomain>;
}

function readInterventions(record: PatientRecord, offsetMinutes: number): Intervention[] {
  const out: Intervention[] = [];
  const snomed = (codes: readonly string[]): string[] =>
    codes.filter((c) => c.startsWith(SNOMED_PREFIX)).map((c) => c.slice(SNOMED_PREFIX.length));
  for (const sr of record.serviceRequests) {
    if (sr.status === 'draft' || sr.status === 'entered-in-error' || sr.authoredOn === null) {
      continue;
    }
    const domains = interventionDomains(snomed(sr.codes), []);
    if (domains.size > 0)
      out.push({ ref: sr.ref, day: dayOf(sr.authoredOn, offsetMinutes), domains });
  }
  for (const p of record.procedures) {
    const when = p.performed?.start ?? p.performed?.end ?? null;
    if (p.status !== 'completed' || when === null) continue;
    const domains = interventionDomains(snomed(p.codes), []);
    if (domains.size > 0) out.push({ ref: p.ref, day: dayOf(when, offsetMinutes), domains });
  }
  return out.sort((a, b) => a.day - b.day);
}

interface Built {
  denominator: boolean;
  denominatorEvidence?: { rule: string; resources: string[] } | null;
  numerator: boolean;
  numeratorEvidence: { rule: string; resources: string[] } | null;
  reasons: string[];
}

function build(
  measureId: SocialNeedMeasureId,
  base: {
    patientId: string;
    initialPopulation: boolean;
    denominatorExclusion: boolean;
    visits: string[];
  },
  b: Built,
): PatientMeasureResult {
  const evidence: Evidence[] = [];
  if (base.initialPopulation) {
    evidence.push({
      population: 'initial-population',
      rule: 'Encounter in the measurement period',
      resources: base.visits,
    });
  }
  if (b.denominatorEvidence) evidence.push({ population: 'denominator', ...b.denominatorEvidence });
  if (b.numeratorEvidence) evidence.push({ population: 'numerator', ...b.numeratorEvidence });
  return {
    measureId,
    patientId: base.patientId,
    populations: {
      initialPopulation: base.initialPopulation,
      denominator: b.denominator,
      denominatorExclusion: b.denominator && base.denominatorExclusion,
      denominatorException: false,
      numerator: b.numerator,
    },
    evidence,
    reasons: b.reasons,
  };
}

function unique(refs: string[]): string[] {
  return [...new Set(refs)];
}
