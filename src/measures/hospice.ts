// Hospice library (v6.18.000): define "Has Hospice Services".

import { daysOverlap, dayIn, prevalenceDays } from '../clinical/cql-time';
import type { Evaluation, Finding } from './evaluation';
import {
  isEncounterPerformed,
  isObservationFinal,
  isOrder,
  isProcedurePerformed,
  isVerified,
} from './status';
import { CODE, VS } from './value-sets';

/** Hospice."Has Hospice Services": the first matching branch, or null. */
export function hasHospiceServices(ev: Evaluation): Finding | null {
  const r = ev.record;
  const mp = ev.period.days;
  for (const e of r.encounters) {
    if (!isEncounterPerformed(e)) continue;
    const days = ev.days(e.period);
    // Encounter Inpatient discharged to hospice, ending during the period
    if (
      ev.in(e.codes, VS.encounterInpatient) &&
      (e.dischargeDisposition.includes(CODE.dischargeToHomeForHospice) ||
        e.dischargeDisposition.includes(CODE.dischargeToHealthcareFacilityForHospice)) &&
      days !== null &&
      dayIn(days.hi, mp)
    ) {
      return { rule: 'Hospice: inpatient discharge to hospice', refs: [e.ref] };
    }
    // Hospice Encounter overlapping the period
    if (ev.in(e.codes, VS.hospiceEncounter) && days !== null && daysOverlap(days, mp)) {
      return { rule: 'Hospice: Hospice Encounter', refs: [e.ref] };
    }
  }
  // "Hospice care [Minimum Data Set]" assessment answered Yes, overlapping the period
  for (const o of r.observations) {
    if (!o.codes.includes(CODE.hospiceCareMds) || !isObservationFinal(o)) continue;
    const days = ev.days(o.effective);
    if (
      o.value.kind === 'concept' &&
      o.value.codes.includes(CODE.yes) &&
      days !== null &&
      daysOverlap(days, mp)
    ) {
      return { rule: 'Hospice: hospice care assessment', refs: [o.ref] };
    }
  }
  // Hospice Care Ambulatory ordered during the period
  for (const s of r.serviceRequests) {
    if (ev.in(s.codes, VS.hospiceCareAmbulatory) && isOrder(s) && dayIn(ev.day(s.authoredOn), mp)) {
      return { rule: 'Hospice: hospice care order', refs: [s.ref] };
    }
  }
  // Hospice Care Ambulatory performed, overlapping the period
  for (const p of r.procedures) {
    if (!ev.in(p.codes, VS.hospiceCareAmbulatory) || !isProcedurePerformed(p)) continue;
    const days = ev.days(p.performed);
    if (days !== null && daysOverlap(days, mp))
      return { rule: 'Hospice: hospice care performed', refs: [p.ref] };
  }
  // Hospice Diagnosis whose prevalence overlaps the period
  for (const c of r.conditions) {
    if (
      ev.in(c.codes, VS.hospiceDiagnosis) &&
      isVerified(c) &&
      daysOverlap(prevalenceDays(c, ev.offset), mp)
    ) {
      return { rule: 'Hospice: Hospice Diagnosis', refs: [c.ref] };
    }
  }
  return null;
}
