// "Now" for the social-needs rules: the encounter's date (sdoh.md §4 "'Now' means the encounter
// date") or today, always passed in (pure layer: no clock). Day arithmetic happens in the offset
// of `now`, so "day N" and the 12-month window follow the clinic's calendar.

import type { CalendarDate } from '../clinical/patient-record';
import {
  MS_PER_DAY,
  addMonths,
  calendarDateOf,
  dayOf,
  dayOfDate,
  offsetMinutesOf,
  parseDateTime,
} from '../clinical/cql-time';

export interface Now {
  /** Epoch ms. A date without a time is its start of day. */
  ms: number;
  offsetMinutes: number;
  /** Day number (days since 1970-01-01) in `offsetMinutes`. */
  day: number;
  date: CalendarDate;
}

/** Reads `now` (a FHIR date or dateTime). Throws RangeError on text that is neither. */
export function readNow(now: string): Now {
  const offsetMinutes = offsetMinutesOf(now);
  const ms = parseDateTime(now, offsetMinutes);
  if (ms === null) throw new RangeError(`not a FHIR date or dateTime: ${JSON.stringify(now)}`);
  return {
    ms,
    offsetMinutes,
    day: dayOf(ms, offsetMinutes),
    date: calendarDateOf(ms, offsetMinutes),
  };
}

/** Epoch ms of a FHIR date/dateTime/instant, in `now`'s offset for a date; undefined if absent or bad. */
export function instantOf(text: string | undefined, now: Now): number | undefined {
  const ms = parseDateTime(text, now.offsetMinutes);
  return ms === null ? undefined : ms;
}

export function dayNumberOf(ms: number, now: Now): number {
  return dayOf(ms, now.offsetMinutes);
}

/** The first day still inside a window of `months` calendar months ending on `now`'s day. */
export function firstDayWithinMonths(now: Now, months: number): number {
  return dayOfDate(addMonths(now.date, -months));
}

/** 'YYYY-MM-DD' of a day number. */
export function isoDateOfDay(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** 'YYYY-MM-DD' of an instant in `now`'s offset. */
export function isoDateOf(ms: number, now: Now): string {
  return isoDateOfDay(dayNumberOf(ms, now));
}
