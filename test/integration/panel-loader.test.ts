// The panel loader end to end against an msw FHIR server: every rung of the ladder delivers the
// same panel, the ladder falls down a rung when the server cannot do better, every panel source
// finds the right patients, and references are fetched once each.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchResourcesByReference, loadPanel } from '../../src/fhir/rest/panel-loader';
import type {
  LoadProgress,
  LoadReport,
  LoadStrategy,
  PanelLoadOptions,
  PanelSource,
  QueryPlan,
} from '../../src/fhir/rest/panel-load-types';
import { PanelLoadError } from '../../src/fhir/rest/panel-load-types';
import { createPatientRecordBuilder } from '../../src/clinical/build-patient-records';
import type { PanelServerOptions, ServerStats } from './panel-loader-fhir-server';
import {
  accessToken,
  bloodPressure,
  expectedKeys,
  fhirBase,
  hba1c,
  operationOutcome,
  panelFhirServer,
  panelPatientIds,
  panelResources,
  rxnorm,
} from './panel-loader-fhir-server';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const panelPlan: QueryPlan = {
  queries: [
    { resourceType: 'Observation', codes: [hba1c, bloodPressure] },
    { resourceType: 'Encounter' },
    { resourceType: 'Condition' },
    { resourceType: 'MedicationRequest' },
  ],
};

const group: PanelSource = { kind: 'group', groupId: 'g-1' };
const fastTuning = { backoffMs: 1, maxWaitMs: 20, minPollMs: 1 };

function serve(options: Partial<PanelServerOptions> = {}): ServerStats {
  const { handlers, stats } = panelFhirServer({ resources: panelResources(), ...options });
  server.use(...handlers);
  return stats;
}

interface Loaded {
  report: LoadReport;
  keys: string[];
  progress: LoadProgress[];
}

async function load(options: Partial<PanelLoadOptions> = {}): Promise<Loaded> {
  const keys = new Set<string>();
  const progress: LoadProgress[] = [];
  const report = await loadPanel({
    fhirBaseUrl: fhirBase,
    accessToken: () => accessToken,
    source: group,
    plan: panelPlan,
    tuning: fastTuning,
    onResources: (resources) => {
      for (const r of resources) keys.add(`${r.resourceType}/${r.id ?? ''}`);
    },
    onProgress: (p) => progress.push(p),
    ...options,
  });
  return { report, keys: [...keys].sort(), progress };
}

describe('every rung delivers the same panel', () => {
  const strategies: LoadStrategy[] = [
    'bulk-export',
    'multi-patient-search',
    'batch',
    'per-patient',
  ];

  it.each(strategies)('%s', async (strategy) => {
    const stats = serve();
    const { report, keys } = await load({ strategy });
    expect(report.strategy).toBe(strategy);
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    expect(report.failures).toEqual([]);
    expect(report.partial).toBe(false);
    expect(report.source).toEqual({
      kind: 'group',
      description: 'Members of a Group',
      patientsFound: 5,
    });
    expect(report.requests).toBe(stats.requests.length);
    expect(report.resources).toBeGreaterThanOrEqual(keys.length);
    // Every request carried the token, except none: the export files require it too here.
    expect(stats.requests.every((r) => r.authorization === `Bearer ${accessToken}`)).toBe(true);
  });

  it('picks Group $export when the server declares it, and DELETEs the job afterwards', async () => {
    const stats = serve({ exportPolls: 2 });
    const { report, keys, progress } = await load();
    expect(report.strategy).toBe('bulk-export');
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    const kickOff = stats.requests.find((r) => r.url.pathname.endsWith('/$export'));
    expect(kickOff?.url.searchParams.get('_type')).toBe(
      'Patient,Observation,Encounter,Condition,MedicationRequest,Medication',
    );
    expect(kickOff?.url.searchParams.getAll('_typeFilter')).toEqual([
      `Observation?code=${encodeURIComponent(`${hba1c},${bloodPressure}`)}`,
    ]);
    const polls = stats.requests.filter(
      (r) => r.method === 'GET' && r.url.pathname.startsWith('/bulk/status/'),
    );
    expect(polls).toHaveLength(3);
    expect(stats.deleted).toHaveLength(1);
    // metadata, the Group, the SMART configuration, kick-off, 3 polls, 6 files, DELETE: the
    // files needed plus a constant.
    expect(report.requests).toBe(14);
    expect(stats.requests).toHaveLength(14);
    // 6 files (one per type): the download phase knows its total.
    const downloading = progress.filter((p) => p.phase === 'downloading');
    expect(downloading.at(-1)).toMatchObject({ pagesDone: 6, pagesTotal: 6 });
    // The SMART configuration (user-level scopes) was read before the kick-off, without a token.
    const config = stats.requests.find((r) => r.url.pathname.endsWith('/smart-configuration'));
    expect(config?.authorization).toBeNull();
    expect(config?.index).toBeLessThan(kickOff?.index ?? 0);
    expect(progress.some((p) => p.phase === 'exporting')).toBe(true);
  });

  it('waits as long as the status Retry-After asks between polls', async () => {
    const pollTimes: number[] = [];
    serve({
      exportPolls: 1,
      exportRetryAfter: '1',
      intercept: (r) => {
        if (r.method === 'GET' && r.url.pathname.startsWith('/bulk/status/')) {
          pollTimes.push(Date.now());
        }
        return undefined;
      },
    });
    const { report } = await load({ tuning: { ...fastTuning, maxWaitMs: 5000 } });
    expect(report.strategy).toBe('bulk-export');
    expect(pollTimes).toHaveLength(2);
    const [first = 0, second = 0] = pollTimes;
    expect(second - first).toBeGreaterThanOrEqual(950);
  });

  it('sends no token to export files that do not require one', async () => {
    const stats = serve({ requiresAccessToken: false });
    const { keys } = await load({ strategy: 'bulk-export' });
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    const files = stats.requests.filter((r) => r.url.pathname.startsWith('/bulk/file/'));
    expect(files).toHaveLength(6);
    expect(files.every((r) => r.authorization === null)).toBe(true);
  });

  it('asks again without _typeFilter and Medication when the kick-off is refused with 400', async () => {
    const stats = serve({
      intercept: (r) =>
        r.url.pathname.endsWith('/$export') && r.url.searchParams.has('_typeFilter')
          ? Response.json(operationOutcome('not-supported', '_typeFilter'), { status: 400 })
          : undefined,
    });
    const { report, keys } = await load();
    expect(report.strategy).toBe('bulk-export');
    expect(report.strategyNotes).toContain(
      'The server refused the export request (400); asked again without _typeFilter and Medication.',
    );
    const kickOffs = stats.requests.filter((r) => r.url.pathname.endsWith('/$export'));
    expect(kickOffs).toHaveLength(2);
    expect(kickOffs[1]?.url.searchParams.get('_type')).toBe(
      'Patient,Observation,Encounter,Condition,MedicationRequest',
    );
    expect(kickOffs[1]?.url.searchParams.has('_typeFilter')).toBe(false);
    // Unfiltered: every wanted resource, plus Observations the caller filters out itself.
    expect(keys).toEqual(
      expect.arrayContaining(expectedKeys(panelPatientIds, { medications: false })),
    );
    expect(keys).toContain('Observation/obs-p1-bmi');
    expect(keys.some((k) => k.startsWith('Medication/'))).toBe(false);
  });

  it('reports the error files of an export manifest as failures', async () => {
    serve({
      exportErrors: [
        operationOutcome('exception', 'Observation for Patient/p3 could not be exported'),
        {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'information', code: 'informational', diagnostics: 'done' }],
        },
      ],
    });
    const { report, keys } = await load();
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    expect(report.partial).toBe(true);
    expect(report.failures).toEqual([
      {
        query: 'Group/$export error file 1 of 1',
        status: undefined,
        message: 'The export reported 1 error: Observation for Patient/<id> could not be exported',
        resourceType: 'OperationOutcome',
      },
    ]);
  });
});

describe('falling down the ladder', () => {
  it('searches several patients at once when no $export is declared', async () => {
    const stats = serve({ groupExport: false });
    const { report, keys } = await load();
    expect(report.strategy).toBe('multi-patient-search');
    expect(report.strategyNotes).toContain('Group/$export is not in the CapabilityStatement.');
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    expect(stats.requests.some((r) => r.url.pathname.includes('$export'))).toBe(false);
    const observation = stats.requests.find(
      (r) => r.resourceType === 'Observation' && !r.url.searchParams.has('_summary'),
    );
    expect(observation?.url.searchParams.get('patient')).toBe('p1,p2,p3,p4,p5');
    expect(observation?.url.searchParams.get('code')).toBe(`${hba1c},${bloodPressure}`);
  });

  it('falls to multi-patient search when the $export kick-off is forbidden', async () => {
    serve({
      intercept: (r) =>
        r.url.pathname.endsWith('/$export')
          ? Response.json(operationOutcome('forbidden', 'Bulk export needs system scopes'), {
              status: 403,
            })
          : undefined,
    });
    const { report, keys } = await load();
    expect(report.strategy).toBe('multi-patient-search');
    expect(report.strategyNotes).toContainEqual(
      expect.stringMatching(
        /^Group\/\$export kick-off was refused: HTTP 403( Forbidden)?: Bulk export needs system scopes\.$/,
      ),
    );
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    expect(report.failures).toEqual([]);
  });

  it.each([
    ['refused with 400', 'refused'],
    ['read as its first id only', 'first-only'],
    ['taken as one id', 'literal'],
  ] as const)('uses batch when comma lists are %s', async (_label, referenceLists) => {
    const stats = serve({ groupExport: false, referenceLists });
    const { report, keys } = await load();
    expect(report.strategy).toBe('batch');
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    expect(report.failures).toEqual([]);
    // No data search with a comma list was sent beyond the probe.
    const lists = stats.requests.filter(
      (r) =>
        (r.url.searchParams.get('patient') ?? '').includes(',') &&
        !r.url.searchParams.has('_summary'),
    );
    expect(lists).toEqual([]);
  });

  it('catches a first-id-only server even when no probed pair both have data', async () => {
    const noEncounters = new Set(['enc-p1-old', 'enc-p1-new', 'enc-p3-old', 'enc-p3-new']);
    serve({
      resources: panelResources().filter((r) => !noEncounters.has(r.id ?? '')),
      groupExport: false,
      referenceLists: 'first-only',
    });
    const { report, keys } = await load();
    expect(report.strategy).toBe('batch');
    expect(report.strategyNotes).toContainEqual(
      expect.stringMatching(
        /^The server ignores or misreads comma lists in Encounter\?patient=a,b/,
      ),
    );
    expect(keys).toEqual(
      expectedKeys(panelPatientIds).filter((key) => !noEncounters.has(key.split('/')[1] ?? '')),
    );
  });

  it('searches patient by patient when comma lists fail and batch is not declared', async () => {
    serve({ groupExport: false, batch: false, referenceLists: 'first-only' });
    const { report, keys } = await load();
    expect(report.strategy).toBe('per-patient');
    expect(report.strategyNotes).toContain(
      'The CapabilityStatement declares no batch interaction.',
    );
    expect(keys).toEqual(expectedKeys(panelPatientIds));
  });

  it('searches patient by patient when the server refuses the first batch', async () => {
    const stats = serve({ groupExport: false, batch: false });
    const { report, keys } = await load({ strategy: 'batch' });
    expect(report.strategy).toBe('per-patient');
    expect(report.strategyNotes).toContain(
      'The server refused a batch of searches; searching patient by patient.',
    );
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    expect(stats.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('checks comma lists with Patient?_id when counts are not available', async () => {
    const stats = serve({
      groupExport: false,
      intercept: (r) =>
        r.url.searchParams.has('_summary')
          ? Response.json(operationOutcome('not-supported', '_summary'), { status: 400 })
          : undefined,
    });
    const { report, keys } = await load();
    expect(report.strategy).toBe('multi-patient-search');
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    expect(
      stats.requests.some(
        (r) => r.resourceType === 'Patient' && r.url.searchParams.get('_elements') === 'id',
      ),
    ).toBe(true);
  });
});

describe('panel sources', () => {
  const practitioner = { practitionerId: 'pr-1' };

  it('finds my patients by general practitioner, handing the Patients on as they come', async () => {
    const stats = serve({ groupExport: false });
    const { report, keys } = await load({ source: { kind: 'my-patients', ...practitioner } });
    expect(report.source.patientsFound).toBe(5);
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    // The Patients came with the source search: no _id search or reads of Patients.
    expect(stats.requests.filter((r) => r.url.searchParams.has('_id'))).toEqual([]);
  });

  it('keeps only true matches when the server ignores general-practitioner', async () => {
    serve({
      groupExport: false,
      intercept: (r) => {
        if (!r.url.searchParams.has('general-practitioner')) return undefined;
        const everyone = panelResources().filter((x) => x.resourceType === 'Patient');
        return Response.json({
          resourceType: 'Bundle',
          type: 'searchset',
          entry: everyone.map((resource) => ({ resource, search: { mode: 'match' } })),
          link: [{ relation: 'next', url: `${fhirBase}/Patient?page=2` }],
        });
      },
    });
    const { report, keys } = await load({ source: { kind: 'my-patients', ...practitioner } });
    expect(report.source.patientsFound).toBe(5);
    expect(keys).not.toContain('Patient/p6');
    expect(report.strategyNotes.some((n) => n.includes('ignore general-practitioner'))).toBe(true);
  });

  it('finds patients seen since a date from Encounter participants', async () => {
    const stats = serve({ groupExport: false });
    const { report, keys } = await load({
      source: { kind: 'seen-by-me', ...practitioner, since: '2025-01-01' },
    });
    expect(report.source.patientsFound).toBe(5);
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    const encounterSearch = stats.requests.find((r) => r.url.searchParams.has('participant'));
    expect(encounterSearch?.url.searchParams.get('participant')).toBe('Practitioner/pr-1');
    expect(encounterSearch?.url.searchParams.get('date')).toBe('ge2025-01-01');
    // Patients loaded by one _id list.
    const idSearches = stats.requests.filter(
      (r) => r.resourceType === 'Patient' && r.url.searchParams.has('_id'),
    );
    expect(idSearches.map((r) => r.url.searchParams.get('_id'))).toContain('p1,p2,p3,p4,p5');
  });

  it('searches Encounter without _elements when the server refuses it', async () => {
    serve({
      groupExport: false,
      intercept: (r) =>
        r.url.searchParams.has('_elements') && r.resourceType === 'Encounter'
          ? Response.json(operationOutcome('not-supported', '_elements'), { status: 400 })
          : undefined,
    });
    const { report } = await load({
      source: { kind: 'seen-by-me', ...practitioner, since: '2025-01-01' },
    });
    expect(report.source.patientsFound).toBe(5);
    expect(report.strategyNotes).toContain(
      'The server refused _elements on Encounter search; searched without it.',
    );
  });

  it('reads List entries, leaving deleted ones out', async () => {
    serve({ groupExport: false });
    const { report, keys } = await load({ source: { kind: 'list', listId: 'l-1' } });
    expect(report.source.patientsFound).toBe(2);
    expect(keys).toEqual(expectedKeys(['p2', 'p3']));
  });

  it('reads Patients one by one when _id lists are refused', async () => {
    const stats = serve({ groupExport: false, idLists: 'refused' });
    const { report, keys } = await load({ source: { kind: 'list', listId: 'l-1' } });
    expect(keys).toEqual(expectedKeys(['p2', 'p3']));
    expect(report.failures).toEqual([]);
    const reads = stats.requests.filter((r) => /^\/fhir\/Patient\/p\d$/.test(r.url.pathname));
    expect(reads.map((r) => r.url.pathname).sort()).toEqual([
      '/fhir/Patient/p2',
      '/fhir/Patient/p3',
    ]);
  });

  it('pages every patient up to the cap and says it stopped there', async () => {
    serve({ groupExport: false, maxPageSize: 2 });
    const { report, keys } = await load({ source: { kind: 'all', cap: 3 } });
    expect(report.source.patientsFound).toBe(3);
    expect(report.capped).toEqual({ cap: 3 });
    expect(keys.filter((k) => k.startsWith('Patient/'))).toEqual([
      'Patient/p1',
      'Patient/p2',
      'Patient/p3',
    ]);
    expect(keys).toEqual(expectedKeys(['p1', 'p2', 'p3']));
  });

  it('is not capped when every patient fits', async () => {
    serve({ groupExport: false, maxPageSize: 2 });
    const { report } = await load({ source: { kind: 'all', cap: 50 } });
    expect(report.source.patientsFound).toBe(6);
    expect(report.capped).toBeUndefined();
  });

  it('reports a source that finds nobody, without searching for data', async () => {
    const stats = serve();
    const { report, keys } = await load({
      source: { kind: 'my-patients', practitionerId: 'pr-nobody' },
    });
    expect(report.source.patientsFound).toBe(0);
    expect(keys).toEqual([]);
    expect(report.partial).toBe(false);
    expect(report.strategyNotes).toContain(
      'The source found no patients: nothing else was loaded.',
    );
    expect(stats.requests.map((r) => r.url.pathname)).toEqual(['/fhir/metadata', '/fhir/Patient']);
    expect(report.emptySource).toEqual({
      kind: 'my-patients',
      reason: 'no-matches',
      alternatives: ['seen-by-me', 'group', 'list', 'all'],
    });
  });

  it('says the source is not supported when the server refuses general-practitioner', async () => {
    serve({
      intercept: (r) =>
        r.url.searchParams.has('general-practitioner')
          ? Response.json(operationOutcome('not-supported', 'general-practitioner'), {
              status: 400,
            })
          : undefined,
    });
    const { report, keys } = await load({ source: { kind: 'my-patients', ...practitioner } });
    expect(keys).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.emptySource).toMatchObject({ kind: 'my-patients', reason: 'not-supported' });
    expect(report.strategyNotes).toContain(
      'Patient search: the server does not support this search (400).',
    );
  });

  it('has no emptySource when the source found patients', async () => {
    serve({ groupExport: false });
    const { report } = await load();
    expect(report.emptySource).toBeUndefined();
  });

  it.each([
    [404, 'not-found'],
    [403, 'forbidden'],
  ] as const)('ends the load when the Group answers %i', async (status, kind) => {
    serve({
      intercept: (r) =>
        r.url.pathname === '/fhir/Group/g-1'
          ? Response.json(operationOutcome('x', 'no'), { status })
          : undefined,
    });
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PanelLoadError);
    expect(error).toMatchObject({ kind, status });
  });
});

describe('fetchResourcesByReference', () => {
  const options = { fhirBaseUrl: fhirBase, accessToken: () => accessToken, tuning: fastTuning };

  it('fetches each distinct reference once, in one _id list per type', async () => {
    const stats = serve();
    const result = await fetchResourcesByReference(options, [
      'Medication/med-1',
      'Medication/med-1',
      `${fhirBase}/Medication/med-2`,
      'Medication/med-3/_history/2',
      'Medication/med-2',
      '#contained-1',
    ]);
    expect(result.resources.map((r) => r.id).sort()).toEqual(['med-1', 'med-2', 'med-3']);
    expect(result.failures).toEqual([]);
    expect(stats.requests).toHaveLength(1);
    expect(stats.requests[0]?.url.searchParams.get('_id')).toBe('med-1,med-2,med-3');
  });

  it('chunks long id lists and reads what a list did not return', async () => {
    const stats = serve();
    const result = await fetchResourcesByReference({ ...options, tuning: { maxIdsPerQuery: 2 } }, [
      'Medication/med-1',
      'Medication/med-2',
      'Medication/med-3',
      'Medication/med-gone',
    ]);
    expect(result.resources.map((r) => r.id).sort()).toEqual(['med-1', 'med-2', 'med-3']);
    expect(stats.requests.map((r) => r.url.searchParams.get('_id') ?? r.url.pathname)).toEqual([
      'med-1,med-2',
      'med-3,med-gone',
      '/fhir/Medication/med-gone',
    ]);
    expect(result.failures).toEqual([
      {
        query: 'Medication/<id>',
        status: 404,
        message: 'HTTP 404 Not Found: Medication/med-gone is not known',
        resourceType: 'Medication',
      },
    ]);
  });

  it('reads one by one when the server refuses _id lists', async () => {
    const stats = serve({ idLists: 'refused' });
    const result = await fetchResourcesByReference(options, [
      'Medication/med-1',
      'Medication/med-2',
    ]);
    expect(result.resources.map((r) => r.id).sort()).toEqual(['med-1', 'med-2']);
    expect(stats.requests.map((r) => r.url.pathname).sort()).toEqual([
      '/fhir/Medication',
      '/fhir/Medication/med-1',
      '/fhir/Medication/med-2',
    ]);
  });

  it('throws session-expired on a 401', async () => {
    server.use(...panelFhirServer({ resources: panelResources() }).handlers);
    const error = await fetchResourcesByReference({ ...options, accessToken: () => 'stale' }, [
      'Medication/med-1',
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'session-expired', status: 401 });
  });
});

describe('strategy from the SMART configuration and the granted scopes', () => {
  it('skips Group $export when the SMART configuration offers no user or system scopes', async () => {
    const stats = serve({
      smartConfiguration: { scopes_supported: ['launch', 'launch/patient', 'patient/*.read'] },
    });
    const { report, keys } = await load();
    expect(report.strategy).toBe('multi-patient-search');
    expect(report.strategyNotes).toContain(
      'The SMART configuration offers no user- or system-level scopes, which Bulk Data export needs.',
    );
    expect(stats.requests.some((r) => r.url.pathname.endsWith('$export'))).toBe(false);
    expect(keys).toEqual(expectedKeys(panelPatientIds));
  });

  it('skips Group $export for a patient-level token without asking the server', async () => {
    const stats = serve();
    const { report } = await load({ grantedScopes: 'launch/patient openid patient/*.rs' });
    expect(report.strategy).toBe('multi-patient-search');
    expect(report.strategyNotes).toContain(
      'The token has no user- or system-level read scope for Patient, which Bulk Data export needs.',
    );
    expect(stats.requests.some((r) => r.url.pathname.endsWith('smart-configuration'))).toBe(false);
    expect(stats.requests.some((r) => r.url.pathname.endsWith('$export'))).toBe(false);
  });

  it.each(['user/*.rs', 'user/Patient.read user/Observation.read', 'system/*.cruds'])(
    'exports with granted scopes %s',
    async (grantedScopes) => {
      serve();
      const { report } = await load({ grantedScopes });
      expect(report.strategy).toBe('bulk-export');
    },
  );

  it('relies on the CapabilityStatement when there is no SMART configuration', async () => {
    serve({ smartConfiguration: 'missing' });
    const { report, keys } = await load();
    expect(report.strategy).toBe('bulk-export');
    expect(report.strategyNotes).toContain(
      'No readable SMART configuration: the CapabilityStatement decides alone.',
    );
    expect(keys).toEqual(expectedKeys(panelPatientIds));
  });
});

describe('paging and request counts', () => {
  it('follows opaque next links; requests are the pages plus a small constant', async () => {
    const stats = serve({ groupExport: false, maxPageSize: 3, cursors: true });
    const { report, keys } = await load();
    expect(report.strategy).toBe('multi-patient-search');
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    expect(stats.requests.some((r) => r.url.searchParams.has('_getpages'))).toBe(true);
    // Every page the server served was fetched once and counted.
    expect(report.pages).toBe(stats.searchPages);
    // metadata + the Group + three _summary=count probes: nothing else beyond the pages.
    expect(report.requests).toBe(stats.searchPages + 5);
    expect(report.requests).toBe(stats.requests.length);
  });

  it('stops where a next link loops back and says the search may be incomplete', async () => {
    const stats = serve({ groupExport: false, maxPageSize: 2, loopAfterPages: 2 });
    const { report } = await load({ strategy: 'multi-patient-search' });
    expect(report.partial).toBe(true);
    const looped = report.failures.filter((f) => f.message.startsWith('Paging looped back'));
    expect(looped.length).toBeGreaterThan(0);
    expect(looped[0]).toMatchObject({ status: undefined });
    expect(looped[0]?.query).toMatch(/^[A-Za-z]+\?patient=<5 patients>/);
    // The link back to a page already fetched was not followed: no URL was asked twice.
    const urls = stats.requests.map((r) => r.url.href);
    expect(new Set(urls).size).toBe(urls.length);
    expect(report.requests).toBe(stats.requests.length);
  });

  it('reports determinate progress: pages done never pass the known total', async () => {
    serve({ groupExport: false, maxPageSize: 2, totals: true });
    const { report, progress } = await load();
    const downloading = progress.filter((p) => p.phase === 'downloading');
    expect(downloading.length).toBeGreaterThan(0);
    for (const p of downloading) {
      expect(p.pagesTotal).toBeDefined();
      expect(p.pagesDone).toBeLessThanOrEqual(p.pagesTotal ?? -1);
      expect(p.patientsFound).toBe(5);
    }
    const last = progress.at(-1);
    expect(last).toMatchObject({ pagesDone: last?.pagesTotal, resources: report.resources });
    expect(last?.requests).toBe(report.requests);
    const requests = progress.map((p) => p.requests);
    expect(requests).toEqual([...requests].sort((a, b) => a - b));
  });
});

describe('concurrency, cancel and failures', () => {
  const everyone: PanelSource = { kind: 'all', cap: 100 };
  const everyoneIds = [
    ...panelPatientIds,
    'p6',
    ...Array.from({ length: 20 }, (_, i) => `x${i + 1}`),
  ];

  it.each([
    [1, 'per-patient'],
    [3, 'per-patient'],
    [3, 'multi-patient-search'],
    [4, 'batch'],
  ] as const)('never has more than %i requests in flight (%s)', async (bound, strategy) => {
    const stats = serve({
      resources: panelResources(20),
      groupExport: false,
      latencyMs: 5,
      maxPageSize: 4,
    });
    const { report, keys } = await load({
      source: everyone,
      strategy,
      concurrency: bound,
      tuning: { ...fastTuning, maxIdsPerQuery: 5, batchSize: 10 },
    });
    expect(keys).toEqual(expectedKeys(everyoneIds));
    expect(report.failures).toEqual([]);
    expect(stats.maxInFlight).toBeLessThanOrEqual(bound);
    // The bound is used, not just respected.
    expect(stats.maxInFlight).toBe(bound);
  });

  it('cancels on abort: throws "cancelled" and sends nothing after', async () => {
    serve({ resources: panelResources(20), groupExport: false });
    const controller = new AbortController();
    let sent = 0;
    let sentAtAbort = -1;
    const error = await load({
      source: everyone,
      strategy: 'per-patient',
      signal: controller.signal,
      fetch: (input, init) => {
        sent++;
        return globalThis.fetch(input, init);
      },
      onResources: (resources) => {
        if (sentAtAbort < 0 && resources.some((r) => r.resourceType === 'Encounter')) {
          sentAtAbort = sent;
          controller.abort();
        }
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PanelLoadError);
    expect(error).toMatchObject({ kind: 'cancelled' });
    expect(sentAtAbort).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).toBe(sentAtAbort);
  });

  it('cancels a running export and DELETEs it', async () => {
    const controller = new AbortController();
    let polls = 0;
    const stats = serve({
      exportPolls: 100,
      intercept: (r) => {
        if (r.method === 'GET' && r.url.pathname.startsWith('/bulk/status/') && ++polls === 3) {
          controller.abort();
        }
        return undefined;
      },
    });
    const error = await load({ signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'cancelled' });
    expect(stats.deleted).toHaveLength(1);
    expect(polls).toBeLessThan(6);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const stats = serve();
    const controller = new AbortController();
    controller.abort();
    const error = await load({ signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'cancelled' });
    expect(stats.requests).toEqual([]);
  });

  it('reports a failed query (query, status) while the rest loads', async () => {
    const stats = serve({
      groupExport: false,
      intercept: (r) =>
        r.resourceType === 'Condition'
          ? Response.json(operationOutcome('exception', 'Condition index for Patient/p2 down'), {
              status: 500,
            })
          : undefined,
    });
    const { report, keys } = await load({ strategy: 'multi-patient-search' });
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toMatchObject({
      query: 'Condition?patient=<5 patients>',
      status: 500,
      resourceType: 'Condition',
    });
    expect(report.failures[0]?.message).toMatch(
      /^HTTP 500.*Condition index for Patient\/<id> down$/,
    );
    expect(report.partial).toBe(true);
    expect(keys).toEqual(
      expectedKeys(panelPatientIds).filter((key) => !key.startsWith('Condition/')),
    );
    // One try and three retries (maxRetries), then on with the rest.
    expect(stats.requests.filter((r) => r.resourceType === 'Condition')).toHaveLength(4);
  });

  it('waits out a 429 with Retry-After and loses nothing', async () => {
    let throttled = 0;
    serve({
      groupExport: false,
      intercept: (r) =>
        r.resourceType === 'Encounter' && throttled++ === 0
          ? new Response(null, { status: 429, headers: { 'Retry-After': '0' } })
          : undefined,
    });
    const { report, keys } = await load({ strategy: 'multi-patient-search' });
    expect(report.failures).toEqual([]);
    expect(keys).toEqual(expectedKeys(panelPatientIds));
    expect(throttled).toBeGreaterThan(1);
  });

  it('records a 403 on a type once and sends no more searches of it', async () => {
    const stats = serve({
      groupExport: false,
      intercept: (r) =>
        r.resourceType === 'MedicationRequest'
          ? Response.json(operationOutcome('forbidden', 'scope'), { status: 403 })
          : undefined,
    });
    const { report, keys } = await load({ strategy: 'per-patient', concurrency: 1 });
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toMatchObject({
      query: 'MedicationRequest?patient=<1 patient>&_include=MedicationRequest:medication',
      status: 403,
      resourceType: 'MedicationRequest',
    });
    expect(report.failures[0]?.message).toContain(
      'no further MedicationRequest searches were sent',
    );
    expect(stats.requests.filter((r) => r.resourceType === 'MedicationRequest')).toHaveLength(1);
    expect(keys.filter((k) => k.startsWith('Encounter/'))).toHaveLength(10);
  });

  it('does not ask for a type the CapabilityStatement does not list', async () => {
    const stats = serve({ groupExport: false });
    const { report, keys } = await load({
      plan: { queries: [...panelPlan.queries, { resourceType: 'DeviceRequest' }] },
    });
    expect(report.strategyNotes).toContain(
      'The CapabilityStatement lists no DeviceRequest: not asked for (the server has none).',
    );
    expect(report.failures).toEqual([]);
    expect(stats.requests.some((r) => r.resourceType === 'DeviceRequest')).toBe(false);
    expect(keys).toEqual(expectedKeys(panelPatientIds));
  });

  it('records a 404 on a type search once, not once per patient', async () => {
    const stats = serve({
      groupExport: false,
      intercept: (r) =>
        r.resourceType === 'Condition'
          ? Response.json(operationOutcome('not-supported', 'Unknown resource type'), {
              status: 404,
            })
          : undefined,
    });
    const { report } = await load({ strategy: 'per-patient', concurrency: 1 });
    expect(report.failures.map((f) => [f.resourceType, f.status])).toEqual([['Condition', 404]]);
    expect(stats.requests.filter((r) => r.resourceType === 'Condition')).toHaveLength(1);
  });

  it('ends the load with session-expired on a 401 mid-load, sending nothing after', async () => {
    let sent = 0;
    let sentAt401 = -1;
    serve({
      groupExport: false,
      intercept: (r) => {
        if (r.resourceType !== 'Observation') return undefined;
        if (sentAt401 < 0) sentAt401 = sent;
        return Response.json(operationOutcome('login', 'expired'), { status: 401 });
      },
    });
    const error = await load({
      strategy: 'per-patient',
      concurrency: 1,
      fetch: (input, init) => {
        sent++;
        return globalThis.fetch(input, init);
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PanelLoadError);
    expect(error).toMatchObject({ kind: 'session-expired', status: 401 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).toBe(sentAt401);
  });

  it('uses a token refreshed mid-load from the next request on', async () => {
    let token = accessToken;
    const stats = serve({ groupExport: false });
    const seen: string[] = [];
    await load({
      accessToken: () => token,
      onResources: (resources) => {
        seen.push(...resources.map((r) => r.resourceType));
        token = 'panel-token-2';
      },
    }).catch(() => undefined);
    // The server knows only the first token: the first request after the switch is refused.
    const afterSwitch = stats.requests.filter((r) => r.authorization === 'Bearer panel-token-2');
    expect(afterSwitch.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
  });
});

describe('the access token and patient ids stay out of URLs, reports and progress', () => {
  it('sends the token only in the Authorization header', async () => {
    const stats = serve({
      groupExport: false,
      intercept: (r) =>
        r.resourceType === 'Condition'
          ? Response.json(operationOutcome('exception', `failed for ${r.url.search}`), {
              status: 500,
            })
          : undefined,
    });
    const { report, progress } = await load({ tuning: { ...fastTuning, maxRetries: 0 } });
    expect(stats.requests.length).toBeGreaterThan(0);
    for (const request of stats.requests) {
      expect(request.url.href).not.toContain(accessToken);
    }
    const published = JSON.stringify({ report, progress });
    expect(published).not.toContain(accessToken);
    expect(published).not.toMatch(/\bp[1-6]\b/);
    expect(report.failures).toHaveLength(1);
  });
});

describe('MedicationRequest.medicationReference reaches the record builder as a code', () => {
  const metformin = `${rxnorm}|860975`;
  const lisinopril = `${rxnorm}|314076`;

  async function build(options: Partial<PanelLoadOptions>, fetchMissing: boolean) {
    const builder = createPatientRecordBuilder();
    const report = await loadPanel({
      fhirBaseUrl: fhirBase,
      accessToken: () => accessToken,
      source: group,
      plan: panelPlan,
      tuning: fastTuning,
      onResources: (resources) => builder.add(resources),
      ...options,
    });
    const unresolved = builder.unresolvedMedicationReferences();
    if (fetchMissing && unresolved.length > 0) {
      const fetched = await fetchResourcesByReference(
        { fhirBaseUrl: fhirBase, accessToken: () => accessToken, tuning: fastTuning },
        unresolved,
      );
      builder.add(fetched.resources);
    }
    const records = new Map(builder.build().map((record) => [record.id, record]));
    const medication = (id: string) => records.get(id)?.medicationRequests[0];
    return { report, unresolved, medication };
  }

  it('takes Medications from the same search Bundle (_include) and contained #ids', async () => {
    const stats = serve({ groupExport: false });
    const { unresolved, medication } = await build({}, false);
    expect(unresolved).toEqual([]);
    expect(medication('p1')).toMatchObject({ codes: [metformin], medicationSource: 'referenced' });
    expect(medication('p5')).toMatchObject({ codes: [metformin], medicationSource: 'referenced' });
    expect(medication('p4')).toMatchObject({ codes: [lisinopril], medicationSource: 'contained' });
    expect(stats.requests.some((r) => r.resourceType === 'Medication')).toBe(false);
    const search = stats.requests.find(
      (r) => r.resourceType === 'MedicationRequest' && !r.url.searchParams.has('_summary'),
    );
    expect(search?.url.searchParams.get('_include')).toBe('MedicationRequest:medication');
  });

  it('takes Medications from the export', async () => {
    serve();
    const { report, unresolved, medication } = await build({}, false);
    expect(report.strategy).toBe('bulk-export');
    expect(unresolved).toEqual([]);
    expect(medication('p2')).toMatchObject({
      codes: [`${rxnorm}|310798`],
      medicationSource: 'referenced',
    });
  });

  it('fetches each distinct Medication once when the server has no _include', async () => {
    const stats = serve({ groupExport: false, includes: false });
    const { unresolved, medication } = await build({}, true);
    expect([...unresolved].sort()).toEqual(['Medication/med-1', 'Medication/med-2']);
    expect(medication('p1')).toMatchObject({ codes: [metformin], medicationSource: 'referenced' });
    expect(medication('p5')).toMatchObject({ codes: [metformin], medicationSource: 'referenced' });
    expect(medication('p2')).toMatchObject({ codes: [`${rxnorm}|310798`] });
    const fetches = stats.requests.filter((r) => r.resourceType === 'Medication');
    expect(fetches).toHaveLength(1);
    expect(fetches[0]?.url.searchParams.get('_id')?.split(',').sort()).toEqual(['med-1', 'med-2']);
    expect(stats.requests.some((r) => r.url.searchParams.has('_include'))).toBe(false);
  });
});
