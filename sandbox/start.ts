// `npm start`: the sandbox EHR and the app (Vite dev server) together, then the URL to open.
import { createServer } from 'vite';
import { parseSandboxArgs, usage } from './cli-options';
import { describeLoad } from './describe-load';
import { startSandbox } from './server';

try {
  const options = parseSandboxArgs(process.argv.slice(2));
  if (options.help) {
    console.log(usage);
  } else {
    const appUrl = options.appUrl ?? 'http://127.0.0.1:5173/';
    const sandbox = await startSandbox({ ...options, appUrl });
    process.env.VITE_SANDBOX_URL = sandbox.url;
    const app = new URL(appUrl);
    const vite = await createServer({
      server: { host: app.hostname, port: Number(app.port || 80), strictPort: true },
      clearScreen: false,
    });
    await vite.listen();
    for (const line of describeLoad(sandbox)) console.log(line);
    console.log('');
    console.log('Equity Lens is running on the local sandbox EHR.');
    console.log(`  Open the sandbox launcher:  ${sandbox.url}`);
    console.log(`  App launch URL:             ${new URL('launch/', appUrl).toString()}`);
    console.log(`  FHIR base URL (iss):        ${sandbox.fhirBaseUrl}`);
    console.log('Press Ctrl+C to stop.');
    const stop = () => {
      void Promise.all([vite.close(), sandbox.close()]).then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
