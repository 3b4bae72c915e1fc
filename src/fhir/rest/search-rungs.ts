// The search rungs of the ladder (panel-loading.md §1): multi-patient searches (`patient=a,b,c`
// in chunks), batch Bundles of per-patient searches, and per-patient searches, all through the
// load's one concurrency limit. Whether comma lists work is probed with a question of known answer
// first, because a server that ignores them would silently lose patients.

import { declaresInclude } from './capabilities';
import type { HttpFailure } from './fhir-http';
import { outcomeText, scrubMessage } from './fhir-http';
import type { LoadContext } from './load-context';
import { recordFailure, runPool, searchPages } from './load-context';
import { isResource } from './ndjson';
import type { LoadStrategy, QueryPlan, ResourceQuery } from './panel-load-types';
import { PanelLoadError } from './panel-load-types';
import {
  chunkByLength,
  codeChunks,
  describeQuery,
  fixedLength,
  patientParamOf,
  patientPrefix,
  patientValue,
  querySearchPath,
  searchPath,
} from './query-urls';

/** One search shape: a query with one chunk of its codes. */
export interface QueryUnit {
  query: ResourceQuery;
  codes: string[] | undefined;
}

/** `_include` that brings a MedicationRequest's referenced Medication into the same page. */
export const MEDICATION_INCLUDE = 'MedicationRequest:medication';

/**
 * The query as sent: MedicationRequest searches ask for their Medications in the same Bundle
 * (`_include`, R4 search.html §3.1.1.5.5) when the server declares it, so `medicationReference`
 * resolves without one more request per Medication (Epic and Oracle Health send that shape).
 */
function withIncludes(ctx: LoadContext, query: ResourceQuery): ResourceQuery {
  if (query.resourceType !== 'MedicationRequest') return query;
  if (query.params?._include !== undefined) return query;
  if (!declaresInclude(ctx.capabilities, 'MedicationRequest', MEDICATION_INCLUDE)) return query;
  return { ...query, params: { ...query.params, _include: MEDICATION_INCLUDE } };
}

/** The plan's queries (Patient excluded: it comes with the source), split by code chunks. */
export function planUnits(ctx: LoadContext, plan: QueryPlan): QueryUnit[] {
  return plan.queries
    .filter((query) => query.resourceType !== 'Patient')
    .map((query) => withIncludes(ctx, query))
    .flatMap((query) =>
      codeChunks(query, ctx.http.baseUrl, ctx.tuning.maxUrlLength, ctx.tuning.pageSize).map(
        (codes) => ({ query, codes }),
      ),
    );
}

/** State shared by one rung's searches: types the server forbids are not asked again. */
interface RungState {
  forbidden: Set<string>;
}

function failQuery(
  ctx: LoadContext,
  state: RungState,
  unit: QueryUnit,
  patients: number,
  failure: HttpFailure,
): void {
  const type = unit.query.resourceType;
  // 403: the token may not search this type; 404 on a type search: the server has no such
  // endpoint. Either way every other search of the type would answer the same.
  if (failure.status === 403 || failure.status === 404) {
    if (state.forbidden.has(type)) return;
    state.forbidden.add(type);
    recordFailure(
      ctx,
      { ...failure, message: `${failure.message} (no further ${type} searches were sent)` },
      describeQuery(unit.query, patients, unit.codes),
      type,
    );
    return;
  }
  recordFailure(ctx, failure, describeQuery(unit.query, patients, unit.codes), type);
}

/** panel-loading.md §4: a next link back to a page already fetched ends paging there. */
const loopedFailure: HttpFailure = {
  ok: false,
  status: undefined,
  message: 'Paging looped back to a page already fetched; later pages may be missing.',
};

async function runSearch(
  ctx: LoadContext,
  state: RungState,
  unit: QueryUnit,
  ids: readonly string[],
): Promise<void> {
  if (state.forbidden.has(unit.query.resourceType)) {
    ctx.tracker.addPagesTotal(-1);
    return;
  }
  const url = ctx.http.url(querySearchPath(unit.query, ids, unit.codes, ctx.tuning.pageSize));
  const paging = await searchPages(ctx, url, { firstPagePlanned: true }, (resources) => {
    ctx.emit(resources);
  });
  if (paging.failure !== undefined) failQuery(ctx, state, unit, ids.length, paging.failure);
  if (paging.looped) failQuery(ctx, state, unit, ids.length, loopedFailure);
}

/** Patient id chunks for one unit, sized so the whole URL stays under the limit. */
function idChunks(ctx: LoadContext, unit: QueryUnit, ids: readonly string[]): string[][] {
  const param = patientParamOf(unit.query);
  const codes = unit.codes?.join(',') ?? '';
  const budget =
    ctx.tuning.maxUrlLength -
    fixedLength(ctx.http.baseUrl, unit.query, ctx.tuning.pageSize) -
    encodeURIComponent(codes).length;
  return chunkByLength(ids, Math.max(100, budget), ctx.tuning.maxIdsPerQuery, patientPrefix(param));
}

/** Rung 2: one search per (type, code chunk, patient chunk), each paged to its end. */
export async function runMultiPatient(
  ctx: LoadContext,
  units: readonly QueryUnit[],
  ids: readonly string[],
): Promise<void> {
  const tasks = units.flatMap((unit) => idChunks(ctx, unit, ids).map((chunk) => ({ unit, chunk })));
  ctx.tracker.setPhase('downloading', tasks.length);
  const state: RungState = { forbidden: new Set() };
  await runPool(tasks, ctx.http, (task) => runSearch(ctx, state, task.unit, task.chunk));
}

function* perPatientTasks(units: readonly QueryUnit[], ids: readonly string[]) {
  for (const id of ids) for (const unit of units) yield { unit, id };
}

/** Rung 4: one search per (patient, type, code chunk): the last resort. */
export async function runPerPatient(
  ctx: LoadContext,
  units: readonly QueryUnit[],
  ids: readonly string[],
): Promise<void> {
  ctx.tracker.setPhase('downloading', units.length * ids.length);
  const state: RungState = { forbidden: new Set() };
  await runPool(perPatientTasks(units, ids), ctx.http, (task) =>
    runSearch(ctx, state, task.unit, [task.id]),
  );
}

type BatchTask = { unit: QueryUnit; id: string };

function* batches(
  units: readonly QueryUnit[],
  ids: readonly string[],
  size: number,
): Generator<BatchTask[]> {
  let batch: BatchTask[] = [];
  for (const task of perPatientTasks(units, ids)) {
    batch.push(task);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Statuses by which a server says "I do not do batch (or search inside batch)". */
const batchUnsupported = new Set([400, 404, 405, 415, 422, 501]);

function entryStatus(entry: fhir4.BundleEntry | undefined): number | undefined {
  const match = /^\s*(\d{3})/.exec(entry?.response?.status ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Sends one batch Bundle of GET searches (R4 http.html §3.1.0.11) and pages every entry on by
 * GET. On the first batch, a refusal returns 'rejected' (nothing was loaded yet), so the caller
 * can fall to per-patient searches.
 */
async function runBatch(
  ctx: LoadContext,
  state: RungState,
  tasks: BatchTask[],
  first: boolean,
): Promise<'done' | 'rejected'> {
  const live = tasks.filter((task) => !state.forbidden.has(task.unit.query.resourceType));
  ctx.tracker.addPagesTotal(live.length - tasks.length);
  if (live.length === 0) return 'done';
  const bundle: fhir4.Bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: live.map((task) => ({
      request: {
        method: 'GET',
        url: querySearchPath(task.unit.query, [task.id], task.unit.codes, ctx.tuning.pageSize),
      },
    })),
  };
  const response = await ctx.http.request(
    ctx.http.baseUrl,
    { method: 'POST', body: JSON.stringify(bundle) },
    async (res) => JSON.parse(await res.text()) as unknown,
  );
  const reply =
    response.ok && isResource(response.value) && response.value.resourceType === 'Bundle'
      ? response.value
      : undefined;
  const entries = reply?.entry ?? [];
  const malformed = reply === undefined || entries.length !== live.length;
  if (first) {
    const refused =
      (!response.ok && response.status !== undefined && batchUnsupported.has(response.status)) ||
      (response.ok && malformed) ||
      (!malformed &&
        entries.every((entry) => {
          const status = entryStatus(entry);
          return status !== undefined && batchUnsupported.has(status);
        }));
    if (refused) {
      ctx.tracker.addPagesTotal(-live.length);
      return 'rejected';
    }
  }
  if (malformed) {
    const failure: HttpFailure = response.ok
      ? { ok: false, status: response.status, message: 'The batch response did not match.' }
      : response;
    const seen = new Set<QueryUnit>();
    for (const task of live) {
      if (seen.has(task.unit)) continue;
      seen.add(task.unit);
      const patients = live.filter((other) => other.unit === task.unit).length;
      failQuery(ctx, state, task.unit, patients, failure);
    }
    ctx.tracker.addPagesTotal(-live.length);
    return 'done';
  }
  const pairs = live.map((task, index) => ({ task, entry: entries[index] }));
  await runPool(pairs, ctx.http, async ({ task, entry }) => {
    const status = entryStatus(entry);
    const resource: unknown = entry?.resource;
    if (status !== undefined && status >= 200 && status < 300 && isResource(resource)) {
      if (resource.resourceType === 'Bundle') {
        const paging = await searchPages(ctx, resource, { firstPagePlanned: true }, (found) => {
          ctx.emit(found);
        });
        if (paging.failure !== undefined) failQuery(ctx, state, task.unit, 1, paging.failure);
        if (paging.looped) failQuery(ctx, state, task.unit, 1, loopedFailure);
        return;
      }
    }
    if (status === 401) {
      const error = new PanelLoadError(
        'session-expired',
        'The FHIR server answered 401: the session has ended.',
        { status: 401 },
      );
      ctx.http.stop(error);
      throw error;
    }
    ctx.tracker.addPagesTotal(-1);
    const text = outcomeText(entry?.response?.outcome ?? resource);
    failQuery(ctx, state, task.unit, 1, {
      ok: false,
      status,
      message: scrubMessage(
        `Batch entry ${entry?.response?.status ?? 'without a status'}${text ? `: ${text}` : ''}`,
      ),
    });
  });
  return 'done';
}

/**
 * Rung 3: batch Bundles of per-patient searches. Returns the rung that actually ran: 'per-patient'
 * when the server refused the first batch.
 */
export async function runBatches(
  ctx: LoadContext,
  units: readonly QueryUnit[],
  ids: readonly string[],
): Promise<LoadStrategy> {
  ctx.tracker.setPhase('downloading', units.length * ids.length);
  const state: RungState = { forbidden: new Set() };
  const all = batches(units, ids, ctx.tuning.batchSize);
  const first = all.next();
  if (first.done === true) return 'batch';
  if ((await runBatch(ctx, state, first.value, true)) === 'rejected') {
    ctx.notes.push('The server refused a batch of searches; searching patient by patient.');
    await runPerPatient(ctx, units, ids);
    return 'per-patient';
  }
  await runPool(all, ctx.http, async (tasks) => {
    await runBatch(ctx, state, tasks, false);
  });
  return 'batch';
}

type ProbeAnswer =
  | { kind: 'count'; total: number }
  | { kind: 'no-count' }
  | { kind: 'refused'; status: number | undefined };

async function countOf(ctx: LoadContext, unit: ResourceQuery, ids: string[]): Promise<ProbeAnswer> {
  const param = patientParamOf(unit);
  const path = searchPath(unit.resourceType, [
    [param, ids.map((id) => patientValue(param, id)).join(',')],
    ['_summary', 'count'],
  ]);
  const response = await ctx.http.getJson(ctx.http.url(path));
  if (!response.ok) return { kind: 'refused', status: response.status };
  const body = response.value;
  if (isResource(body) && body.resourceType === 'Bundle' && typeof body.total === 'number') {
    return { kind: 'count', total: body.total };
  }
  return { kind: 'no-count' };
}

/** `Patient?_id=a,b` returns both: the weaker check, for servers without `_summary=count`. */
async function idListWorks(ctx: LoadContext, pair: string[]): Promise<boolean> {
  const response = await ctx.http.getJson(
    ctx.http.url(
      searchPath('Patient', [
        ['_id', pair.join(',')],
        ['_elements', 'id'],
      ]),
    ),
  );
  if (!response.ok || !isResource(response.value) || response.value.resourceType !== 'Bundle') {
    return false;
  }
  const returned = new Set(
    (response.value.entry ?? []).map((entry) => entry.resource?.id).filter(Boolean),
  );
  return pair.every((id) => returned.has(id));
}

const probeTypes = ['Encounter', 'Condition', 'Observation'];

/**
 * Asks whether `patient=a,b` means "a or b" on this server: the count for two patients together
 * must equal the sum of their counts (up to three pairs, until both of a pair have data). A 400, a lower count
 * (the list was ignored or misread) or no answer means no.
 */
export async function probeMultiPatient(
  ctx: LoadContext,
  units: readonly QueryUnit[],
  ids: readonly string[],
): Promise<{ supported: boolean; note: string }> {
  if (ids.length < 2) {
    return { supported: true, note: 'One patient: no comma lists are needed.' };
  }
  const queries = units.map((unit) => unit.query);
  const probe =
    probeTypes.map((type) => queries.find((q) => q.resourceType === type)).find(Boolean) ??
    queries[0];
  if (probe === undefined) return { supported: true, note: 'Nothing but Patients to load.' };
  const param = patientParamOf(probe);
  const label = `${probe.resourceType}?${param}=a,b`;
  /** Compares the count of `pair` together with `sum`; undefined when no count came back. */
  const judge = async (
    pair: string[],
    sum: number,
  ): Promise<{ supported: boolean; note: string } | undefined> => {
    const together = await countOf(ctx, probe, pair);
    if (together.kind === 'refused') {
      return {
        supported: false,
        note: `The server refused a comma list in ${label}${together.status ? ` (${together.status})` : ''}.`,
      };
    }
    if (together.kind !== 'count') return undefined;
    return together.total === sum
      ? { supported: true, note: `${label} found both patients' resources: comma lists work.` }
      : {
          supported: false,
          note: `The server ignores or misreads comma lists in ${label} (${together.total} of ${sum}).`,
        };
  };
  const counted = new Map<string, number>();
  let countsWork = true;
  for (let pairIndex = 0; pairIndex < 3 && pairIndex * 2 + 1 < ids.length; pairIndex++) {
    const pair = ids.slice(pairIndex * 2, pairIndex * 2 + 2);
    const singles = await Promise.all(pair.map((id) => countOf(ctx, probe, [id])));
    const counts = singles.map((answer) => (answer.kind === 'count' ? answer.total : undefined));
    if (counts.some((count) => count === undefined)) {
      countsWork = false;
      break;
    }
    pair.forEach((id, index) => counted.set(id, counts[index] ?? 0));
    // Both must have data: a server that reads only the first (or last) id of a list would
    // otherwise pass.
    if (counts.some((count) => count === 0)) continue;
    const verdict = await judge(
      pair,
      counts.reduce<number>((total, count) => total + (count ?? 0), 0),
    );
    if (verdict !== undefined) return verdict;
    countsWork = false;
    break;
  }
  if (countsWork) {
    // No pair had data on both sides: a patient without data first and one with data second
    // still shows a server that reads only the first id, or takes the list as one id.
    const empty = [...counted].find(([, count]) => count === 0)?.[0];
    const full = [...counted].find(([, count]) => count > 0);
    if (empty !== undefined && full !== undefined) {
      const verdict = await judge([empty, full[0]], full[1]);
      if (verdict !== undefined) return verdict;
    }
  }
  const pair = ids.slice(0, 2);
  if (await idListWorks(ctx, pair)) {
    return {
      supported: true,
      note: 'Comma lists checked with Patient?_id=a,b only (no counts to compare).',
    };
  }
  return { supported: false, note: 'Comma lists could not be shown to work on this server.' };
}
