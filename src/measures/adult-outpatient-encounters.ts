// AdultOutpatientEncounters library (v4.19.000): define "Qualifying Encounters", and the
// plain-language account of why a record has none.

import { daysDuring } from '../clinical/cql-time';
import type { EncounterFact } from '../clinical/patient-record';
import type { Evaluation } from './evaluation';
import { isEncounterPerformed } from './status';
import { VS } from './value-sets';

export interface EncounterValueSet {
  name: string;
  url: string;
}

export const ADULT_OUTPATIENT_VALUE_SETS: readonly EncounterValueSet[] = [
  { name: 'Office Visit', url: VS.officeVisit },
  { name: 'Annual Wellness Visit', url: VS.annualWellnessVisit },
  {
    name: 'Preventive Care Services Established Office Visit, 18 and Up',
    url: VS.preventiveCareEstablished18AndUp,
  },
  {
    name: 'Preventive Care Services Initial Office Visit, 18 and Up',
    url: VS.preventiveCareInitial18AndUp,
  },
  { name: 'Home Healthcare Services', url: VS.homeHealthcareServices },
  { name: 'Virtual Encounter', url: VS.virtualEncounter },
  { name: 'Telephone Visits', url: VS.telephoneVisits },
];

/** Whether any of the encounter's type codes is in one of the value sets (or a listed code). */
export function isCodedAs(
  ev: Evaluation,
  e: EncounterFact,
  valueSets: readonly EncounterValueSet[],
  codes: readonly string[] = [],
): boolean {
  for (const vs of valueSets) if (ev.in(e.codes, vs.url)) return true;
  for (const code of codes) if (e.codes.includes(code)) return true;
  return false;
}

/**
 * "Qualifying Encounters": coded in the value sets, finished, and `period during day of
 * "Measurement Period"`. Returns the refs of those that qualify; when none do, records a reason
 * that says what the encounters lacked.
 */
export function qualifyingEncounters(
  ev: Evaluation,
  valueSets: readonly EncounterValueSet[] = ADULT_OUTPATIENT_VALUE_SETS,
  codes: readonly string[] = [],
): EncounterFact[] {
  const found: EncounterFact[] = [];
  let outsideValueSets = 0;
  let notFinished = 0;
  let outsidePeriod = 0;
  const mp = ev.period.days;
  for (const e of ev.record.encounters) {
    if (!isCodedAs(ev, e, valueSets, codes)) {
      outsideValueSets += 1;
      continue;
    }
    if (!isEncounterPerformed(e)) {
      notFinished += 1;
      continue;
    }
    const days = ev.days(e.period);
    if (days !== null && daysDuring(days, mp)) found.push(e);
    else outsidePeriod += 1;
  }
  if (found.length === 0) {
    const total = ev.record.encounters.length;
    if (total === 0) {
      ev.reason('no qualifying encounter: the record has no encounters');
    } else {
      const parts: string[] = [];
      const plural = (n: number): string => (n === 1 ? 'encounter' : 'encounters');
      if (outsideValueSets > 0) {
        const names = valueSets.map((v) => v.name).join(' / ');
        parts.push(
          `${outsideValueSets} ${plural(outsideValueSets)} coded outside the ${names} value sets`,
        );
      }
      if (notFinished > 0)
        parts.push(`${notFinished} qualifying-coded ${plural(notFinished)} not finished`);
      if (outsidePeriod > 0) {
        parts.push(
          `${outsidePeriod} qualifying-coded ${plural(outsidePeriod)} not within the measurement period`,
        );
      }
      ev.reason(`no qualifying encounter: ${parts.join('; ')}`);
    }
  }
  return found;
}
