// The value sets shipped with the app against the official package they are compiled from:
// every value set the five measures use has exactly the official codes, and the committed file
// is what the compile script gives today (byte for byte).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePackage, SHIPPED_FILE } from '../../../src/cli/compile-value-sets';
import { codeKey, loadValueSetRegistry } from '../../../src/clinical/value-set-registry';
import {
  COMPILED_VALUE_SETS_FORMAT,
  compileValueSets,
  loadShippedCompiledValueSets,
  loadShippedValueSets,
  registryFromCompiled,
  serializeCompiledValueSets,
  SOURCE_PACKAGE,
  type CompileSource,
} from '../../../src/measures/compiled-value-sets';
import { VS } from '../../../src/measures/value-sets';
import { ECQM, MEASURE_FOLDERS, officialValueSetBundle, readJson } from './official-case-fixtures';
import { join } from 'node:path';

interface OfficialContains {
  system?: string;
  code?: string;
  contains?: OfficialContains[];
}

/** Every `system|code` of an official ValueSet: its expansion, nested contains included. */
function officialCodes(valueSet: fhir4.ValueSet): string[] {
  const keys: string[] = [];
  const walk = (items: OfficialContains[] | undefined) => {
    for (const item of items ?? []) {
      if (item.code !== undefined) keys.push(`${item.system}|${item.code}`);
      walk(item.contains);
    }
  };
  if (valueSet.expansion !== undefined) walk(valueSet.expansion.contains);
  else
    for (const include of valueSet.compose?.include ?? [])
      for (const concept of include.concept ?? []) keys.push(`${include.system}|${concept.code}`);
  return [...new Set(keys)].sort();
}

const official = MEASURE_FOLDERS.flatMap((folder) =>
  (officialValueSetBundle(folder).entry ?? []).map((entry) => ({
    folder,
    valueSet: entry.resource as fhir4.ValueSet,
  })),
);

describe('the shipped value sets', () => {
  it('is the compile of the official package today, byte for byte', () => {
    expect(compilePackage(ECQM).text).toBe(readFileSync(SHIPPED_FILE, 'utf8'));
  });

  it('covers more than a hundred official value-set entries of the five measures', () => {
    expect(new Set(official.map((o) => o.folder)).size).toBe(5);
    expect(official.length).toBeGreaterThan(100);
  });

  it.each(official.map((o) => [o.folder, o.valueSet.url ?? '', o.valueSet] as const))(
    '%s %s: same url, version, OID and codes as the official expansion',
    async (_folder, url, valueSet) => {
      const compiled = await loadShippedCompiledValueSets();
      const shipped = compiled.valueSets.find(
        (v) => v.url === url && v.version === valueSet.version,
      );
      expect(shipped).toBeDefined();
      if (shipped === undefined) return;
      const oid = valueSet.identifier?.[0]?.value?.replace(/^urn:oid:/, '');
      expect([shipped.oid, shipped.name]).toEqual([oid, valueSet.name]);
      const codes = Object.entries(shipped.codes)
        .flatMap(([system, list]) => list.map((code) => `${system}|${code}`))
        .sort();
      expect(codes).toEqual(officialCodes(valueSet));
      expect(shipped.codesFrom).toBe(valueSet.expansion === undefined ? 'compose' : 'expansion');
      expect(shipped.expansion).toEqual(
        valueSet.expansion === undefined
          ? null
          : {
              identifier: valueSet.expansion.identifier ?? null,
              timestamp: valueSet.expansion.timestamp,
            },
      );
    },
  );

  it('answers every membership question as the official registries do', async () => {
    const shipped = await loadShippedValueSets();
    const officialRegistry = loadValueSetRegistry(...MEASURE_FOLDERS.map(officialValueSetBundle));
    expect(shipped.size).toBe(officialRegistry.size);
    const keys = new Set(official.flatMap((o) => officialCodes(o.valueSet)));
    expect(keys.size).toBeGreaterThan(5000);
    for (const key of keys)
      expect([key, shipped.valueSetsOf(key)]).toEqual([key, officialRegistry.valueSetsOf(key)]);
    for (const { valueSet } of official) {
      const url = valueSet.url ?? '';
      const oid = valueSet.identifier?.[0]?.value ?? '';
      expect([url, shipped.knows(url), shipped.knows(oid)]).toEqual([url, true, true]);
    }
    // Every value set the measure code names is shipped.
    for (const url of Object.values(VS)) expect([url, shipped.knows(url)]).toEqual([url, true]);
  });

  it('answers by canonical URL, versioned URL and OID', async () => {
    const shipped = await loadShippedValueSets();
    const dementia = codeKey('http://www.nlm.nih.gov/research/umls/rxnorm', '312836');
    expect(shipped.has(VS.dementiaMedications, dementia)).toBe(true);
    expect(shipped.has(`${VS.dementiaMedications}|20210220`, dementia)).toBe(true);
    expect(shipped.has('urn:oid:2.16.840.1.113883.3.464.1003.196.12.1510', dementia)).toBe(true);
    expect(shipped.has(VS.adultDepressionMedications, dementia)).toBe(false);
  });

  it('says where it comes from: package, measures with their versions, date', async () => {
    const { format, provenance } = await loadShippedCompiledValueSets();
    expect(format).toBe(COMPILED_VALUE_SETS_FORMAT);
    expect(provenance.package).toBe(SOURCE_PACKAGE);
    expect(provenance.asOfSource).toBe('newest-bundle-timestamp');
    const measures = MEASURE_FOLDERS.map((folder) => {
      const m = readJson(join(ECQM, folder, 'measure.json')) as fhir4.Measure;
      return { folder, url: m.url, version: m.version };
    });
    expect(
      provenance.measures.map((m) => ({ folder: m.folder, url: m.url, version: m.version })),
    ).toEqual(measures);
    const timestamps = MEASURE_FOLDERS.map((folder) =>
      Date.parse(officialValueSetBundle(folder).timestamp ?? ''),
    );
    expect(Date.parse(provenance.asOf)).toBe(Math.max(...timestamps));
  });
});

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';

function measure(name: string): fhir4.Measure {
  return {
    resourceType: 'Measure',
    status: 'active',
    name,
    url: `https://example.org/Measure/${name}`,
    version: '1.0.0',
  };
}

function bundle(timestamp: string, ...valueSets: Partial<fhir4.ValueSet>[]): fhir4.Bundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp,
    entry: valueSets.map((v) => ({
      resource: { resourceType: 'ValueSet', status: 'active', name: 'Set', version: '1', ...v },
    })),
  };
}

const A = 'http://cts.nlm.nih.gov/fhir/ValueSet/1.2.3';

describe('compileValueSets', () => {
  const sources: CompileSource[] = [
    {
      folder: 'CMS2Example',
      measure: measure('CMS2Example'),
      valueSets: bundle('2025-07-10T07:00:00-06:00', {
        url: A,
        identifier: [{ value: 'urn:oid:1.2.3' }],
        expansion: {
          timestamp: '2025-01-01T00:00:00Z',
          identifier: 'x1',
          contains: [
            { system: LOINC, code: '2-2' },
            {
              system: SNOMED,
              code: '10',
              contains: [{ system: SNOMED, code: '9' }, { display: 'grouper without a code' }],
            },
            { system: LOINC, code: '1-1' },
          ],
        },
      }),
    },
    {
      folder: 'CMS1Example',
      measure: measure('CMS1Example'),
      valueSets: bundle('2025-07-10T20:00:00+09:00', {
        url: `${A}|1`,
        expansion: {
          timestamp: '2025-01-01T00:00:00Z',
          identifier: 'x1',
          contains: [
            { system: SNOMED, code: '9' },
            { system: LOINC, code: '1-1', version: '2.76' },
            { system: SNOMED, code: '10' },
            { system: LOINC, code: '2-2', version: '2.76' },
          ],
        },
      }),
    },
  ];

  it('keeps nested codes, sorts, merges a value set shared by measures, and dates by the newest Bundle', () => {
    const { compiled, warnings } = compileValueSets(sources);
    expect(warnings).toEqual([]);
    expect(compiled.valueSets).toEqual([
      {
        url: A,
        version: '1',
        oid: '1.2.3',
        name: 'Set',
        title: null,
        codesFrom: 'expansion',
        expansion: { identifier: 'x1', timestamp: '2025-01-01T00:00:00Z' },
        usedBy: ['CMS1', 'CMS2'],
        codeSystemVersions: { [LOINC]: ['2.76'] },
        codes: { [LOINC]: ['1-1', '2-2'], [SNOMED]: ['10', '9'] },
      },
    ]);
    // Compared as instants: 07:00-06:00 is 13:00Z, later than 20:00+09:00 (11:00Z).
    expect(compiled.provenance.asOf).toBe('2025-07-10T07:00:00-06:00');
    expect(compiled.provenance.measures.map((m) => m.id)).toEqual(['CMS1', 'CMS2']);
    const registry = registryFromCompiled(compiled);
    expect(registry.has('1.2.3', `${SNOMED}|9`)).toBe(true);
    expect(registry.has(A, `${SNOMED}|11`)).toBe(false);
  });

  it('gives the same bytes whatever the input order, and takes the date as an argument', () => {
    const once = serializeCompiledValueSets(compileValueSets(sources).compiled);
    const reversed = serializeCompiledValueSets(compileValueSets([...sources].reverse()).compiled);
    expect(reversed).toBe(once);
    const dated = compileValueSets(sources, { asOf: '2026-12-01' }).compiled.provenance;
    expect([dated.asOf, dated.asOfSource]).toEqual(['2026-12-01', 'argument']);
  });

  it('keeps each version of a value set the measures list in different versions, and reports it', () => {
    const [first, second] = sources;
    if (first === undefined || second === undefined) throw new Error('fixture');
    const { compiled, warnings } = compileValueSets([
      first,
      {
        ...second,
        valueSets: bundle('2025-07-10T00:00:00Z', {
          url: A,
          version: '2',
          expansion: { timestamp: '2025-01-01', contains: [{ system: LOINC, code: '3-3' }] },
        }),
      },
    ]);
    expect(compiled.valueSets.map((v) => v.version)).toEqual(['1', '2']);
    expect(compiled.provenance.versionConflicts).toEqual([{ url: A, versions: ['1', '2'] }]);
    expect(warnings).toHaveLength(1);
  });

  it('uses a plain enumerated compose when there is no expansion', () => {
    const { compiled } = compileValueSets([
      {
        folder: 'CMS9Example',
        measure: measure('CMS9Example'),
        valueSets: bundle('2025-07-10T00:00:00Z', {
          url: A,
          compose: { include: [{ system: SNOMED, concept: [{ code: '2' }, { code: '1' }] }] },
        }),
      },
    ]);
    expect(compiled.valueSets[0]).toMatchObject({
      codesFrom: 'compose',
      expansion: null,
      codes: { [SNOMED]: ['1', '2'] },
    });
  });

  it.each([
    [
      'no expansion and a filtered compose',
      {
        compose: {
          include: [{ system: SNOMED, filter: [{ property: 'concept', op: 'is-a', value: '1' }] }],
        },
      },
      /no expansion, and the compose is not a plain list of codes/,
    ],
    ['no expansion and no compose', {}, /no expansion/],
    ['an expansion without contains', { expansion: { timestamp: '2025-01-01' } }, /no contains/],
    [
      'an expansion with no codes',
      { expansion: { timestamp: '2025-01-01', contains: [{ display: 'x' }] } },
      /no codes/,
    ],
    [
      'no version',
      { version: undefined, expansion: { timestamp: '2025-01-01', contains: [] } },
      /version is missing/,
    ],
  ] as const)('fails loudly on a value set with %s', (_what, valueSet, message) => {
    expect(() =>
      compileValueSets([
        {
          folder: 'CMS9Example',
          measure: measure('CMS9Example'),
          valueSets: bundle('2025-07-10T00:00:00Z', {
            url: A,
            ...valueSet,
          } as Partial<fhir4.ValueSet>),
        },
      ]),
    ).toThrow(message);
  });

  it('fails loudly when two measures list the same version with different codes', () => {
    const [first, second] = sources;
    if (first === undefined || second === undefined) throw new Error('fixture');
    expect(() =>
      compileValueSets([
        first,
        {
          ...second,
          valueSets: bundle('2025-07-10T00:00:00Z', {
            url: A,
            expansion: { timestamp: '2025-01-01', contains: [{ system: LOINC, code: '1-1' }] },
          }),
        },
      ]),
    ).toThrow(/CMS2Example lists different codes than CMS1 for the same version/);
  });
});
