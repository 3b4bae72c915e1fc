// Bulk Data v2.0.0 kick-off parameters: `_type` and `_typeFilter` built from the query plan.
import { describe, expect, it } from 'vitest';
import { kickOffUrl, typeFilters } from '../../../../src/fhir/rest/bulk-export';

describe('typeFilters', () => {
  it('makes one filter per filtered query; a type also queried unfiltered gets none', () => {
    const filters = typeFilters({
      queries: [
        { resourceType: 'Patient' },
        {
          resourceType: 'Observation',
          codes: ['http://loinc.org|4548-4', 'http://loinc.org|4548-4'],
        },
        { resourceType: 'Observation', params: { category: 'survey' } },
        { resourceType: 'Procedure', codes: ['s|1'] },
        { resourceType: 'Procedure' },
        { resourceType: 'Encounter' },
      ],
    });
    expect([...filters.entries()]).toEqual([
      [
        'Observation',
        [
          `Observation?code=${encodeURIComponent('http://loinc.org|4548-4')}`,
          'Observation?category=survey',
        ],
      ],
    ]);
  });
});

describe('kickOffUrl', () => {
  it('lists the types and sends each filter as its own percent-encoded _typeFilter', () => {
    const url = new URL(
      kickOffUrl(
        'https://ehr.example.org/fhir',
        'g 1',
        ['Patient', 'Observation'],
        new Map([['Observation', ['Observation?code=a%2Cb', 'Observation?category=survey']]]),
      ),
    );
    expect(url.pathname).toBe('/fhir/Group/g%201/$export');
    expect(url.searchParams.get('_type')).toBe('Patient,Observation');
    expect(url.searchParams.getAll('_typeFilter')).toEqual([
      'Observation?code=a%2Cb',
      'Observation?category=survey',
    ]);
  });
});
