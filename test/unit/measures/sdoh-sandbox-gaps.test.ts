// Cross-checks on the sandbox generator's designed social-needs gaps (DESIGNED_DISPARITIES
// sdohScreened, foodInsecurityPositive, referralWithin30Days), measured through the real record
// builder and the SDOH-1, SDOH-2 and SNS-E implementations. The generator's windows count back
// from `today` (designed screenings 45–365 days before it), so the period is the year to `today`,
// not a calendar year. Designed denominators are living adults (age on `today`).
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPatientRecords } from '../../../src/clinical/build-patient-records';
import { ageInYearsAt, readMeasurementPeriod } from '../../../src/clinical/cql-time';
import { evaluateSdohScreening } from '../../../src/measures/sdoh-screening';
import { evaluateSdohPositiveRates } from '../../../src/measures/sdoh-positive-rate';
import { evaluateSocialNeedScreeningAndIntervention } from '../../../src/measures/social-need-intervention';
import { generatePatients } from '../../../sandbox/generate/population';
import type { DisparityId } from '../../../sandbox/generate/disparities';
import { DESIGNED_DISPARITIES, disparityRow } from '../../../sandbox/generate/disparities';
import { groupFactsOf, Tallies } from './sandbox-group-facts';

const TODAY = '2026-06-30';
const N = 6000;
const period = readMeasurementPeriod({ start: '2025-06-30', end: TODAY });

const tallies = new Map<DisparityId, Tallies>();
const tally = (id: DisparityId): Tallies => {
  const t = tallies.get(id) ?? new Tallies();
  tallies.set(id, t);
  return t;
};

beforeAll(() => {
  for (const resources of generatePatients({ seed: 5, patients: N, today: TODAY })) {
    const record = buildPatientRecords(resources)[0];
    if (record === undefined || record.deceased !== null || record.birthDate === null) continue;
    if (ageInYearsAt(record.birthDate, period.endDate) < 18) continue;
    const facts = groupFactsOf(resources);

    const screening = evaluateSdohScreening(record, period);
    const p = screening.populations;
    if (p.denominator && !p.denominatorExclusion) {
      tally('sdohScreened').add(disparityRow('sdohScreened', facts).label, p.numerator);
    }
    const food = evaluateSdohPositiveRates(record, period).find(
      (r) => r.measureId === 'SDOH2-food',
    );
    if (food?.populations.denominator === true) {
      tally('foodInsecurityPositive').add(
        disparityRow('foodInsecurityPositive', facts).label,
        food.populations.numerator,
      );
    }
    const intervention = evaluateSocialNeedScreeningAndIntervention(record, period).find(
      (r) => r.measureId === 'SNSE-food-intervention',
    );
    if (intervention?.populations.denominator === true) {
      tally('referralWithin30Days').add(
        disparityRow('referralWithin30Days', facts).label,
        intervention.populations.numerator,
      );
    }
  }
  for (const [id, t] of tallies) console.log(`${id}: ${t.describe()}`);
});

/**
 * SDOH-1 numerator needs all five domains answered, and opted-out patients leave the
 * denominator: the generator declines one non-food domain in 6% of designed screenings and
 * declines everything for 15% of the unscreened, so the designed p becomes
 * 0.94 p / (1 − 0.06 p − 0.15 (1 − p)).
 */
const sdoh1Expected = (p: number): number => (0.94 * p) / (1 - 0.06 * p - 0.15 * (1 - p));

describe('social-needs measures on the sandbox population', () => {
  it('SDOH-1 finds the designed screening gap for patients needing an interpreter', () => {
    const t = tally('sdohScreened');
    const rows = DESIGNED_DISPARITIES.sdohScreened.rows;
    for (const row of rows) {
      expect(t.count(row.label)).toBeGreaterThan(300);
      expect(Math.abs(t.rate(row.label) - sdoh1Expected(row.probability))).toBeLessThan(0.06);
    }
    const [interpreter, otherwise] = rows;
    expect(t.rate(interpreter?.label ?? '')).toBeLessThan(t.rate(otherwise?.label ?? '') - 0.2);
  });

  it('SDOH-2 food finds the designed positive rates by payer', () => {
    const t = tally('foodInsecurityPositive');
    for (const row of DESIGNED_DISPARITIES.foodInsecurityPositive.rows) {
      expect(t.count(row.label)).toBeGreaterThan(100);
      expect(Math.abs(t.rate(row.label) - row.probability)).toBeLessThan(0.08);
    }
  });

  it('SNS-E food intervention finds the designed referral gap for Spanish speakers', () => {
    const t = tally('referralWithin30Days');
    const rows = DESIGNED_DISPARITIES.referralWithin30Days.rows;
    for (const row of rows) {
      expect(t.count(row.label)).toBeGreaterThan(30);
      expect(Math.abs(t.rate(row.label) - row.probability)).toBeLessThan(0.15);
    }
    const [spanish, otherwise] = rows;
    expect(t.rate(spanish?.label ?? '')).toBeLessThan(t.rate(otherwise?.label ?? ''));
  });
});
