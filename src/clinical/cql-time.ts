// Dates and intervals with the CQL semantics the eCQMs rely on (CQL 1.5 §5 and QICoreCommon /
// FHIRHelpers). Times are epoch milliseconds; "day of" comparisons use day numbers in the
// evaluation's timezone offset. Unknown boundaries are NaN so that every comparison with them is
// false, matching CQL's null-propagating comparisons inside `where`/`exists` (null → not chosen).
// Hazard: write predicates in positive form only (`a <= b`, never `!(a > b)`), or NaN leaks.

import type { CalendarDate, TimeInterval } from './patient-record';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

/** An interval of day numbers, both ends inclusive. NaN: unknown; ±Infinity: unbounded. */
export interface DayInterval {
  lo: number;
  hi: number;
}

const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * Parses a FHIR date, dateTime or instant to epoch ms. A value without a time (a CQL Date or a
 * partial dateTime) is placed at the start of its day/month/year in `offsetMinutes` (CQL converts
 * Date to DateTime in the evaluation request's offset). Returns null for missing or invalid text.
 */
export function parseDateTime(text: string | undefined | null, offsetMinutes = 0): number | null {
  if (text === undefined || text === null || text.length < 4) return null;
  if (text.length <= 10) {
    const m = DATE_RE.exec(text);
    if (m === null) return null;
    const ms = Date.UTC(
      Number(m[1]),
      m[2] === undefined ? 0 : Number(m[2]) - 1,
      m[3] === undefined ? 1 : Number(m[3]),
    );
    return ms - offsetMinutes * MS_PER_MINUTE;
  }
  // A dateTime with a time must carry an offset in FHIR; without one, use the evaluation offset.
  const hasZone = /(?:Z|[+-]\d{2}:\d{2})$/.test(text);
  const ms = Date.parse(hasZone ? text : `${text}Z`);
  if (Number.isNaN(ms)) return null;
  return hasZone ? ms : ms - offsetMinutes * MS_PER_MINUTE;
}

/** Reads the offset of an ISO dateTime (`Z`, `+hh:mm`, `-hh:mm`) in minutes; 0 for a date. */
export function offsetMinutesOf(text: string): number {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(text);
  if (m === null || text.length <= 10) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** The calendar fields of a FHIR date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a dateTime's date). */
export function parseCalendarDate(text: string | undefined | null): CalendarDate | null {
  if (text === undefined || text === null) return null;
  const m = DATE_RE.exec(text.slice(0, 10));
  if (m === null) return null;
  return {
    year: Number(m[1]),
    month: m[2] === undefined ? 1 : Number(m[2]),
    day: m[3] === undefined ? 1 : Number(m[3]),
  };
}

/** The day number (days since 1970-01-01) of an instant in a timezone offset. */
export function dayOf(ms: number, offsetMinutes: number): number {
  return Math.floor((ms + offsetMinutes * MS_PER_MINUTE) / MS_PER_DAY);
}

/** `date from` an instant: its calendar date in the offset. */
export function calendarDateOf(ms: number, offsetMinutes: number): CalendarDate {
  const d = new Date(ms + offsetMinutes * MS_PER_MINUTE);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The day number of a calendar date. */
export function dayOfDate(date: CalendarDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY;
}

/**
 * CQL `AgeInYearsAt(asOf)`: whole calendar years from the birth date to `asOf` (years between,
 * less one if the birthday has not come yet that year).
 */
export function ageInYearsAt(birth: CalendarDate, asOf: CalendarDate): number {
  let years = asOf.year - birth.year;
  if (asOf.month < birth.month || (asOf.month === birth.month && asOf.day < birth.day)) years -= 1;
  return years;
}

/** CQL `date + n years` on a calendar date, clamping Feb 29 to Feb 28 as CQL does. */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const year = date.year + years;
  const lastDay = new Date(Date.UTC(year, date.month, 0)).getUTCDate();
  return { year, month: date.month, day: Math.min(date.day, lastDay) };
}

/** CQL `date + n months`, clamping the day to the end of the target month. */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(date.day, lastDay) };
}

/** The "Measurement Period" parameter, pre-digested for day-precision comparisons. */
export interface MeasurementPeriod {
  /** epoch ms of the first instant */
  start: number;
  /** epoch ms of the last instant (a date end means 23:59:59.999 of that day) */
  end: number;
  offsetMinutes: number;
  startDate: CalendarDate;
  endDate: CalendarDate;
  /** the period as day numbers (for "during day of", "overlaps day of" …) */
  days: DayInterval;
}

/**
 * Reads `{start, end}` ISO strings (dates or dateTimes) as the CQL `Interval<DateTime>` the
 * engine is run with; a date-only end covers its whole day. The offset comes from `start`
 * (UTC for plain dates, as the official test harness runs them).
 */
export function readMeasurementPeriod(period: { start: string; end: string }): MeasurementPeriod {
  const offsetMinutes = offsetMinutesOf(period.start);
  const start = parseDateTime(period.start, offsetMinutes);
  const endParsed = parseDateTime(period.end, offsetMinutes);
  if (start === null || endParsed === null) {
    throw new RangeError(
      `Measurement period is not a pair of ISO dates: ${period.start}..${period.end}`,
    );
  }
  const end = period.end.length <= 10 ? endParsed + MS_PER_DAY - 1 : endParsed;
  return {
    start,
    end,
    offsetMinutes,
    startDate: calendarDateOf(start, offsetMinutes),
    endDate: calendarDateOf(end, offsetMinutes),
    days: { lo: dayOf(start, offsetMinutes), hi: dayOf(end, offsetMinutes) },
  };
}

/**
 * FHIRHelpers `ToInterval(Period)` / QICoreCommon `toInterval()` at day precision: a missing
 * start is unknown (`Interval(null, end]` → NaN), a missing end is unbounded (`[start, null]`).
 */
export function toDayInterval(
  interval: TimeInterval | null,
  offsetMinutes: number,
): DayInterval | null {
  if (interval === null) return null;
  return {
    lo: interval.start === null ? Number.NaN : dayOf(interval.start, offsetMinutes),
    hi: interval.end === null ? Number.POSITIVE_INFINITY : dayOf(interval.end, offsetMinutes),
  };
}

/** QICoreCommon `latest()`: the end of the interval when it has one, else its start (epoch ms). */
export function latest(interval: TimeInterval | null): number | null {
  if (interval === null) return null;
  return interval.end ?? interval.start;
}

/** QICoreCommon `earliest()`: the start when there is one, else the end. */
export function earliest(interval: TimeInterval | null): number | null {
  if (interval === null) return null;
  return interval.start ?? interval.end;
}

/** The parts of a Condition that QICoreCommon `prevalenceInterval()` reads. */
export interface PrevalenceSource {
  clinicalStatus: string;
  onset: TimeInterval | null;
  abatement: TimeInterval | null;
  abatementEndOpen: boolean;
}

/**
 * QICoreCommon `prevalenceInterval()` in days: from the start of onset (unbounded when absent)
 * to the end of the abatement; an active/recurrence/relapse condition without abatement runs
 * on (closed null end = unbounded), any other without abatement has an unknown end (open null).
 */
export function prevalenceDays(condition: PrevalenceSource, offsetMinutes: number): DayInterval {
  const onset = condition.onset;
  const lo =
    onset === null || onset.start === null
      ? Number.NEGATIVE_INFINITY
      : dayOf(onset.start, offsetMinutes);
  const abatementEnd = abatementEndMs(condition);
  const status = condition.clinicalStatus;
  if (status === 'active' || status === 'recurrence' || status === 'relapse') {
    return {
      lo,
      hi: abatementEnd === null ? Number.POSITIVE_INFINITY : dayOf(abatementEnd, offsetMinutes),
    };
  }
  return { lo, hi: abatementEnd === null ? Number.NaN : dayOf(abatementEnd, offsetMinutes) };
}

/** `end of condition.abatementInterval()` in ms (an open end is its predecessor), or null. */
export function abatementEndMs(condition: PrevalenceSource): number | null {
  const abatement = condition.abatement;
  if (abatement === null || abatement.end === null) return null;
  return condition.abatementEndOpen ? abatement.end - 1 : abatement.end;
}

/** The start of `prevalenceInterval()` in ms (−∞ when there is no onset). */
export function prevalenceStartMs(condition: PrevalenceSource): number {
  const onset = condition.onset;
  return onset === null || onset.start === null ? Number.NEGATIVE_INFINITY : onset.start;
}

/** `day in interval` (`X during day of I` for a point). */
export function dayIn(day: number, interval: DayInterval): boolean {
  return day >= interval.lo && day <= interval.hi;
}

/** `A during day of B` / `B includes day of A`. */
export function daysDuring(a: DayInterval, b: DayInterval): boolean {
  return a.lo >= b.lo && a.hi <= b.hi;
}

/** `A overlaps day of B`. */
export function daysOverlap(a: DayInterval, b: DayInterval): boolean {
  return a.lo <= b.hi && a.hi >= b.lo;
}

/** `A overlaps after day of B`: overlaps, and A ends after B ends. */
export function daysOverlapAfter(a: DayInterval, b: DayInterval): boolean {
  return daysOverlap(a, b) && a.hi > b.hi;
}

/** `A ends during day of B`. */
export function daysEndDuring(a: DayInterval, b: DayInterval): boolean {
  return dayIn(a.hi, b);
}

/** `A starts during day of B`. */
export function daysStartDuring(a: DayInterval, b: DayInterval): boolean {
  return dayIn(a.lo, b);
}

/** `X n days or less on or before day of Y`: Y − n ≤ X ≤ Y in days. */
export function withinDaysOnOrBefore(x: number, y: number, n: number): boolean {
  return x >= y - n && x <= y;
}

/** `X n days or less on or after day of Y`: Y ≤ X ≤ Y + n in days. */
export function withinDaysOnOrAfter(x: number, y: number, n: number): boolean {
  return x >= y && x <= y + n;
}

/**
 * QICoreCommon `prevalenceInterval()` at millisecond precision (for operators without "day of",
 * e.g. CMS165 `overlaps Interval[start of MP, start of MP + 6 months)`).
 */
export function prevalenceMs(condition: PrevalenceSource): DayInterval {
  const lo = prevalenceStartMs(condition);
  const end = abatementEndMs(condition);
  const status = condition.clinicalStatus;
  const active = status === 'active' || status === 'recurrence' || status === 'relapse';
  return { lo, hi: end ?? (active ? Number.POSITIVE_INFINITY : Number.NaN) };
}

/** The start of a day number as epoch ms in the offset. */
export function startOfDay(day: number, offsetMinutes: number): number {
  return day * MS_PER_DAY - offsetMinutes * MS_PER_MINUTE;
}
