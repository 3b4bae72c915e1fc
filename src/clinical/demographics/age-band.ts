// Age bands at a date passed in (pure: no clock). Ages follow CQL AgeInYearsAt: whole calendar
// years. A partial birth date (year or year-month) gives an age range; the band is read only when
// the whole range falls in one band (CQL would return an uncertainty), otherwise `unknown`.

import { ageInYearsAt, parseCalendarDate } from '../cql-time';
import type { CalendarDate } from '../patient-record';
import {
  absenceOfExtensions,
  absent,
  recorded,
  type DataQualityNote,
  type Reading,
} from './reading';

export interface AgeBand {
  label: string;
  /** Inclusive lower bound, in whole years. */
  min: number;
  /** Inclusive upper bound; null = no upper bound. */
  max: number | null;
}

export const DEFAULT_AGE_BANDS: readonly AgeBand[] = [
  { label: '0–17', min: 0, max: 17 },
  { label: '18–44', min: 18, max: 44 },
  { label: '45–64', min: 45, max: 64 },
  { label: '65–74', min: 65, max: 74 },
  { label: '75+', min: 75, max: null },
];

export interface RecordedAge {
  band: AgeBand;
  /** Whole years; for a partial birth date, the lower end of the possible ages. */
  age: number;
}

const inBand = (age: number, band: AgeBand): boolean =>
  age >= band.min && (band.max === null || age <= band.max);

const lastDayOfMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The patient's age band at `asOf` ('YYYY-MM-DD'). No birthDate → `not-collected`; a birthDate
 * data-absent-reason → that reason; a birth date after `asOf`, or a partial date whose possible
 * ages straddle two bands → `unknown` with a note.
 */
export function readAgeBand(
  patient: fhir4.Patient,
  asOf: string,
  bands: readonly AgeBand[] = DEFAULT_AGE_BANDS,
): Reading<RecordedAge> {
  const at = parseCalendarDate(asOf);
  if (at === null) throw new RangeError(`readAgeBand: asOf "${asOf}" is not a date`);
  const text = patient.birthDate;
  if (text === undefined) {
    const reason = absenceOfExtensions(patient._birthDate?.extension);
    return absent(reason ?? 'not-collected');
  }
  const birth = parseCalendarDate(text);
  if (birth === null) {
    return absent('unknown', [{ issue: 'unrecognised-code', detail: `birthDate "${text}"` }]);
  }
  const notes: DataQualityNote[] = [];
  const precision = text.length <= 4 ? 'year' : text.length <= 7 ? 'month' : 'day';
  const latest: CalendarDate =
    precision === 'year'
      ? { year: birth.year, month: 12, day: 31 }
      : precision === 'month'
        ? { ...birth, day: lastDayOfMonth(birth.year, birth.month) }
        : birth;
  const oldest = ageInYearsAt(birth, at);
  const youngest = ageInYearsAt(latest, at);
  if (precision !== 'day') {
    notes.push({
      issue: 'partial-birth-date',
      detail: `birthDate "${text}": age ${youngest}–${oldest}`,
    });
  }
  if (youngest < 0) {
    notes.push({
      issue: 'birth-date-after-reference-date',
      detail: `birthDate ${text} after ${asOf}`,
    });
    return absent('unknown', notes);
  }
  const band = bands.find((b) => inBand(youngest, b));
  if (band === undefined || !inBand(oldest, band)) return absent('unknown', notes);
  return recorded({ band, age: youngest }, notes);
}
