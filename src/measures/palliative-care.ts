// PalliativeCare library (v1.18.000): define "Has Palliative Care in the Measurement Period".

import { daysOverlap, prevalenceDays } from '../clinical/cql-time';
import type { Evaluation, Finding } from './evaluation';
import {
  isEncounterPerformed,
  isObservationFinal,
  isProcedurePerformed,
  isVerified,
} from './status';
import { CODE, VS } from './value-sets';

export function hasPalliativeCareInMeasurementPeriod(ev: Evaluation): Finding | null {
  const r = ev.record;
  const mp = ev.period.days;
  // FACIT-Pal assessment overlapping the period
  for (const o of r.observations) {
    if (!o.codes.includes(CODE.facitPal) || !isObservationFinal(o)) continue;
    const days = ev.days(o.effective);
    if (days !== null && daysOverlap(days, mp))
      return { rule: 'Palliative care assessment', refs: [o.ref] };
  }
  // Palliative Care Diagnosis whose prevalence overlaps the period
  for (const c of r.conditions) {
    if (
      ev.in(c.codes, VS.palliativeCareDiagnosis) &&
      isVerified(c) &&
      daysOverlap(prevalenceDays(c, ev.offset), mp)
    ) {
      return { rule: 'Palliative care diagnosis', refs: [c.ref] };
    }
  }
  // Palliative Care Encounter overlapping the period
  for (const e of r.encounters) {
    if (!ev.in(e.codes, VS.palliativeCareEncounter) || !isEncounterPerformed(e)) continue;
    const days = ev.days(e.period);
    if (days !== null && daysOverlap(days, mp))
      return { rule: 'Palliative care encounter', refs: [e.ref] };
  }
  // Palliative Care Intervention performed, overlapping the period
  for (const p of r.procedures) {
    if (!ev.in(p.codes, VS.palliativeCareIntervention) || !isProcedurePerformed(p)) continue;
    const days = ev.days(p.performed);
    if (days !== null && daysOverlap(days, mp))
      return { rule: 'Palliative care intervention', refs: [p.ref] };
  }
  return null;
}
