// Rung 1: Bulk Data `Group/[id]/$export` (FHIR Bulk Data Access IG v2.0.0, export.html):
// kick-off with `Prefer: respond-async`, status polling that honours `Retry-After`, NDJSON files
// streamed line by line, error files reported, and the status URL DELETEd at the end (or on
// cancel). A kick-off the server refuses falls to the next rung; nothing has been loaded then.

import type { HttpFailure } from './fhir-http';
import { discard, parseRetryAfter, scrubMessage, sleep } from './fhir-http';
import type { LoadContext } from './load-context';
import { recordFailure, runPool } from './load-context';
import { readLines, streamResources } from './ndjson';
import type { QueryPlan } from './panel-load-types';
import { escapeValue, extraParams } from './query-urls';

export type ExportOutcome = { kind: 'done' } | { kind: 'fall'; note: string };

interface ExportFile {
  type: string;
  url: string;
}

interface Manifest {
  requiresAccessToken: boolean;
  output: ExportFile[];
  error: ExportFile[];
}

/**
 * `_typeFilter` queries per type (Bulk Data v2.0.0 "_typeFilter": several for one type are
 * ORed). A type with any unfiltered query gets none. Inner values are percent-encoded (a comma
 * in a code list becomes %2C) so the list cannot be confused with a list of queries.
 */
export function typeFilters(plan: QueryPlan): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  const unfiltered = new Set<string>();
  for (const query of plan.queries) {
    const type = query.resourceType;
    if (type === 'Patient') continue;
    const params: [string, string][] = [];
    const codes = [...new Set(query.codes ?? [])];
    if (codes.length > 0) params.push(['code', codes.map(escapeValue).join(',')]);
    params.push(...extraParams(query));
    if (params.length === 0) {
      unfiltered.add(type);
      continue;
    }
    const inner = params.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
    filters.set(type, [...(filters.get(type) ?? []), `${type}?${inner}`]);
  }
  for (const type of unfiltered) filters.delete(type);
  return filters;
}

export function kickOffUrl(
  baseUrl: string,
  groupId: string,
  types: readonly string[],
  filters: ReadonlyMap<string, readonly string[]>,
): string {
  const parts = [`_type=${types.join(',')}`];
  for (const list of filters.values()) {
    for (const filter of list) parts.push(`_typeFilter=${encodeURIComponent(filter)}`);
  }
  return `${baseUrl}/Group/${encodeURIComponent(groupId)}/$export?${parts.join('&')}`;
}

function fall(note: string): ExportOutcome {
  return { kind: 'fall', note };
}

/** The failure's text, which already names the HTTP status when there was one. */
function describeFailure(failure: HttpFailure): string {
  return failure.message.replace(/\.$/, '');
}

function readFiles(value: unknown): ExportFile[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { type, url } = item as { type?: unknown; url?: unknown };
    return typeof type === 'string' && typeof url === 'string' ? [{ type, url }] : [];
  });
}

function readManifest(body: unknown): Manifest | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const manifest = body as { requiresAccessToken?: unknown; output?: unknown; error?: unknown };
  if (!Array.isArray(manifest.output)) return undefined;
  return {
    requiresAccessToken: manifest.requiresAccessToken === true,
    output: readFiles(manifest.output),
    error: readFiles(manifest.error),
  };
}

async function kickOff(
  ctx: LoadContext,
  url: string,
): Promise<{ ok: true; location: string | undefined; status: number } | HttpFailure> {
  const response = await ctx.http.request(
    url,
    { accept: 'application/fhir+json', headers: { Prefer: 'respond-async' } },
    (res) => {
      discard(res);
      return Promise.resolve(res.headers.get('Content-Location') ?? undefined);
    },
  );
  if (!response.ok) return response;
  return { ok: true, location: response.value, status: response.status };
}

type PollAnswer =
  { kind: 'pending'; retryAfterMs: number | undefined } | { kind: 'complete'; body: unknown };

async function poll(ctx: LoadContext, statusUrl: string): Promise<Manifest | ExportOutcome> {
  const { tuning } = ctx;
  const started = Date.now();
  let wait = Math.max(tuning.minPollMs, 1);
  for (;;) {
    const response = await ctx.http.request<PollAnswer>(
      statusUrl,
      // 5xx from the status URL means the export failed (Bulk Data v2.0.0 "Status Request");
      // only 429 (polling too often) and 503 are waited out.
      { accept: 'application/json', retryStatuses: [429, 503] },
      async (res) => {
        if (res.status === 202) {
          discard(res);
          return {
            kind: 'pending',
            retryAfterMs: parseRetryAfter(res.headers.get('Retry-After'), Date.now()),
          };
        }
        return { kind: 'complete', body: JSON.parse(await res.text()) as unknown };
      },
    );
    if (!response.ok) return fall(`The export failed: ${describeFailure(response)}.`);
    const answer = response.value;
    if (answer.kind === 'complete') {
      return readManifest(answer.body) ?? fall('The export finished without a readable manifest.');
    }
    if (Date.now() - started > tuning.exportTimeoutMs) {
      return fall(`The export was not ready after ${Math.round(tuning.exportTimeoutMs / 1000)} s.`);
    }
    const delay = Math.min(
      Math.max(answer.retryAfterMs ?? wait, tuning.minPollMs),
      tuning.maxWaitMs,
    );
    wait = Math.min(wait * 2, 10_000);
    await sleep(delay, ctx.http.signal, () => ctx.http.stopError());
  }
}

async function downloadOutput(
  ctx: LoadContext,
  manifest: Manifest,
  file: ExportFile,
  index: number,
  statusUrl: string,
): Promise<void> {
  const description = `Group/$export ${file.type} file ${index + 1} of ${manifest.output.length}`;
  const response = await ctx.http.request(
    new URL(file.url, statusUrl).href,
    { accept: 'application/fhir+ndjson', auth: manifest.requiresAccessToken },
    async (res) =>
      res.body === null
        ? { resources: 0, malformed: 0 }
        : streamResources(res.body, ctx.tuning.ndjsonBatchSize, ctx.emit),
  );
  ctx.tracker.page();
  if (!response.ok) {
    recordFailure(ctx, response, description, file.type);
  } else if (response.value.malformed > 0) {
    recordFailure(
      ctx,
      {
        ok: false,
        status: response.status,
        message: `${response.value.malformed} lines were not FHIR resources.`,
      },
      description,
      file.type,
    );
  }
}

/** An error file: OperationOutcomes, one per line; only `error`/`fatal` issues mean lost data. */
async function readErrorFile(
  ctx: LoadContext,
  manifest: Manifest,
  file: ExportFile,
  index: number,
  statusUrl: string,
): Promise<void> {
  const description = `Group/$export error file ${index + 1} of ${manifest.error.length}`;
  const response = await ctx.http.request(
    new URL(file.url, statusUrl).href,
    { accept: 'application/fhir+ndjson', auth: manifest.requiresAccessToken },
    async (res) => {
      const tally = { errors: 0, first: undefined as string | undefined };
      if (res.body === null) return tally;
      await readLines(res.body, (line) => {
        let outcome: Partial<fhir4.OperationOutcome>;
        try {
          outcome = JSON.parse(line) as Partial<fhir4.OperationOutcome>;
        } catch {
          tally.errors++;
          return;
        }
        for (const issue of Array.isArray(outcome.issue) ? outcome.issue : []) {
          if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
          tally.errors++;
          tally.first ??= issue.diagnostics ?? issue.details?.text ?? issue.code;
        }
      });
      return tally;
    },
  );
  ctx.tracker.page();
  if (!response.ok) {
    recordFailure(ctx, response, description, 'OperationOutcome');
    return;
  }
  const { errors, first } = response.value;
  if (errors === 0) return;
  recordFailure(
    ctx,
    {
      ok: false,
      status: undefined,
      message: scrubMessage(
        `The export reported ${errors} error${errors === 1 ? '' : 's'}${first ? `: ${first}` : ''}`,
      ),
    },
    description,
    'OperationOutcome',
  );
}

/** Exports the Group's Patients and the plan's types, handing resources on as files stream in. */
export async function runGroupExport(
  ctx: LoadContext,
  groupId: string,
  plan: QueryPlan,
): Promise<ExportOutcome> {
  const planned = [
    'Patient',
    ...new Set(plan.queries.map((query) => query.resourceType).filter((t) => t !== 'Patient')),
  ];
  // Medication is not in the Patient compartment; Bulk Data v2.0.0 (Group export) lets a server
  // include resources the exported ones reference, so asking for it resolves
  // `medicationReference` from the export itself.
  const types =
    planned.includes('MedicationRequest') && !planned.includes('Medication')
      ? [...planned, 'Medication']
      : planned;
  const filters = typeFilters(plan);
  let url = kickOffUrl(ctx.http.baseUrl, groupId, types, filters);
  // Long code lists may not fit a URL: drop the longest filters (the caller filters anyway).
  while (url.length > ctx.tuning.maxUrlLength && filters.size > 0) {
    const longest = [...filters.entries()].sort(
      (a, b) => b[1].join('').length - a[1].join('').length,
    )[0];
    if (longest === undefined) break;
    filters.delete(longest[0]);
    ctx.notes.push(`The ${longest[0]} export filter was too long for a URL and was left out.`);
    url = kickOffUrl(ctx.http.baseUrl, groupId, types, filters);
  }
  ctx.tracker.setPhase('exporting', undefined);
  let started = await kickOff(ctx, url);
  if (!started.ok && started.status === 400 && (filters.size > 0 || types !== planned)) {
    // Bulk Data v2.0.0: a server that cannot apply _typeFilter (or export a type) should refuse
    // it, so the client can ask again with the plain request; the Medications are then fetched
    // by reference afterwards.
    const dropped = [
      ...(filters.size > 0 ? ['_typeFilter'] : []),
      ...(types !== planned ? ['Medication'] : []),
    ];
    ctx.notes.push(
      `The server refused the export request (400); asked again without ${dropped.join(' and ')}.`,
    );
    url = kickOffUrl(ctx.http.baseUrl, groupId, planned, new Map());
    started = await kickOff(ctx, url);
  }
  if (!started.ok) return fall(`Group/$export kick-off was refused: ${describeFailure(started)}.`);
  if (started.status !== 202 || started.location === undefined) {
    return fall(`Group/$export answered ${started.status} without a status URL.`);
  }
  const statusUrl = new URL(started.location, url).href;
  try {
    const manifest = await poll(ctx, statusUrl);
    if ('kind' in manifest) return manifest;
    ctx.tracker.setPhase('downloading', manifest.output.length + manifest.error.length);
    const outputs = manifest.output.map((file, index) => ({ file, index }));
    await runPool(outputs, ctx.http, ({ file, index }) =>
      downloadOutput(ctx, manifest, file, index, statusUrl),
    );
    const errors = manifest.error.map((file, index) => ({ file, index }));
    await runPool(errors, ctx.http, ({ file, index }) =>
      readErrorFile(ctx, manifest, file, index, statusUrl),
    );
    return { kind: 'done' };
  } finally {
    // Bulk Data v2.0.0 "Delete a Bulk Data Request": frees the server's files, and cancels a
    // running export when the load was cancelled.
    await ctx.http.deleteQuietly(statusUrl);
  }
}
