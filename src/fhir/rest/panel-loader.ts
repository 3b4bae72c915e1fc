// Loads a panel from any FHIR R4 server (panel-loading.md): reads the CapabilityStatement, finds
// the panel's patients, then climbs down the ladder from the best rung the server offers — Group
// $export, multi-patient searches, batch Bundles, per-patient searches — handing resources to the
// caller page by page. Runs in the panel worker and in Node: plain fetch, no fhirclient, no DOM.
//
// De-duplication: Patients are handed on once each (the loader keeps their ids anyway); other
// resources may arrive twice (a resource matched by two code chunks, an export that repeats a
// line), and the caller de-duplicates by type and id.

import { runGroupExport } from './bulk-export';
import type { ServerCapabilities } from './capabilities';
import { readCapabilities, servesType, unknownCapabilities } from './capabilities';
import { ConsumerError, FhirHttp, cancelledError, resolveTuning } from './fhir-http';
import type { LoadContext } from './load-context';
import { recordFailure, resourceSink, runPool } from './load-context';
import { LoadTracker } from './load-tracker';
import type {
  LoadReport,
  LoadStrategy,
  PanelLoadOptions,
  QueryPlan,
  ReferenceFetchOptions,
  ReferenceFetchResult,
} from './panel-load-types';
import { PanelLoadError } from './panel-load-types';
import type { FoundPatients } from './panel-sources';
import { emptySource, findPatients } from './panel-sources';
import { describeRead } from './query-urls';
import { readByIds } from './read-by-ids';
import {
  exportRuledOutBy,
  grantsPopulationRead,
  readSmartConfiguration,
} from './smart-configuration';
import {
  planUnits,
  probeMultiPatient,
  runBatches,
  runMultiPatient,
  runPerPatient,
} from './search-rungs';

export { PanelLoadError };

/** The error a load ends with: "cancelled" when the caller aborted, else the first fatal error. */
function finalError(http: FhirHttp, error: unknown): unknown {
  if (http.cancelledByCaller) {
    http.stop(cancelledError());
    return cancelledError();
  }
  const original = error instanceof ConsumerError ? error.original : error;
  http.stop(original);
  return original;
}

async function serverCapabilities(ctx: LoadContext): Promise<ServerCapabilities> {
  const response = await ctx.http.getJson(ctx.http.url('metadata'));
  if (!response.ok) {
    const status = response.status;
    if (status === undefined || status === 502 || status === 503 || status === 504) {
      throw new PanelLoadError(
        'unreachable',
        status === undefined
          ? 'The FHIR server could not be reached.'
          : `The FHIR server is unavailable (${status}).`,
        status === undefined ? undefined : { status },
      );
    }
    ctx.notes.push(`The CapabilityStatement could not be read (${status}); nothing is assumed.`);
    return unknownCapabilities;
  }
  const capabilities = readCapabilities(response.value);
  if (!capabilities.known) {
    ctx.notes.push('/metadata did not return a CapabilityStatement; nothing is assumed.');
  }
  return capabilities;
}

/**
 * Whether the token and the server's SMART configuration allow a Group export: undefined when
 * they do (or say nothing), else why not. The configuration is public: no token is sent, and a
 * 401 or 404 there only means it tells nothing.
 */
async function exportRuledOut(
  ctx: LoadContext,
  grantedScopes: string | undefined,
): Promise<string | undefined> {
  if (grantedScopes !== undefined && !grantsPopulationRead(grantedScopes)) {
    return 'The token has no user- or system-level read scope for Patient, which Bulk Data export needs.';
  }
  const response = await ctx.http.getJson(ctx.http.url('.well-known/smart-configuration'), {
    accept: 'application/json',
    auth: false,
    fatal401: false,
  });
  const config = response.ok ? readSmartConfiguration(response.value) : undefined;
  if (config === undefined) {
    ctx.notes.push('No readable SMART configuration: the CapabilityStatement decides alone.');
    return undefined;
  }
  return exportRuledOutBy(config);
}

/** Rung 1 for a Group, when declared (or forced): true when the export delivered the panel. */
async function tryExport(ctx: LoadContext, options: PanelLoadOptions): Promise<boolean> {
  const { source, strategy: forced } = options;
  if (source.kind !== 'group') {
    if (forced === 'bulk-export') {
      ctx.notes.push('Bulk export needs a Group source; searching instead.');
    }
    return false;
  }
  if (forced !== undefined && forced !== 'bulk-export') return false;
  if (!ctx.capabilities.groupExport) {
    if (forced === undefined) {
      ctx.notes.push('Group/$export is not in the CapabilityStatement.');
      return false;
    }
    ctx.notes.push('Group/$export is not in the CapabilityStatement; tried as asked.');
  }
  if (forced === undefined) {
    const reason = await exportRuledOut(ctx, options.grantedScopes);
    if (reason !== undefined) {
      ctx.notes.push(reason);
      return false;
    }
  }
  ctx.tracker.strategy = 'bulk-export';
  const outcome = await runGroupExport(ctx, source.groupId, options.plan);
  if (outcome.kind === 'done') return true;
  ctx.notes.push(outcome.note);
  return false;
}

async function searchRung(
  ctx: LoadContext,
  options: PanelLoadOptions,
  ids: readonly string[],
): Promise<LoadStrategy> {
  const forced = options.strategy === 'bulk-export' ? undefined : options.strategy;
  const units = planUnits(ctx, options.plan);
  let rung: Exclude<LoadStrategy, 'bulk-export'>;
  if (forced !== undefined) {
    rung = forced;
  } else if (units.length === 0) {
    ctx.notes.push('The plan asks for no types besides Patient.');
    rung = 'multi-patient-search';
  } else {
    const probe = await probeMultiPatient(ctx, units, ids);
    ctx.notes.push(probe.note);
    if (probe.supported) {
      rung = 'multi-patient-search';
    } else if (ctx.capabilities.batch) {
      rung = 'batch';
    } else {
      ctx.notes.push('The CapabilityStatement declares no batch interaction.');
      rung = 'per-patient';
    }
  }
  ctx.tracker.strategy = rung;
  switch (rung) {
    case 'multi-patient-search':
      await runMultiPatient(ctx, units, ids);
      return rung;
    case 'batch': {
      const ran = await runBatches(ctx, units, ids);
      ctx.tracker.strategy = ran;
      return ran;
    }
    case 'per-patient':
      await runPerPatient(ctx, units, ids);
      return rung;
  }
}

/** The plan without the types the CapabilityStatement does not list (they would only 404). */
function servedPlan(ctx: LoadContext, plan: QueryPlan): QueryPlan {
  const missing = new Set<string>();
  const queries = plan.queries.filter((query) => {
    if (servesType(ctx.capabilities, query.resourceType)) return true;
    missing.add(query.resourceType);
    return false;
  });
  if (missing.size === 0) return plan;
  ctx.notes.push(
    `The CapabilityStatement lists no ${[...missing].join(', ')}: not asked for (the server has none).`,
  );
  return { queries };
}

async function loadData(
  ctx: LoadContext,
  given: PanelLoadOptions,
  found: FoundPatients,
): Promise<LoadStrategy> {
  const options = { ...given, plan: servedPlan(ctx, given.plan) };
  if (await tryExport(ctx, options)) return 'bulk-export';
  let ids = found.ids;
  if (!found.loaded) {
    ctx.tracker.setPhase('finding-patients', 0);
    const missing = await readByIds(ctx, 'Patient', ids, { planned: true });
    // Patients that cannot be read have nothing to search for (their failures are reported).
    if (missing.size > 0) ids = ids.filter((id) => !missing.has(id));
  }
  if (ids.length === 0) {
    ctx.notes.push('None of the patients could be loaded.');
    return options.strategy ?? 'multi-patient-search';
  }
  return searchRung(ctx, options, ids);
}

/**
 * Loads the panel: its Patients and the plan's resources, handed to `onResources` as they arrive.
 * A failed query becomes a `LoadFailure` (and `partial: true`); the load throws `PanelLoadError`
 * only when it cannot go on (401, the source forbidden or missing, server unreachable, cancel).
 */
export async function loadPanel(options: PanelLoadOptions): Promise<LoadReport> {
  const tuning = resolveTuning(options.tuning);
  const tracker = new LoadTracker(options.onProgress);
  const http = new FhirHttp({
    fhirBaseUrl: options.fhirBaseUrl,
    accessToken: options.accessToken,
    fetch: options.fetch,
    concurrency: options.concurrency,
    signal: options.signal,
    tuning,
    onRequest: () => tracker.request(),
  });
  const ctx: LoadContext = {
    http,
    tracker,
    tuning,
    capabilities: unknownCapabilities,
    notes: [],
    emit: resourceSink(tracker, options.onResources),
  };
  try {
    http.throwIfStopped();
    tracker.setPhase('capabilities', undefined);
    ctx.capabilities = await serverCapabilities(ctx);
    tracker.setPhase('finding-patients', undefined);
    const found = await findPatients(ctx, options.source);
    tracker.patientsFound = found.ids.length;
    let strategy: LoadStrategy;
    if (found.ids.length === 0) {
      ctx.notes.push('The source found no patients: nothing else was loaded.');
      strategy =
        options.strategy ??
        (options.source.kind === 'group' && ctx.capabilities.groupExport
          ? 'bulk-export'
          : 'multi-patient-search');
    } else {
      strategy = await loadData(ctx, options, found);
    }
    tracker.strategy = strategy;
    tracker.emit(true);
    return {
      strategy,
      strategyNotes: ctx.notes,
      source: {
        kind: options.source.kind,
        description: found.description,
        patientsFound: found.ids.length,
      },
      capped: found.capped,
      requests: http.requests,
      pages: tracker.pages,
      resources: tracker.resources,
      failures: tracker.failures,
      partial: tracker.failures.length > 0,
      cancelled: false,
      ...(found.ids.length === 0 ? { emptySource: emptySource(options.source.kind, found) } : {}),
    };
  } catch (error) {
    throw finalError(http, error);
  } finally {
    http.dispose();
  }
}

/** `Type/id`, `Type/id/_history/n` or `[base]/Type/id`; undefined for contained and `urn:` refs. */
function parseReference(
  reference: string,
  baseUrl: string,
): { type: string; id: string } | 'external' | undefined {
  const text = reference.trim();
  if (text.startsWith('#') || text.startsWith('urn:')) return undefined;
  const match = /^(?:(.*)\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(
    text,
  );
  if (!match?.[2] || !match[3]) return undefined;
  const prefix = match[1];
  if (prefix !== undefined && prefix.replace(/\/+$/, '') !== baseUrl) return 'external';
  return { type: match[2], id: match[3] };
}

/**
 * Fetches each distinct reference (`Medication/123`) once: ids of one type in `Type?_id=a,b,c`
 * chunks, reads for what a chunk did not return. References to other servers are reported, not
 * followed (the token belongs to this one).
 */
export async function fetchResourcesByReference(
  options: ReferenceFetchOptions,
  references: readonly string[],
): Promise<ReferenceFetchResult> {
  const tuning = resolveTuning(options.tuning);
  const tracker = new LoadTracker(options.onProgress);
  const http = new FhirHttp({
    fhirBaseUrl: options.fhirBaseUrl,
    accessToken: options.accessToken,
    fetch: options.fetch,
    concurrency: options.concurrency,
    signal: options.signal,
    tuning,
    onRequest: () => tracker.request(),
  });
  const resources: fhir4.FhirResource[] = [];
  const ctx: LoadContext = {
    http,
    tracker,
    tuning,
    capabilities: unknownCapabilities,
    notes: [],
    emit: (found) => {
      tracker.countResources(found.length);
      resources.push(...found);
    },
  };
  const byType = new Map<string, Set<string>>();
  const external = new Set<string>();
  for (const reference of references) {
    const parsed = parseReference(reference, http.baseUrl);
    if (parsed === undefined) continue;
    if (parsed === 'external') {
      external.add(reference);
      continue;
    }
    const ids = byType.get(parsed.type) ?? new Set<string>();
    ids.add(parsed.id);
    byType.set(parsed.type, ids);
  }
  for (const reference of external) {
    const type = /([A-Z][A-Za-z]+)\/[^/]+$/.exec(reference)?.[1] ?? 'Resource';
    recordFailure(
      ctx,
      { ok: false, status: undefined, message: 'The reference points at another server.' },
      describeRead(type),
      type,
    );
  }
  try {
    http.throwIfStopped();
    tracker.setPhase('resolving-references', 0);
    await runPool(byType.entries(), http, async ([type, ids]) => {
      await readByIds(ctx, type, [...ids], { planned: true });
    });
    tracker.emit(true);
  } catch (error) {
    throw finalError(http, error);
  } finally {
    http.dispose();
  }
  return { resources, failures: tracker.failures };
}
