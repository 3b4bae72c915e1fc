import { describe, expect, it } from 'vitest';
import {
  buildPatientRecords,
  createPatientRecordBuilder,
} from '../../../src/clinical/build-patient-records';
import type { PatientRecord } from '../../../src/clinical/patient-record';
import { acceptsCodesIn, loadValueSetRegistry } from '../../../src/clinical/value-set-registry';

const LOINC = 'http://loinc.org';
const ms = (iso: string): number => Date.parse(iso);

const patient: fhir4.Patient = {
  resourceType: 'Patient',
  id: 'p1',
  birthDate: '1960-07-15',
  gender: 'female',
  extension: [
    { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex', valueCode: '248152002' },
    {
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
      extension: [
        {
          url: 'ombCategory',
          valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3' },
        },
        { url: 'text', valueString: 'White' },
      ],
    },
  ],
  communication: [
    { language: { coding: [{ code: 'en-US' }] } },
    { language: { coding: [{ code: 'es' }] }, preferred: true },
  ],
};

function observation(id: string, extra: Partial<fhir4.Observation>): fhir4.Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: LOINC, code: '4548-4' }] },
    subject: { reference: 'Patient/p1' },
    ...extra,
  };
}

function only(input: unknown): PatientRecord {
  const records = buildPatientRecords(input);
  expect(records).toHaveLength(1);
  const [record] = records;
  if (record === undefined) throw new Error('no record');
  return record;
}

describe('buildPatientRecords', () => {
  it('reads demographics: birth date, sex extension, race, preferred language first', () => {
    const r = only(patient);
    expect(r.birthDate).toEqual({ year: 1960, month: 7, day: 15 });
    expect(r.gender).toBe('female');
    expect(r.sexCode).toBe('248152002');
    expect(r.race).toEqual({ codes: ['2106-3'], text: 'White' });
    expect(r.languages).toEqual(['es', 'en-US']);
    expect(r.deceased).toBeNull();
  });

  it.each<
    [string, Partial<fhir4.Observation>, { start: number | null; end: number | null } | null]
  >([
    [
      'effectiveDateTime',
      { effectiveDateTime: '2026-03-01T10:00:00Z' },
      { start: ms('2026-03-01T10:00:00Z'), end: ms('2026-03-01T10:00:00Z') },
    ],
    [
      'effectiveInstant',
      { effectiveInstant: '2026-03-01T10:00:00.000+02:00' },
      { start: ms('2026-03-01T08:00:00Z'), end: ms('2026-03-01T08:00:00Z') },
    ],
    [
      'effectivePeriod',
      { effectivePeriod: { start: '2026-03-01', end: '2026-03-02' } },
      { start: ms('2026-03-01T00:00:00Z'), end: ms('2026-03-02T00:00:00Z') },
    ],
    [
      'an open effectivePeriod',
      { effectivePeriod: { end: '2026-03-02T00:00:00Z' } },
      { start: null, end: ms('2026-03-02T00:00:00Z') },
    ],
    ['no effective[x]', {}, null],
  ])('reads %s', (_name, extra, expected) => {
    const r = only([patient, observation('o1', extra)]);
    expect(r.observations[0]?.effective).toEqual(expected);
  });

  it.each<[string, Partial<fhir4.Observation>, unknown]>([
    [
      'a percentage',
      { valueQuantity: { value: 9.5, unit: '%', system: 'http://unitsofmeasure.org', code: '%' } },
      { kind: 'quantity', value: 9.5, unit: '%' },
    ],
    [
      'mg/dL by unit text only',
      { valueQuantity: { value: 180, unit: 'mg/dL' } },
      { kind: 'quantity', value: 180, unit: 'mg/dL' },
    ],
    [
      'a code where a number is expected',
      {
        valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '260385009' }] },
      },
      { kind: 'concept', codes: ['http://snomed.info/sct|260385009'] },
    ],
    ['a string', { valueString: 'see note' }, { kind: 'other' }],
    ['a quantity without a number', { valueQuantity: { unit: '%' } }, { kind: 'other' }],
    [
      'nothing (dataAbsentReason as text)',
      { dataAbsentReason: { text: 'not done' } },
      { kind: 'absent', reason: undefined },
    ],
    [
      'nothing, asked but declined',
      {
        dataAbsentReason: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
              code: 'asked-declined',
            },
          ],
        },
      },
      { kind: 'absent', reason: 'asked-declined' },
    ],
    ['an integer score', { valueInteger: 12 }, { kind: 'integer', value: 12 }],
  ])('reads a value that is %s', (_name, extra, expected) => {
    const r = only([patient, observation('o1', extra)]);
    expect(r.observations[0]?.value).toEqual(expected);
  });

  it('reads a blood pressure panel with systolic and diastolic components', () => {
    const bp = observation('bp', {
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure'] },
      code: { coding: [{ system: LOINC, code: '85354-9' }] },
      effectiveDateTime: '2026-05-01T09:00:00Z',
      encounter: { reference: 'Encounter/e1' },
      component: [
        {
          code: { coding: [{ system: LOINC, code: '8480-6' }] },
          valueQuantity: { value: 132, code: 'mm[Hg]' },
        },
        {
          code: { coding: [{ system: LOINC, code: '8462-4' }] },
          valueQuantity: { value: 84, code: 'mm[Hg]' },
        },
      ],
    });
    const o = only([patient, bp]).observations[0];
    expect(o?.bloodPressure).toBe(true);
    expect(o?.encounterId).toBe('e1');
    expect(o?.components.map((c) => c.value)).toEqual([
      { kind: 'quantity', value: 132, unit: 'mm[Hg]' },
      { kind: 'quantity', value: 84, unit: 'mm[Hg]' },
    ]);
  });

  it('does not take separate systolic Observations or the old 55284-4 panel for the US Core BP profile', () => {
    const old = observation('old', { code: { coding: [{ system: LOINC, code: '55284-4' }] } });
    const systolic = observation('sys', { code: { coding: [{ system: LOINC, code: '8480-6' }] } });
    const r = only([patient, old, systolic]);
    expect(r.observations.map((o) => o.bloodPressure)).toEqual([false, false]);
  });

  it('keeps statuses as recorded, so the Status filters can read them', () => {
    const r = only([
      patient,
      observation('a', { status: 'preliminary' }),
      observation('b', { status: 'entered-in-error' }),
      observation('c', { status: 'amended' }),
    ]);
    expect(r.observations.map((o) => o.status)).toEqual([
      'preliminary',
      'entered-in-error',
      'amended',
    ]);
  });

  it('reads conditions: statuses, categories, onset and abatement forms', () => {
    const condition: fhir4.Condition = {
      resourceType: 'Condition',
      id: 'c1',
      subject: { reference: 'Patient/p1' },
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006' }] },
      onsetDateTime: '2019-04-02',
      abatementPeriod: { start: '2025-01-01', end: '2025-02-01' },
    };
    const byAge: fhir4.Condition = {
      resourceType: 'Condition',
      id: 'c2',
      subject: { reference: 'Patient/p1' },
      verificationStatus: { coding: [{ code: 'refuted' }] },
      onsetAge: { value: 40, code: 'a' },
    };
    const [c1, c2] = only([byAge, condition, patient]).conditions.sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    expect(c1).toMatchObject({
      clinicalStatus: 'resolved',
      verificationStatus: '',
      categories: ['problem-list-item'],
      onset: { start: ms('2019-04-02T00:00:00Z'), end: ms('2019-04-02T00:00:00Z') },
      abatement: { start: ms('2025-01-01T00:00:00Z'), end: ms('2025-02-01T00:00:00Z') },
      abatementEndOpen: true,
    });
    // onsetAge 40 → [birthDate + 40 years, + 41 years), resolved after the Patient arrives
    expect(c2?.verificationStatus).toBe('refuted');
    expect(c2?.onset?.start).toBe(ms('2000-07-15T00:00:00Z'));
    expect(c2?.onset?.end).toBe(ms('2001-07-15T00:00:00Z') - 1);
  });

  it('reads procedures performed as a dateTime or a Period, and encounters with discharge disposition', () => {
    const r = only({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: patient },
        {
          resource: {
            resourceType: 'Procedure',
            id: 'pr1',
            status: 'completed',
            subject: { reference: 'Patient/p1' },
            code: { coding: [{ system: 'http://snomed.info/sct', code: '73761001' }] },
            performedPeriod: { start: '2020-01-01T10:00:00Z', end: '2020-01-01T11:00:00Z' },
          },
        },
        {
          resource: {
            resourceType: 'Encounter',
            id: 'e1',
            status: 'finished',
            class: { code: 'IMP' },
            subject: { reference: 'Patient/p1' },
            type: [{ coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '99213' }] }],
            period: { start: '2026-02-01T10:00:00Z' },
            hospitalization: {
              dischargeDisposition: {
                coding: [{ system: 'http://snomed.info/sct', code: '428361000124107' }],
              },
            },
          },
        },
      ],
    });
    expect(r.procedures[0]?.performed).toEqual({
      start: ms('2020-01-01T10:00:00Z'),
      end: ms('2020-01-01T11:00:00Z'),
    });
    expect(r.encounters[0]).toMatchObject({
      ref: 'Encounter/e1',
      classCode: 'IMP',
      codes: ['http://www.ama-assn.org/go/cpt|99213'],
      period: { start: ms('2026-02-01T10:00:00Z'), end: null },
      dischargeDisposition: ['http://snomed.info/sct|428361000124107'],
    });
  });

  it('joins urn:uuid references to the Patient entry and drops duplicates', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:abc', resource: { ...patient, id: 'abc' } },
        {
          fullUrl: 'urn:uuid:o1',
          resource: observation('o1', { subject: { reference: 'urn:uuid:abc' } }),
        },
        {
          fullUrl: 'urn:uuid:o1',
          resource: observation('o1', { subject: { reference: 'urn:uuid:abc' } }),
        },
        { resource: { resourceType: 'Organization', id: 'org' } },
      ],
    };
    const r = only(bundle);
    expect(r.id).toBe('abc');
    expect(r.observations).toHaveLength(1);
  });

  it('streams NDJSON lines, patients arriving after their data, and keeps patients apart', () => {
    const builder = createPatientRecordBuilder();
    const lines = [
      JSON.stringify(observation('o1', {})),
      JSON.stringify(observation('o2', { subject: { reference: 'Patient/p2' } })),
      JSON.stringify(patient),
      JSON.stringify({ ...patient, id: 'p2', birthDate: '2001-01-01' }),
    ];
    for (const line of lines) builder.add(JSON.parse(line) as unknown);
    const records = builder.build();
    expect(records.map((r) => [r.id, r.observations.length, r.birthDate?.year])).toEqual([
      ['p1', 1, 1960],
      ['p2', 1, 2001],
    ]);
  });

  it('computes medicationRequestPeriod from the days supplied', () => {
    const request: fhir4.MedicationRequest = {
      resourceType: 'MedicationRequest',
      id: 'm1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      medicationCodeableConcept: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '312836' }],
      },
      authoredOn: '2026-12-30T08:00:00Z',
      dispenseRequest: {
        expectedSupplyDuration: { value: 90, code: 'd' },
        numberOfRepeatsAllowed: 1,
      },
    };
    const m = only([patient, request]).medicationRequests[0];
    // 90 days × (1 + 1 refill) = 180 days: [2026-12-30, 2026-12-30 + 179 days]
    expect(m?.requestPeriod).toEqual({
      start: ms('2026-12-30T00:00:00Z'),
      end: ms('2026-12-30T00:00:00Z') + 179 * 86_400_000,
    });
  });

  it('counts resources of types no measure reads, and ignores non-resources', () => {
    const r = only([
      patient,
      { resourceType: 'Claim', id: 'x', patient: { reference: 'Patient/p1' } },
      42,
      null,
      'text',
    ]);
    expect(r.otherResources).toEqual({ Claim: 1 });
  });

  it('keeps only facts with measure-relevant codes when given a filter, always keeping BP panels', () => {
    const registry = loadValueSetRegistry({
      resourceType: 'ValueSet',
      url: 'http://example.org/vs/a1c',
      compose: { include: [{ system: LOINC, concept: [{ code: '4548-4' }] }] },
    });
    const keepCodes = acceptsCodesIn(registry, ['http://loinc.org|71802-3']);
    const [r] = buildPatientRecords(
      [
        patient,
        observation('a1c', {}),
        observation('height', { code: { coding: [{ system: LOINC, code: '8302-2' }] } }),
        observation('housing', { code: { coding: [{ system: LOINC, code: '71802-3' }] } }),
        observation('bp', { code: { coding: [{ system: LOINC, code: '85354-9' }] } }),
      ],
      { keepCodes },
    );
    expect(r?.observations.map((o) => o.id)).toEqual(['a1c', 'housing', 'bp']);
    expect(r?.otherResources).toEqual({ 'Observation (not kept)': 1 });
  });

  it.each([
    ['Encounter', { resourceType: 'Encounter', id: 'x', subject: { reference: 'Patient/p1' } }],
    [
      'Observation',
      {
        resourceType: 'Observation',
        id: 'x',
        subject: { reference: 'Patient/p1' },
        component: [{}],
      },
    ],
    [
      'Condition',
      { resourceType: 'Condition', id: 'x', subject: { reference: 'Patient/p1' }, onsetAge: {} },
    ],
    ['Procedure', { resourceType: 'Procedure', id: 'x', subject: { reference: 'Patient/p1' } }],
    [
      'MedicationRequest',
      {
        resourceType: 'MedicationRequest',
        id: 'x',
        subject: { reference: 'Patient/p1' },
        dosageInstruction: [{}],
      },
    ],
    ['Coverage', { resourceType: 'Coverage', id: 'x', beneficiary: { reference: 'Patient/p1' } }],
    ['Patient', { resourceType: 'Patient', id: 'p1', communication: [{}], extension: [{}] }],
  ])('reads a skeletal %s without failing', (_type, resource) => {
    const records = buildPatientRecords(
      resource.resourceType === 'Patient'
        ? [resource]
        : [{ resourceType: 'Patient', id: 'p1' }, resource],
    );
    expect(records).toHaveLength(1);
    expect(records[0]?.gender).toBe('not-recorded');
  });
});
