import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  codeKey,
  loadValueSetRegistry,
  registryFromValueSetCodes,
} from '../../../src/clinical/value-set-registry';

const ECQM = join(import.meta.dirname, '../../../../shared/data/ecqm-2026');
const OFFICE_VISIT =
  'http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113883.3.464.1003.101.12.1001';
const DIABETES = 'http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113883.3.464.1003.103.12.1001';

describe('loadValueSetRegistry', () => {
  const registry = loadValueSetRegistry(
    JSON.parse(
      readFileSync(
        join(ECQM, 'CMS122FHIRDiabetesAssessGreaterThan9Percent/valuesets.json'),
        'utf8',
      ),
    ) as unknown,
  );

  it.each([
    [OFFICE_VISIT, 'http://www.ama-assn.org/go/cpt', '99213', true],
    [OFFICE_VISIT, 'http://snomed.info/sct', '185349003', false],
    [DIABETES, 'http://snomed.info/sct', '44054006', true],
    [DIABETES, 'http://hl7.org/fhir/sid/icd-10-cm', 'E11.9', true],
    [DIABETES, 'http://snomed.info/sct', '38341003', false],
  ])('answers whether %s holds %s|%s', (url, system, code, expected) => {
    expect(registry.has(url, codeKey(system, code))).toBe(expected);
  });

  it('keeps canonical URLs, lists the sets a code is in, and knows which sets it loaded', () => {
    expect(
      registry.valueSetsOf(codeKey('http://www.ama-assn.org/go/cpt', '99213')).has(OFFICE_VISIT),
    ).toBe(true);
    expect(registry.knows(`${OFFICE_VISIT}|20240101`)).toBe(true);
    expect(registry.knows('http://example.org/ValueSet/none')).toBe(false);
    expect(registry.size).toBeGreaterThan(10);
  });

  it('answers by OID as well as by canonical URL', () => {
    const key = codeKey('http://www.ama-assn.org/go/cpt', '99213');
    expect(registry.has('2.16.840.1.113883.3.464.1003.101.12.1001', key)).toBe(true);
    expect(registry.has('urn:oid:2.16.840.1.113883.3.464.1003.101.12.1001', key)).toBe(true);
  });

  it('falls back to enumerated compose concepts when there is no expansion', () => {
    const small = loadValueSetRegistry([
      {
        resourceType: 'ValueSet',
        url: 'http://example.org/vs',
        compose: { include: [{ system: 'http://loinc.org', concept: [{ code: '1-1' }] }] },
      },
    ]);
    expect(small.hasAny('http://example.org/vs', ['x|y', 'http://loinc.org|1-1'])).toBe(true);
  });
});

describe('registryFromValueSetCodes', () => {
  const registry = registryFromValueSetCodes([
    {
      url: `${OFFICE_VISIT}|20180310`,
      oid: '2.16.840.1.113883.3.464.1003.101.12.1001',
      codes: { 'http://www.ama-assn.org/go/cpt': ['99213', '99214'] },
    },
    // A second version of the same value set merges by canonical URL.
    { url: OFFICE_VISIT, oid: null, codes: { 'http://snomed.info/sct': ['185463005'] } },
    { url: DIABETES, oid: null, codes: {} },
  ]);

  it.each([
    [OFFICE_VISIT, 'http://www.ama-assn.org/go/cpt', '99214', true],
    [
      'urn:oid:2.16.840.1.113883.3.464.1003.101.12.1001',
      'http://snomed.info/sct',
      '185463005',
      true,
    ],
    [`${OFFICE_VISIT}|2099`, 'http://www.ama-assn.org/go/cpt', '99213', true],
    [OFFICE_VISIT, 'http://snomed.info/sct', '99213', false],
    [DIABETES, 'http://www.ama-assn.org/go/cpt', '99213', false],
  ])('answers whether %s holds %s|%s', (url, system, code, expected) => {
    expect(registry.has(url, codeKey(system, code))).toBe(expected);
  });

  it('knows every value set given, even one without codes', () => {
    expect([
      registry.size,
      registry.knows(DIABETES),
      registry.knows('http://example.org/x'),
    ]).toEqual([2, true, false]);
  });
});
