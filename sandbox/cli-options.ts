// Command-line options shared by `npm run sandbox` and `npm start`.
import { parseArgs } from 'node:util';
import type { SandboxOptions } from './server';

export const usage = `Options:
  --port N           sandbox port (default 4010; 0 picks a free one)
  --patients N       synthetic patients to generate (default 100; 0 for none)
  --seed N           generator seed (default 1)
  --today YYYY-MM-DD the sandbox's "today" for generated data (default: the real date)
  --data DIR         also load FHIR Bundles / NDJSON from DIR (repeatable), e.g. ../shared/data
  --token-lifetime S access-token lifetime in seconds (default 3600)
  --app-url URL      the app's base URL (default http://127.0.0.1:5173/)
  --no-export        no Bulk Data $export (the panel loader falls back to searches)
  --no-reference-lists  refuse comma lists on reference parameters (patient=a,b,c)
  --no-batch         refuse batch Bundles
  --no-transaction   refuse transaction Bundles (the app writes a referral as two creates)
  --dev              npm start only: serve the app from the Vite dev server (hot reload)
                     instead of a production build
  --help`;

export function parseSandboxArgs(argv: string[]): SandboxOptions & { help: boolean; dev: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      patients: { type: 'string' },
      seed: { type: 'string' },
      today: { type: 'string' },
      data: { type: 'string', multiple: true },
      'token-lifetime': { type: 'string' },
      'app-url': { type: 'string' },
      'no-export': { type: 'boolean' },
      'no-reference-lists': { type: 'boolean' },
      'no-batch': { type: 'boolean' },
      'no-transaction': { type: 'boolean' },
      dev: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const int = (name: string, value: string | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`--${name} must be a whole number, got "${value}".`);
    return n;
  };
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) {
    throw new Error(`--today must be YYYY-MM-DD, got "${values.today}".`);
  }
  return {
    help: values.help ?? false,
    dev: values.dev ?? false,
    features: {
      bulkExport: values['no-export'] !== true,
      referenceLists: values['no-reference-lists'] !== true,
      batch: values['no-batch'] !== true,
      transaction: values['no-transaction'] !== true,
    },
    port: int('port', values.port, 4010),
    patients: int('patients', values.patients, 100),
    seed: int('seed', values.seed, 1),
    ...(values.today ? { today: values.today } : {}),
    dataDirs: values.data ?? [],
    accessTokenLifetimeSeconds: int('token-lifetime', values['token-lifetime'], 3600),
    appUrl: values['app-url'] ?? 'http://127.0.0.1:5173/',
  };
}
