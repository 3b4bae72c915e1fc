// CMS2 Preventive Care and Screening: Screening for Depression and Follow-Up Plan (FHIR v0.4.001),
// from CMS2FHIRPCSDepressionScreenAndFollowUp.cql.

import {
  dayIn,
  daysOverlapAfter,
  prevalenceDays,
  withinDaysOnOrAfter,
  withinDaysOnOrBefore,
} from '../clinical/cql-time';
import type { EncounterFact, ObservationFact, PatientRecord } from '../clinical/patient-record';
import { qualifyingEncounters, type EncounterValueSet } from './adult-outpatient-encounters';
import { ageReason, Evaluation, type Finding, type MeasureEvaluationContext } from './evaluation';
import { membership, OUT, type ClinicalMeasureDefinition } from './measure-definition';
import type { PatientMeasureResult } from './measure-result';
import { CODE, VS } from './value-sets';

/** define "Qualifying Encounter During Measurement Period" */
const ENCOUNTER_VALUE_SETS: readonly EncounterValueSet[] = [
  { name: 'Encounter to Screen for Depression', url: VS.encounterToScreenForDepression },
  { name: 'Physical Therapy Evaluation', url: VS.physicalTherapyEvaluation },
  { name: 'Telephone Visits', url: VS.telephoneVisits },
];

const ORDER_INTENTS = new Set([
  'order',
  'original-order',
  'reflex-order',
  'filler-order',
  'instance-order',
]);

/** The adolescent and adult variants differ only in codes and value sets. */
interface ScreeningGroup {
  label: 'adolescent' | 'adult';
  screeningCode: string;
  medications: string;
  referral: string;
  followUp: string;
}

const ADOLESCENT: ScreeningGroup = {
  label: 'adolescent',
  screeningCode: CODE.adolescentDepressionScreening,
  medications: VS.adolescentDepressionMedications,
  referral: VS.referralForAdolescentDepression,
  followUp: VS.followUpForAdolescentDepression,
};
const ADULT: ScreeningGroup = {
  label: 'adult',
  screeningCode: CODE.adultDepressionScreening,
  medications: VS.adultDepressionMedications,
  referral: VS.referralForAdultDepression,
  followUp: VS.followUpForAdultDepression,
};

interface GroupOutcome {
  /** "Has … Depression Screening" */
  screened: boolean;
  /** "Has Most Recent … Screening Negative" or "… Positive and Follow Up Provided" */
  met: Finding | null;
  /** "Medical or Patient Reason for Not Screening …" */
  notScreenedReason: string[];
}

class DepressionScreening {
  private readonly startDays: number[];
  private readonly encounterDays: {
    lo: number;
    hi: number;
    start: number | null;
    end: number | null;
  }[];

  constructor(
    private readonly ev: Evaluation,
    encounters: EncounterFact[],
  ) {
    this.startDays = encounters.map((e) => ev.day(e.period?.start ?? null));
    this.encounterDays = encounters.map((e) => {
      const days = ev.days(e.period) ?? { lo: Number.NaN, hi: Number.NaN };
      return { ...days, start: e.period?.start ?? null, end: e.period?.end ?? null };
    });
  }

  /** `X 14 days or less on or before day of start of QualifyingEncounter.period` for some encounter. */
  private within14DaysBeforeAnEncounter(day: number): boolean {
    for (const start of this.startDays) if (withinDaysOnOrBefore(day, start, 14)) return true;
    return false;
  }

  /** The screenings "with" a qualifying encounter: result present, final/corrected. */
  private screenings(group: ScreeningGroup): ObservationFact[] {
    const found: ObservationFact[] = [];
    for (const o of this.ev.record.observations) {
      if (!o.codes.includes(group.screeningCode) || o.value.kind === 'absent') continue;
      if (o.status !== 'final' && o.status !== 'corrected') continue;
      // effective.toInterval() (its end) 14 days or less on or before the encounter's start
      const days = this.ev.days(o.effective);
      if (days !== null && this.within14DaysBeforeAnEncounter(days.hi)) found.push(o);
    }
    return found;
  }

  evaluate(group: ScreeningGroup): GroupOutcome {
    const ev = this.ev;
    const screenings = this.screenings(group);
    // "Most Recent … Depression Screening": Last, sorted by start of effective (nulls first)
    let mostRecent: ObservationFact | null = null;
    let mostRecentStart = Number.NEGATIVE_INFINITY;
    for (const o of screenings) {
      const start = o.effective?.start ?? Number.NEGATIVE_INFINITY;
      if (mostRecent === null || start >= mostRecentStart) {
        mostRecent = o;
        mostRecentStart = start;
      }
    }
    let met: Finding | null = null;
    if (mostRecent !== null && mostRecent.value.kind === 'concept') {
      if (mostRecent.value.codes.includes(CODE.depressionScreeningNegative)) {
        met = {
          rule: `Has Most Recent ${title(group)} Screening Negative`,
          refs: [mostRecent.ref],
        };
      } else if (mostRecent.value.codes.includes(CODE.depressionScreeningPositive)) {
        const followUp = this.followUp(group, mostRecent);
        if (followUp !== null) {
          met = {
            rule: `Most Recent ${title(group)} Depression Screening Positive and Follow Up Provided`,
            refs: [mostRecent.ref, followUp],
          };
        }
      }
    }
    // "Medical or Patient Reason for Not Screening …": cancelled with a reason, issued during a visit
    const notScreenedReason: string[] = [];
    for (const o of ev.record.observations) {
      if (!o.codes.includes(group.screeningCode) || o.notDoneReason.length === 0) continue;
      const reasonOk =
        o.notDoneReason.includes(CODE.depressionScreeningDeclined) ||
        ev.in(o.notDoneReason, VS.medicalReason);
      const issuedDay = ev.day(o.issued);
      if (reasonOk && this.encounterDays.some((d) => dayIn(issuedDay, d)))
        notScreenedReason.push(o.ref);
    }
    return { screened: screenings.length > 0, met, notScreenedReason };
  }

  /** "Follow Up Intervention for Positive … Screening" joined with the most recent screening. */
  private followUp(group: ScreeningGroup, screening: ObservationFact): string | null {
    const ev = this.ev;
    const r = ev.record;
    const screeningStartDay = ev.day(screening.effective?.start ?? null);
    // Pairs (screening starts ≤14 days before the visit) and the follow-up's timing for that visit.
    const timely = (start: number | null, authoredOn: number | null): boolean => {
      const when = start ?? authoredOn;
      if (!dayIn(ev.day(when), ev.period.days)) return false;
      for (const [i, visitStart] of this.startDays.entries()) {
        if (!withinDaysOnOrBefore(screeningStartDay, visitStart, 14)) continue;
        const visit = this.encounterDays[i];
        if (visit === undefined) continue;
        // start of performed during the visit period (ms), or authored ≤2 days after its end day
        const visitEnd = visit.end ?? Number.POSITIVE_INFINITY;
        if (start !== null && visit.start !== null && start >= visit.start && start <= visitEnd)
          return true;
        if (withinDaysOnOrAfter(ev.day(authoredOn), visit.hi, 2)) return true;
      }
      return false;
    };
    for (const m of r.medicationRequests) {
      if (!ev.in(m.codes, group.medications)) continue;
      if (!(m.status === 'active' || m.status === 'completed') || !ORDER_INTENTS.has(m.intent))
        continue;
      // with a visit: screening starts ≤14 days before it and the prescription overlaps after it
      const period = ev.days(m.requestPeriod);
      let withVisit = false;
      for (const [i, visitStart] of this.startDays.entries()) {
        const visit = this.encounterDays[i];
        if (visit === undefined || period === null) continue;
        if (
          withinDaysOnOrBefore(screeningStartDay, visitStart, 14) &&
          daysOverlapAfter(period, visit)
        ) {
          withVisit = true;
          break;
        }
      }
      if (withVisit && timely(null, m.authoredOn)) return m.ref;
    }
    for (const s of r.serviceRequests) {
      if (!ev.in(s.codes, group.referral) || !(s.status === 'active' || s.status === 'completed'))
        continue;
      if (timely(null, s.authoredOn)) return s.ref;
    }
    for (const p of r.procedures) {
      if (!ev.in(p.codes, group.followUp) || p.status !== 'completed') continue;
      if (timely(p.performed?.start ?? null, null)) return p.ref;
    }
    return null;
  }
}

function title(group: ScreeningGroup): string {
  return group.label === 'adolescent' ? 'Adolescent' : 'Adult';
}

/**
 * define "History of Bipolar Diagnosis Before Qualifying Encounter": no `verified()` filter in
 * the CQL. Like the other Condition retrieves, the profile (ProblemsHealthConcerns) is not
 * required of the resource.
 */
function bipolarBeforeEncounter(ev: Evaluation, encounters: EncounterFact[]): Finding | null {
  for (const c of ev.record.conditions) {
    if (!ev.in(c.codes, VS.bipolarDisorder)) continue;
    const start = prevalenceDays(c, ev.offset).lo;
    for (const e of encounters) {
      if (start < ev.day(e.period?.start ?? null)) {
        return {
          rule: 'History of Bipolar Diagnosis Before Qualifying Encounter',
          refs: [c.ref, e.ref],
        };
      }
    }
  }
  return null;
}

function evaluate(record: PatientRecord, context: MeasureEvaluationContext): PatientMeasureResult {
  const ev = new Evaluation(record, context);
  // define "Initial Population": 12 or older at the start of the period, with a qualifying visit
  const age = ev.ageAtStart();
  const ageOk = age !== null && age >= 12;
  if (!ageOk) ev.reason(ageReason(age, 12, Number.POSITIVE_INFINITY, 'start'));
  const encounters = qualifyingEncounters(ev, ENCOUNTER_VALUE_SETS);
  const initialPopulation = ageOk && encounters.length > 0;
  if (!initialPopulation || age === null) return ev.result('CMS2', { ...OUT });
  ev.note('initial-population', {
    rule: 'Qualifying Encounter During Measurement Period',
    refs: encounters.map((e) => e.ref),
  });

  // define "Denominator Exclusions"
  const exclusion = bipolarBeforeEncounter(ev, encounters);
  if (exclusion !== null) ev.note('denominator-exclusion', exclusion);

  // define "Numerator": by age at the start of the period (17-year-olds may use either tool)
  const screening = new DepressionScreening(ev, encounters);
  const adolescent = age <= 17 ? screening.evaluate(ADOLESCENT) : null;
  const adult = age >= 17 ? screening.evaluate(ADULT) : null;
  const met = adolescent?.met ?? adult?.met ?? null;
  if (met !== null) ev.note('numerator', met);
  else
    ev.reason(
      'no negative depression screening, nor a positive one with a follow-up plan, tied to a qualifying visit',
    );

  // define "Denominator Exceptions": a reason for not screening, and no screening of that kind
  // (both tools are read regardless of age, as the CQL does)
  const adolescentAll = adolescent ?? screening.evaluate(ADOLESCENT);
  const adultAll = adult ?? screening.evaluate(ADULT);
  const exceptionRefs = [
    ...(adolescentAll.notScreenedReason.length > 0 && !adolescentAll.screened
      ? adolescentAll.notScreenedReason
      : []),
    ...(adultAll.notScreenedReason.length > 0 && !adultAll.screened
      ? adultAll.notScreenedReason
      : []),
  ];
  if (exceptionRefs.length > 0) {
    ev.note('denominator-exception', {
      rule: 'Medical or Patient Reason for Not Screening',
      refs: exceptionRefs,
    });
  }
  return ev.result(
    'CMS2',
    membership({
      initialPopulation,
      denominatorExclusion: exclusion !== null,
      numerator: met !== null,
      denominatorException: exceptionRefs.length > 0,
    }),
  );
}

export const cms2: ClinicalMeasureDefinition = {
  id: 'CMS2',
  title: 'Preventive Care and Screening: Screening for Depression and Follow-Up Plan',
  url: 'https://madie.cms.gov/Measure/CMS2FHIRPCSDepressionScreenAndFollowUp',
  version: '0.4.001',
  scoring: 'proportion',
  improvementNotation: 'increase',
  hasDenominatorException: true,
  ageStrata: [],
  evaluate,
};
