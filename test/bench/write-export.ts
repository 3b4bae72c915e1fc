// Writes a synthetic panel as a Bulk FHIR export (one NDJSON file per resource type, optionally
// gzipped) for running the CLI at scale:
//   npx tsx test/bench/write-export.ts --patients 100000 --out /tmp/panel [--gzip]
//   npx equity-lens evaluate --input /tmp/panel --period 2026-01-01..2026-12-31 --measures all \
//     --report summary --stratify gender,age --out /tmp/summary.json

import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { generateDirectory, generatePatients } from '../../sandbox/generate/population';

function option(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const patients = Number(option('--patients') ?? '10000');
  const out = option('--out');
  const gzip = process.argv.includes('--gzip');
  if (!out || !Number.isInteger(patients) || patients <= 0) {
    console.error('usage: write-export.ts --patients <n> --out <folder> [--gzip]');
    process.exitCode = 2;
    return;
  }
  mkdirSync(out, { recursive: true });
  const streams = new Map<string, { file: WriteStream; sink: WriteStream | Gzip }>();
  const sinkFor = (type: string) => {
    let entry = streams.get(type);
    if (!entry) {
      const file = createWriteStream(join(out, `${type}.ndjson${gzip ? '.gz' : ''}`));
      const sink = gzip ? createGzip() : file;
      if (sink !== file) sink.pipe(file);
      entry = { file, sink };
      streams.set(type, entry);
    }
    return entry.sink;
  };
  const write = async (resource: fhir4.Resource) => {
    const sink = sinkFor(resource.resourceType);
    if (!sink.write(`${JSON.stringify(resource)}\n`)) await once(sink, 'drain');
  };
  const options = { seed: 1, patients, today: '2026-12-31' };
  for (const resource of generateDirectory(options)) await write(resource);
  for (const resources of generatePatients(options)) for (const r of resources) await write(r);
  for (const { file, sink } of streams.values()) {
    sink.end();
    await once(file, 'finish');
  }
  console.error(`wrote ${patients} patients to ${out} (${[...streams.keys()].sort().join(', ')})`);
}

await main();
