// Cross-check on the sandbox generator's designed gap in 30-day readmission (DESIGNED_DISPARITIES
// readmission30Day: Black 24%, everyone else 11%), measured through the real record builder and
// evaluateReadmissions. The generator's windows count back from `today` (three years of history;
// first stays end at least 40 days before it), so the period here is the three years to `today`.
import { describe, expect, it } from 'vitest';
import { buildPatientRecords } from '../../../src/clinical/build-patient-records';
import { readMeasurementPeriod } from '../../../src/clinical/cql-time';
import {
  evaluateInHospitalMortality,
  evaluateLengthOfStay,
  evaluateReadmissions,
  readInpatientStays,
  summariseContinuous,
} from '../../../src/measures/encounter-outcomes';
import { generatePatients } from '../../../sandbox/generate/population';
import { DESIGNED_DISPARITIES, disparityRow } from '../../../sandbox/generate/disparities';
import { groupFactsOf, Tallies } from './sandbox-group-facts';

const TODAY = '2026-06-30';
const N = 6000;

describe('readmission on the sandbox population', () => {
  it('finds the designed gap between Black patients and everyone else', () => {
    const period = readMeasurementPeriod({ start: '2023-06-30', end: TODAY });
    const tallies = new Tallies();
    const days: number[] = [];
    let stays = 0;
    let deaths = 0;
    for (const resources of generatePatients({ seed: 11, patients: N, today: TODAY })) {
      const record = buildPatientRecords(resources)[0];
      if (record === undefined) continue;
      days.push(...evaluateLengthOfStay(record, period).stays.map((s) => s.days));
      for (const stay of evaluateInHospitalMortality(record, period).stays) {
        stays++;
        if (stay.died) deaths++;
      }
      if (record.deceased !== null) continue; // designed: living patients
      const first = readInpatientStays(record).stays[0];
      const index = evaluateReadmissions(record, period).indexStays[0];
      // The designed outcome is about the FIRST stay; a first stay that is not an index stay
      // (against medical advice) is left out rather than replaced by a later one.
      if (first === undefined || index === undefined || index.encounter !== first.encounter) {
        continue;
      }
      tallies.add(
        disparityRow('readmission30Day', groupFactsOf(resources)).label,
        index.readmission !== null,
      );
    }
    const [black, otherwise] = DESIGNED_DISPARITIES.readmission30Day.rows;
    if (black === undefined || otherwise === undefined) throw new Error('rows changed');
    console.log(`readmission30Day: ${tallies.describe()}`);
    expect(tallies.count(black.label)).toBeGreaterThan(60);
    expect(tallies.rate(black.label)).toBeGreaterThan(black.probability - 0.1);
    expect(tallies.rate(black.label)).toBeLessThan(black.probability + 0.1);
    expect(tallies.rate(otherwise.label)).toBeGreaterThan(otherwise.probability - 0.05);
    expect(tallies.rate(otherwise.label)).toBeLessThan(otherwise.probability + 0.05);
    expect(tallies.rate(black.label)).toBeGreaterThan(tallies.rate(otherwise.label));

    // Not designed gaps, but known shapes: stays last 1–7 days (readmissions 1–6), and 4–7% of
    // patients with a stay die in hospital (sandbox README "Hospital stays").
    const los = summariseContinuous(days);
    expect(los.kind === 'value' && los.mean > 2.5 && los.mean < 5).toBe(true);
    expect(deaths / stays).toBeGreaterThan(0.02);
    expect(deaths / stays).toBeLessThan(0.09);
  }, 60_000); // generates a 6,000-patient population: seconds of CPU, more on a loaded machine
});
