// Calendar arithmetic on whole days. The generator works in "day numbers" (days since 1970-01-01)
// because every designed window (30-day referral, 12-month screening, 30-day readmission) is a
// day count, and integers are fast and exact. Conversion uses the proleptic Gregorian calendar
// (H. Hinnant's days-from-civil algorithm), so no Date object or time zone is involved.

/** The sandbox clinic's fixed UTC offset. Fixed (no DST) so output never depends on the host. */
export const CLINIC_UTC_OFFSET = '-05:00';

export function dayFromYmd(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function ymdFromDay(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Parses 'YYYY-MM-DD' (the only form the generator accepts for `today`). */
export function parseDay(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`Expected a date as YYYY-MM-DD, got "${text}"`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const day = dayFromYmd(y, m, d);
  const [y2, m2, d2] = ymdFromDay(day);
  if (y2 !== y || m2 !== m || d2 !== d) throw new Error(`Not a calendar date: "${text}"`);
  return day;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function formatDay(day: number): string {
  const [y, m, d] = ymdFromDay(day);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** FHIR dateTime at a minute of the clinic's local day (FHIR requires an offset when a time is given). */
export function formatDateTime(day: number, minuteOfDay: number): string {
  const hh = Math.floor(minuteOfDay / 60);
  const mm = minuteOfDay % 60;
  return `${formatDay(day)}T${pad2(hh)}:${pad2(mm)}:00${CLINIC_UTC_OFFSET}`;
}

/** Completed years from birth to `day` (the usual "age on that date"). */
export function ageOn(birthDay: number, day: number): number {
  const [by, bm, bd] = ymdFromDay(birthDay);
  const [y, m, d] = ymdFromDay(day);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** January 1 of the year containing `day` (the calendar measurement period's start). */
export function yearStart(day: number): number {
  return dayFromYmd(ymdFromDay(day)[0], 1, 1);
}
