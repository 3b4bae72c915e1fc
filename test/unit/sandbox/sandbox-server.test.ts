// The sandbox over HTTP on loopback: Bulk Data Group/$export (kick-off, polling, NDJSON files,
// _type/_typeFilter, the access token), the command-line switches that turn rungs off, the
// launcher's social-needs patients and read-only launch, and the community organization page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s256Challenge } from '../../../sandbox/auth/tokens';
import { parseSandboxArgs } from '../../../sandbox/cli-options';
import { startSandbox, type RunningSandbox } from '../../../sandbox/server';

const APP = 'http://127.0.0.1:4799/';
const VERIFIER = 'x'.repeat(50);

function token(sandbox: RunningSandbox, scope: string, readOnly = false): string {
  const launch = sandbox.auth.createLaunch({
    practitionerId: 'prac-001',
    patientId: undefined,
    encounterId: undefined,
    needPatientBanner: true,
    readOnly,
  });
  const outcome = sandbox.auth.authorize(
    new URLSearchParams({
      response_type: 'code',
      client_id: 'equity-lens',
      redirect_uri: APP,
      scope: `launch openid fhirUser ${scope}`,
      state: 's',
      aud: sandbox.fhirBaseUrl,
      code_challenge: s256Challenge(VERIFIER),
      code_challenge_method: 'S256',
      launch,
    }),
  );
  if (outcome.kind !== 'redirect') throw new Error(outcome.kind);
  const code = new URL(outcome.location).searchParams.get('code') ?? '';
  const result = sandbox.auth.token(
    new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: APP,
      client_id: 'equity-lens',
      code_verifier: VERIFIER,
    }),
  );
  const body = result.body as { access_token?: string; scope?: string };
  if (!body.access_token) throw new Error(JSON.stringify(result.body));
  return readOnly ? (body.scope ?? '') : body.access_token;
}

describe('Bulk Data Group/$export over HTTP', () => {
  let sandbox: RunningSandbox;
  let bearer: string;
  let groupId: string;
  let members: Set<string>;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      patients: 40,
      seed: 3,
      today: '2026-06-30',
      appUrl: APP,
      exportPollsBeforeReady: 1,
    });
    bearer = token(sandbox, 'user/*.rs');
    const group = [...sandbox.store.entries('Group')][0]?.resource as fhir4.Group;
    groupId = group.id ?? '';
    members = new Set(group.member?.map((m) => m.entity.reference?.replace('Patient/', '') ?? ''));
  }, 60_000);
  afterAll(() => sandbox.close());

  const kickOff = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${sandbox.fhirBaseUrl}/Group/${groupId}/$export${query}`, {
      headers: {
        accept: 'application/fhir+json',
        prefer: 'respond-async',
        authorization: `Bearer ${bearer}`,
        ...headers,
      },
    });

  async function manifestOf(response: Response): Promise<{
    output: { type: string; url: string; count: number }[];
    requiresAccessToken: boolean;
  }> {
    expect(response.status).toBe(202);
    const status = response.headers.get('content-location') ?? '';
    expect(status).toContain('$export-status/');
    const auth = { authorization: `Bearer ${bearer}` };
    const first = await fetch(status, { headers: auth });
    expect(first.status).toBe(202);
    expect(first.headers.get('retry-after')).toBe('1');
    const done = await fetch(status, { headers: auth });
    expect(done.status).toBe(200);
    return (await done.json()) as Awaited<ReturnType<typeof manifestOf>>;
  }

  async function lines(url: string): Promise<fhir4.Resource[]> {
    const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+ndjson');
    const text = await response.text();
    return text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as fhir4.Resource);
  }

  it('exports the group members and their data as NDJSON after polling', async () => {
    const manifest = await manifestOf(
      await kickOff('?_type=Patient,Observation,MedicationRequest,Medication'),
    );
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.output.map((o) => o.type)).toEqual(
      expect.arrayContaining(['Patient', 'Observation']),
    );
    const patients = await lines(manifest.output.find((o) => o.type === 'Patient')?.url ?? '');
    expect(new Set(patients.map((p) => p.id))).toEqual(members);
    const observations = await lines(
      manifest.output.find((o) => o.type === 'Observation')?.url ?? '',
    );
    for (const o of observations as fhir4.Observation[]) {
      expect(members.has(o.subject?.reference?.replace('Patient/', '') ?? '')).toBe(true);
    }
    expect(observations.length).toBe(manifest.output.find((o) => o.type === 'Observation')?.count);
  });

  it('narrows a type by _typeFilter', async () => {
    const filter = encodeURIComponent('Observation?code=http://loinc.org|4548-4');
    const manifest = await manifestOf(await kickOff(`?_type=Observation&_typeFilter=${filter}`));
    const files = manifest.output.filter((o) => o.type === 'Observation');
    for (const file of files) {
      for (const o of (await lines(file.url)) as fhir4.Observation[]) {
        expect(o.code.coding?.some((c) => c.code === '4548-4')).toBe(true);
      }
    }
  });

  it('needs the access token for kick-off, status and files, and Prefer: respond-async', async () => {
    const anonymous = await fetch(`${sandbox.fhirBaseUrl}/Group/${groupId}/$export`, {
      headers: { accept: 'application/fhir+json', prefer: 'respond-async' },
    });
    expect(anonymous.status).toBe(401);
    expect((await kickOff('', { prefer: '' })).status).toBe(400);
    const started = await kickOff('?_type=Patient');
    const status = started.headers.get('content-location') ?? '';
    expect((await fetch(status)).status).toBe(401);
    const manifest = await manifestOf(await kickOff('?_type=Patient'));
    expect((await fetch(manifest.output[0]?.url ?? '')).status).toBe(401);
  });

  it('forgets a job when its status URL is deleted', async () => {
    const started = await kickOff('?_type=Patient');
    const status = started.headers.get('content-location') ?? '';
    const auth = { authorization: `Bearer ${bearer}` };
    expect((await fetch(status, { method: 'DELETE', headers: auth })).status).toBe(202);
    expect((await fetch(status, { headers: auth })).status).toBe(404);
  });

  it('is advertised in the CapabilityStatement', async () => {
    const cs = (await (
      await fetch(`${sandbox.fhirBaseUrl}/metadata`)
    ).json()) as fhir4.CapabilityStatement;
    const group = cs.rest?.[0]?.resource?.find((r) => r.type === 'Group');
    expect(group?.operation?.map((o) => o.name)).toEqual(['export']);
    expect(cs.instantiates).toContain(
      'http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data',
    );
  });

  it('searches comma lists of patients and Encounters by participant', async () => {
    const [a, b] = [...members];
    const auth = { authorization: `Bearer ${bearer}` };
    const both = (await (
      await fetch(`${sandbox.fhirBaseUrl}/Encounter?patient=${a ?? ''},${b ?? ''}&_count=1000`, {
        headers: auth,
      })
    ).json()) as fhir4.Bundle;
    const subjects = new Set(
      both.entry?.map((e) => (e.resource as fhir4.Encounter).subject?.reference),
    );
    expect(subjects).toEqual(new Set([`Patient/${a ?? ''}`, `Patient/${b ?? ''}`]));
    const seen = (await (
      await fetch(
        `${sandbox.fhirBaseUrl}/Encounter?participant=Practitioner/prac-001&_count=1000`,
        {
          headers: auth,
        },
      )
    ).json()) as fhir4.Bundle;
    expect(seen.entry?.length).toBeGreaterThan(0);
    for (const e of seen.entry ?? []) {
      const encounter = e.resource as fhir4.Encounter;
      expect(
        encounter.participant?.some((p) => p.individual?.reference === 'Practitioner/prac-001'),
      ).toBe(true);
    }
  });
});

describe('rungs switched off from the command line', () => {
  it('parses --no-export, --no-reference-lists, --no-batch, --no-transaction and --dev', () => {
    const on = parseSandboxArgs([]);
    expect(on.features).toEqual({
      bulkExport: true,
      referenceLists: true,
      batch: true,
      transaction: true,
    });
    expect(on.dev).toBe(false);
    const off = parseSandboxArgs([
      '--no-export',
      '--no-reference-lists',
      '--no-batch',
      '--no-transaction',
      '--dev',
    ]);
    expect(off.features).toEqual({
      bulkExport: false,
      referenceLists: false,
      batch: false,
      transaction: false,
    });
    expect(off.dev).toBe(true);
  });

  it('a sandbox started with them refuses $export, comma lists and batch', async () => {
    const options = parseSandboxArgs([
      '--no-export',
      '--no-reference-lists',
      '--no-batch',
      '--port',
      '0',
      '--patients',
      '12',
    ]);
    const sandbox = await startSandbox({ ...options, today: '2026-06-30', appUrl: APP });
    try {
      const bearer = token(sandbox, 'user/*.rs');
      const headers = {
        accept: 'application/fhir+json',
        prefer: 'respond-async',
        authorization: `Bearer ${bearer}`,
      };
      const group = [...sandbox.store.entries('Group')][0]?.resource.id ?? '';
      const exported = await fetch(`${sandbox.fhirBaseUrl}/Group/${group}/$export`, { headers });
      expect(exported.status).toBe(400);
      const outcome = (await exported.json()) as fhir4.OperationOutcome;
      expect(outcome.issue[0]?.code).toBe('not-supported');
      const list = await fetch(`${sandbox.fhirBaseUrl}/Observation?patient=a,b`, { headers });
      expect(list.status).toBe(400);
      const batch = await fetch(`${sandbox.fhirBaseUrl}/`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/fhir+json' },
        body: JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [] }),
      });
      expect(batch.status).toBe(400);
      const cs = (await (
        await fetch(`${sandbox.fhirBaseUrl}/metadata`)
      ).json()) as fhir4.CapabilityStatement;
      expect(cs.rest?.[0]?.interaction?.map((i) => i.code)).toEqual(['transaction']);
    } finally {
      await sandbox.close();
    }
  }, 60_000);
});

describe('launcher and community organization page', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      patients: 300,
      seed: 1,
      today: '2026-06-30',
      appUrl: APP,
    });
  }, 120_000);
  afterAll(() => sandbox.close());

  it('shows a patient for each social-needs state, the read-only option and the community page link', async () => {
    const html = await (await fetch(sandbox.url)).text();
    for (const label of [
      'Positive food screen, no referral',
      'Positive screen, patient declined help',
      'Referral open',
      'Referral closed unsuccessfully',
      'Referral completed',
      'Declined to answer the screen',
      'Last screen older than 12 months',
      'Screened negative',
      'Not screened',
    ]) {
      expect(html, label).toContain(label);
    }
    // The labels the browser tests use are still there.
    for (const label of ['Launch with patient', 'Launch without a patient (panel)']) {
      expect(html).toContain(label);
    }
    expect(html).toContain('id="read-only"');
    expect(html).toContain('href="/community"');
  });

  it('a read-only launch grants no write scope', () => {
    const scope = token(sandbox, 'user/*.rs user/Task.cu user/ServiceRequest.c patient/*.*', true);
    expect(scope).toContain('user/*.rs');
    expect(scope).not.toMatch(/\.(c|cu|\*|write)\b/);
  });

  it('accepts, rejects with a reason and completes a Task with an outcome, writing to the store', async () => {
    const open = [...sandbox.store.entries('Task')]
      .map((e) => e.resource as fhir4.Task)
      .filter((t) => t.status === 'requested' || t.status === 'on-hold');
    expect(open.length).toBeGreaterThanOrEqual(2);
    const [first, second] = open as [fhir4.Task, fhir4.Task];
    const org = (t: fhir4.Task) => t.owner?.reference?.replace('Organization/', '') ?? '';
    const page = await (await fetch(`${sandbox.url}community?organization=${org(first)}`)).text();
    expect(page).toContain(`data-task="${first.id ?? ''}"`);

    const act = (t: fhir4.Task, form: Record<string, string>) =>
      fetch(`${sandbox.url}community`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ organization: org(t), task: t.id ?? '', ...form }).toString(),
      });
    expect((await act(first, { action: 'reject', reason: '' })).status).toBe(400);
    expect((await act(first, { action: 'accept' })).status).toBe(200);
    expect((sandbox.store.get('Task', first.id ?? '') as fhir4.Task).status).toBe('accepted');
    expect(
      (await act(first, { action: 'complete', outcome: 'Enrolled in food pantry' })).status,
    ).toBe(200);
    const done = sandbox.store.get('Task', first.id ?? '') as fhir4.Task;
    expect(done.status).toBe('completed');
    const procedureRef = done.output?.[0]?.valueReference?.reference ?? '';
    const procedure = sandbox.store.get(
      'Procedure',
      procedureRef.replace('Procedure/', ''),
    ) as fhir4.Procedure;
    expect(procedure.status).toBe('completed');
    expect(procedure.basedOn?.[0]?.reference).toBe(first.focus?.reference);
    expect(done.meta?.versionId).toBe('3');

    expect((await act(second, { action: 'reject', reason: 'Program at capacity' })).status).toBe(
      200,
    );
    const rejected = sandbox.store.get('Task', second.id ?? '') as fhir4.Task;
    expect(rejected.status).toBe('rejected');
    expect(rejected.statusReason?.text).toBe('Program at capacity');
    // Closed Tasks take no more actions.
    expect((await act(second, { action: 'accept' })).status).toBe(409);
  });
});
