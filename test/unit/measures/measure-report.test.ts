import { describe, expect, it } from 'vitest';
import type {
  PatientMeasureResult,
  PopulationMembership,
} from '../../../src/measures/measure-result';
import {
  ADMINISTRATIVE_GENDER_SYSTEM,
  MEASURE_POPULATION_SYSTEM,
  ageBandStratifier,
  ageOn,
  genderStratifier,
  individualMeasureReport,
  proportionScore,
  summaryMeasureReport,
  type ReportedMeasure,
  type StratificationFacts,
} from '../../../src/measures/measure-report';
import { measureReportProblems } from './measure-report-shape';

const cms122: ReportedMeasure = {
  id: 'CMS122',
  url: 'https://madie.cms.gov/Measure/CMS122FHIRDiabetesAssessGreaterThan9Percent',
  populations: ['initial-population', 'denominator', 'denominator-exclusion', 'numerator'],
};
const cms2: ReportedMeasure = {
  id: 'CMS2',
  url: 'https://madie.cms.gov/Measure/CMS2FHIRPCSDepressionScreenAndFollowUp',
};
const period = { start: '2026-01-01', end: '2026-12-31' };
const date = '2027-01-15T09:00:00Z';

const none: PopulationMembership = {
  initialPopulation: false,
  denominator: false,
  denominatorExclusion: false,
  denominatorException: false,
  numerator: false,
};
const inDenominator = { ...none, initialPopulation: true, denominator: true };

function result(
  patientId: string,
  populations: Partial<PopulationMembership>,
  measureId = 'CMS122',
): PatientMeasureResult {
  return {
    measureId,
    patientId,
    populations: { ...none, ...populations },
    evidence: [],
    reasons: [],
  };
}

const counts = (report: fhir4.MeasureReport) =>
  Object.fromEntries(
    (report.group?.[0]?.population ?? []).map((p): [string, number | undefined] => [
      p.code?.coding?.[0]?.code ?? '',
      p.count,
    ]),
  );

describe('individualMeasureReport', () => {
  it('reports one patient against the measure canonical URL with 0/1 population counts', () => {
    const report = individualMeasureReport({
      measure: cms122,
      result: result('pat-1', { ...inDenominator, numerator: true }),
      period,
      date,
    });
    expect(measureReportProblems(report)).toEqual([]);
    expect(report).toMatchObject({
      resourceType: 'MeasureReport',
      status: 'complete',
      type: 'individual',
      measure: cms122.url,
      subject: { reference: 'Patient/pat-1' },
      period,
      date,
    });
    expect(report.group?.[0]?.population?.[0]?.code?.coding?.[0]).toEqual({
      system: MEASURE_POPULATION_SYSTEM,
      code: 'initial-population',
      display: 'Initial Population',
    });
    expect(counts(report)).toEqual({
      'initial-population': 1,
      denominator: 1,
      'denominator-exclusion': 0,
      numerator: 1,
    });
    expect(report.group?.[0]?.measureScore).toEqual({ value: 1 });
  });

  it('lists only the populations the measure defines, defaulting to all five', () => {
    const report = individualMeasureReport({
      measure: cms2,
      result: result('p', none),
      period,
      date,
    });
    expect(Object.keys(counts(report))).toEqual([
      'initial-population',
      'denominator',
      'denominator-exclusion',
      'denominator-exception',
      'numerator',
    ]);
  });

  it('omits the score when the patient is outside the performance denominator', () => {
    const report = individualMeasureReport({
      measure: cms122,
      result: result('p', none),
      period,
      date,
    });
    expect(report.group?.[0]?.measureScore).toBeUndefined();
    expect(measureReportProblems(report)).toEqual([]);
  });

  it('reports numerator 0 for an excluded patient, as the official test cases do', () => {
    const report = individualMeasureReport({
      measure: cms122,
      result: result('p', { ...inDenominator, denominatorExclusion: true, numerator: true }),
      period,
      date,
    });
    expect(counts(report)).toMatchObject({ 'denominator-exclusion': 1, numerator: 0 });
  });

  it('applies an exception only to a patient outside the numerator', () => {
    const inNumerator = individualMeasureReport({
      measure: cms2,
      result: result('p', { ...inDenominator, denominatorException: true, numerator: true }),
      period,
      date,
    });
    expect(counts(inNumerator)).toMatchObject({ 'denominator-exception': 0, numerator: 1 });
  });

  it('is pure: the same input gives the same report', () => {
    const input = { measure: cms122, result: result('p', inDenominator), period, date, id: 'x' };
    expect(individualMeasureReport(input)).toEqual(individualMeasureReport(input));
    expect(individualMeasureReport(input).id).toBe('x');
  });
});

describe('summaryMeasureReport', () => {
  const results = [
    result('f1', { ...inDenominator, numerator: true }),
    result('f2', inDenominator),
    result('m1', { ...inDenominator, numerator: true }),
    result('m2', { ...inDenominator, denominatorExclusion: true }),
    result('m3', { initialPopulation: false }),
    result('x1', { ...inDenominator, numerator: true }),
  ];
  const facts: Record<string, StratificationFacts> = {
    f1: { gender: 'female', birthDate: '1960-12-31' },
    f2: { gender: 'female', birthDate: '1990-06-01' },
    m1: { gender: 'male', birthDate: '1981-01-01' },
    m2: { gender: 'male', birthDate: '1950' },
    m3: { gender: 'male' },
    x1: {},
  };
  const factsOf = (id: string) => facts[id];

  it('counts each population and scores numerator / (denominator − exclusions − exceptions)', () => {
    const report = summaryMeasureReport({ measure: cms122, results, period, date });
    expect(measureReportProblems(report)).toEqual([]);
    expect(report).toMatchObject({ status: 'complete', type: 'summary', measure: cms122.url });
    expect(report.subject).toBeUndefined();
    expect(counts(report)).toEqual({
      'initial-population': 5,
      denominator: 5,
      'denominator-exclusion': 1,
      numerator: 3,
    });
    expect(report.group?.[0]?.measureScore?.value).toBeCloseTo(3 / 4);
    expect(report.group?.[0]?.stratifier).toBeUndefined();
  });

  it('stratifies by administrative gender with per-stratum counts and scores', () => {
    const report = summaryMeasureReport({
      measure: cms122,
      results,
      period,
      date,
      stratifiers: [genderStratifier(factsOf)],
    });
    expect(measureReportProblems(report)).toEqual([]);
    const stratifier = report.group?.[0]?.stratifier?.[0];
    expect(stratifier?.code?.[0]?.text).toBe('Administrative gender');
    const strata = Object.fromEntries(
      (stratifier?.stratum ?? []).map((s): [string, unknown] => [
        s.value?.text ?? '',
        [
          Object.fromEntries(
            (s.population ?? []).map((p): [string, number | undefined] => [
              p.code?.coding?.[0]?.code ?? '',
              p.count,
            ]),
          ),
          s.measureScore?.value,
        ],
      ]),
    );
    expect(strata).toEqual({
      female: [
        { 'initial-population': 2, denominator: 2, 'denominator-exclusion': 0, numerator: 1 },
        0.5,
      ],
      male: [
        { 'initial-population': 2, denominator: 2, 'denominator-exclusion': 1, numerator: 1 },
        1,
      ],
      unknown: [
        { 'initial-population': 1, denominator: 1, 'denominator-exclusion': 0, numerator: 1 },
        1,
      ],
    });
  });

  it('codes gender strata in the administrative-gender system, leaving other labels as text', () => {
    const report = summaryMeasureReport({
      measure: cms122,
      results,
      period,
      date,
      stratifiers: [
        genderStratifier((id) => (id === 'x1' ? { gender: 'not-recorded' } : factsOf(id))),
      ],
    });
    const values = report.group?.[0]?.stratifier?.[0]?.stratum?.map((s) => s.value);
    expect(values).toEqual([
      { coding: [{ system: ADMINISTRATIVE_GENDER_SYSTEM, code: 'female' }], text: 'female' },
      { coding: [{ system: ADMINISTRATIVE_GENDER_SYSTEM, code: 'male' }], text: 'male' },
      { text: 'not-recorded' },
    ]);
  });

  it('stratifies by age band at the end of the period', () => {
    const report = summaryMeasureReport({
      measure: cms122,
      results,
      period,
      date,
      stratifiers: [genderStratifier(factsOf), ageBandStratifier(factsOf, period.end)],
    });
    const age = report.group?.[0]?.stratifier?.[1];
    expect(age?.code?.[0]?.text).toBe('Age band at end of measurement period');
    expect((age?.stratum ?? []).map((s) => s.value?.text)).toEqual([
      '18-44',
      '45-64',
      '65-74',
      '75+',
      'unknown',
    ]);
  });

  it("lists strata in the stratifier's order, unlisted labels first and sorted", () => {
    const labels: Record<string, string> = {
      f1: 'Not collected',
      f2: 'Zulu',
      m1: 'Asked but declined',
      m2: 'Yes',
      m3: 'Arabic',
      x1: 'No',
    };
    const report = summaryMeasureReport({
      measure: cms122,
      results,
      period,
      date,
      stratifiers: [
        {
          text: 'Ordered',
          stratumOf: (id) => labels[id] ?? 'Not collected',
          order: ['Yes', 'No', 'Asked but declined', 'Unknown', 'Not collected'],
        },
      ],
    });
    expect(measureReportProblems(report)).toEqual([]);
    expect(report.group?.[0]?.stratifier?.[0]?.stratum?.map((s) => s.value?.text)).toEqual([
      'Arabic',
      'Zulu',
      'Yes',
      'No',
      'Asked but declined',
      'Not collected',
    ]);
  });

  it('leaves the score out for a stratum with nobody in the performance denominator', () => {
    const report = summaryMeasureReport({
      measure: cms122,
      results: [result('m3', { initialPopulation: false })],
      period,
      date,
      stratifiers: [genderStratifier(factsOf)],
    });
    expect(report.group?.[0]?.measureScore).toBeUndefined();
    expect(report.group?.[0]?.stratifier?.[0]?.stratum?.[0]?.measureScore).toBeUndefined();
  });
});

describe('ageOn', () => {
  it.each([
    ['1960-12-31', '2026-12-31', 66],
    ['1961-01-01', '2026-12-31', 65],
    ['2000-02-29', '2026-02-28', 25],
    ['1950', '2026-12-31', 76],
    ['1950-07', '2026-06-30', 75],
    ['2030-01-01', '2026-12-31', undefined],
    ['garbage', '2026-12-31', undefined],
  ])('a person born %s is %s on %s', (birthDate, on, age) => {
    expect(ageOn(birthDate, on)).toBe(age);
  });
});

describe('proportionScore', () => {
  it('is undefined, not 0 or NaN, over an empty performance denominator', () => {
    expect(
      proportionScore({
        'initial-population': 2,
        denominator: 2,
        'denominator-exclusion': 1,
        'denominator-exception': 1,
        numerator: 0,
      }),
    ).toBeUndefined();
  });
});
