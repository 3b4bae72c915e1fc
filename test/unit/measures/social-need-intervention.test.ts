import { describe, expect, it } from 'vitest';
import { readMeasurementPeriod } from '../../../src/clinical/cql-time';
import type { SnsEDomain } from '../../../src/measures/social-need-intervention';
import { evaluateSocialNeedScreeningAndIntervention } from '../../../src/measures/social-need-intervention';
import {
  encounter,
  item,
  negativeScreen,
  patient,
  procedure,
  recordOf,
  serviceRequest,
} from './sdoh-fixtures';

const period = readMeasurementPeriod({ start: '2026-01-01', end: '2026-12-31' });
const VISIT = '2026-05-04T10:00:00Z';
const ON = '2026-05-04T10:05:00Z';
const FOOD_PANTRY = '467771000124109';
const HOUSING_REFERRAL = '710911006';
const TRANSPORT_CM = '410365006';

/** Per measure id: null when out of the denominator, else the numerator (exclusion → 'excluded'). */
function outcomes(
  resources: fhir4.Resource[],
  interventionWindowDays?: number,
): Record<string, boolean | null | 'excluded'> {
  return Object.fromEntries(
    evaluateSocialNeedScreeningAndIntervention(
      recordOf(resources),
      period,
      interventionWindowDays === undefined ? {} : { interventionWindowDays },
    ).map((r) => [
      r.measureId,
      !r.populations.denominator
        ? null
        : r.populations.denominatorExclusion
          ? 'excluded'
          : r.populations.numerator,
    ]),
  );
}

const base = [patient('1980-03-01'), encounter(VISIT)];
const positiveFood = [...negativeScreen(ON), item('88124-3', 'LA19952-3', ON)];

describe('SNS-E social need screening and intervention', () => {
  it('reports six results: screening then intervention for food, housing, transportation', () => {
    const ids = evaluateSocialNeedScreeningAndIntervention(recordOf(base), period).map(
      (r) => r.measureId,
    );
    expect(ids).toEqual([
      'SNSE-food-screening',
      'SNSE-food-intervention',
      'SNSE-housing-screening',
      'SNSE-housing-intervention',
      'SNSE-transportation-screening',
      'SNSE-transportation-intervention',
    ]);
  });

  it('counts a negative screen for screening and leaves intervention empty', () => {
    expect(outcomes([...base, ...negativeScreen(ON)])).toEqual({
      'SNSE-food-screening': true,
      'SNSE-food-intervention': null,
      'SNSE-housing-screening': true,
      'SNSE-housing-intervention': null,
      'SNSE-transportation-screening': true,
      'SNSE-transportation-intervention': null,
    });
  });

  it.each<[string, fhir4.Resource[], SnsEDomain, boolean | null]>([
    [
      'a food pantry referral 30 days after the positive screen',
      [...positiveFood, serviceRequest(FOOD_PANTRY, '2026-06-03T09:00:00Z')],
      'food',
      true,
    ],
    [
      'a food pantry referral on the day of the screen',
      [...positiveFood, serviceRequest(FOOD_PANTRY, '2026-05-04T15:00:00Z')],
      'food',
      true,
    ],
    [
      'no food referral 31 days after the positive screen',
      [...positiveFood, serviceRequest(FOOD_PANTRY, '2026-06-04T09:00:00Z')],
      'food',
      false,
    ],
    [
      'no referral from before the positive screen',
      [...positiveFood, serviceRequest(FOOD_PANTRY, '2026-05-01T09:00:00Z')],
      'food',
      false,
    ],
    [
      'no housing referral for a food need',
      [...positiveFood, serviceRequest(HOUSING_REFERRAL, '2026-05-05T09:00:00Z')],
      'food',
      false,
    ],
    [
      'no entered-in-error referral',
      [...positiveFood, serviceRequest(FOOD_PANTRY, '2026-05-05T09:00:00Z', 'entered-in-error')],
      'food',
      false,
    ],
    [
      'a revoked referral (it was made)',
      [...positiveFood, serviceRequest(FOOD_PANTRY, '2026-05-05T09:00:00Z', 'revoked')],
      'food',
      true,
    ],
    [
      'a completed provision-of-food Procedure',
      [...positiveFood, procedure('710925007', '2026-05-10T09:00:00Z')],
      'food',
      true,
    ],
    [
      'a housing referral for homelessness',
      [
        ...negativeScreen(ON),
        item('71802-3', 'LA31995-6', ON),
        serviceRequest(HOUSING_REFERRAL, '2026-05-20T09:00:00Z'),
      ],
      'housing',
      true,
    ],
    [
      'a housing referral for inadequate housing',
      [
        ...negativeScreen(ON),
        item('96778-6', 'LA28580-1', ON),
        serviceRequest(HOUSING_REFERRAL, '2026-05-20T09:00:00Z'),
      ],
      'housing',
      true,
    ],
    [
      'transportation case management counted from the FIRST positive screen',
      [
        ...negativeScreen(ON),
        item('93030-5', 'LA33-6', '2026-02-01T10:00:00Z'),
        item('93030-5', 'LA33-6', ON),
        serviceRequest(TRANSPORT_CM, '2026-05-05T09:00:00Z'),
      ],
      'transportation',
      false,
    ],
  ])('intervention: %s', (_name, resources, domain, expected) => {
    expect(outcomes([...base, ...resources])[`SNSE-${domain}-intervention`]).toBe(expected);
  });

  it('widens the intervention window to 60 days as MIPS #498 does', () => {
    const late = [...base, ...positiveFood, serviceRequest(FOOD_PANTRY, '2026-06-25T09:00:00Z')];
    expect(outcomes(late)['SNSE-food-intervention']).toBe(false);
    expect(outcomes(late, 60)['SNSE-food-intervention']).toBe(true);
  });

  it.each<[string, string, boolean]>([
    ['counts a screen on Dec 1', '2026-12-01T10:00:00Z', true],
    ['does not count a screen on Dec 2', '2026-12-02T10:00:00Z', false],
    ['counts a screen on Jan 1', '2026-01-01T10:00:00Z', true],
  ])('screening window: %s', (_name, when, expected) => {
    expect(outcomes([...base, item('88124-3', 'LA19983-8', when)])['SNSE-food-screening']).toBe(
      expected,
    );
  });

  it('does not count a declined item as a screen', () => {
    expect(outcomes([...base, item('88122-7', null, ON)])['SNSE-food-screening']).toBe(false);
  });

  it('excludes a patient who died in the period', () => {
    const dead = [
      patient('1980-03-01', { deceasedDateTime: '2026-09-01T00:00:00Z' }),
      encounter(VISIT),
      ...positiveFood,
    ];
    expect(outcomes(dead)).toMatchObject({
      'SNSE-food-screening': 'excluded',
      'SNSE-food-intervention': 'excluded',
    });
  });

  it('leaves out a patient with no encounter in the period', () => {
    const result = evaluateSocialNeedScreeningAndIntervention(
      recordOf([patient('1980-03-01'), ...positiveFood]),
      period,
    );
    expect(result.every((r) => !r.populations.initialPopulation)).toBe(true);
    expect(result[0]?.reasons).toEqual(['no finished encounter in the measurement period']);
  });
});
