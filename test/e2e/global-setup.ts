// Starts the real sandbox EHR and a production build of the app (vite build + preview) on free
// loopback ports, once for all browser tests.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { build, preview } from 'vite';
import { startSandbox } from '../../sandbox/server';
import { E2E_PATIENTS, E2E_SEED, E2E_TODAY } from './fixtures';

declare module 'vitest' {
  export interface ProvidedContext {
    sandboxUrl: string;
    fhirBaseUrl: string;
    appUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const sandbox = await startSandbox({
    port: 0,
    patients: E2E_PATIENTS,
    seed: E2E_SEED,
    today: E2E_TODAY,
    log: (line) => {
      const file = process.env.E2E_SANDBOX_LOG;
      if (file) appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
    },
  });
  const outDir = mkdtempSync(join(tmpdir(), 'equity-lens-e2e-'));
  const root = resolve(import.meta.dirname, '../..');
  // Vite reads VITE_* from the environment at build time; restore it so the other test projects
  // (which run in this process's children) still see the default.
  const previous = process.env.VITE_SANDBOX_URL;
  process.env.VITE_SANDBOX_URL = sandbox.url;
  try {
    await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (previous === undefined) delete process.env.VITE_SANDBOX_URL;
    else process.env.VITE_SANDBOX_URL = previous;
  }
  // A test-only page that runs the panel computation in a real module Worker (worker.test.ts).
  await build({
    root: join(root, 'test/e2e/worker-harness'),
    configFile: false,
    base: '/worker-harness/',
    logLevel: 'warn',
    build: { outDir: join(outDir, 'worker-harness'), emptyOutDir: true },
  });
  const server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const appUrl = server.resolvedUrls?.local[0];
  if (!appUrl) throw new Error('vite preview did not report its URL');
  sandbox.registerApp(appUrl);
  project.provide('sandboxUrl', sandbox.url);
  project.provide('fhirBaseUrl', sandbox.fhirBaseUrl);
  project.provide('appUrl', appUrl);
  return async () => {
    await new Promise<void>((done) => server.httpServer.close(() => done()));
    await sandbox.close();
    rmSync(outDir, { recursive: true, force: true });
  };
}
