// Care gaps for one patient with the shipped engine and value sets (the panel's).
import { describe, expect, it } from 'vitest';
import { calendarYearOf, evaluateCareGaps } from '../../../../src/features/patient/care-gaps';
import type { PatientResources } from '../../../../src/features/patient/load-patient-data';
import { loadShippedValueSets } from '../../../../src/measures/compiled-value-sets';
import { shippedClinicalEngine } from '../../../../src/worker/clinical-engine';

const subject = { reference: 'Patient/p1' };
const patient: fhir4.Patient = {
  resourceType: 'Patient',
  id: 'p1',
  birthDate: '1968-07-21',
  gender: 'female',
};

function resources(a1c: number | undefined): PatientResources {
  return {
    observations:
      a1c === undefined
        ? []
        : [
            {
              resourceType: 'Observation',
              id: 'a1c',
              status: 'final',
              code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
              subject,
              effectiveDateTime: '2026-03-02T09:10:00Z',
              valueQuantity: {
                value: a1c,
                unit: '%',
                system: 'http://unitsofmeasure.org',
                code: '%',
              },
            },
          ],
    questionnaireResponses: [],
    conditions: [
      {
        resourceType: 'Condition',
        id: 'dm',
        clinicalStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
          ],
        },
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] },
        subject,
        onsetDateTime: '2019-04-02',
      },
    ],
    encounters: [
      {
        resourceType: 'Encounter',
        id: 'e1',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        type: [{ coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '99213' }] }],
        subject,
        period: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T09:30:00Z' },
      },
    ],
    procedures: [],
    serviceRequests: [],
    tasks: [],
    coverages: [],
    medicationRequests: [],
    deviceRequests: [],
    medications: [],
  };
}

describe('evaluateCareGaps', () => {
  it.each([
    [8.2, 'met', 'Latest HbA1c: 8.2 % on 2026-03-02'],
    [10.1, 'not-met', 'Latest HbA1c: 10.1 % on 2026-03-02'],
    [undefined, 'not-met', 'No HbA1c on record'],
  ])('HbA1c %s → CMS122 %s (inverse measure), with the evidence', async (a1c, status, line) => {
    const [engine, registry] = await Promise.all([shippedClinicalEngine(), loadShippedValueSets()]);
    const result = evaluateCareGaps(
      patient,
      resources(a1c),
      calendarYearOf('2026-11-30'),
      engine,
      registry,
    );
    if (result.kind !== 'evaluated') throw new Error('expected care gaps');
    const gap = result.gaps.find((g) => g.measureId === 'CMS122');
    expect(gap?.status).toBe(status);
    expect(gap?.evidence).toContain(line);
    if (status === 'not-met') expect(gap?.action).toMatch(/9\.0% or lower/);
    // The adult visit puts the patient in SDOH-1; unscreened, it is not met.
    expect(result.gaps.find((g) => g.measureId === 'SDOH-1')?.status).toBe('not-met');
  });

  it('uses the calendar year as the measurement period', () => {
    expect(calendarYearOf('2026-11-30')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
  });
});
