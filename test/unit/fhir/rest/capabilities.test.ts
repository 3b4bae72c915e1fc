// Reading a CapabilityStatement (R4 capabilitystatement.html): Group $export by name or by its
// Bulk Data OperationDefinition, batch, search parameters and `searchInclude`; nothing assumed
// from what is missing.
import { describe, expect, it } from 'vitest';
import {
  declaresInclude,
  declaresSearchParam,
  readCapabilities,
  servesType,
  unknownCapabilities,
} from '../../../../src/fhir/rest/capabilities';

function statement(rest: unknown[]): unknown {
  return { resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', rest };
}

describe('readCapabilities', () => {
  it('finds Group export by OperationDefinition canonical, batch, params and includes', () => {
    const caps = readCapabilities(
      statement([
        {
          mode: 'server',
          interaction: [{ code: 'batch' }],
          resource: [
            {
              type: 'Group',
              operation: [
                {
                  name: 'group-level-export',
                  definition:
                    'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export|2.0.0',
                },
              ],
            },
            {
              type: 'MedicationRequest',
              searchInclude: ['MedicationRequest:medication', 42],
              searchParam: [{ name: 'patient' }, { name: 'intent' }],
            },
          ],
        },
      ]),
    );
    expect(caps).toMatchObject({ known: true, groupExport: true, batch: true });
    expect(declaresSearchParam(caps, 'MedicationRequest', 'patient')).toBe(true);
    expect(declaresSearchParam(caps, 'MedicationRequest', 'code')).toBe(false);
    expect(declaresSearchParam(caps, 'Observation', 'code')).toBeUndefined();
    expect(declaresInclude(caps, 'MedicationRequest', 'MedicationRequest:medication')).toBe(true);
    expect(declaresInclude(caps, 'Observation', 'Observation:subject')).toBe(false);
  });

  it('takes a system-level $export as a hint, and ignores client-mode rest entries', () => {
    expect(
      readCapabilities(statement([{ mode: 'server', operation: [{ name: '$export' }] }]))
        .groupExport,
    ).toBe(true);
    const client = readCapabilities(
      statement([
        { mode: 'client', interaction: [{ code: 'batch' }], operation: [{ name: 'export' }] },
      ]),
    );
    expect(client).toMatchObject({ known: true, groupExport: false, batch: false });
  });

  it('serves only the types it lists, and assumes nothing when it lists none', () => {
    const caps = readCapabilities(
      statement([{ mode: 'server', resource: [{ type: 'Patient' }, { type: 'Encounter' }] }]),
    );
    expect(servesType(caps, 'Encounter')).toBe(true);
    expect(servesType(caps, 'DeviceRequest')).toBe(false);
    expect(servesType(readCapabilities(statement([{ mode: 'server' }])), 'DeviceRequest')).toBe(
      true,
    );
    expect(servesType(unknownCapabilities, 'DeviceRequest')).toBe(true);
  });

  it('knows nothing from something that is not a CapabilityStatement', () => {
    expect(readCapabilities({ resourceType: 'OperationOutcome' })).toMatchObject({
      known: false,
      groupExport: false,
      batch: false,
    });
    expect(readCapabilities(null).known).toBe(false);
  });
});
