import { describe, expect, it } from 'vitest';
import { readMeasurementPeriod } from '../../../src/clinical/cql-time';
import {
  edVisitRate,
  evaluateEdVisits,
  evaluateInHospitalMortality,
  evaluateLengthOfStay,
  evaluateReadmissions,
  summariseContinuous,
} from '../../../src/measures/encounter-outcomes';
import { encounter, patient, recordOf } from './sdoh-fixtures';

const period = readMeasurementPeriod({ start: '2026-01-01', end: '2026-12-31' });

const stay = (
  start: string,
  end: string,
  options: { disposition?: string; status?: fhir4.Encounter['status']; classCode?: string } = {},
): fhir4.Encounter => encounter(start, { classCode: 'IMP', end, disposition: 'home', ...options });

describe('30-day readmission', () => {
  it.each<[string, fhir4.Resource[], (number | null)[]]>([
    [
      'finds a readmission 30 days after discharge',
      [
        stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z'),
        stay('2026-04-04T08:00:00Z', '2026-04-06T12:00:00Z'),
      ],
      [30, null],
    ],
    [
      'does not count an admission 31 days after discharge',
      [
        stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z'),
        stay('2026-04-05T08:00:00Z', '2026-04-06T12:00:00Z'),
      ],
      [null, null],
    ],
    [
      'counts a readmission after the period ends',
      [
        stay('2026-12-20T10:00:00Z', '2026-12-22T12:00:00Z'),
        stay('2027-01-10T08:00:00Z', '2027-01-12T12:00:00Z'),
      ],
      [19],
    ],
    [
      'does not count an ED visit as a readmission',
      [
        stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z'),
        encounter('2026-03-10T08:00:00Z', { classCode: 'EMER', end: '2026-03-10T12:00:00Z' }),
      ],
      [null],
    ],
    [
      'skips a stay discharged before the period',
      [
        stay('2025-12-20T10:00:00Z', '2025-12-28T12:00:00Z'),
        stay('2026-01-10T08:00:00Z', '2026-01-12T12:00:00Z'),
      ],
      [null],
    ],
    [
      'does not take a death in hospital as an index stay',
      [stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z', { disposition: 'exp' })],
      [],
    ],
    [
      'does not take a discharge against medical advice as an index stay',
      [stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z', { disposition: 'aadvice' })],
      [],
    ],
    [
      'reads class ACUTE as inpatient',
      [
        stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z', { classCode: 'ACUTE' }),
        stay('2026-03-07T08:00:00Z', '2026-03-09T12:00:00Z', { classCode: 'ACUTE' }),
      ],
      [2, null],
    ],
    [
      'counts a readmission that is still in progress',
      [
        stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z'),
        encounter('2026-03-20T08:00:00Z', { classCode: 'IMP', status: 'in-progress' }),
      ],
      [15],
    ],
  ])('%s', (_name, encounters, expected) => {
    const result = evaluateReadmissions(recordOf([patient('1950-01-01'), ...encounters]), period);
    expect(result.indexStays.map((s) => s.readmission?.daysAfterDischarge ?? null)).toEqual(
      expected,
    );
  });

  it('explains a patient with no discharge in the period', () => {
    const result = evaluateReadmissions(recordOf([patient('1950-01-01')]), period);
    expect(result.reasons).toEqual(['no inpatient discharge in the measurement period']);
  });
});

describe('ED visits per 1,000 patient-years', () => {
  const ed = (start: string): fhir4.Encounter => encounter(start, { classCode: 'EMER' });

  it.each<[string, fhir4.Resource[], { events: number; personYears: number } | string]>([
    [
      'counts ED visits in the period over a full year',
      [
        patient('1970-01-01'),
        ed('2026-02-01T10:00:00Z'),
        ed('2026-11-01T10:00:00Z'),
        ed('2025-11-01T10:00:00Z'),
      ],
      { events: 2, personYears: 365 / 365.25 },
    ],
    [
      'starts person-time at birth inside the period',
      [patient('2026-07-02'), ed('2026-08-01T10:00:00Z')],
      { events: 1, personYears: 183 / 365.25 },
    ],
    [
      'ends person-time at death inside the period, and events with it',
      [
        patient('1940-01-01', { deceasedDateTime: '2026-04-01T00:00:00Z' }),
        ed('2026-03-01T10:00:00Z'),
      ],
      { events: 1, personYears: 90 / 365.25 },
    ],
    [
      'does not count a cancelled ED encounter',
      [
        patient('1970-01-01'),
        encounter('2026-02-01T10:00:00Z', { classCode: 'EMER', status: 'cancelled' }),
      ],
      { events: 0, personYears: 365 / 365.25 },
    ],
    [
      'has no person-time when death has no date',
      [patient('1940-01-01', { deceasedBoolean: true })],
      'deceased without a date of death: person-time unknown',
    ],
    [
      'has no person-time for a patient who died before the period',
      [patient('1940-01-01', { deceasedDateTime: '2025-04-01T00:00:00Z' })],
      'died before the measurement period',
    ],
  ])('%s', (_name, resources, expected) => {
    const result = evaluateEdVisits(recordOf(resources), period);
    if (typeof expected === 'string') {
      expect(result).toMatchObject({ kind: 'not-applicable', reason: expected });
    } else {
      expect(result.kind).toBe('value');
      if (result.kind !== 'value') return;
      expect(result.events).toBe(expected.events);
      expect(result.personYears).toBeCloseTo(expected.personYears, 3);
    }
  });

  it('sums events and person-time before dividing', () => {
    const rate = edVisitRate([
      {
        kind: 'value',
        measureId: 'ED-VISITS',
        patientId: 'a',
        events: 3,
        personYears: 1,
        encounters: [],
      },
      {
        kind: 'value',
        measureId: 'ED-VISITS',
        patientId: 'b',
        events: 0,
        personYears: 0.5,
        encounters: [],
      },
      { kind: 'not-applicable', measureId: 'ED-VISITS', patientId: 'c', reason: 'x' },
    ]);
    expect(rate).toEqual({ kind: 'value', events: 3, personYears: 1.5, per1000: 2000 });
    expect(edVisitRate([]).kind).toBe('not-applicable');
  });
});

describe('inpatient length of stay', () => {
  it.each<[string, fhir4.Encounter, number[]]>([
    ['counts midnights: four days', stay('2026-03-01T10:00:00Z', '2026-03-05T09:00:00Z'), [4]],
    ['counts a same-day stay as 0 days', stay('2026-03-01T10:00:00Z', '2026-03-01T20:00:00Z'), [0]],
    [
      'leaves out a stay discharged after the period',
      stay('2026-12-30T10:00:00Z', '2027-01-02T09:00:00Z'),
      [],
    ],
    [
      'leaves out a stay without a discharge time',
      encounter('2026-03-01T10:00:00Z', { classCode: 'IMP' }),
      [],
    ],
  ])('%s', (_name, e, expected) => {
    const result = evaluateLengthOfStay(recordOf([patient('1950-01-01'), e]), period);
    expect(result.stays.map((s) => s.days)).toEqual(expected);
  });

  it('keeps exact hours beside the days', () => {
    const result = evaluateLengthOfStay(
      recordOf([patient('1950-01-01'), stay('2026-03-01T10:00:00Z', '2026-03-02T16:00:00Z')]),
      period,
    );
    expect(result.stays[0]).toMatchObject({ days: 1, hours: 30 });
  });

  it.each<[number[], { mean: number; median: number } | null]>([
    [[1, 2, 9], { mean: 4, median: 2 }],
    [[1, 2, 3, 10], { mean: 4, median: 2.5 }],
    [[], null],
  ])('summarises %j', (values, expected) => {
    const summary = summariseContinuous(values);
    if (expected === null) expect(summary.kind).toBe('not-applicable');
    else expect(summary).toMatchObject({ kind: 'value', count: values.length, ...expected });
  });
});

describe('in-hospital mortality', () => {
  it.each<[string, fhir4.Resource[], [boolean, string | null][]]>([
    [
      'reads discharge disposition "exp"',
      [
        patient('1940-01-01'),
        stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z', { disposition: 'exp' }),
      ],
      [[true, 'discharge-disposition']],
    ],
    [
      'reads a death on the day after discharge',
      [
        patient('1940-01-01', { deceasedDateTime: '2026-03-06T08:00:00Z' }),
        stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z'),
      ],
      [[true, 'deceased-date']],
    ],
    [
      'does not count a death a week after discharge',
      [
        patient('1940-01-01', { deceasedDateTime: '2026-03-12T08:00:00Z' }),
        stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z'),
      ],
      [[false, null]],
    ],
    [
      'reports each stay of the period',
      [
        patient('1940-01-01'),
        stay('2026-03-01T10:00:00Z', '2026-03-05T12:00:00Z'),
        stay('2026-06-01T10:00:00Z', '2026-06-05T12:00:00Z'),
      ],
      [
        [false, null],
        [false, null],
      ],
    ],
  ])('%s', (_name, resources, expected) => {
    const result = evaluateInHospitalMortality(recordOf(resources), period);
    expect(result.stays.map((s) => [s.died, s.source])).toEqual(expected);
  });
});
