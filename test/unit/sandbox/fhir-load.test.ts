import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullAccess } from '../../../sandbox/fhir/access';
import { createFhirApi } from '../../../sandbox/fhir/api';
import { loadFolder, type LoadReport } from '../../../sandbox/fhir/load';
import { FhirStore } from '../../../sandbox/fhir/store';
import { forEachReference, patientIdsOf, type Json } from '../../../sandbox/fhir/values';
import { BASE, idsOf, observation, patient } from './fhir-fixtures';

const SHARED = join(import.meta.dirname, '../../../../shared/data');
const SYNTHEA = join(SHARED, 'synthea-r4-2019');
const ECQM = join(SHARED, 'ecqm-2026');

function everyResource(store: FhirStore): Json[] {
  return store
    .resourceTypes()
    .flatMap((type) => [...store.entries(type)].map((e) => e.resource as unknown as Json));
}

describe('loading the Synthea sample (200 patients, gzipped transaction Bundles)', () => {
  const store = new FhirStore();
  let report: LoadReport;
  beforeAll(async () => {
    report = await loadFolder(store, SYNTHEA);
  }, 120_000);

  it('loads every file without problems', () => {
    expect(report.problems).toEqual([]);
    expect(report.files).toBe(202);
    expect(store.count('Patient')).toBe(200);
    expect(store.count('Observation')).toBeGreaterThan(10_000);
    expect(report.resources.Observation).toBe(store.count('Observation'));
  });

  it('turns every urn:uuid reference into a resolvable Type/id', () => {
    expect(report.unresolvedCount).toBe(0);
    let checked = 0;
    for (const resource of everyResource(store)) {
      forEachReference(resource, (holder) => {
        const ref = holder.reference;
        if (ref.startsWith('#')) return;
        const [type = '', id = ''] = ref.split('/');
        expect(store.get(type, id), ref).toBeDefined();
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it('puts each clinical resource in its patient compartment', () => {
    for (const type of ['Observation', 'Condition', 'Encounter', 'Procedure', 'Claim']) {
      for (const entry of store.entries(type)) {
        const ids = patientIdsOf(entry.resource as unknown as Json);
        expect(ids.length, `${type}/${entry.resource.id}`).toBe(1);
      }
    }
  });

  it('answers an HbA1c search for a diabetic patient through the API', () => {
    const api = createFhirApi(store, {
      baseUrl: BASE,
      oauth: { authorize: 'a', token: 't' },
    });
    const diabetic = [...store.entries('Condition')].find((e) =>
      JSON.stringify((e.resource as fhir4.Condition).code).includes('44054006'),
    )?.resource as fhir4.Condition | undefined;
    const patientRef = diabetic?.subject.reference ?? '';
    const res = api.handle(
      {
        method: 'GET',
        path: '/Observation',
        query: new URLSearchParams({ patient: patientRef, code: 'http://loinc.org|4548-4' }),
        body: undefined,
      },
      fullAccess,
    );
    const found = idsOf(res);
    expect(found.length).toBeGreaterThan(0);
    for (const id of found) {
      expect(store.get('Observation', id)).toMatchObject({ subject: { reference: patientRef } });
    }
  });
});

describe('loading the eCQM test Bundles', () => {
  it.each([
    'CMS122FHIRDiabetesAssessGreaterThan9Percent',
    'CMS165FHIRControllingHighBloodPressure',
    'CMS125FHIRBreastCancerScreening',
    'CMS130FHIRColorectalCancerScreening',
    'CMS2FHIRPCSDepressionScreenAndFollowUp',
  ])('%s/tests loads every case and its patient', async (measure) => {
    const folder = join(ECQM, measure, 'tests');
    const store = new FhirStore();
    const report = await loadFolder(store, folder);
    // index.json is the case list, not FHIR: the only file the loader refuses.
    expect(report.problems).toEqual([
      { file: 'index.json', reason: 'not a JSON object (a FHIR resource or Bundle)' },
    ]);
    const cases = (await readdir(folder)).filter((f) => f !== 'index.json');
    expect(report.files).toBe(cases.length + 1);
    const index = JSON.parse(await readFile(join(folder, 'index.json'), 'utf8')) as Array<{
      patientId: string;
    }>;
    for (const { patientId } of index) expect(store.get('Patient', patientId)).toBeDefined();
    // Every compartment reference points at a loaded Patient.
    for (const resource of everyResource(store)) {
      for (const id of patientIdsOf(resource)) expect(store.get('Patient', id)).toBeDefined();
    }
    expect(report.unresolved.every((u) => !u.reference.startsWith('Patient/'))).toBe(true);
  });
});

describe('loading files written here', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fhir-load-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function folder(files: Record<string, string | Buffer>): Promise<string> {
    const root = await mkdtemp(join(dir, 'case-'));
    for (const [name, content] of Object.entries(files)) {
      const path = join(root, name);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, content);
    }
    return root;
  }
  const json = (value: unknown): string => JSON.stringify(value);
  const ndjson = (...lines: unknown[]): string =>
    lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');

  it('reads .json, .json.gz, .ndjson and .ndjson.gz recursively, ignoring other files', async () => {
    const root = await folder({
      'a.json': json(patient('a')),
      'sub/deeper/b.json.gz': gzipSync(json(patient('b'))),
      'c.ndjson': ndjson(observation('c1', 'a'), '', observation('c2', 'b'), '   '),
      'sub/d.ndjson.gz': gzipSync(ndjson(observation('d1', 'a'))),
      'notes.txt': 'not data',
    });
    const store = new FhirStore();
    const report = await loadFolder(store, root);
    expect(report.problems).toEqual([]);
    expect(report.files).toBe(4);
    expect(report.resources).toEqual({ Patient: 2, Observation: 3 });
    expect(store.entriesByPatient('Observation', 'a').size).toBe(2);
  });

  it('reports bad files and lines with the file name, line and reason, and loads the rest', async () => {
    const root = await folder({
      'bad.json': '{"resourceType": "Patient", ',
      'list.json': '[1, 2]',
      'notype.json': json({ id: 'x' }),
      'broken.json.gz': 'this is not gzip',
      'badid.json': json(patient('has space')),
      'mixed.ndjson': ndjson(
        patient('ok1'),
        '',
        '{not json',
        { id: 'nope' },
        patient('ok2'),
        '"a string"',
      ),
      'bundle.json': json({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: patient('ok3') }, { fullUrl: 'urn:uuid:1' }, { resource: { id: 'z' } }],
      }),
    });
    const store = new FhirStore();
    const report = await loadFolder(store, root);
    const summary = report.problems.map((p) => [p.file, p.line, p.entry, p.reason]);
    expect(summary).toEqual([
      ['bad.json', undefined, undefined, expect.stringMatching(/^bad JSON/)],
      ['badid.json', undefined, undefined, expect.stringContaining('invalid Patient id')],
      ['broken.json.gz', undefined, undefined, expect.stringMatching(/^cannot read/)],
      ['bundle.json', undefined, 1, 'Bundle entry without a resource'],
      ['bundle.json', undefined, 2, 'missing resourceType'],
      ['list.json', undefined, undefined, 'not a JSON object (a FHIR resource or Bundle)'],
      ['mixed.ndjson', 3, undefined, expect.stringMatching(/^bad JSON/)],
      ['mixed.ndjson', 4, undefined, 'missing resourceType'],
      ['mixed.ndjson', 6, undefined, 'not a JSON object (a FHIR resource or Bundle)'],
      ['notype.json', undefined, undefined, 'missing resourceType'],
    ]);
    expect(report.files).toBe(7);
    expect(store.counts()).toEqual({ Patient: 3 });
  });

  it('resolves urn:uuid references inside a Bundle and across files', async () => {
    const root = await folder({
      // a-obs.json is read first and points at a patient defined in b-pat.json.
      'a-obs.json': json({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:obs-1',
            resource: {
              ...observation('x', 'x'),
              id: undefined,
              subject: { reference: 'urn:uuid:pat-2' },
            },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      }),
      'b-pat.json': json({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:pat-2',
            resource: { resourceType: 'Patient' },
            request: { method: 'POST', url: 'Patient' },
          },
          {
            fullUrl: 'urn:uuid:obs-2',
            resource: { ...observation('y', 'y'), subject: { reference: 'urn:uuid:pat-2' } },
          },
          {
            resource: { ...observation('z', 'z') },
            request: { method: 'PUT', url: 'Observation/z' },
          },
          { request: { method: 'DELETE', url: 'Observation/gone' } },
        ],
      }),
    });
    const store = new FhirStore();
    const report = await loadFolder(store, root);
    expect(report.problems).toEqual([]);
    expect(store.get('Patient', 'pat-2')).toBeDefined();
    expect(store.get('Observation', 'obs-1')).toMatchObject({
      subject: { reference: 'Patient/pat-2' },
    });
    expect(store.get('Observation', 'y')).toMatchObject({
      subject: { reference: 'Patient/pat-2' },
    });
    // The cross-file reference was fixed after loading, and the compartment index knows it.
    expect(ids(store.entriesByPatient('Observation', 'pat-2')).sort()).toEqual(['obs-1', 'y']);
    // Observation/z points at Patient/z, which does not exist.
    expect(report.unresolved).toEqual([
      {
        file: 'b-pat.json',
        resource: 'Observation/z',
        reference: 'Patient/z',
        reason: 'no such resource',
      },
    ]);
  });

  it('resolves conditional references once everything is loaded', async () => {
    const npi = 'http://hl7.org/fhir/sid/us-npi';
    const encounter = (id: string, ref: string) => ({
      resourceType: 'Encounter',
      id,
      status: 'finished',
      class: { code: 'AMB' },
      subject: { reference: 'Patient/p' },
      participant: [{ individual: { reference: ref } }],
    });
    const root = await folder({
      'a.ndjson': ndjson(
        patient('p'),
        encounter('e1', `Practitioner?identifier=${npi}|123`),
        encounter('e2', `Practitioner?identifier=${npi}|999`),
        encounter('e3', 'Practitioner?name=Twin'),
        encounter('e4', 'Practitioner?bogus=1'),
      ),
      'z-practitioners.json': json({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          {
            resource: {
              resourceType: 'Practitioner',
              id: 'dr1',
              identifier: [{ system: npi, value: '123' }],
            },
          },
          { resource: { resourceType: 'Practitioner', id: 'dr2', name: [{ family: 'Twin' }] } },
          { resource: { resourceType: 'Practitioner', id: 'dr3', name: [{ family: 'Twin' }] } },
        ],
      }),
    });
    const store = new FhirStore();
    const report = await loadFolder(store, root);
    expect(store.get('Encounter', 'e1')).toMatchObject({
      participant: [{ individual: { reference: 'Practitioner/dr1' } }],
    });
    expect(report.unresolved.map((u) => [u.resource, u.reason])).toEqual([
      ['Encounter/e2', 'matches no resource'],
      ['Encounter/e3', 'matches more than one resource'],
      ['Encounter/e4', "unsupported search parameter 'bogus'"],
    ]);
    expect(report.unresolvedCount).toBe(3);
  });
});

const ids = (entries: Iterable<{ resource: { id: string } }>): string[] =>
  [...entries].map((e) => e.resource.id);
