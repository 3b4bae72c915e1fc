// The sandbox EHR as one HTTP server: launcher pages (the EHR's side), the SMART authorization
// server under /auth, and the FHIR R4 API under /fhir, all on 127.0.0.1. Used by `npm start`, the
// browser tests and the benchmarks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthorizationServer } from './auth/authorization-server';
import { fullAccess, type FhirResponse } from './fhir/access';
import { createFhirApi, type FhirFeatures } from './fhir/api';
import { BulkExports, exportRoute } from './fhir/bulk-export';
import { loadFolder, type LoadReport } from './fhir/load';
import { FhirStore } from './fhir/store';
import { generatePopulation } from './generate/population';
import {
  actOnTask,
  communityOrganizations,
  ownedTasks,
  type TaskAction,
} from './launcher/community';
import { communityPage, errorPage, launcherPage, loginPage } from './launcher/pages';
import { showcasePatients, type ShowcasePatient } from './launcher/showcase';

export const SANDBOX_CLIENT_ID = 'equity-lens';

export interface SandboxOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Synthetic patients to generate (0 for none). */
  patients?: number;
  seed?: number;
  /** The sandbox's "today" (YYYY-MM-DD) for generated data; defaults to the real date. */
  today?: string;
  /** Folders of FHIR Bundles / NDJSON to load as well. */
  dataDirs?: string[];
  /** The app's base URL (its root is the redirect URI; `launch/` below it the launch URL). */
  appUrl?: string;
  accessTokenLifetimeSeconds?: number;
  /**
   * Server capabilities, each on by default; switching one off stands in for a less capable EHR
   * (`--no-export`, `--no-reference-lists`, `--no-batch`).
   */
  features?: FhirFeatures;
  /** Bulk export status polls answered 202 before the manifest (default 1). */
  exportPollsBeforeReady?: number;
  /** Request log sink; no query strings or bodies are ever logged (they may carry PHI). */
  log?: (line: string) => void;
}

export interface RunningSandbox {
  /** Origin with a trailing slash, e.g. http://127.0.0.1:4010/ (the launcher page). */
  url: string;
  fhirBaseUrl: string;
  auth: AuthorizationServer;
  store: FhirStore;
  loadReports: { folder: string; report: LoadReport }[];
  /** Registers the app's base URL as a redirect URI and makes it the launcher's default. */
  registerApp(appUrl: string): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const store = new FhirStore();
  const loadReports: { folder: string; report: LoadReport }[] = [];
  const patients = options.patients ?? 100;
  if (patients > 0) {
    const today = options.today ?? new Date().toISOString().slice(0, 10);
    const population = generatePopulation({ seed: options.seed ?? 1, patients, today });
    for (const resource of population.resources) store.add(resource);
  }
  for (const folder of options.dataDirs ?? []) {
    loadReports.push({ folder, report: await loadFolder(store, folder) });
  }

  // The handler is installed once the port (and so every absolute URL) is known.
  let handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> = () =>
    Promise.resolve();
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      options.log?.(`500 ${req.method ?? ''} ${maskIds(pathOnly(req.url))}: ${String(error)}`);
      if (!res.headersSent)
        sendJson(res, 500, operationOutcome('exception', 'Internal server error.'));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4010, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  const fhirBaseUrl = `${origin}/fhir`;
  const api = createFhirApi(store, {
    baseUrl: fhirBaseUrl,
    oauth: { authorize: `${origin}/auth/authorize`, token: `${origin}/auth/token` },
    ...(options.features ? { features: options.features } : {}),
  });
  const exportsOn = options.features?.bulkExport !== false;
  const exports = new BulkExports(store, api, {
    baseUrl: fhirBaseUrl,
    ...(options.exportPollsBeforeReady !== undefined
      ? { pollsBeforeReady: options.exportPollsBeforeReady }
      : {}),
  });
  const fhirGet = (path: string, query: Record<string, string> = {}) =>
    api.handle(
      { method: 'GET', path, query: new URLSearchParams(query), body: undefined },
      fullAccess,
    );
  const auth = new AuthorizationServer({
    fhirBaseUrl,
    authorizeUrl: `${origin}/auth/authorize`,
    tokenUrl: `${origin}/auth/token`,
    jwksUrl: `${origin}/auth/jwks`,
    clients: [{ clientId: SANDBOX_CLIENT_ID, redirectUris: [] }],
    directory: {
      practitionerExists: (id) => isSafeId(id) && fhirGet(`/Practitioner/${id}`).status === 200,
      patientExists: (id) => isSafeId(id) && fhirGet(`/Patient/${id}`).status === 200,
    },
    ...(options.accessTokenLifetimeSeconds
      ? { accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds }
      : {}),
  });
  // Found once, after loading: the store only changes through the app and the community page,
  // and a patient keeps its place in the list for the session.
  const showcase: ShowcasePatient[] = showcasePatients(
    store,
    options.today ? new Date(`${options.today}T23:59:59Z`) : new Date(),
  );
  let appLaunchUrl = '';
  const registerApp = (appUrl: string) => {
    const base = new URL(appUrl);
    base.pathname = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    auth.registerRedirectUri(SANDBOX_CLIENT_ID, base.toString());
    appLaunchUrl = new URL('launch/', base).toString();
  };
  if (options.appUrl) registerApp(options.appUrl);

  const practitioners = () => {
    const bundle = fhirGet('/Practitioner', { _count: '1000' }).body as fhir4.Bundle;
    return (bundle.entry ?? [])
      .map((e) => e.resource as fhir4.Practitioner)
      .map((p) => ({ id: p.id ?? '', name: humanName(p.name) }));
  };

  handler = async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const path = url.pathname;
    res.on('finish', () => options.log?.(`${res.statusCode} ${method} ${maskIds(path)}`));

    if (path === '/' && method === 'GET') {
      const count = fhirGet('/Patient', { _summary: 'count' }).body as fhir4.Bundle;
      return sendHtml(
        res,
        200,
        launcherPage({
          fhirBaseUrl,
          appLaunchUrl,
          practitioners: practitioners(),
          patientCount: count.total ?? 0,
          showcase,
        }),
      );
    }
    if (path === '/launcher/api/patients' && method === 'GET') {
      return sendJson(res, 200, searchPatients(fhirGet, url.searchParams));
    }
    if (path === '/launcher/api/launch' && method === 'POST') {
      const body = await readJson(req);
      return handleCreateLaunch(res, body);
    }
    if (path === '/launcher/api/expire-tokens' && method === 'POST') {
      auth.expireAllAccessTokens();
      return sendJson(res, 200, { expired: true });
    }
    if (path === '/community' && method === 'GET') {
      return sendCommunityPage(res, url.searchParams.get('organization') ?? undefined);
    }
    if (path === '/community' && method === 'POST') {
      const form = new URLSearchParams(await readText(req));
      const organization = form.get('organization') ?? '';
      const task = form.get('task') ?? '';
      const kind = form.get('action');
      const action: TaskAction | undefined =
        kind === 'accept'
          ? { kind }
          : kind === 'reject'
            ? { kind, reason: form.get('reason') ?? '' }
            : kind === 'complete'
              ? { kind, outcome: form.get('outcome') ?? '' }
              : undefined;
      if (!action || !isSafeId(organization) || !isSafeId(task)) {
        return sendCommunityPage(
          res,
          organization || undefined,
          {
            text: 'The form was incomplete.',
            error: true,
          },
          400,
        );
      }
      const result = actOnTask(api, organization, task, action, new Date());
      return sendCommunityPage(
        res,
        organization,
        result.ok
          ? { text: `Task ${task} is now ${result.task.status}.`, error: false }
          : { text: result.error, error: true },
        result.ok ? 200 : result.status,
      );
    }
    if (path.startsWith('/auth/')) return handleAuth(req, res, url);
    if (path === '/fhir' || path.startsWith('/fhir/')) return handleFhir(req, res, url);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    return sendJson(res, 404, operationOutcome('not-found', `No route for ${path}.`));
  };

  function sendCommunityPage(
    res: ServerResponse,
    requested: string | undefined,
    message?: { text: string; error: boolean },
    status = 200,
  ): void {
    const organizations = communityOrganizations(api);
    const selected =
      organizations.find((o) => o.id === requested)?.id ?? organizations[0]?.id ?? undefined;
    return sendHtml(
      res,
      status,
      communityPage({
        organizations,
        selected,
        tasks: selected === undefined ? [] : ownedTasks(api, selected),
        ...(message ? { message } : {}),
      }),
    );
  }

  function handleCreateLaunch(res: ServerResponse, body: unknown): void {
    if (!isRecord(body)) return sendJson(res, 400, { error: 'Expected a JSON object.' });
    const practitionerId = typeof body.practitionerId === 'string' ? body.practitionerId : '';
    const patientId =
      typeof body.patientId === 'string' && body.patientId ? body.patientId : undefined;
    const target = typeof body.appLaunchUrl === 'string' ? body.appLaunchUrl : '';
    let launchUrl: URL;
    try {
      launchUrl = new URL(target);
      if (launchUrl.protocol !== 'http:' && launchUrl.protocol !== 'https:') throw new Error();
    } catch {
      return sendJson(res, 400, { error: 'The app launch URL must be an http(s) URL.' });
    }
    if (!auth.registeredClients().some((c) => c.redirectUris.length > 0)) {
      return sendJson(res, 400, { error: 'No app is registered with this sandbox.' });
    }
    if (!isSafeId(practitionerId) || fhirGet(`/Practitioner/${practitionerId}`).status !== 200) {
      return sendJson(res, 400, { error: 'Choose a practitioner.' });
    }
    if (patientId && (!isSafeId(patientId) || fhirGet(`/Patient/${patientId}`).status !== 200)) {
      return sendJson(res, 400, { error: `Unknown patient "${patientId}".` });
    }
    // An EHR launched from inside a visit passes that encounter (SMART `encounter` context).
    const encounterId =
      patientId && body.encounter === 'latest' ? latestEncounterId(patientId) : undefined;
    const handle = auth.createLaunch({
      practitionerId,
      patientId,
      encounterId,
      needPatientBanner: body.needPatientBanner !== false,
      readOnly: body.readOnly === true,
    });
    launchUrl.searchParams.set('iss', fhirBaseUrl);
    launchUrl.searchParams.set('launch', handle);
    return sendJson(res, 200, { launchUrl: launchUrl.toString() });
  }

  function latestEncounterId(patientId: string): string | undefined {
    const response = fhirGet('/Encounter', { patient: patientId, _sort: '-date', _count: '1' });
    const bundle = response.body as fhir4.Bundle;
    return response.status === 200 ? bundle.entry?.[0]?.resource?.id : undefined;
  }

  async function handleAuth(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') return preflight(req, res);
    if (url.pathname === '/auth/authorize' && method === 'GET') {
      return sendAuthorizeOutcome(res, auth.authorize(url.searchParams));
    }
    if (url.pathname === '/auth/authorize/decision' && method === 'POST') {
      const form = new URLSearchParams(await readText(req));
      return sendAuthorizeOutcome(
        res,
        auth.decide(form.get('pending') ?? '', {
          approve: form.get('action') === 'approve',
          practitionerId: form.get('practitioner') ?? '',
          patientId: form.get('patient') ?? undefined,
        }),
      );
    }
    if (url.pathname === '/auth/token' && method === 'POST') {
      cors(req, res);
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith('application/x-www-form-urlencoded')) {
        return sendJson(res, 400, {
          error: 'invalid_request',
          error_description: 'The token request must be application/x-www-form-urlencoded.',
        });
      }
      const result = auth.token(new URLSearchParams(await readText(req)));
      for (const [k, v] of Object.entries(result.headers)) res.setHeader(k, v);
      return sendJson(res, result.status, result.body);
    }
    if (url.pathname === '/auth/jwks' && method === 'GET') {
      cors(req, res);
      return sendJson(res, 200, auth.jwks());
    }
    return sendJson(res, 404, { error: 'not_found' });
  }

  function sendAuthorizeOutcome(
    res: ServerResponse,
    outcome: ReturnType<AuthorizationServer['authorize']>,
  ): void {
    switch (outcome.kind) {
      case 'error-page':
        return sendHtml(res, outcome.status, errorPage(outcome.message));
      case 'redirect':
        res.writeHead(302, { Location: outcome.location, 'Cache-Control': 'no-store' }).end();
        return;
      case 'login':
        return sendHtml(
          res,
          200,
          loginPage({ pending: outcome.pending, practitioners: practitioners() }),
        );
    }
  }

  async function handleFhir(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') return preflight(req, res);
    cors(req, res);
    const path = url.pathname.slice('/fhir'.length) || '/';
    if (path === '/.well-known/smart-configuration' && method === 'GET') {
      return sendJson(res, 200, auth.smartConfiguration());
    }
    if (path === '/metadata' && method === 'GET') {
      return sendFhir(res, { status: 200, body: api.capabilityStatement() });
    }
    const authn = auth.authenticate(req.headers.authorization);
    if (!authn.ok) {
      res.setHeader(
        'WWW-Authenticate',
        // RFC 6750 §3: quoted-string values; header values must be visible ASCII.
        `Bearer realm="${fhirBaseUrl}", error="${authn.error}", error_description="${asciiQuoted(authn.description)}"`,
      );
      return sendFhir(res, { status: 401, body: operationOutcome('login', authn.description) });
    }
    let body: unknown;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      const type = req.headers['content-type'] ?? '';
      const text = await readText(req);
      if (type.startsWith('application/x-www-form-urlencoded')) {
        // POST [type]/_search: the form body carries the search parameters.
        const form = new URLSearchParams(text);
        for (const [k, v] of form) url.searchParams.append(k, v);
      } else {
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          return sendFhir(res, {
            status: 400,
            body: operationOutcome('invalid', 'The request body is not valid JSON.'),
          });
        }
      }
    }
    const route = exportsOn ? exportRoute(path) : undefined;
    if (route?.kind === 'kick-off') {
      return sendFhir(
        res,
        exports.kickOff(
          route.level,
          {
            method,
            query: url.searchParams,
            accept: header(req, 'accept'),
            prefer: header(req, 'prefer'),
            url: url.toString(),
          },
          authn.access,
        ),
      );
    }
    if (route?.kind === 'status') {
      const response = exports.statusRequest(method, route.jobId);
      if (response.status === 200) return sendJson(res, 200, response.body, response.headers);
      return sendFhir(res, response);
    }
    if (route?.kind === 'file') {
      if (method !== 'GET') {
        return sendFhir(res, {
          status: 405,
          body: operationOutcome('not-supported', `${method} is not supported on an export file`),
        });
      }
      const file = exports.file(route.jobId, route.fileName, authn.access);
      if (file.kind === 'error') return sendFhir(res, file.response);
      return sendNdjson(res, file.resources);
    }
    const headers: Record<string, string> = {};
    for (const name of ['if-none-exist', 'if-match', 'prefer']) {
      const value = header(req, name);
      if (value !== undefined) headers[name] = value;
    }
    return sendFhir(
      res,
      api.handle({ method, path, query: url.searchParams, body, headers }, authn.access),
    );
  }

  return {
    url: `${origin}/`,
    fhirBaseUrl,
    auth,
    store,
    loadReports,
    registerApp,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function searchPatients(
  fhirGet: (path: string, query?: Record<string, string>) => FhirResponse,
  params: URLSearchParams,
): { total: number; patients: PatientSummary[] } {
  const q = (params.get('q') ?? '').trim();
  const practitioner = params.get('practitioner') ?? '';
  const query: Record<string, string> = { _count: '25', _sort: 'family' };
  if (practitioner && isSafeId(practitioner)) {
    query['general-practitioner'] = `Practitioner/${practitioner}`;
  }
  const run = (extra: Record<string, string>) => {
    const response = fhirGet('/Patient', { ...query, ...extra });
    return response.status === 200 ? (response.body as fhir4.Bundle) : undefined;
  };
  // A search box in an EHR accepts a name, an MRN or an id: try each, first hit wins.
  const attempts: Record<string, string>[] = q
    ? [{ name: q }, { identifier: q }, ...(isSafeId(q) ? [{ _id: q }] : [])]
    : [{}];
  for (const attempt of attempts) {
    const bundle = run(attempt);
    if (bundle && (bundle.total ?? bundle.entry?.length ?? 0) > 0) {
      return {
        total: bundle.total ?? bundle.entry?.length ?? 0,
        patients: (bundle.entry ?? []).map((e) => summarisePatient(e.resource as fhir4.Patient)),
      };
    }
  }
  return { total: 0, patients: [] };
}

interface PatientSummary {
  id: string;
  name: string;
  birthDate: string | undefined;
  gender: string | undefined;
  mrn: string | undefined;
  deceased: boolean;
}

function summarisePatient(patient: fhir4.Patient): PatientSummary {
  const mrn = patient.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'));
  return {
    id: patient.id ?? '',
    name: humanName(patient.name),
    birthDate: patient.birthDate,
    gender: patient.gender,
    mrn: mrn?.value,
    deceased: Boolean(patient.deceasedDateTime ?? patient.deceasedBoolean),
  };
}

function humanName(names: fhir4.HumanName[] | undefined): string {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return '(no name)';
  if (name.text) return name.text;
  const parts = [...(name.prefix ?? []), ...(name.given ?? []), name.family ?? ''];
  return parts.filter(Boolean).join(' ') || '(no name)';
}

/** Log lines name the resource type, never the id (PHI hygiene): /fhir/Patient/:id. */
function maskIds(path: string): string {
  return path.replace(/^(\/fhir\/[A-Za-z]+\/)[^/]+/, '$1:id');
}

function asciiQuoted(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, '');
}

function isSafeId(id: string): boolean {
  return /^[A-Za-z0-9\-.]{1,64}$/.test(id);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pathOnly(url: string | undefined): string {
  return (url ?? '').split('?')[0] ?? '';
}

function operationOutcome(code: string, diagnostics: string): fhir4.OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** NDJSON, one resource per line, written as it goes (Bulk Data v2.0.0 output files). */
function sendNdjson(res: ServerResponse, resources: readonly fhir4.Resource[]): void {
  res.writeHead(200, {
    'Content-Type': 'application/fhir+ndjson',
    'Cache-Control': 'no-store',
  });
  const chunk = 500;
  for (let i = 0; i < resources.length; i += chunk) {
    res.write(
      resources
        .slice(i, i + chunk)
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(''),
    );
  }
  res.end();
}

function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  res.setHeader('Vary', 'Origin');
  res.setHeader(
    'Access-Control-Expose-Headers',
    'Location, ETag, Content-Location, WWW-Authenticate, Retry-After, X-Progress',
  );
}

function preflight(req: IncomingMessage, res: ServerResponse): void {
  cors(req, res);
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    req.headers['access-control-request-headers'] ?? 'authorization, content-type, accept, prefer',
  );
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204).end();
}

function sendFhir(res: ServerResponse, response: FhirResponse): void {
  for (const [k, v] of Object.entries(response.headers ?? {})) res.setHeader(k, v);
  // Patient data must not stay in the browser's HTTP cache: with Last-Modified and no
  // Cache-Control a browser may reuse a read heuristically (RFC 9111 §4.2.2), even after the
  // session that fetched it has ended.
  res.writeHead(response.status, {
    'Content-Type': 'application/fhir+json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(response.body));
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(html);
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('Request body too large.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
