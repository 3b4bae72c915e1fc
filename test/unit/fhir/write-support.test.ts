import { describe, expect, it } from 'vitest';
import {
  readSearchableTypes,
  readServerWriteSupport,
  scopeAllows,
  writeSupportOf,
} from '../../../src/fhir/write-support';

describe('scopeAllows', () => {
  it.each<[string[], string, 'create' | 'update', boolean]>([
    [['patient/Task.c'], 'Task', 'create', true],
    [['patient/Task.cu'], 'Task', 'update', true],
    [['patient/Task.rs'], 'Task', 'create', false],
    [['patient/Task.cruds'], 'Task', 'create', true],
    [['patient/Task.c?code=fulfill'], 'Task', 'create', true],
    [['user/ServiceRequest.write'], 'ServiceRequest', 'create', true],
    [['patient/*.write'], 'Procedure', 'create', true],
    [['patient/*.*'], 'Procedure', 'update', true],
    [['patient/*.read'], 'Procedure', 'create', false],
    [['patient/ServiceRequest.c'], 'Task', 'create', false],
    [['system/Task.c'], 'Task', 'create', false],
    [['launch', 'openid'], 'Task', 'create', false],
    // Not a v2 permission string (letters out of order).
    [['patient/Task.uc'], 'Task', 'create', false],
  ])('%j allows %s %s: %s', (scopes, type, interaction, expected) => {
    expect(scopeAllows(scopes, type, interaction)).toBe(expected);
  });
});

describe('readServerWriteSupport', () => {
  const statement: fhir4.CapabilityStatement = {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        interaction: [{ code: 'transaction' }],
        resource: [
          {
            type: 'ServiceRequest',
            interaction: [{ code: 'read' }, { code: 'create' }],
            conditionalCreate: true,
            searchParam: [{ name: 'identifier', type: 'token' }],
          },
          { type: 'Task', interaction: [{ code: 'create' }, { code: 'update' }] },
          { type: 'Observation', interaction: [{ code: 'search-type' }] },
        ],
      },
    ],
  };

  it('reads transaction, create, update and conditional create per type', () => {
    const support = readServerWriteSupport(statement);
    expect(support.transaction).toBe(true);
    expect(writeSupportOf(support, 'ServiceRequest')).toEqual({
      create: true,
      update: false,
      conditionalCreate: true,
      identifierSearch: true,
    });
    expect(writeSupportOf(support, 'Task')).toEqual({
      create: true,
      update: true,
      conditionalCreate: false,
      identifierSearch: false,
    });
    expect(writeSupportOf(support, 'Observation').create).toBe(false);
    expect(writeSupportOf(support, 'Procedure').create).toBe(false);
  });

  it('says nothing is supported for something that is not a CapabilityStatement', () => {
    expect(readServerWriteSupport({ resourceType: 'OperationOutcome' })).toEqual({
      transaction: false,
      resources: {},
    });
    expect(readServerWriteSupport(undefined).transaction).toBe(false);
  });
});

describe('readSearchableTypes', () => {
  const statement = (resource: fhir4.CapabilityStatementRestResource[]) => ({
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [{ mode: 'server', resource }],
  });

  it('lists the types offered for search, not those only readable', () => {
    const types = readSearchableTypes(
      statement([
        { type: 'Observation', interaction: [{ code: 'read' }, { code: 'search-type' }] },
        { type: 'Practitioner', interaction: [{ code: 'read' }] },
        // No interactions listed: nothing says search is not offered.
        { type: 'Condition' },
      ]),
    );
    expect(types).toEqual(new Set(['Observation', 'Condition']));
    expect(types?.has('DeviceRequest')).toBe(false);
  });

  it('knows nothing from a body that is not a CapabilityStatement or declares no resources', () => {
    expect(readSearchableTypes({ resourceType: 'OperationOutcome', issue: [] })).toBeUndefined();
    expect(readSearchableTypes(statement([]))).toBeUndefined();
    expect(readSearchableTypes(undefined)).toBeUndefined();
  });
});
