import { describe, expect, it } from 'vitest';
import { readMeasurementPeriod } from '../../../src/clinical/cql-time';
import { evaluateSdohScreening } from '../../../src/measures/sdoh-screening';
import type { PopulationMembership } from '../../../src/measures/measure-result';
import { encounter, item, negativeScreen, patient, recordOf } from './sdoh-fixtures';

const period = readMeasurementPeriod({ start: '2026-01-01', end: '2026-12-31' });
const VISIT = '2026-05-04T10:00:00Z';
const ON = '2026-05-04T10:05:00Z';

type Populations = Pick<
  PopulationMembership,
  'initialPopulation' | 'denominatorExclusion' | 'numerator'
>;
const IN_NUMERATOR: Populations = {
  initialPopulation: true,
  denominatorExclusion: false,
  numerator: true,
};
const NOT_SCREENED: Populations = {
  initialPopulation: true,
  denominatorExclusion: false,
  numerator: false,
};
const OPTED_OUT: Populations = {
  initialPopulation: true,
  denominatorExclusion: true,
  numerator: false,
};
const OUT: Populations = {
  initialPopulation: false,
  denominatorExclusion: false,
  numerator: false,
};

describe('SDOH-1 screening for social drivers of health', () => {
  it.each<[string, fhir4.Resource[], Populations]>([
    [
      'counts an adult screened for all five domains at a visit',
      [patient('1980-03-01'), encounter(VISIT), ...negativeScreen(ON)],
      IN_NUMERATOR,
    ],
    [
      'counts PRAPARE items for housing, transportation and safety',
      [
        patient('1980-03-01'),
        encounter(VISIT),
        item('88124-3', 'LA19952-3', ON),
        item('71802-3', 'LA30189-7', ON),
        item('93033-9', 'LA32-8', ON),
        item('93030-5', 'LA30133-5', ON),
        item('96779-4', 'LA33-6', ON),
        item('93026-3', 'LA33-6', ON),
      ],
      IN_NUMERATOR,
    ],
    [
      'leaves a patient screened for four domains out of the numerator',
      [patient('1980-03-01'), encounter(VISIT), ...negativeScreen(ON).slice(0, 5)],
      NOT_SCREENED,
    ],
    [
      'ignores screens from before the period',
      [patient('1980-03-01'), encounter(VISIT), ...negativeScreen('2025-11-20')],
      NOT_SCREENED,
    ],
    [
      'excludes a patient who was offered all five and declined one (opted out)',
      [
        patient('1980-03-01'),
        encounter(VISIT),
        ...negativeScreen(ON).slice(0, 5),
        item('95618-5', null, ON),
      ],
      OPTED_OUT,
    ],
    [
      'excludes a patient who declined every item',
      [
        patient('1980-03-01'),
        encounter(VISIT),
        ...['88122-7', '71802-3', '93030-5', '96779-4', '95618-5'].map((q) => item(q, null, ON)),
      ],
      OPTED_OUT,
    ],
    [
      'leaves out a patient aged 17 at the visit',
      [patient('2008-06-01'), encounter(VISIT), ...negativeScreen(ON)],
      OUT,
    ],
    [
      'takes in a patient who turns 18 before a later visit',
      [
        patient('2008-06-01'),
        encounter(VISIT),
        encounter('2026-07-01T09:00:00Z'),
        ...negativeScreen(ON),
      ],
      IN_NUMERATOR,
    ],
    [
      'leaves out a patient whose only visit was cancelled',
      [patient('1980-03-01'), encounter(VISIT, { status: 'cancelled' }), ...negativeScreen(ON)],
      OUT,
    ],
  ])('%s', (_name, resources, expected) => {
    const result = evaluateSdohScreening(recordOf(resources), period);
    expect(result.measureId).toBe('SDOH-1');
    expect({
      initialPopulation: result.populations.initialPopulation,
      denominatorExclusion: result.populations.denominatorExclusion,
      numerator: result.populations.numerator,
    }).toEqual(expected);
    expect(result.populations.denominator).toBe(result.populations.initialPopulation);
  });

  it('names the unscreened domains in its reasons', () => {
    const result = evaluateSdohScreening(
      recordOf([patient('1980-03-01'), encounter(VISIT), item('88124-3', 'LA19983-8', ON)]),
      period,
    );
    expect(result.reasons).toEqual([
      'not screened in the measurement period for: housing, transportation, utilities, safety',
    ]);
  });

  it('cites the screening items as numerator evidence', () => {
    const items = negativeScreen(ON);
    const result = evaluateSdohScreening(
      recordOf([patient('1980-03-01'), encounter(VISIT), ...items]),
      period,
    );
    const numerator = result.evidence.find((e) => e.population === 'numerator');
    expect(new Set(numerator?.resources)).toEqual(
      new Set(items.map((o) => `Observation/${o.id ?? ''}`)),
    );
  });
});
