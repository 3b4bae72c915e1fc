// Browser benchmarks (issue 7 "panel section", issue 8 "patient-view line"): the real sandbox over
// loopback, a production build of the app, Debian's Chromium driven by playwright-core. Prints
// figures; never pass/fail (architecture.md: benchmarks are not timing tests).
//
// Panel, per size: an EHR launch without a patient opens the dashboard, which loads "all patients
// the token can see" through the worker. Measured:
//   - FHIR requests the app made vs the pages those searches needed (the server's page count);
//   - launch → dashboard ready (the overview rendered) vs a plain download of the same GET URLs at
//     the same concurrency from the same page (target ≤ 1.5×);
//   - the longest main-thread task while loading and computing (PerformanceObserver `longtask`,
//     target ≤ 50 ms);
//   - JS heap of the page and of the worker after load;
//   - the gzipped size of the dashboard's JS chunk.
// Patient: EHR launch → patient view interactive, its request count and request waves, against
// the slowest single query of the view (target: interactive ≤ 1.2× the slowest query).

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, preview } from 'vite';
import type { Browser, Page, Request } from 'playwright-core';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { showcasePatients } from '../../sandbox/launcher/showcase';
import { launchBrowserAt } from './chromium';

const ROOT = resolve(import.meta.dirname, '../..');
const TODAY = '2026-11-23';
const SEED = 7;
const CONCURRENCY = 4;

export interface BrowserBenchOptions {
  panelSizes: number[];
  patientView: boolean;
}

interface BuiltApp {
  url: string;
  outDir: string;
  close(): Promise<void>;
}

async function buildApp(sandboxUrl: string): Promise<BuiltApp> {
  const outDir = mkdtempSync(join(tmpdir(), 'equity-lens-bench-'));
  const previous = process.env.VITE_SANDBOX_URL;
  process.env.VITE_SANDBOX_URL = sandboxUrl;
  try {
    await build({ root: ROOT, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  } finally {
    if (previous === undefined) delete process.env.VITE_SANDBOX_URL;
    else process.env.VITE_SANDBOX_URL = previous;
  }
  const server = await preview({
    root: ROOT,
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its URL');
  return {
    url,
    outDir,
    close: async () => {
      await new Promise<void>((done) => server.httpServer.close(() => done()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Gzipped size of the JS chunks whose file name starts with `prefix` (Vite names chunks after their entry module). */
function gzippedChunks(
  outDir: string,
  prefix: string,
): { file: string; bytes: number; gz: number }[] {
  const assets = join(outDir, 'assets');
  return readdirSync(assets)
    .filter((file) => file.startsWith(prefix) && file.endsWith('.js'))
    .map((file) => {
      const body = readFileSync(join(assets, file));
      return {
        file,
        bytes: statSync(join(assets, file)).size,
        gz: gzipSync(body, { level: 9 }).length,
      };
    });
}

async function practitionerOf(sandbox: RunningSandbox): Promise<string> {
  const html = await (await fetch(sandbox.url)).text();
  const match = /<option value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('the launcher lists no practitioner');
  return match[1];
}

async function launchUrl(
  sandbox: RunningSandbox,
  appUrl: string,
  patientId: string | undefined,
): Promise<string> {
  const res = await fetch(`${sandbox.url}launcher/api/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      practitionerId: await practitionerOf(sandbox),
      patientId,
      appLaunchUrl: new URL('launch/', appUrl).toString(),
      encounter: 'none',
    }),
  });
  if (!res.ok) throw new Error(`launch failed: ${res.status}`);
  return ((await res.json()) as { launchUrl: string }).launchUrl;
}

/** Records every long task of the page from its first script on. */
const LONG_TASK_OBSERVER = `
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
`;

interface FhirRequestLog {
  url: string;
  method: string;
  started: number;
  ended: number | undefined;
  authorization: string | undefined;
}

function watchFhir(page: Page, fhirBase: string): FhirRequestLog[] {
  const log: FhirRequestLog[] = [];
  const byRequest = new Map<Request, FhirRequestLog>();
  page.context().on('request', (request) => {
    if (!request.url().startsWith(fhirBase)) return;
    const entry: FhirRequestLog = {
      url: request.url(),
      method: request.method(),
      started: performance.now(),
      ended: undefined,
      authorization: request.headers()['authorization'],
    };
    byRequest.set(request, entry);
    log.push(entry);
  });
  const finish = (request: Request) => {
    const entry = byRequest.get(request);
    if (entry) entry.ended = performance.now();
  };
  page.context().on('requestfinished', finish);
  page.context().on('requestfailed', finish);
  return log;
}

/** Downloads the URLs from the page with `concurrency` fetches in flight; returns ms. */
async function plainDownload(
  page: Page,
  urls: string[],
  authorization: string | undefined,
): Promise<number> {
  // A source string, not a function: tsx's name-keeping helper does not exist in the page.
  const script = `(async ({ urls, authorization, concurrency }) => {
    const started = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < urls.length) {
        const url = urls[next++];
        const headers = { accept: 'application/fhir+json, application/fhir+ndjson' };
        if (authorization) headers.authorization = authorization;
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return performance.now() - started;
  })(${JSON.stringify({ urls, authorization, concurrency: CONCURRENCY })})`;
  return page.evaluate<number>(script);
}

async function heapOf(page: Page): Promise<{ page: number; worker: number | undefined }> {
  const cdp = await page.context().newCDPSession(page);
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  let worker: number | undefined;
  for (const w of page.workers()) {
    const size = await w
      .evaluate(() => {
        const perf = performance as Performance & { memory?: { usedJSHeapSize: number } };
        return perf.memory?.usedJSHeapSize;
      })
      .catch(() => undefined);
    if (size !== undefined) worker = (worker ?? 0) + size;
  }
  await cdp.detach();
  return { page: usage.usedSize, worker };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;

export async function runPanelBench(browser: Browser, size: number): Promise<string> {
  const sandbox = await startSandbox({ port: 0, patients: size, seed: SEED, today: TODAY });
  const app = await buildApp(sandbox.url);
  sandbox.registerApp(app.url);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(LONG_TASK_OBSERVER);
  const page = await context.newPage();
  try {
    const fhirLog = watchFhir(page, sandbox.fhirBaseUrl);
    const started = performance.now();
    await page.goto(await launchUrl(sandbox, app.url, undefined));
    const dashboard = page.getByTestId('panel-dashboard').first();
    await dashboard.waitFor({ timeout: 120_000 });
    // The dashboard opens on "my patients" and loads them at once.
    await dashboard.getByTestId('fdr-summary').waitFor({ timeout: 600_000 });
    const myPatientsReady = performance.now();
    const myPatients = (await dashboard.getByTestId('panel-summary').textContent()) ?? '';
    const sourceChosen = performance.now();
    await startAllPatientsLoad(page, size);
    await page.waitForFunction(
      (expected) => {
        const root = document.querySelector('[data-testid="panel-dashboard"]');
        const summary = root?.querySelector('[data-testid="panel-summary"]')?.textContent ?? '';
        return summary.startsWith(expected) && root?.querySelector('[data-testid="fdr-summary"]');
      },
      `${size.toLocaleString('en-US')} patients`,
      { timeout: 900_000, polling: 100 },
    );
    const ready = performance.now();
    const pageNow = await page.evaluate(() => performance.now());
    const longTasks = await page.evaluate(
      () =>
        (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks,
    );
    const longest = longTasks.reduce((max, task) => Math.max(max, task.duration), 0);
    const heap = await heapOf(page);
    const gets = fhirLog.filter((entry) => entry.method === 'GET');
    const loadRequests = fhirLog.filter((entry) => entry.started >= sourceChosen);
    const loadStarted = loadRequests[0]?.started ?? sourceChosen;
    const loadMs = ready - loadStarted;
    const downloadUrls = loadRequests
      .filter((entry) => entry.method === 'GET')
      .map((entry) => entry.url);
    const authorization = gets.find((entry) => entry.authorization)?.authorization;
    const plainMs = await plainDownload(page, downloadUrls, authorization);
    const chunks = gzippedChunks(app.outDir, 'panel-dashboard');
    return [
      `Panel dashboard, ${size.toLocaleString('en-US')} sandbox patients (Chromium, loopback, concurrency ${CONCURRENCY})`,
      `   launch → "my patients" ready     ${ms(myPatientsReady - started)} (${myPatients.trim().slice(0, 60)})`,
      `   load → dashboard ready          ${ms(loadMs)}  (plain download of the same ${downloadUrls.length} GETs: ${ms(plainMs)}; ratio ${(loadMs / plainMs).toFixed(2)}×, target ≤ 1.5×)`,
      `   FHIR requests while loading     ${loadRequests.length}: ${classify(loadRequests, sandbox)}`,
      `   longest main-thread task        ${ms(longest)} (${longTasks.length} tasks ≥ 50 ms; target ≤ 50 ms${process.env.BENCH_VERBOSE ? `; ms before ready: ${longTasks.map((t) => `${Math.round(pageNow - t.start)}:${Math.round(t.duration)}`).join(' ')}` : ''})`,
      `   JS heap after load              page ${mb(heap.page)}${heap.worker === undefined ? '' : `, worker ${mb(heap.worker)}`}`,
      `   dashboard chunk (gzip)          ${chunks.map((c) => `${c.file} ${kb(c.gz)} (${kb(c.bytes)} raw)`).join('; ') || 'not found'}`,
    ].join('\n');
  } finally {
    await context.close();
    await app.close();
    await sandbox.close();
  }
}

/** Chooses "All patients I can see" with a cap of at least `size` and starts the load. */
async function startAllPatientsLoad(page: Page, size: number): Promise<void> {
  const dashboard = page.getByTestId('panel-dashboard').first();
  await dashboard.getByRole('button', { name: /^Panel: /i }).click();
  await dashboard.getByRole('radio', { name: 'All patients I can see' }).check();
  const cap = [500, 1000, 2500, 5000, 10000, 25000].find((c) => c >= size) ?? 25000;
  await dashboard.getByRole('combobox', { name: 'Load at most' }).click();
  await page
    .getByRole('listbox')
    .getByRole('option', { name: `${cap.toLocaleString('en-US')} patients` })
    .click();
  // Long tasks count from the "Load panel" click on: opening the source picker is not loading.
  await page.evaluate(() => {
    (window as unknown as { __longTasks: unknown[] }).__longTasks.length = 0;
  });
  await dashboard.getByRole('button', { name: 'Load panel' }).click();
}

/**
 * Splits the load's requests into data pages (search pages and export files: what any client
 * must download) and overhead (discovery, kick-off, status polls, reads by id).
 */
function classify(log: FhirRequestLog[], sandbox: RunningSandbox): string {
  let discovery = 0;
  let exportControl = 0;
  let dataPages = 0;
  let other = 0;
  for (const entry of log) {
    const path = new URL(entry.url).pathname;
    if (path.endsWith('/metadata') || path.includes('.well-known')) discovery += 1;
    else if (path.includes('$export') || path.includes('/bulk-status')) exportControl += 1;
    else if (path.includes('/bulk-files') || path.endsWith('.ndjson')) dataPages += 1;
    else if (/\/[A-Za-z]+$/.test(path) || entry.method === 'POST') dataPages += 1;
    else other += 1;
  }
  const counts = sandbox.store.counts();
  const resources = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return `${dataPages} data pages (searches, batch, export files) + ${discovery} discovery + ${exportControl} export kick-off/status + ${other} reads by id; the server holds ${resources.toLocaleString('en-US')} resources`;
}

/**
 * Groups requests into waves: a request that starts after some request of the current wave has
 * already answered could have waited for it, so it opens the next wave.
 */
function waves(log: FhirRequestLog[]): number {
  const sorted = [...log].sort((a, b) => a.started - b.started);
  let count = 0;
  let firstAnswer = -Infinity;
  for (const entry of sorted) {
    if (count === 0 || entry.started > firstAnswer) {
      count += 1;
      firstAnswer = entry.ended ?? Infinity;
    } else firstAnswer = Math.min(firstAnswer, entry.ended ?? Infinity);
  }
  return count;
}

export async function runPatientBench(browser: Browser): Promise<string> {
  const size = 200;
  const sandbox = await startSandbox({ port: 0, patients: size, seed: SEED, today: TODAY });
  const app = await buildApp(sandbox.url);
  sandbox.registerApp(app.url);
  const patient = showcasePatients(sandbox.store, new Date(`${TODAY}T23:59:59Z`)).find(
    (p) => p.state === 'food-positive-no-referral',
  );
  if (!patient) throw new Error('the sandbox has no patient with a positive food screen');
  const lines: string[] = [];
  try {
    for (const run of [1, 2, 3]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      try {
        const fhirLog = watchFhir(page, sandbox.fhirBaseUrl);
        const url = await launchUrl(sandbox, app.url, patient.patientId);
        const started = performance.now();
        await page.goto(url);
        await page.getByTestId('sdoh-prompt').first().waitFor({ timeout: 120_000 });
        await page.waitForFunction(
          () => document.querySelectorAll('[role="progressbar"]').length === 0,
          undefined,
          { timeout: 120_000, polling: 20 },
        );
        const interactive = performance.now();
        // The app's own requests once it has its token (discovery and the token exchange excluded).
        const data = fhirLog.filter(
          (entry) => !entry.url.includes('.well-known') && entry.authorization !== undefined,
        );
        const firstData = Math.min(...data.map((entry) => entry.started));
        const slowest = Math.max(
          ...data.map((entry) => (entry.ended ?? interactive) - entry.started),
        );
        const dataPhase = interactive - firstData;
        if (process.env.BENCH_VERBOSE) {
          for (const entry of [...data].sort((a, b) => a.started - b.started)) {
            const path = new URL(entry.url).pathname.split('/').slice(-2).join('/');
            lines.push(
              `      ${Math.round(entry.started - firstData)}–${Math.round((entry.ended ?? interactive) - firstData)} ms ${entry.method} ${path}`,
            );
          }
        }
        lines.push(
          `   run ${run}: launch → interactive ${ms(interactive - started)}; first FHIR request → interactive ${ms(dataPhase)}; ${data.length} requests in ${waves(data)} waves; slowest query ${ms(slowest)}; ratio ${(dataPhase / slowest).toFixed(2)}× (target ≤ 1.2×)`,
        );
      } finally {
        await context.close();
      }
    }
  } finally {
    await app.close();
    await sandbox.close();
  }
  return [
    `Patient view, EHR launch on "${patient.label}" (${size} sandbox patients, Chromium, loopback; 3 fresh browser contexts)`,
    ...lines,
  ].join('\n');
}

export async function runBrowserBench(options: BrowserBenchOptions): Promise<void> {
  const browser = await launchBrowserAt();
  try {
    for (const size of options.panelSizes) console.log(await runPanelBench(browser, size));
    if (options.patientView) console.log(await runPatientBench(browser));
  } finally {
    await browser.close();
  }
}
