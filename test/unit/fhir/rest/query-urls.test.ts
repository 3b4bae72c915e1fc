// Search URLs stay under the length limit however many ids or codes there are, commas inside one
// value are escaped (R4 search.html §3.1.1.5), and descriptions never name a patient.
import { describe, expect, it } from 'vitest';
import type { ResourceQuery } from '../../../../src/fhir/rest/panel-load-types';
import {
  chunkByLength,
  codeChunks,
  describeQuery,
  encodeValue,
  escapeValue,
  fixedLength,
  querySearchPath,
} from '../../../../src/fhir/rest/query-urls';

const base = 'https://ehr.example.org/fhir/r4';

describe('chunkByLength', () => {
  it('keeps every chunk within the budget and the item cap, in order, losing nothing', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `patient-${i}-${'x'.repeat(i % 40)}`);
    const chunks = chunkByLength(ids, 1000, 60, 'Patient/');
    expect(chunks.flat()).toEqual(ids);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(60);
      const sent = chunk.map((id) => encodeValue(`Patient/${id}`)).join(',');
      expect(sent.length).toBeLessThanOrEqual(1000);
    }
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('sends a value longer than the budget alone', () => {
    expect(chunkByLength(['a', 'b'.repeat(50), 'c'], 20, 10)).toEqual([
      ['a'],
      ['b'.repeat(50)],
      ['c'],
    ]);
  });
});

describe('search paths', () => {
  const query: ResourceQuery = {
    resourceType: 'Observation',
    codes: Array.from({ length: 400 }, (_, i) => `http://loinc.org|${10000 + i}-${i % 10}`),
    params: { category: 'laboratory' },
  };

  it('splits codes and ids so every URL stays under the limit', () => {
    const maxUrl = 2000;
    const ids = Array.from({ length: 300 }, (_, i) => `id-${i}`);
    const codeParts = codeChunks(query, base, maxUrl, 1000);
    expect(codeParts.length).toBeGreaterThan(1);
    expect(codeParts.flatMap((c) => c ?? [])).toEqual(query.codes);
    for (const codes of codeParts) {
      const budget = maxUrl - fixedLength(base, query, 1000) - (codes ?? []).join(',').length;
      for (const chunk of chunkByLength(ids, budget, 200)) {
        const url = `${base}/${querySearchPath(query, chunk, codes, 1000)}`;
        expect(url.length).toBeLessThanOrEqual(maxUrl);
      }
    }
  });

  it('names a patient by id for `patient` and by reference for `subject`', () => {
    expect(
      querySearchPath(
        { resourceType: 'Coverage', patientParam: 'beneficiary' },
        ['a', 'b'],
        undefined,
        50,
      ),
    ).toBe('Coverage?beneficiary=Patient/a,Patient/b&_count=50');
    expect(querySearchPath({ resourceType: 'Encounter' }, ['a', 'b'], undefined, 50)).toBe(
      'Encounter?patient=a,b&_count=50',
    );
  });

  it('escapes a comma inside one code so it does not read as OR', () => {
    expect(escapeValue('urn:x|a,b')).toBe('urn:x|a\\,b');
    const path = querySearchPath({ resourceType: 'Observation' }, ['a'], ['urn:x|a,b', 's|c'], 10);
    expect(new URLSearchParams(path.split('?')[1]).get('code')).toBe('urn:x|a\\,b,s|c');
  });

  it('describes a query with counts, never ids', () => {
    expect(describeQuery(query, 50, ['s|1', 's|2'])).toBe(
      'Observation?patient=<50 patients>&code=<2 codes>&category=laboratory',
    );
    expect(describeQuery({ resourceType: 'Encounter' }, 1, undefined)).toBe(
      'Encounter?patient=<1 patient>',
    );
  });
});
