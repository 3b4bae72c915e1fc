import { describe, expect, it } from 'vitest';
import type { SdohDomain } from '../../../src/clinical/sdoh-screening';
import { readSdohConditions } from '../../../src/sdoh/read-conditions';
import { ICD10CM, SNOMED, US_CORE_TAGS, sdohCondition } from './sdoh-fixtures';

const DATE = '2026-11-10';
const SDOHCC =
  'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes';

// Condition codes per domain (sdoh.md §2 "Condition: SNOMED / ICD-10-CM").
const CODES: [system: string, code: string, domains: SdohDomain[]][] = [
  [SNOMED, '733423003', ['food-insecurity']],
  [SNOMED, '32911000', ['homelessness']],
  [SNOMED, '160752000', ['housing-instability']],
  [SNOMED, '713458007', ['transportation-insecurity']],
  [SNOMED, '73438004', ['employment-status']],
  [SNOMED, '422650009', ['social-connection']],
  [ICD10CM, 'Z59.41', ['food-insecurity']],
  [ICD10CM, 'Z59.4', ['food-insecurity']],
  [ICD10CM, 'Z59.01', ['homelessness']],
  [ICD10CM, 'Z59.811', ['housing-instability']],
  [ICD10CM, 'Z59.11', ['inadequate-housing']],
  [ICD10CM, 'Z59.12', ['inadequate-housing', 'utility-insecurity']],
  [ICD10CM, 'Z59.82', ['transportation-insecurity']],
  [ICD10CM, 'Z59.86', ['financial-insecurity']],
  [ICD10CM, 'Z56.0', ['employment-status']],
  [ICD10CM, 'Z60.2', ['social-connection']],
  [ICD10CM, 'Z73.3', ['stress']],
  [ICD10CM, 'Z63.0', ['interpersonal-safety']],
  [ICD10CM, 'T74.11XA', ['interpersonal-safety']],
  [ICD10CM, 'Z91.410', ['interpersonal-safety']],
  ['http://hl7.org/fhir/sid/icd-10', 'Z59.0', ['homelessness']],
];

describe('readSdohConditions', () => {
  it.each(CODES)('%s %s → %j', (system, code, domains) => {
    const [read] = readSdohConditions([sdohCondition('c', [{ system, code }], DATE)]);
    expect(read?.domains.sort()).toEqual([...domains].sort());
  });

  it('reads the sdoh category under both US Core systems', () => {
    const food = [{ system: SNOMED, code: '733423003', display: 'Food insecurity' }];
    const read = readSdohConditions([
      sdohCondition('new', food, DATE, { concern: 'none' }),
      sdohCondition('old', food, DATE, {
        concern: 'none',
        categories: [{ system: US_CORE_TAGS, code: 'sdoh' }],
      }),
    ]);
    expect(read.map((c) => c.ref)).toEqual(['Condition/new', 'Condition/old']);
    expect(read[0]?.display).toBe('Food insecurity');
  });

  it('reads a health concern or problem with an SDOH code even without the sdoh category', () => {
    const read = readSdohConditions([
      sdohCondition('p', [{ system: ICD10CM, code: 'Z59.82' }], DATE, {
        concern: 'problem-list-item',
        categories: [],
      }),
      sdohCondition('e', [{ system: ICD10CM, code: 'Z59.82' }], DATE, {
        concern: 'none',
        categories: [],
      }),
    ]);
    expect(read.map((c) => c.ref)).toEqual(['Condition/p']);
  });

  it('places an sdoh Condition with an unknown code by its SDOHCC category', () => {
    const [read] = readSdohConditions([
      sdohCondition('c', [{ system: SNOMED, code: '999' }], DATE, {
        categories: [
          { system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category', code: 'sdoh' },
          { system: SDOHCC, code: 'stress' },
        ],
      }),
    ]);
    expect(read?.domains).toEqual(['stress']);
  });

  it('keeps statuses and skips refuted, entered-in-error and unplaceable Conditions', () => {
    const code = [{ system: SNOMED, code: '32911000' }];
    const read = readSdohConditions([
      sdohCondition('a', code, DATE, { verification: 'unconfirmed' }),
      sdohCondition('b', code, DATE, { clinical: 'resolved' }),
      sdohCondition('c', code, DATE, { verification: 'refuted' }),
      sdohCondition('d', code, DATE, { verification: 'entered-in-error' }),
      sdohCondition('e', [{ system: SNOMED, code: '44054006' }], DATE),
    ]);
    expect(read.map((c) => [c.ref, c.clinicalStatus, c.verification])).toEqual([
      ['Condition/a', 'active', 'unconfirmed'],
      ['Condition/b', 'inactive', 'confirmed'],
    ]);
  });
});
