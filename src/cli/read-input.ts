// Reads a folder of FHIR input: Bundles (`.json`, `.json.gz`, one JSON document per file) and Bulk
// FHIR NDJSON (`.ndjson`, `.ndjson.gz`, one resource per line, streamed with readline so a
// multi-gigabyte export never sits in memory as one string). Bad input is skipped with a message
// naming the file and, for NDJSON, the line; the run goes on.

import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type InputFormat = 'bundle' | 'ndjson';

export interface InputFile {
  path: string;
  format: InputFormat;
  gzip: boolean;
  bytes: number;
}

/** Where a resource came from, for messages. */
export interface InputLocation {
  file: string;
  /** 1-based NDJSON line. */
  line?: number;
}

export interface ReadResource {
  resource: fhir4.FhirResource;
  /** The patient the resource belongs to, resolved within its Bundle when it uses urn:uuid. */
  patientId: string | undefined;
  location: InputLocation;
}

/** What was read and skipped, for the final summary. */
export interface ReadStats {
  filesRead: number;
  filesSkipped: number;
  linesSkipped: number;
  resourcesByType: Map<string, number>;
}

export function emptyReadStats(): ReadStats {
  return { filesRead: 0, filesSkipped: 0, linesSkipped: 0, resourcesByType: new Map() };
}

export function classifyFile(name: string): { format: InputFormat; gzip: boolean } | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.ndjson')) return { format: 'ndjson', gzip: false };
  if (lower.endsWith('.ndjson.gz')) return { format: 'ndjson', gzip: true };
  if (lower.endsWith('.json')) return { format: 'bundle', gzip: false };
  if (lower.endsWith('.json.gz')) return { format: 'bundle', gzip: true };
  return undefined;
}

/** Input files under `folder`, recursively, in a stable (sorted) order. */
export function listInputFiles(folder: string): InputFile[] {
  const files: InputFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else {
        const kind = classifyFile(name);
        if (kind) files.push({ path, ...kind, bytes: stat.size });
      }
    }
  };
  walk(folder);
  return files;
}

const PATIENT_LINKS = ['subject', 'patient', 'beneficiary', 'for'] as const;

function referenceOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('reference' in value)) return undefined;
  const reference = (value as { reference?: unknown }).reference;
  return typeof reference === 'string' ? reference : undefined;
}

const PATIENT_REFERENCE = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/**
 * The patient a resource is about: the Patient's own id, or the first of subject / patient /
 * beneficiary (Coverage) / for (Task) that points at a Patient. `resolve` maps Bundle-local
 * references (urn:uuid fullUrls, as Synthea writes them) to `Patient/<id>`.
 */
export function patientIdOf(
  resource: fhir4.FhirResource,
  resolve: (reference: string) => string | undefined = () => undefined,
): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  const record = resource as unknown as Record<string, unknown>;
  for (const key of PATIENT_LINKS) {
    const reference = referenceOf(record[key]);
    if (reference === undefined) continue;
    const match = PATIENT_REFERENCE.exec(resolve(reference) ?? reference);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

function isResource(value: unknown): value is fhir4.FhirResource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { resourceType?: unknown }).resourceType === 'string'
  );
}

/**
 * Rewrites a Bundle-local patient link (urn:uuid:…) to `Patient/<id>`, so records built from
 * several files agree on who a resource is about. Only the link fields change.
 */
function localiseLinks(
  resource: fhir4.FhirResource,
  resolve: (reference: string) => string | undefined,
): void {
  const record = resource as unknown as Record<string, unknown>;
  for (const key of PATIENT_LINKS) {
    const link = record[key];
    const reference = referenceOf(link);
    const resolved = reference === undefined ? undefined : resolve(reference);
    if (resolved !== undefined && resolved !== reference)
      record[key] = { ...(link as object), reference: resolved };
  }
}

/** The resources of a Bundle (recursing into nested Bundles), with urn:uuid patient links resolved. */
export function bundleResources(bundle: fhir4.Bundle): fhir4.FhirResource[] {
  const local = new Map<string, string>();
  for (const entry of bundle.entry ?? []) {
    const r = entry.resource;
    if (entry.fullUrl && r?.id) local.set(entry.fullUrl, `${r.resourceType}/${r.id}`);
  }
  const resolve = (reference: string) => local.get(reference);
  const out: fhir4.FhirResource[] = [];
  for (const entry of bundle.entry ?? []) {
    const r = entry.resource;
    if (!isResource(r)) continue;
    if (r.resourceType === 'Bundle') out.push(...bundleResources(r));
    else {
      localiseLinks(r, resolve);
      out.push(r);
    }
  }
  return out;
}

function openText(file: InputFile): Readable {
  const raw = createReadStream(file.path);
  if (!file.gzip) return raw;
  // pipeline destroys the gunzip stream with the file's error, so readers see either failure.
  return pipeline(raw, createGunzip(), () => undefined);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')
      return `not a valid gzip file (${error.message})`;
    return error.message;
  }
  return String(error);
}

function count(stats: ReadStats, resource: fhir4.FhirResource): void {
  stats.resourcesByType.set(
    resource.resourceType,
    (stats.resourcesByType.get(resource.resourceType) ?? 0) + 1,
  );
}

async function* readBundleFile(
  file: InputFile,
  name: string,
  stats: ReadStats,
  warn: (message: string) => void,
): AsyncGenerator<ReadResource> {
  let text = '';
  try {
    const stream = openText(file);
    stream.setEncoding('utf8');
    for await (const chunk of stream) text += chunk as string;
  } catch (error) {
    stats.filesSkipped += 1;
    warn(`${name}: skipped: ${describeError(error)}`);
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    stats.filesSkipped += 1;
    warn(`${name}: skipped: invalid JSON (${describeError(error)})`);
    return;
  }
  if (!isResource(value)) {
    stats.filesSkipped += 1;
    warn(`${name}: skipped: not a FHIR resource (no resourceType)`);
    return;
  }
  stats.filesRead += 1;
  const resources = value.resourceType === 'Bundle' ? bundleResources(value) : [value];
  for (const resource of resources) {
    count(stats, resource);
    yield { resource, patientId: patientIdOf(resource), location: { file: name } };
  }
}

async function* readNdjsonFile(
  file: InputFile,
  name: string,
  stats: ReadStats,
  warn: (message: string) => void,
): AsyncGenerator<ReadResource> {
  let line = 0;
  try {
    const lines = createInterface({ input: openText(file), crlfDelay: Infinity });
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        stats.linesSkipped += 1;
        warn(`${name}:${line}: skipped line: invalid JSON (${describeError(error)})`);
        continue;
      }
      if (!isResource(value)) {
        stats.linesSkipped += 1;
        warn(`${name}:${line}: skipped line: not a FHIR resource (no resourceType)`);
        continue;
      }
      const resources = value.resourceType === 'Bundle' ? bundleResources(value) : [value];
      for (const resource of resources) {
        count(stats, resource);
        yield { resource, patientId: patientIdOf(resource), location: { file: name, line } };
      }
    }
  } catch (error) {
    stats.filesSkipped += 1;
    warn(
      `${name}${line > 0 ? `:${line}` : ''}: stopped reading: ${describeError(error)}` +
        (line > 0 ? ` (lines before it were used)` : ''),
    );
    return;
  }
  stats.filesRead += 1;
}

/** Every resource in the input files, in file order; problems go to `warn` and `stats`. */
export async function* readResources(
  root: string,
  files: readonly InputFile[],
  stats: ReadStats,
  warn: (message: string) => void,
): AsyncGenerator<ReadResource> {
  for (const file of files) {
    const name = relative(root, file.path) || file.path;
    if (file.format === 'bundle') yield* readBundleFile(file, name, stats, warn);
    else yield* readNdjsonFile(file, name, stats, warn);
  }
}
