// Writes a small FHIR input folder the way real exports look: transaction Bundles (one plain,
// one gzipped, with urn:uuid references as Synthea writes them) and a Bulk FHIR NDJSON export
// split by resource type, plus the broken files a real folder has: a malformed NDJSON line,
// a line that is not a resource, a corrupt gzip, a truncated gzip, invalid JSON, a stray text file.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hba1c, patient, visit } from '../worker/panel-fixtures';
import { Writable } from 'node:stream';
import { main, type CliSettings } from '../../../src/cli/main';
import { smallEngine } from '../worker/small-engine';

const ndjson = (resources: unknown[]) => resources.map((r) => JSON.stringify(r)).join('\n') + '\n';

export function writeInputFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'equity-lens-cli-'));
  mkdirSync(join(root, 'bundles'));
  mkdirSync(join(root, 'export', 'nested'), { recursive: true });

  const p1Url = 'urn:uuid:5b1e7c1a-0000-4000-8000-000000000001';
  const p1Bundle: fhir4.Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: p1Url, resource: patient('p1', '1970-03-02', 'female') },
      {
        fullUrl: 'urn:uuid:obs-1',
        resource: { ...hba1c('o1', 'p1', '2026-04-01', 10.2), subject: { reference: p1Url } },
      },
      {
        fullUrl: 'urn:uuid:enc-1',
        resource: { ...visit('e1', 'p1', '2026-04-01'), subject: { reference: p1Url } },
      },
      {
        fullUrl: 'urn:uuid:org-1',
        resource: { resourceType: 'Organization', id: 'org1', name: 'Clinic' },
      },
    ],
  };
  writeFileSync(join(root, 'bundles', 'p1.json'), JSON.stringify(p1Bundle, null, 2));

  const p2Bundle: fhir4.Bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { resource: patient('p2', '1985-07-19', 'male') },
      { resource: hba1c('o2', 'p2', '2026-05-01', 7.1) },
    ],
  };
  writeFileSync(join(root, 'bundles', 'p2.json.gz'), gzipSync(JSON.stringify(p2Bundle)));

  const p5: fhir4.Patient = { resourceType: 'Patient', id: 'p5', birthDate: '1990-10-10' };
  writeFileSync(
    join(root, 'export', 'Patient.ndjson'),
    [
      JSON.stringify(patient('p3', '1960-01-01', 'female')),
      JSON.stringify(patient('p4', '2015-06-30', 'male')),
      '{"resourceType": "Patient", "id": "broken"',
      JSON.stringify(p5),
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(root, 'export', 'nested', 'Observation.ndjson.gz'),
    gzipSync(
      ndjson([hba1c('o5', 'p5', '2026-08-01', 11.4), hba1c('o5-old', 'p5', '2025-08-01', 6)]),
    ),
  );
  writeFileSync(
    join(root, 'export', 'Encounter.ndjson'),
    JSON.stringify(visit('e3', 'p3', '2026-02-01')) + '\n[1, 2]\n\n',
  );
  writeFileSync(
    join(root, 'export', 'Claim.ndjson'),
    ndjson([{ resourceType: 'Claim', id: 'c1', patient: { reference: 'Patient/p3' } }]),
  );
  writeFileSync(join(root, 'export', 'Broken.ndjson.gz'), 'this is not gzip');
  writeFileSync(
    join(root, 'bundles', 'truncated.json.gz'),
    gzipSync(JSON.stringify(p2Bundle)).subarray(0, 30),
  );
  writeFileSync(join(root, 'bundles', 'bad.json'), '{ "resourceType": "Bundle", ');
  writeFileSync(join(root, 'readme.txt'), 'not FHIR');
  return root;
}

/**
 * Runs the CLI in-process and returns its output. By default with the small test engine and a
 * fixed clock; `settings: {}` runs the real engine (the value sets shipped with the app).
 */
export async function runCli(
  argv: string[],
  settings: CliSettings = { engine: smallEngine, now: () => new Date('2027-01-05T10:00:00Z') },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout: stdout.stream, stderr: stderr.stream }, settings);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}
