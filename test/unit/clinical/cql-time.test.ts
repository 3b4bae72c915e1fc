import { describe, expect, it } from 'vitest';
import {
  addMonths,
  addYears,
  ageInYearsAt,
  dayIn,
  dayOf,
  daysDuring,
  daysEndDuring,
  daysOverlap,
  daysOverlapAfter,
  daysStartDuring,
  latest,
  earliest,
  offsetMinutesOf,
  parseCalendarDate,
  parseDateTime,
  prevalenceDays,
  prevalenceMs,
  readMeasurementPeriod,
  toDayInterval,
  withinDaysOnOrAfter,
  withinDaysOnOrBefore,
  type DayInterval,
  type PrevalenceSource,
} from '../../../src/clinical/cql-time';
import type { CalendarDate } from '../../../src/clinical/patient-record';

const day = (iso: string): number => dayOf(Date.parse(iso), 0);
const ms = (iso: string): number => Date.parse(iso);
const date = (iso: string): CalendarDate => {
  const parsed = parseCalendarDate(iso);
  if (parsed === null) throw new Error(iso);
  return parsed;
};

describe('parseDateTime', () => {
  it.each([
    ['2026-03-01T10:00:00.000+00:00', 0, ms('2026-03-01T10:00:00Z')],
    ['2026-03-01T10:00:00Z', 0, ms('2026-03-01T10:00:00Z')],
    ['2026-03-01T05:00:00-05:00', 0, ms('2026-03-01T10:00:00Z')],
    ['2026-03-01', 0, ms('2026-03-01T00:00:00Z')],
    ['2026-03-01', -300, ms('2026-03-01T05:00:00Z')],
    ['2026-03', 0, ms('2026-03-01T00:00:00Z')],
    ['2026', 0, ms('2026-01-01T00:00:00Z')],
    ['2026-03-01T10:00:00', 60, ms('2026-03-01T09:00:00Z')],
  ])('reads %s (offset %i) as an instant', (text, offset, expected) => {
    expect(parseDateTime(text, offset)).toBe(expected);
  });

  it.each([[undefined], [''], ['not a date'], ['20']])('returns null for %s', (text) => {
    expect(parseDateTime(text)).toBeNull();
  });

  it.each([
    ['2026-01-01T00:00:00+05:30', 330],
    ['2026-01-01T00:00:00-04:00', -240],
    ['2026-01-01T00:00:00Z', 0],
    ['2026-01-01', 0],
  ])('reads the offset of %s', (text, expected) => {
    expect(offsetMinutesOf(text)).toBe(expected);
  });
});

describe('AgeInYearsAt', () => {
  it.each([
    ['1951-12-31', '2026-12-31', 75],
    ['1951-01-01', '2026-12-31', 75],
    ['1950-12-31', '2026-12-31', 76],
    ['2008-12-31', '2026-12-31', 18],
    ['2009-01-01', '2026-12-31', 17],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    ['2014-01-01', '2026-01-01', 12],
    ['2014-01-02', '2026-01-01', 11],
  ])('born %s is %i… at %s', (birth, at, expected) => {
    expect(ageInYearsAt(date(birth), date(at))).toBe(expected);
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2026-01-01', -1, { year: 2025, month: 1, day: 1 }],
    ['2024-02-29', 1, { year: 2025, month: 2, day: 28 }],
    ['2026-01-01', -9, { year: 2017, month: 1, day: 1 }],
  ])('%s plus %i years', (from, years, expected) => {
    expect(addYears(date(from), years)).toEqual(expected);
  });

  it.each([
    ['2026-01-01', 6, { year: 2026, month: 7, day: 1 }],
    ['2026-08-31', 6, { year: 2027, month: 2, day: 28 }],
    ['2026-01-31', -2, { year: 2025, month: 11, day: 30 }],
  ])('%s plus %i months', (from, months, expected) => {
    expect(addMonths(date(from), months)).toEqual(expected);
  });
});

describe('readMeasurementPeriod', () => {
  it('covers the whole last day of a date-only period', () => {
    const mp = readMeasurementPeriod({ start: '2026-01-01', end: '2026-12-31' });
    expect(mp.start).toBe(ms('2026-01-01T00:00:00Z'));
    expect(mp.end).toBe(ms('2026-12-31T23:59:59.999Z'));
    expect(mp.days).toEqual({ lo: day('2026-01-01T00:00:00Z'), hi: day('2026-12-31T00:00:00Z') });
    expect(mp.endDate).toEqual({ year: 2026, month: 12, day: 31 });
  });

  it('keeps the offset of a dateTime period for day boundaries', () => {
    const mp = readMeasurementPeriod({
      start: '2026-01-01T00:00:00-05:00',
      end: '2026-12-31T23:59:59-05:00',
    });
    expect(mp.offsetMinutes).toBe(-300);
    expect(mp.startDate).toEqual({ year: 2026, month: 1, day: 1 });
    expect(mp.endDate).toEqual({ year: 2026, month: 12, day: 31 });
  });

  it('rejects text that is not a date', () => {
    expect(() => readMeasurementPeriod({ start: 'soon', end: 'later' })).toThrow(RangeError);
  });
});

describe('toInterval, latest and earliest (FHIRHelpers / QICoreCommon)', () => {
  it.each([
    [
      'a dateTime',
      { start: ms('2026-03-01T10:00:00Z'), end: ms('2026-03-01T10:00:00Z') },
      ms('2026-03-01T10:00:00Z'),
    ],
    [
      'a closed period',
      { start: ms('2026-03-01T00:00:00Z'), end: ms('2026-03-05T00:00:00Z') },
      ms('2026-03-05T00:00:00Z'),
    ],
    [
      'a period without end',
      { start: ms('2026-03-01T00:00:00Z'), end: null },
      ms('2026-03-01T00:00:00Z'),
    ],
    [
      'a period without start',
      { start: null, end: ms('2026-03-05T00:00:00Z') },
      ms('2026-03-05T00:00:00Z'),
    ],
  ])('latest of %s', (_name, interval, expected) => {
    expect(latest(interval)).toBe(expected);
  });

  it('earliest prefers the start', () => {
    expect(earliest({ start: 1, end: 2 })).toBe(1);
    expect(earliest({ start: null, end: 2 })).toBe(2);
    expect(latest(null)).toBeNull();
  });

  it('reads a missing period start as unknown and a missing end as unbounded', () => {
    const open = toDayInterval({ start: null, end: ms('2026-03-05T00:00:00Z') }, 0);
    expect(open?.lo).toBeNaN();
    expect(toDayInterval({ start: ms('2026-03-01T00:00:00Z'), end: null }, 0)?.hi).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(toDayInterval(null, 0)).toBeNull();
  });
});

const condition = (over: Partial<PrevalenceSource>): PrevalenceSource => ({
  clinicalStatus: 'active',
  onset: { start: ms('2020-05-01T00:00:00Z'), end: ms('2020-05-01T00:00:00Z') },
  abatement: null,
  abatementEndOpen: false,
  ...over,
});

describe('prevalenceInterval', () => {
  it.each<[string, Partial<PrevalenceSource>, number, number]>([
    ['active without abatement runs on', {}, day('2020-05-01T00:00:00Z'), Number.POSITIVE_INFINITY],
    [
      'recurrence runs on',
      { clinicalStatus: 'recurrence' },
      day('2020-05-01T00:00:00Z'),
      Number.POSITIVE_INFINITY,
    ],
    [
      'resolved with abatement ends on it',
      {
        clinicalStatus: 'resolved',
        abatement: { start: ms('2021-01-01T00:00:00Z'), end: ms('2021-01-01T00:00:00Z') },
      },
      day('2020-05-01T00:00:00Z'),
      day('2021-01-01T00:00:00Z'),
    ],
    [
      'no onset starts unbounded',
      { onset: null },
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ],
  ])('%s', (_name, over, lo, hi) => {
    expect(prevalenceDays(condition(over), 0)).toEqual({ lo, hi });
  });

  it('leaves the end unknown for an inactive condition without abatement', () => {
    const p = prevalenceDays(condition({ clinicalStatus: 'inactive' }), 0);
    expect(p.hi).toBeNaN();
    expect(
      daysOverlap(p, { lo: day('2026-01-01T00:00:00Z'), hi: day('2026-12-31T00:00:00Z') }),
    ).toBe(false);
  });

  it('treats an open abatement end (Period) as ending just before it', () => {
    const p = prevalenceMs(
      condition({
        clinicalStatus: 'resolved',
        abatement: { start: ms('2021-01-01T00:00:00Z'), end: ms('2021-02-01T00:00:00Z') },
        abatementEndOpen: true,
      }),
    );
    expect(p.hi).toBe(ms('2021-02-01T00:00:00Z') - 1);
  });
});

const MP: DayInterval = { lo: day('2026-01-01T00:00:00Z'), hi: day('2026-12-31T00:00:00Z') };
const iv = (a: string, b: string): DayInterval => ({
  lo: day(`${a}T00:00:00Z`),
  hi: day(`${b}T00:00:00Z`),
});

describe('interval operators at day precision', () => {
  it.each<[string, DayInterval, boolean, boolean, boolean, boolean]>([
    // name, interval, during, overlaps, ends during, starts during
    ['inside', iv('2026-03-01', '2026-03-02'), true, true, true, true],
    ['crossing the start', iv('2025-12-31', '2026-01-01'), false, true, true, false],
    ['crossing the end', iv('2026-12-31', '2027-01-01'), false, true, false, true],
    ['before', iv('2025-12-01', '2025-12-31'), false, false, false, false],
    ['after', iv('2027-01-01', '2027-01-02'), false, false, false, false],
    [
      'unknown start, inside end',
      { lo: Number.NaN, hi: day('2026-03-01T00:00:00Z') },
      false,
      false,
      true,
      false,
    ],
    [
      'ongoing from inside',
      { lo: day('2026-03-01T00:00:00Z'), hi: Number.POSITIVE_INFINITY },
      false,
      true,
      false,
      true,
    ],
  ])('%s the period', (_name, a, during, overlaps, endsDuring, startsDuring) => {
    expect(daysDuring(a, MP)).toBe(during);
    expect(daysOverlap(a, MP)).toBe(overlaps);
    expect(daysEndDuring(a, MP)).toBe(endsDuring);
    expect(daysStartDuring(a, MP)).toBe(startsDuring);
  });

  it.each([
    [iv('2026-06-01', '2026-07-01'), iv('2026-06-15', '2026-06-15'), true],
    [iv('2026-06-01', '2026-06-15'), iv('2026-06-15', '2026-06-15'), false],
    [iv('2026-06-16', '2026-07-01'), iv('2026-06-15', '2026-06-15'), false],
  ])('overlaps after: %o vs %o', (a, b, expected) => {
    expect(daysOverlapAfter(a, b)).toBe(expected);
  });

  it.each([
    [day('2026-06-01T00:00:00Z'), day('2026-06-15T00:00:00Z'), true],
    [day('2026-05-31T00:00:00Z'), day('2026-06-14T00:00:00Z'), true],
    [day('2026-05-31T00:00:00Z'), day('2026-06-15T00:00:00Z'), false],
    [day('2026-06-16T00:00:00Z'), day('2026-06-15T00:00:00Z'), false],
  ])('day %i is 14 days or less on or before day %i: %s', (x, y, expected) => {
    expect(withinDaysOnOrBefore(x, y, 14)).toBe(expected);
  });

  it.each([
    [0, true],
    [2, true],
    [3, false],
    [-1, false],
  ])('authored %i days after the end is within 2 days on or after: %s', (delta, expected) => {
    expect(withinDaysOnOrAfter(100 + delta, 100, 2)).toBe(expected);
  });

  it('uses the offset for the day of an instant', () => {
    const t = ms('2026-01-01T03:00:00Z');
    expect(dayOf(t, 0)).toBe(day('2026-01-01T00:00:00Z'));
    expect(dayOf(t, -300)).toBe(day('2025-12-31T00:00:00Z'));
    expect(dayIn(Number.NaN, MP)).toBe(false);
  });
});
