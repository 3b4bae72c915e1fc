// Loads FHIR data files into the store: Bundles (Synthea transactions, eCQM test cases, bulk
// collections) and single resources as .json, NDJSON (bulk data export) as .ndjson, each
// optionally gzipped. References are made local (`Type/id`) so the store's compartment index
// and the search API see them: `urn:uuid:` fullUrls (R4 bundle.html "Resolving references in
// Bundles") and conditional references `Type?params` (R4 http.html "Conditional references"),
// resolved after every file is in, since Synthea keeps practitioners in separate files.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { compileClause, idPattern, paramsFor, type Clause } from './search';
import type { FhirStore } from './store';
import { forEachReference, isObject, type Json } from './values';

const gunzipAsync = promisify(gunzip);

export interface LoadProblem {
  /** Path relative to the loaded folder. */
  file: string;
  /** 1-based line, for NDJSON. */
  line?: number;
  /** 0-based Bundle entry index, for Bundles. */
  entry?: number;
  reason: string;
}

export interface UnresolvedReference {
  file: string;
  /** `Type/id` of the resource holding the reference. */
  resource: string;
  reference: string;
  reason: string;
}

export interface LoadReport {
  /** Data files read (.json, .ndjson, optionally .gz), including ones with problems. */
  files: number;
  /** Resources added per type (a resource loaded twice under one id counts twice). */
  resources: Record<string, number>;
  /** Files, lines and entries that were skipped, and why. */
  problems: LoadProblem[];
  /** References that point at nothing in the store (the first 1000), and their total. */
  unresolved: UnresolvedReference[];
  unresolvedCount: number;
}

const MAX_UNRESOLVED_LISTED = 1000;

interface Loaded {
  resource: Json;
  file: string;
}

export async function loadFolder(store: FhirStore, folder: string): Promise<LoadReport> {
  const report: LoadReport = {
    files: 0,
    resources: {},
    problems: [],
    unresolved: [],
    unresolvedCount: 0,
  };
  /** `urn:uuid:…` (and other fullUrls) of every loaded entry → `Type/id`. */
  const fullUrls = new Map<string, string>();
  const loaded: Loaded[] = [];

  const problem = (p: LoadProblem): void => {
    report.problems.push(p);
  };

  function add(resource: Json, file: string, where: Omit<LoadProblem, 'file' | 'reason'>): void {
    try {
      const stored = store.add(resource as unknown as fhir4.Resource);
      report.resources[stored.resourceType] = (report.resources[stored.resourceType] ?? 0) + 1;
      loaded.push({ resource, file });
    } catch (error) {
      problem({ file, ...where, reason: (error as Error).message });
    }
  }

  /** A parsed JSON value: a Bundle to unpack or a single resource. */
  function addDocument(value: unknown, file: string, line?: number): void {
    const where = line === undefined ? {} : { line };
    if (!isObject(value)) {
      problem({ file, ...where, reason: 'not a JSON object (a FHIR resource or Bundle)' });
      return;
    }
    if (typeof value.resourceType !== 'string') {
      problem({ file, ...where, reason: 'missing resourceType' });
      return;
    }
    if (value.resourceType === 'Bundle' && Array.isArray(value.entry)) {
      addBundle(value.entry as unknown[], file, line);
      return;
    }
    add(value, file, where);
  }

  function addBundle(entries: unknown[], file: string, line?: number): void {
    const local = new Map<string, string>();
    const accepted: Array<{ resource: Json; index: number }> = [];
    entries.forEach((entry, index) => {
      const where = { ...(line === undefined ? {} : { line }), entry: index };
      const request = isObject(entry) && isObject(entry.request) ? entry.request : undefined;
      if (request?.method === 'DELETE') return;
      const resource = isObject(entry) ? entry.resource : undefined;
      if (!isObject(resource)) {
        problem({ file, ...where, reason: 'Bundle entry without a resource' });
        return;
      }
      const type = resource.resourceType;
      if (typeof type !== 'string') {
        problem({ file, ...where, reason: 'missing resourceType' });
        return;
      }
      const fullUrl = isObject(entry) && typeof entry.fullUrl === 'string' ? entry.fullUrl : '';
      // An entry without an id takes it from a PUT `Type/id` or from its fullUrl.
      if (resource.id === undefined) {
        const fromUrl =
          typeof request?.url === 'string' ? /^[A-Za-z]+\/([^/?]+)$/.exec(request.url)?.[1] : '';
        const fromFullUrl = /^urn:uuid:(.+)$|\/([^/]+)$/.exec(fullUrl);
        const id = fromUrl || fromFullUrl?.[1] || fromFullUrl?.[2];
        if (id !== undefined && idPattern.test(id)) resource.id = id;
      }
      if (fullUrl !== '' && typeof resource.id === 'string') {
        local.set(fullUrl, `${type}/${resource.id}`);
        fullUrls.set(fullUrl, `${type}/${resource.id}`);
      }
      accepted.push({ resource, index });
    });
    for (const { resource, index } of accepted) {
      forEachReference(resource, (holder) => {
        const target = local.get(holder.reference) ?? fullUrls.get(holder.reference);
        if (target !== undefined) holder.reference = target;
      });
      add(resource, file, { ...(line === undefined ? {} : { line }), entry: index });
    }
  }

  async function readFileText(path: string): Promise<string> {
    const raw = await readFile(path);
    const data = path.endsWith('.gz') ? await gunzipAsync(raw) : raw;
    return data.toString('utf8').replace(/^\uFEFF/, '');
  }

  async function loadFile(path: string): Promise<void> {
    const file = relative(folder, path) || path;
    const ndjson = /\.ndjson(\.gz)?$/.test(path);
    report.files++;
    let text: string;
    try {
      text = await readFileText(path);
    } catch (error) {
      problem({ file, reason: `cannot read: ${(error as Error).message}` });
      return;
    }
    if (!ndjson) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        problem({ file, reason: `bad JSON: ${(error as Error).message}` });
        return;
      }
      addDocument(value, file);
      return;
    }
    text.split(/\r?\n/).forEach((lineText, i) => {
      if (lineText.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(lineText);
      } catch (error) {
        problem({ file, line: i + 1, reason: `bad JSON: ${(error as Error).message}` });
        return;
      }
      addDocument(value, file, i + 1);
    });
  }

  async function walk(dir: string): Promise<void> {
    const items = await readdir(dir, { withFileTypes: true });
    items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const item of items) {
      const path = join(dir, item.name);
      if (item.isDirectory()) await walk(path);
      else if (item.isFile() && /\.(nd)?json(\.gz)?$/.test(item.name)) await loadFile(path);
    }
  }

  await walk(folder);
  resolveAll();
  return report;

  /**
   * Second pass, once every file is in: rewrites the `urn:uuid:` references that pointed into
   * other files and the conditional references, re-adding changed resources so the store's
   * indexes see the new references; then lists references that still point at nothing.
   */
  function resolveAll(): void {
    const conditional = new Map<string, { target?: string; reason: string }>();
    for (const { resource, file } of loaded) {
      const type = String(resource.resourceType);
      // A later file may have replaced this resource (Synthea repeats practitioners).
      if (store.get(type, String(resource.id)) !== (resource as unknown)) continue;
      let changed = false;
      forEachReference(resource, (holder) => {
        const ref = holder.reference;
        let target: string | undefined;
        let reason = 'no such resource';
        if (ref.startsWith('#')) return; // contained
        if (ref.startsWith('urn:')) {
          target = fullUrls.get(ref);
          reason = 'no Bundle entry has this fullUrl';
        } else if (ref.includes('?')) {
          let found = conditional.get(ref);
          if (!found) conditional.set(ref, (found = resolveConditional(ref)));
          target = found.target;
          reason = found.reason;
        } else {
          const match = /^([A-Z][A-Za-z]+)\/([^/]+)$/.exec(ref);
          if (!match?.[1] || !match[2]) return; // absolute URLs point outside the sandbox
          if (store.get(match[1], match[2])) return;
        }
        if (target !== undefined) {
          holder.reference = target;
          changed = true;
          return;
        }
        report.unresolvedCount++;
        if (report.unresolved.length < MAX_UNRESOLVED_LISTED) {
          report.unresolved.push({
            file,
            resource: `${type}/${String(resource.id)}`,
            reference: ref,
            reason,
          });
        }
      });
      // Replacing under the same id keeps the resource's place and refreshes its indexes.
      if (changed) store.add(resource as unknown as fhir4.Resource);
    }
  }

  /** `Practitioner?identifier=sys|123` → the one matching resource's `Type/id`. */
  function resolveConditional(ref: string): { target?: string; reason: string } {
    const [type = '', queryText = ''] = ref.split('?', 2);
    const params = paramsFor(type);
    const clauses: Clause[] = [];
    for (const [name, value] of new URLSearchParams(queryText)) {
      const def = params.get(name);
      if (!def) return { reason: `unsupported search parameter '${name}'` };
      const clause = compileClause(type, def, undefined, value, '');
      if ('error' in clause) return { reason: clause.error };
      clauses.push(clause);
    }
    if (clauses.length === 0) return { reason: 'conditional reference without criteria' };
    const ids: string[] = [];
    for (const entry of store.entries(type)) {
      const json = entry.resource as unknown as Json;
      if (clauses.every((c) => c.matches(json))) ids.push(entry.resource.id);
      if (ids.length > 1) return { reason: 'matches more than one resource' };
    }
    const id = ids[0];
    return id === undefined
      ? { reason: 'matches no resource' }
      : { target: `${type}/${id}`, reason: '' };
  }
}
