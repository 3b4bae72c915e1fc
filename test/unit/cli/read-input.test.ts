import { describe, expect, it } from 'vitest';
import { bundleResources, classifyFile, patientIdOf } from '../../../src/cli/read-input';

describe('classifyFile', () => {
  it.each([
    ['Patient.ndjson', { format: 'ndjson', gzip: false }],
    ['Observation.NDJSON.GZ', { format: 'ndjson', gzip: true }],
    ['bundle.json', { format: 'bundle', gzip: false }],
    ['synthea.json.gz', { format: 'bundle', gzip: true }],
    ['notes.txt', undefined],
    ['archive.gz', undefined],
  ])('reads %s as %j', (name, kind) => {
    expect(classifyFile(name)).toEqual(kind);
  });
});

describe('patientIdOf', () => {
  const obs = (reference: string): fhir4.Observation => ({
    resourceType: 'Observation',
    status: 'final',
    code: {},
    subject: { reference },
  });
  it.each([
    ['a relative reference', obs('Patient/p1'), 'p1'],
    ['an absolute reference', obs('https://ehr.example/fhir/Patient/p1'), 'p1'],
    ['a versioned reference', obs('Patient/p1/_history/3'), 'p1'],
    ['a reference to a Group', obs('Group/g1'), undefined],
    ['an unresolved urn:uuid', obs('urn:uuid:1234'), undefined],
  ])('follows %s', (_, resource, id) => {
    expect(patientIdOf(resource)).toBe(id);
  });

  it('reads Coverage.beneficiary and Task.for', () => {
    const coverage: fhir4.Coverage = {
      resourceType: 'Coverage',
      status: 'active',
      beneficiary: { reference: 'Patient/p2' },
      payor: [],
    };
    const task: fhir4.Task = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      for: { reference: 'Patient/p3' },
    };
    expect([patientIdOf(coverage), patientIdOf(task)]).toEqual(['p2', 'p3']);
  });
});

describe('bundleResources', () => {
  it('resolves urn:uuid patient links within the Bundle, as Synthea writes them', () => {
    const resources = bundleResources({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:aaa', resource: { resourceType: 'Patient', id: 'p9' } },
        {
          fullUrl: 'urn:uuid:bbb',
          resource: {
            resourceType: 'Condition',
            id: 'c1',
            subject: { reference: 'urn:uuid:aaa', display: 'Ann' },
          },
        },
      ],
    });
    expect(resources.map((r) => patientIdOf(r))).toEqual(['p9', 'p9']);
    expect((resources[1] as fhir4.Condition).subject).toEqual({
      reference: 'Patient/p9',
      display: 'Ann',
    });
  });
});
