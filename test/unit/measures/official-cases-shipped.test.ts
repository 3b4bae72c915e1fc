// Every official MADiE test case again, with the value sets the app ships
// (src/measures/value-set-expansions) instead of the official valuesets.json: the expected
// populations, and exactly the result (populations, evidence, reasons) the official value sets give.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildPatientRecords } from '../../../src/clinical/build-patient-records';
import type { ValueSetRegistry } from '../../../src/clinical/patient-record';
import { acceptsCodesIn } from '../../../src/clinical/value-set-registry';
import { loadShippedValueSets } from '../../../src/measures/compiled-value-sets';
import { MEASURE_DIRECT_CODES } from '../../../src/measures/value-sets';
import {
  caseBundle,
  countsOf,
  evaluateCase,
  expectedOf,
  OFFICIAL_CASES,
  officialRegistry,
} from './official-case-fixtures';

describe('official eCQM test cases with the shipped value sets', () => {
  let shipped: ValueSetRegistry;
  beforeAll(async () => {
    shipped = await loadShippedValueSets();
  });

  it('finds the official cases', () => {
    expect(OFFICIAL_CASES.length).toBeGreaterThan(100);
  });

  it.each(OFFICIAL_CASES)('$measureId $file', (c) => {
    const bundle = caseBundle(c);
    const { period, counts } = expectedOf(bundle);
    const [record] = buildPatientRecords(bundle, {
      keepCodes: acceptsCodesIn(shipped, MEASURE_DIRECT_CODES),
    });
    const [officialRecord] = buildPatientRecords(bundle);
    if (record === undefined || officialRecord === undefined) throw new Error('no record');
    const result = evaluateCase(c, record, period, shipped);
    expect({ actual: countsOf(result), reasons: result.reasons }).toMatchObject({
      actual: counts,
    });
    expect(result).toEqual(evaluateCase(c, officialRecord, period, officialRegistry(c.folder)));
  });
});
