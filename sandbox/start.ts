// `npm start`: the sandbox EHR and the app together, then the URL to open. By default the app is
// a production build (vite build, then served by vite preview), so the first launch is as quick
// as every later one: the Vite dev server pre-bundles dependencies on the first page load, which
// made that first launch wait about 30 s. `--dev` serves the app from the dev server instead, for
// hot reload while working on it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, createServer, preview } from 'vite';
import { parseSandboxArgs, usage } from './cli-options';
import { describeLoad } from './describe-load';
import { startSandbox } from './server';

interface RunningApp {
  close(): Promise<void>;
}

const root = resolve(import.meta.dirname, '..');

/** The Vite dev server (hot reload). */
async function serveDev(host: string, port: number): Promise<RunningApp> {
  const vite = await createServer({
    root,
    server: { host, port, strictPort: true },
    clearScreen: false,
  });
  await vite.listen();
  return { close: () => vite.close() };
}

/** A production build in a temporary folder, served by vite preview. */
async function serveBuild(host: string, port: number): Promise<RunningApp> {
  const outDir = mkdtempSync(join(tmpdir(), 'equity-lens-start-'));
  console.log('Building the app (production build; use --dev for hot reload)…');
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host, port, strictPort: true },
  });
  return {
    close: async () => {
      await new Promise<void>((done) => server.httpServer.close(() => done()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

try {
  const options = parseSandboxArgs(process.argv.slice(2));
  if (options.help) {
    console.log(usage);
  } else {
    const appUrl = options.appUrl ?? 'http://127.0.0.1:5173/';
    const sandbox = await startSandbox({ ...options, appUrl });
    // Read by the app at build time (and by the dev server): the link back to the launcher.
    process.env.VITE_SANDBOX_URL = sandbox.url;
    const app = new URL(appUrl);
    const port = Number(app.port || 80);
    const running = options.dev
      ? await serveDev(app.hostname, port)
      : await serveBuild(app.hostname, port);
    for (const line of describeLoad(sandbox)) console.log(line);
    console.log('');
    console.log(
      `Equity Lens is running on the local sandbox EHR (${options.dev ? 'dev server, hot reload' : 'production build'}).`,
    );
    console.log(`  Open the sandbox launcher:  ${sandbox.url}`);
    console.log(`  App launch URL:             ${new URL('launch/', appUrl).toString()}`);
    console.log(`  FHIR base URL (iss):        ${sandbox.fhirBaseUrl}`);
    console.log('Press Ctrl+C to stop.');
    const stop = () => {
      void Promise.all([running.close(), sandbox.close()]).then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
