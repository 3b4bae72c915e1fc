// MedicationRequest.medicationReference in the record builder: contained, in the same input in
// any order, supplied later by the caller, or never (reported). Epic and Oracle Health send this
// shape (US Core MedicationRequest: medication[x] as a Reference(Medication)).

import { describe, expect, it } from 'vitest';
import {
  buildPatientRecords,
  createPatientRecordBuilder,
  medicationKey,
} from '../../../src/clinical/build-patient-records';
import type { MedicationRequestFact, PatientRecord } from '../../../src/clinical/patient-record';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const DONEPEZIL = `${RXNORM}|997223`;
const FLUOXETINE = `${RXNORM}|1190110`;

const patient = (id: string): fhir4.Patient => ({ resourceType: 'Patient', id });

function medication(id: string, code: string): fhir4.Medication {
  return { resourceType: 'Medication', id, code: { coding: [{ system: RXNORM, code }] } };
}

function request(
  id: string,
  reference: string | undefined,
  extra: Partial<fhir4.MedicationRequest> = {},
): fhir4.MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    medicationReference: reference === undefined ? { display: 'donepezil' } : { reference },
    authoredOn: '2026-03-01',
    ...extra,
  };
}

function requestsOf(records: PatientRecord[], patientId = 'p1'): MedicationRequestFact[] {
  const record = records.find((r) => r.id === patientId);
  if (record === undefined) throw new Error(`no record ${patientId}`);
  return record.medicationRequests;
}

describe('medicationKey', () => {
  it.each([
    ['Medication/m1', 'Medication/m1'],
    ['https://ehr.example.org/fhir/R4/Medication/eAB.12-x', 'Medication/eAB.12-x'],
    ['Medication/m1/_history/3', 'Medication/m1'],
    [
      'urn:uuid:0b7c6f4e-1111-4c5e-9c1d-2a9d8f0e7a10',
      'urn:uuid:0b7c6f4e-1111-4c5e-9c1d-2a9d8f0e7a10',
    ],
    ['Substance/s1', null],
    ['#m1', null],
  ])('%s → %s', (reference, key) => {
    expect(medicationKey(reference)).toBe(key);
  });
});

describe('MedicationRequest.medicationReference', () => {
  it('reads a contained Medication', () => {
    const [m] = requestsOf(
      buildPatientRecords([
        patient('p1'),
        request('r1', '#med', { contained: [medication('med', '997223')] }),
      ]),
    );
    expect(m).toMatchObject({
      codes: [DONEPEZIL],
      medicationSource: 'contained',
      medicationReference: '#med',
    });
  });

  it.each([
    [
      'before the request',
      [medication('m1', '997223'), patient('p1'), request('r1', 'Medication/m1')],
    ],
    [
      'after the request',
      [patient('p1'), request('r1', 'Medication/m1'), medication('m1', '997223')],
    ],
    [
      'after it, the request by absolute URL',
      [
        patient('p1'),
        request('r1', 'https://ehr.example.org/fhir/Medication/m1'),
        medication('m1', '997223'),
      ],
    ],
  ])('resolves a Medication added %s', (_when, input) => {
    const [m] = requestsOf(buildPatientRecords(input));
    expect(m).toMatchObject({ codes: [DONEPEZIL], medicationSource: 'referenced' });
  });

  it('resolves a Bundle-local urn:uuid reference by the entry fullUrl', () => {
    const uuid = 'urn:uuid:6a1f0c52-33c4-4a8b-9d2e-0f4b5e6c7d8e';
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:p', resource: patient('p1') },
        { fullUrl: 'urn:uuid:r', resource: request('r1', uuid) },
        { fullUrl: uuid, resource: { ...medication('m1', '997223'), id: undefined } },
      ],
    };
    const [m] = requestsOf(buildPatientRecords(bundle));
    expect(m).toMatchObject({ codes: [DONEPEZIL], medicationSource: 'referenced' });
  });

  it('streams: a Medication in another file or page, shared by patients, resolves every request', () => {
    const builder = createPatientRecordBuilder();
    builder.add({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: patient('p1') },
        { resource: request('r1', 'Medication/m1') },
        { resource: patient('p2') },
        { resource: request('r2', 'Medication/m1', { subject: { reference: 'Patient/p2' } }) },
      ],
    });
    expect(builder.unresolvedMedicationReferences()).toEqual(['Medication/m1']);
    builder.add(JSON.parse(JSON.stringify(medication('m1', '1190110'))) as unknown);
    expect(builder.unresolvedMedicationReferences()).toEqual([]);
    const records = builder.build();
    expect(
      [...requestsOf(records, 'p1'), ...requestsOf(records, 'p2')].map((m) => m.codes),
    ).toEqual([[FLUOXETINE], [FLUOXETINE]]);
    expect(records.map((r) => r.unresolvedMedicationRequests)).toEqual([0, 0]);
  });

  it('lists each missing Medication once (absolute URLs reduced), so the caller fetches it once', () => {
    const builder = createPatientRecordBuilder();
    builder.add([
      patient('p1'),
      request('r1', 'Medication/a'),
      request('r2', 'https://ehr.example.org/fhir/Medication/a'),
      request('r3', 'Medication/b/_history/2'),
      request('r4', 'Medication/c'),
      medication('c', '997223'),
      // Neither can be fetched: not listed, still unresolved.
      request('r5', '#missing-contained'),
      request('r6', undefined),
      request('r7', 'urn:uuid:0b7c6f4e-1111-4c5e-9c1d-2a9d8f0e7a10'),
    ]);
    expect(builder.unresolvedMedicationReferences()).toEqual(['Medication/a', 'Medication/b']);
    builder.add(medication('a', '997223'));
    const [record] = builder.build();
    expect(record?.medicationRequests.map((m) => [m.id, m.medicationSource, m.codes])).toEqual([
      ['r1', 'referenced', [DONEPEZIL]],
      ['r2', 'referenced', [DONEPEZIL]],
      ['r3', 'unresolved', []],
      ['r4', 'referenced', [DONEPEZIL]],
      ['r5', 'unresolved', []],
      ['r6', 'unresolved', []],
      ['r7', 'unresolved', []],
    ]);
    // A data-quality note the caller can report: four requests whose drug is unknown.
    expect(record?.unresolvedMedicationRequests).toBe(4);
  });

  it('keeps codeable concepts as before and marks requests with no medication at all', () => {
    const coded = request('r1', undefined, {
      medicationReference: undefined,
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: '1190110' }] },
    });
    const none = request('r2', undefined, { medicationReference: undefined });
    const records = buildPatientRecords([patient('p1'), coded, none]);
    expect(
      requestsOf(records).map((m) => [m.medicationSource, m.codes, m.medicationReference]),
    ).toEqual([
      ['codeable-concept', [FLUOXETINE], null],
      ['absent', [], null],
    ]);
    expect(records[0]?.unresolvedMedicationRequests).toBe(0);
  });

  it('starts afresh after build(): no Medication or pending reference carries over', () => {
    const builder = createPatientRecordBuilder();
    builder.add([patient('p1'), medication('m1', '997223'), request('r1', 'Medication/x')]);
    builder.build();
    expect(builder.unresolvedMedicationReferences()).toEqual([]);
    builder.add([patient('p1'), request('r2', 'Medication/m1')]);
    expect(builder.unresolvedMedicationReferences()).toEqual(['Medication/m1']);
  });
});
