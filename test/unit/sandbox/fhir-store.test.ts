import { describe, expect, it } from 'vitest';
import { tokenIndexKeys } from '../../../sandbox/fhir/search';
import { FhirStore } from '../../../sandbox/fhir/store';
import { clock, LOINC, NOW, observation, patient } from './fhir-fixtures';

const ids = (entries: Iterable<{ resource: { id: string } }>): string[] =>
  [...entries].map((e) => e.resource.id);

describe('FhirStore', () => {
  it('assigns sequential ids that skip taken ones, and meta when missing', () => {
    const store = new FhirStore({ now: clock });
    store.add(patient('2'));
    const a = store.add({ resourceType: 'Patient' });
    const b = store.add({ resourceType: 'Patient' });
    expect([a.id, b.id]).toEqual(['1', '3']);
    expect(a.meta).toEqual({ versionId: '1', lastUpdated: NOW });
    const kept = store.add(patient('k', { meta: { versionId: '7', lastUpdated: '2020-01-01Z' } }));
    expect(kept.meta).toEqual({ versionId: '7', lastUpdated: '2020-01-01Z' });
    expect(store.get('Patient', '3')).toBe(b);
    expect(store.counts()).toEqual({ Patient: 4 });
    expect(store.size).toBe(4);
  });

  it('indexes by patient compartment and by code', () => {
    const store = new FhirStore();
    store.add(observation('o1', 'p'));
    store.add(observation('o2', 'q', { code: { coding: [{ code: 'x' }] } }));
    store.add({
      resourceType: 'Coverage',
      id: 'c',
      beneficiary: { reference: 'Patient/p' },
    } as fhir4.Resource);
    expect(ids(store.entriesByPatient('Observation', 'p'))).toEqual(['o1']);
    expect(ids(store.entriesByPatient('Coverage', 'p'))).toEqual(['c']);
    const [byCode, bySystemCode] = tokenIndexKeys('code', { system: LOINC, code: '4548-4' });
    expect(ids(store.entriesByKey('Observation', byCode ?? ''))).toEqual(['o1']);
    expect(ids(store.entriesByKey('Observation', bySystemCode ?? ''))).toEqual(['o1']);
    const [, noSystem] = tokenIndexKeys('code', { system: undefined, code: 'x' });
    expect(ids(store.entriesByKey('Observation', noSystem ?? ''))).toEqual(['o2']);
  });

  it('re-indexes a replaced resource and keeps its place', () => {
    const store = new FhirStore();
    store.add(observation('o1', 'p'));
    store.add(observation('o2', 'p'));
    store.add(observation('o1', 'q', { code: { coding: [{ system: LOINC, code: '1-1' }] } }));
    expect(ids(store.entriesByPatient('Observation', 'p'))).toEqual(['o2']);
    expect(ids(store.entriesByPatient('Observation', 'q'))).toEqual(['o1']);
    expect(ids(store.entries('Observation'))).toEqual(['o1', 'o2']);
    const [oldCode] = tokenIndexKeys('code', { system: LOINC, code: '4548-4' });
    expect(ids(store.entriesByKey('Observation', oldCode ?? ''))).toEqual(['o2']);
    expect(store.count('Observation')).toBe(2);
  });

  it.each<[string, unknown]>([
    ['no resourceType', { id: 'x' }],
    ['a lowercase resourceType', { resourceType: 'patient' }],
    ['an invalid id', { resourceType: 'Patient', id: 'a b' }],
    ['a too long id', { resourceType: 'Patient', id: 'x'.repeat(65) }],
    ['a numeric id', { resourceType: 'Patient', id: 12 }],
  ])('rejects a resource with %s', (_label, resource) => {
    expect(() => new FhirStore().add(resource as fhir4.Resource)).toThrow();
  });
});
