// `npm run sandbox`: the sandbox EHR alone (the app served elsewhere, e.g. by `vite`).
import { parseSandboxArgs, usage } from './cli-options';
import { describeLoad } from './describe-load';
import { startSandbox } from './server';

try {
  const options = parseSandboxArgs(process.argv.slice(2));
  if (options.help) {
    console.log(usage);
  } else {
    const sandbox = await startSandbox({ ...options, log: (line) => console.log(line) });
    for (const line of describeLoad(sandbox)) console.log(line);
    console.log(`Sandbox EHR launcher: ${sandbox.url}`);
    console.log(`FHIR base URL (iss):  ${sandbox.fhirBaseUrl}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(usage);
  process.exitCode = 1;
}
