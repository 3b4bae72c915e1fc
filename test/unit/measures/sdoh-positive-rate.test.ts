import { describe, expect, it } from 'vitest';
import { readMeasurementPeriod } from '../../../src/clinical/cql-time';
import { evaluateSdohPositiveRates } from '../../../src/measures/sdoh-positive-rate';
import { encounter, item, negativeScreen, patient, recordOf } from './sdoh-fixtures';

const period = readMeasurementPeriod({ start: '2026-01-01', end: '2026-12-31' });
const VISIT = '2026-05-04T10:00:00Z';
const ON = '2026-05-04T10:05:00Z';

const numerators = (resources: fhir4.Resource[]): Record<string, boolean | null> =>
  Object.fromEntries(
    evaluateSdohPositiveRates(recordOf(resources), period).map((r) => [
      r.measureId,
      r.populations.denominator ? r.populations.numerator : null,
    ]),
  );

const ALL_NEGATIVE = {
  'SDOH2-food': false,
  'SDOH2-housing': false,
  'SDOH2-transportation': false,
  'SDOH2-utilities': false,
  'SDOH2-safety': false,
};

describe('SDOH-2 positive screen rate per domain', () => {
  it.each<[string, fhir4.Resource[], Record<string, boolean | null>]>([
    ['gives five negative results for a negative screen', negativeScreen(ON), ALL_NEGATIVE],
    [
      'is positive for food when an HVS item is "Sometimes true"',
      [...negativeScreen(ON), item('88123-5', 'LA6729-3', ON)],
      { ...ALL_NEGATIVE, 'SDOH2-food': true },
    ],
    [
      'counts homelessness as a positive housing screen',
      [...negativeScreen(ON), item('71802-3', 'LA31995-6', ON)],
      { ...ALL_NEGATIVE, 'SDOH2-housing': true },
    ],
    [
      'counts an AHC safety total above 10',
      [...negativeScreen(ON), item('95614-4', 11, ON)],
      { ...ALL_NEGATIVE, 'SDOH2-safety': true },
    ],
    [
      'counts AHC safety items that add up to more than 10',
      [
        ...negativeScreen(ON),
        item('95618-5', 'LA10082-8', ON),
        item('95617-7', 'LA10082-8', ON),
        item('95616-9', 'LA10082-8', ON),
        item('95615-1', 'LA10066-1', ON),
      ],
      { ...ALL_NEGATIVE, 'SDOH2-safety': true },
    ],
    [
      'reads PRAPARE "Do you feel safe?" = No as positive',
      [...negativeScreen(ON), item('93026-3', 'LA32-8', ON)],
      { ...ALL_NEGATIVE, 'SDOH2-safety': true },
    ],
    [
      'keeps a positive from earlier in the period after a later negative',
      [...negativeScreen(ON), item('93030-5', 'LA33-6', '2026-02-01')],
      { ...ALL_NEGATIVE, 'SDOH2-transportation': true },
    ],
    [
      'has no denominator without all five domains screened',
      [item('88124-3', 'LA19952-3', ON)],
      {
        'SDOH2-food': null,
        'SDOH2-housing': null,
        'SDOH2-transportation': null,
        'SDOH2-utilities': null,
        'SDOH2-safety': null,
      },
    ],
  ])('%s', (_name, screening, expected) => {
    expect(numerators([patient('1980-03-01'), encounter(VISIT), ...screening])).toEqual(expected);
  });

  it.each([
    [11, true],
    [10, false],
  ])('reads an AHC safety total of %i sent as valueInteger (positive: %s)', (total, positive) => {
    const totalItem = item('95614-4', null, ON);
    delete totalItem.dataAbsentReason;
    totalItem.valueInteger = total;
    // The four items alone add up to 4 ("Never" each): only the integer total can decide.
    const screening = negativeScreen(ON).filter(
      (o) => !o.code.coding?.some((c) => c.code === '95614-4'),
    );
    expect(
      numerators([patient('1980-03-01'), encounter(VISIT), ...screening, totalItem])[
        'SDOH2-safety'
      ],
    ).toBe(positive);
  });
});
