// Measurement periods from what the page asks (today is an argument: the page's clock), and the
// trend's quarterly points.

import type { DateRange, PeriodChoice, TrendPoint } from './panel-view-model';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (m === null) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The day after `date` one year earlier: the start of the 12 months ending on `date`. */
export function twelveMonthsEndingOn(date: string): DateRange {
  const [y, m, d] = parts(date);
  // Date.UTC rolls Feb 29 of a non-leap year over to Mar 1, so the window is still 12 months.
  return { start: iso(Date.UTC(y - 1, m - 1, d + 1)), end: date };
}

/**
 * The period a choice stands for: a calendar year is January 1 – December 31 (the eCQMs' period,
 * even while the year is still running); the last 12 months end today.
 */
export function resolvePeriod(choice: PeriodChoice, today: string): DateRange {
  parts(today);
  switch (choice.kind) {
    case 'calendar-year':
      return { start: `${choice.year}-01-01`, end: `${choice.year}-12-31` };
    case 'last-12-months':
      return twelveMonthsEndingOn(today);
  }
}

/**
 * The trend's points: rolling 12-month periods ending at the last `quarters` COMPLETED quarter
 * ends before today, most recent last. A quarter is complete the day after its last day, so the
 * quarter containing today is never a point (its rate would drop data still to come, and change
 * from one day to the next); on 2026-12-02 the last point is 2026 Q3 (ending 2026-09-30).
 */
export function trendPoints(today: string, quarters: number): TrendPoint[] {
  const [y, m] = parts(today);
  const count = Math.max(1, Math.min(40, Math.floor(quarters)));
  // The quarter before today's: index of its last month (0-based, may go negative → earlier years).
  const currentQuarter = Math.floor((m - 1) / 3);
  const points: TrendPoint[] = [];
  for (let k = count; k >= 1; k -= 1) {
    const q = currentQuarter - k;
    const year = y + Math.floor(q / 4);
    const quarter = ((q % 4) + 4) % 4;
    // Day 0 of the month after the quarter is its last day.
    const end = iso(Date.UTC(year, quarter * 3 + 3, 0));
    points.push({ label: `${year} Q${quarter + 1}`, period: twelveMonthsEndingOn(end) });
  }
  return points;
}
