// Starts the real sandbox EHR and a production build of the app (vite build + preview) on free
// loopback ports, once for all browser tests.
import { mkdtempSync, rmSync } from 'node:fs';
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
  });
  const outDir = mkdtempSync(join(tmpdir(), 'equity-lens-e2e-'));
  process.env.VITE_SANDBOX_URL = sandbox.url;
  const root = resolve(import.meta.dirname, '../..');
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
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
