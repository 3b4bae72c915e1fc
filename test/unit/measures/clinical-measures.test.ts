import { describe, expect, it } from 'vitest';
import { buildPatientRecords } from '../../../src/clinical/build-patient-records';
import type { PatientRecord } from '../../../src/clinical/patient-record';
import { loadValueSetRegistry } from '../../../src/clinical/value-set-registry';
import { CLINICAL_MEASURES, clinicalMeasure } from '../../../src/measures/clinical-measures';
import { membership } from '../../../src/measures/measure-definition';
import { VS } from '../../../src/measures/value-sets';

const CPT = 'http://www.ama-assn.org/go/cpt';
const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const period = { start: '2026-01-01', end: '2026-12-31' };

const valueSets = loadValueSetRegistry([
  {
    resourceType: 'ValueSet',
    url: VS.officeVisit,
    compose: { include: [{ system: CPT, concept: [{ code: '99213' }] }] },
  },
  {
    resourceType: 'ValueSet',
    url: VS.diabetes,
    compose: { include: [{ system: SNOMED, concept: [{ code: '44054006' }] }] },
  },
  {
    resourceType: 'ValueSet',
    url: VS.hbA1cLaboratoryTest,
    compose: { include: [{ system: LOINC, concept: [{ code: '4548-4' }] }] },
  },
  {
    resourceType: 'ValueSet',
    url: VS.essentialHypertension,
    compose: { include: [{ system: SNOMED, concept: [{ code: '59621000' }] }] },
  },
]);

const subject = { reference: 'Patient/p' };
const patient = (birthDate: string): fhir4.Patient => ({
  resourceType: 'Patient',
  id: 'p',
  birthDate,
  gender: 'female',
});
const visit = (code: string, start = '2026-03-01T10:00:00Z'): fhir4.Encounter => ({
  resourceType: 'Encounter',
  id: `e-${code}-${start}`,
  status: 'finished',
  class: { code: 'AMB' },
  subject,
  type: [{ coding: [{ system: code === '99213' ? CPT : SNOMED, code }] }],
  period: { start, end: start },
});
const condition = (code: string): fhir4.Condition => ({
  resourceType: 'Condition',
  id: `c-${code}`,
  subject,
  clinicalStatus: { coding: [{ code: 'active' }] },
  code: { coding: [{ system: SNOMED, code }] },
  onsetDateTime: '2015-01-01T00:00:00Z',
});
const a1c = (id: string, when: string, value: Partial<fhir4.Observation>): fhir4.Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  subject,
  code: { coding: [{ system: LOINC, code: '4548-4' }] },
  effectiveDateTime: when,
  ...value,
});
const bp = (
  id: string,
  when: string,
  systolic: number,
  diastolic: number | null,
  unit = 'mm[Hg]',
): fhir4.Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  subject,
  code: { coding: [{ system: LOINC, code: '85354-9' }] },
  effectiveDateTime: when,
  component: [
    {
      code: { coding: [{ system: LOINC, code: '8480-6' }] },
      valueQuantity: { value: systolic, code: unit },
    },
    ...(diastolic === null
      ? []
      : [
          {
            code: { coding: [{ system: LOINC, code: '8462-4' }] },
            valueQuantity: { value: diastolic, code: unit },
          },
        ]),
  ],
});

function record(resources: unknown[]): PatientRecord {
  const [r] = buildPatientRecords(resources);
  if (r === undefined) throw new Error('no record');
  return r;
}

describe('the measure registry', () => {
  it('lists the five clinical eCQMs with their canonical Measure URLs', () => {
    expect(CLINICAL_MEASURES.map((m) => m.id)).toEqual([
      'CMS122',
      'CMS165',
      'CMS125',
      'CMS130',
      'CMS2',
    ]);
    for (const m of CLINICAL_MEASURES)
      expect(m.url).toMatch(/^https:\/\/madie\.cms\.gov\/Measure\/CMS\d+FHIR/);
  });

  it('carries the age strata of CMS125 and CMS130', () => {
    expect(clinicalMeasure('CMS125').ageStrata.map((s) => [s.low, s.high])).toEqual([
      [42, 51],
      [52, 74],
    ]);
    expect(clinicalMeasure('CMS130').ageStrata.map((s) => [s.low, s.high])).toEqual([
      [46, 49],
      [50, 75],
    ]);
    expect(clinicalMeasure('CMS2').ageStrata).toEqual([]);
  });

  it('marks CMS122 as inverse (lower is better) and only CMS2 with exceptions', () => {
    expect(clinicalMeasure('CMS122').improvementNotation).toBe('decrease');
    expect(
      CLINICAL_MEASURES.filter((m) => m.improvementNotation === 'decrease').map((m) => m.id),
    ).toEqual(['CMS122']);
    expect(CLINICAL_MEASURES.filter((m) => m.hasDenominatorException).map((m) => m.id)).toEqual([
      'CMS2',
    ]);
  });
});

describe('population relevance', () => {
  it.each([
    [
      'excluded patients are not counted in the numerator',
      { ip: true, denex: true, numer: true, exc: false },
      { denominatorExclusion: true, numerator: false },
    ],
    [
      'the numerator wins over an exception',
      { ip: true, denex: false, numer: true, exc: true },
      { numerator: true, denominatorException: false },
    ],
    [
      'an exception counts when not in the numerator',
      { ip: true, denex: false, numer: false, exc: true },
      { denominatorException: true },
    ],
    [
      'nothing counts outside the initial population',
      { ip: false, denex: true, numer: true, exc: true },
      { denominator: false, numerator: false, denominatorExclusion: false },
    ],
  ])('%s', (_name, raw, expected) => {
    const result = membership({
      initialPopulation: raw.ip,
      denominator: raw.ip,
      denominatorExclusion: raw.denex,
      numerator: raw.numer,
      denominatorException: raw.exc,
    });
    expect(result).toMatchObject(expected);
  });
});

describe('CMS122 reasons and numerator edge cases', () => {
  const cms122 = clinicalMeasure('CMS122');
  const evaluate = (resources: unknown[]) =>
    cms122.evaluate(record(resources), { measurementPeriod: period, valueSets });

  it('says a 17-year-old is below 18 at the end of the period', () => {
    const result = evaluate([patient('2009-01-01'), visit('99213'), condition('44054006')]);
    expect(result.populations.initialPopulation).toBe(false);
    expect(result.reasons).toContain('age 17 at the end of the period: below 18');
  });

  it('says how many encounters were coded outside the value sets', () => {
    const result = evaluate([
      patient('1970-01-01'),
      visit('185349003'),
      visit('185349003', '2026-04-01T00:00:00Z'),
      condition('44054006'),
    ]);
    expect(result.populations.initialPopulation).toBe(false);
    expect(result.reasons.join('\n')).toMatch(
      /^no qualifying encounter: 2 encounters coded outside the Office Visit \/ /m,
    );
  });

  it.each<[string, Partial<fhir4.Observation>, boolean]>([
    ['9.5 % is elevated', { valueQuantity: { value: 9.5, code: '%' } }, true],
    ['9 % is not', { valueQuantity: { value: 9, code: '%' } }, false],
    ['a result without a value counts as without result', {}, true],
    [
      'a coded result is a value, neither missing nor above 9 %',
      { valueCodeableConcept: { text: 'high' } },
      false,
    ],
    ['mmol/mol does not compare with %', { valueQuantity: { value: 75, code: 'mmol/mol' } }, false],
  ])('most recent HbA1c: %s', (_name, value, numerator) => {
    const result = evaluate([
      patient('1970-01-01'),
      visit('99213'),
      condition('44054006'),
      a1c('old', '2026-02-01T00:00:00Z', { valueQuantity: { value: 12, code: '%' } }),
      a1c('recent', '2026-06-01T00:00:00Z', value),
    ]);
    expect(result.populations.denominator).toBe(true);
    expect(result.populations.numerator).toBe(numerator);
    if (numerator)
      expect(result.evidence.find((e) => e.population === 'numerator')?.resources).toEqual([
        'Observation/recent',
      ]);
  });

  it('takes the lowest reading on the most recent day', () => {
    const result = evaluate([
      patient('1970-01-01'),
      visit('99213'),
      condition('44054006'),
      a1c('a', '2026-06-01T08:00:00Z', { valueQuantity: { value: 10, code: '%' } }),
      a1c('b', '2026-06-01T17:00:00Z', { valueQuantity: { value: 8, code: '%' } }),
    ]);
    expect(result.populations.numerator).toBe(false);
    expect(result.reasons.join('\n')).toContain('8 %, not above 9 %');
  });
});

describe('CMS165 blood pressure', () => {
  const cms165 = clinicalMeasure('CMS165');
  const evaluate = (readings: fhir4.Observation[]) =>
    cms165.evaluate(
      record([patient('1960-01-01'), visit('99213'), condition('59621000'), ...readings]),
      {
        measurementPeriod: period,
        valueSets,
      },
    );

  it.each<[string, fhir4.Observation[], boolean]>([
    ['139/89 is controlled', [bp('a', '2026-05-01T09:00:00Z', 139, 89)], true],
    ['140/80 is not', [bp('a', '2026-05-01T09:00:00Z', 140, 80)], false],
    [
      'the lowest of each on the most recent day',
      [bp('a', '2026-05-01T09:00:00Z', 150, 85), bp('b', '2026-05-01T15:00:00Z', 135, 95)],
      true,
    ],
    [
      'an earlier good day does not count',
      [bp('a', '2026-04-01T09:00:00Z', 120, 80), bp('b', '2026-05-01T09:00:00Z', 150, 95)],
      false,
    ],
    [
      'a reading without diastolic that day leaves the lowest diastolic null',
      [bp('a', '2026-05-01T09:00:00Z', 120, 80), bp('b', '2026-05-01T10:00:00Z', 120, null)],
      false,
    ],
    [
      'a unit other than mm[Hg] does not compare',
      [bp('a', '2026-05-01T09:00:00Z', 120, 80, 'kPa')],
      false,
    ],
  ])('%s', (_name, readings, numerator) => {
    const result = evaluate(readings);
    expect(result.populations.denominator).toBe(true);
    expect(result.populations.numerator).toBe(numerator);
  });
});
