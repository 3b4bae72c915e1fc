// AdvancedIllnessandFrailty library (v1.27.000).

import {
  addYears,
  dayIn,
  dayOfDate,
  daysOverlap,
  prevalenceDays,
  type DayInterval,
} from '../clinical/cql-time';
import type { Evaluation, Finding } from './evaluation';
import {
  isEncounterPerformed,
  isMedicationActive,
  isObservationFinal,
  isOrder,
  isSymptom,
  isVerified,
} from './status';
import { CODE, VS } from './value-sets';

/** Interval[start of "Measurement Period" - 1 year, end of "Measurement Period"] in days. */
function yearBeforeAndPeriod(ev: Evaluation): DayInterval {
  return { lo: dayOfDate(addYears(ev.period.startDate, -1)), hi: ev.period.days.hi };
}

/** define "Has Criteria Indicating Frailty" */
export function hasCriteriaIndicatingFrailty(ev: Evaluation): Finding | null {
  const r = ev.record;
  const mp = ev.period.days;
  // Frailty Device ordered during the period
  for (const d of r.deviceRequests) {
    if (ev.in(d.codes, VS.frailtyDevice) && isOrder(d) && dayIn(ev.day(d.authoredOn), mp)) {
      return { rule: 'Frailty device order', refs: [d.ref] };
    }
  }
  for (const o of r.observations) {
    // "Medical equipment used" answered with a Frailty Device, ending during the period
    if (o.codes.includes(CODE.medicalEquipmentUsed) && isObservationFinal(o)) {
      const days = ev.days(o.effective);
      if (
        o.value.kind === 'concept' &&
        ev.in(o.value.codes, VS.frailtyDevice) &&
        days !== null &&
        dayIn(days.hi, mp)
      ) {
        return { rule: 'Frailty device in use', refs: [o.ref] };
      }
    }
    // Frailty Symptom overlapping the period
    if (ev.in(o.codes, VS.frailtySymptom) && isSymptom(o)) {
      const days = ev.days(o.effective);
      if (days !== null && daysOverlap(days, mp)) return { rule: 'Frailty symptom', refs: [o.ref] };
    }
  }
  // Frailty Diagnosis whose prevalence overlaps the period
  for (const c of r.conditions) {
    if (
      ev.in(c.codes, VS.frailtyDiagnosis) &&
      isVerified(c) &&
      daysOverlap(prevalenceDays(c, ev.offset), mp)
    ) {
      return { rule: 'Frailty diagnosis', refs: [c.ref] };
    }
  }
  // Frailty Encounter overlapping the period
  for (const e of r.encounters) {
    if (!ev.in(e.codes, VS.frailtyEncounter) || !isEncounterPerformed(e)) continue;
    const days = ev.days(e.period);
    if (days !== null && daysOverlap(days, mp)) return { rule: 'Frailty encounter', refs: [e.ref] };
  }
  return null;
}

/** define "Has Advanced Illness in Year Before or During Measurement Period" */
export function hasAdvancedIllness(ev: Evaluation): Finding | null {
  const window = yearBeforeAndPeriod(ev);
  for (const c of ev.record.conditions) {
    if (
      ev.in(c.codes, VS.advancedIllness) &&
      isVerified(c) &&
      dayIn(prevalenceDays(c, ev.offset).lo, window)
    ) {
      return { rule: 'Advanced illness diagnosis', refs: [c.ref] };
    }
  }
  return null;
}

/** define "Has Dementia Medications in Year Before or During Measurement Period" */
export function hasDementiaMedications(ev: Evaluation): Finding | null {
  const window = yearBeforeAndPeriod(ev);
  for (const m of ev.record.medicationRequests) {
    if (!ev.in(m.codes, VS.dementiaMedications) || !isMedicationActive(m)) continue;
    const days = ev.days(m.requestPeriod);
    if (days !== null && daysOverlap(days, window))
      return { rule: 'Dementia medication', refs: [m.ref] };
  }
  return null;
}

function frailtyWithIllness(ev: Evaluation): Finding | null {
  const frailty = hasCriteriaIndicatingFrailty(ev);
  if (frailty === null) return null;
  const illness = hasAdvancedIllness(ev) ?? hasDementiaMedications(ev);
  if (illness === null) return null;
  return { rule: 'Advanced illness and frailty', refs: [...frailty.refs, ...illness.refs] };
}

/** define "Is Age 66 or Older with Advanced Illness and Frailty" */
export function isAge66OrOlderWithAdvancedIllnessAndFrailty(ev: Evaluation): Finding | null {
  const age = ev.ageAtEnd();
  if (age === null || age < 66) return null;
  return frailtyWithIllness(ev);
}

/** define "Is Age 66 to 80 with Advanced Illness and Frailty or Is Age 81 or Older with Frailty" */
export function isAge66To80FrailIllOrAge81Frail(ev: Evaluation): Finding | null {
  const age = ev.ageAtEnd();
  if (age === null || age < 66) return null;
  if (age <= 80) return frailtyWithIllness(ev);
  const frailty = hasCriteriaIndicatingFrailty(ev);
  return frailty === null ? null : { rule: 'Age 81 or older with frailty', refs: frailty.refs };
}

/** define "Is Age 66 or Older Living Long Term in a Nursing Home" */
export function isAge66OrOlderInNursingHome(ev: Evaluation): Finding | null {
  const age = ev.ageAtEnd();
  if (age === null || age < 66) return null;
  const mpEndDay = ev.period.days.hi;
  // Last housing-status assessment ending on or before the period's last day, sorted by end.
  let last: { end: number; value: readonly string[]; ref: string } | null = null;
  for (const o of ev.record.observations) {
    if (!o.codes.includes(CODE.housingStatus) || !isObservationFinal(o) || o.effective === null)
      continue;
    const end = o.effective.end;
    if (end === null || !(ev.day(end) <= mpEndDay)) continue;
    if (last === null || end >= last.end) {
      last = { end, value: o.value.kind === 'concept' ? o.value.codes : [], ref: o.ref };
    }
  }
  if (last?.value.includes(CODE.livesInNursingHome) === true) {
    return { rule: 'Living long term in a nursing home', refs: [last.ref] };
  }
  return null;
}
