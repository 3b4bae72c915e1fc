// The panel session itself, independent of where it runs (architecture.md rule 11, "Panel data
// path"): one message in, responses out through `post`. The module Worker
// (./panel-session-worker.ts) feeds it `onmessage`; the client's in-thread fallback
// (./panel-session-client.ts) calls it directly. It keeps one panel in memory — compact records
// and evaluated columns, never raw resources — and answers views, drill-downs and trends over it.
//
// PHI hygiene: the access token lives only in this closure; errors posted back carry the loader's
// messages, which name no patient.

import type { ValueSetRegistry } from '../clinical/patient-record';
import type { ValueSetCodes } from '../clinical/value-set-registry';
import { PANEL_MEASURE_IDS } from '../analysis/panel-catalog';
import {
  createPanelDatasetBuilder,
  type PanelDataset,
  type PanelDatasetBuilder,
} from '../analysis/panel-dataset';
import { evaluatePanelSteps, type EvaluatedPanel } from '../analysis/panel-evaluation';
import { resolvePeriod } from '../analysis/panel-periods';
import { panelQueryPlan } from '../analysis/panel-query-plan';
import { buildDrillDownView } from '../analysis/panel-drill-down';
import { buildTrendView } from '../analysis/panel-trend';
import { buildPanelView } from '../analysis/panel-view';
import type { DateRange } from '../analysis/panel-view-model';
import { fetchResourcesByReference, loadPanel } from '../fhir/rest/panel-loader';
import {
  PanelLoadError,
  type LoadReport,
  type LoadTuning,
  type QueryPlan,
} from '../fhir/rest/panel-load-types';
import {
  loadShippedCompiledValueSets,
  loadShippedValueSets,
} from '../measures/compiled-value-sets';
import { cancelledSessionError } from './panel-session-failure';
import type {
  PanelLoaded,
  PanelSessionError,
  PanelSessionProgress,
  PanelSessionRequest,
  PanelSessionResponse,
} from './panel-session-protocol';

/** The value sets a session evaluates with: the registry, and its codes for the query plan. */
export interface SessionValueSets {
  registry: ValueSetRegistry;
  codes: readonly ValueSetCodes[];
}

export interface PanelSessionCoreOptions {
  /** Default: the value sets shipped with the app (src/measures/compiled-value-sets.ts). */
  valueSets?: () => Promise<SessionValueSets>;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Loader waits and sizes (tests). */
  tuning?: LoadTuning;
}

export interface PanelSessionCore {
  /** Handles one message (validated here: anything may arrive over postMessage). */
  handle(message: unknown): void;
}

/** The shipped value sets, loaded once per session module (both lazily cached upstream). */
export async function shippedSessionValueSets(): Promise<SessionValueSets> {
  const [registry, compiled] = await Promise.all([
    loadShippedValueSets(),
    loadShippedCompiledValueSets(),
  ]);
  return { registry, codes: compiled.valueSets };
}

const REQUEST_TYPES: ReadonlySet<string> = new Set([
  'load-panel',
  'load-resources',
  'set-period',
  'view',
  'drill-down',
  'trend',
  'cancel',
  'access-token',
]);

function isRequest(value: unknown): value is PanelSessionRequest {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { type?: unknown; requestId?: unknown; accessToken?: unknown };
  if (typeof r.type !== 'string' || !REQUEST_TYPES.has(r.type)) return false;
  if (r.type === 'access-token') return typeof r.accessToken === 'string';
  return typeof r.requestId === 'number';
}

class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/** A session error from whatever was thrown (loader errors keep their kind and status). */
export function sessionErrorOf(error: unknown): PanelSessionError {
  if (error instanceof Cancelled) return cancelledSessionError();
  if (error instanceof PanelLoadError) {
    const status = error.status === undefined ? {} : { status: error.status };
    switch (error.kind) {
      case 'session-expired':
      case 'forbidden':
      case 'unreachable':
      case 'server':
      case 'cancelled':
        return { kind: error.kind, message: error.message, ...status };
      case 'not-found':
        // The session's error kinds have no "not found": the source (Group, List) is missing on
        // the server, which the page reports as a server answer with its 404.
        return { kind: 'server', message: error.message, status: error.status ?? 404 };
    }
  }
  return {
    kind: 'internal',
    message: error instanceof Error ? error.message : 'The panel session failed.',
  };
}

/** Lets the event loop run (cancel and token messages arrive between evaluation chunks). */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function inMemoryReport(resources: number, patients: number): LoadReport {
  return {
    // Nothing was fetched; the report keeps the loader's shape so the page shows one kind.
    strategy: 'multi-patient-search',
    strategyNotes: ['The resources were given in memory: nothing was loaded over the network.'],
    source: { kind: 'all', description: 'resources given in memory', patientsFound: patients },
    capped: undefined,
    requests: 0,
    pages: 0,
    resources,
    failures: [],
    partial: false,
    cancelled: false,
  };
}

export function createPanelSessionCore(
  post: (response: PanelSessionResponse) => void,
  options: PanelSessionCoreOptions = {},
): PanelSessionCore {
  const loadValueSets = options.valueSets ?? shippedSessionValueSets;
  let valueSets: Promise<SessionValueSets> | undefined;
  const getValueSets = (): Promise<SessionValueSets> => {
    valueSets ??= loadValueSets().catch((error: unknown) => {
      valueSets = undefined;
      throw error;
    });
    return valueSets;
  };

  let accessToken: string | undefined;
  let dataset: PanelDataset | undefined;
  let report: LoadReport | undefined;
  let evaluated: EvaluatedPanel | undefined;
  let today: string | undefined;
  /** Requests that can be cancelled, by id. */
  const runningLoads = new Map<number, AbortController>();

  const throwIfAborted = (signal: AbortSignal) => {
    if (signal.aborted) throw new Cancelled();
  };

  async function evaluate(
    requestId: number,
    data: PanelDataset,
    period: DateRange,
    partial: boolean,
    signal: AbortSignal,
  ): Promise<EvaluatedPanel> {
    const steps = evaluatePanelSteps(data, period, { partial });
    for (;;) {
      throwIfAborted(signal);
      const step = steps.next();
      if (step.done) return step.value;
      const progress: PanelSessionProgress = { phase: 'evaluating', ...step.value };
      post({ type: 'progress', requestId, progress });
      await nextTask();
    }
  }

  /** Evaluates and installs a new panel; the previous one stays until this one is complete. */
  async function install(
    requestId: number,
    data: PanelDataset,
    loadReport: LoadReport,
    period: DateRange,
    day: string,
    signal: AbortSignal,
  ): Promise<PanelLoaded> {
    const result = await evaluate(requestId, data, period, loadReport.partial, signal);
    throwIfAborted(signal);
    dataset = data;
    report = loadReport;
    evaluated = result;
    today = day;
    return { report: loadReport, panelSize: data.patients.length, period: result.period };
  }

  async function loadFromServer(
    request: Extract<PanelSessionRequest, { type: 'load-panel' }>,
    signal: AbortSignal,
  ): Promise<PanelLoaded> {
    const period = resolvePeriod(request.period, request.today);
    accessToken = request.accessToken;
    const sets = await getValueSets();
    throwIfAborted(signal);
    const builder: PanelDatasetBuilder = createPanelDatasetBuilder(sets.registry);
    const plan: QueryPlan = panelQueryPlan(sets.codes, PANEL_MEASURE_IDS);
    const common = {
      fhirBaseUrl: request.fhirBaseUrl,
      accessToken: () => accessToken,
      signal,
      ...(request.concurrency === undefined ? {} : { concurrency: request.concurrency }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
    };
    const loaded = await loadPanel({
      ...common,
      source: request.source,
      plan,
      ...(request.strategy === undefined ? {} : { strategy: request.strategy }),
      onResources: (resources) => {
        for (const resource of resources) builder.add(resource);
      },
      onProgress: (progress) => post({ type: 'progress', requestId: request.requestId, progress }),
    });
    let loadReport = loaded;
    // MedicationRequest.medicationReference to a Medication the load did not bring: fetch each
    // distinct one once (issue 7 §3; Epic and Oracle Health send this shape).
    const references = builder.unresolvedMedicationReferences();
    if (references.length > 0) {
      const fetched = await fetchResourcesByReference(common, references);
      for (const resource of fetched.resources) builder.add(resource);
      if (fetched.failures.length > 0)
        loadReport = {
          ...loaded,
          failures: [...loaded.failures, ...fetched.failures],
          partial: true,
        };
    }
    throwIfAborted(signal);
    // The records are built: the token is not needed again until the next load brings its own.
    accessToken = undefined;
    return install(request.requestId, builder.finish(), loadReport, period, request.today, signal);
  }

  async function loadFromResources(
    request: Extract<PanelSessionRequest, { type: 'load-resources' }>,
    signal: AbortSignal,
  ): Promise<PanelLoaded> {
    const period = resolvePeriod(request.period, request.today);
    const sets = await getValueSets();
    throwIfAborted(signal);
    const builder = createPanelDatasetBuilder(sets.registry);
    for (const resource of request.resources) builder.add(resource);
    const data = builder.finish();
    return install(
      request.requestId,
      data,
      inMemoryReport(data.resources, data.patients.length),
      period,
      request.today,
      signal,
    );
  }

  async function changePeriod(
    request: Extract<PanelSessionRequest, { type: 'set-period' }>,
    signal: AbortSignal,
  ): Promise<PanelLoaded> {
    if (dataset === undefined || report === undefined) throw new Error('No panel is loaded.');
    const period = resolvePeriod(request.period, request.today);
    return install(request.requestId, dataset, report, period, request.today, signal);
  }

  function current(): { panel: EvaluatedPanel; day: string } {
    if (evaluated === undefined || today === undefined) throw new Error('No panel is loaded.');
    return { panel: evaluated, day: today };
  }

  function runLoad(requestId: number, work: (signal: AbortSignal) => Promise<PanelLoaded>): void {
    // One panel at a time: a new load or period supersedes the one in flight.
    for (const running of runningLoads.values()) running.abort();
    const controller = new AbortController();
    runningLoads.set(requestId, controller);
    work(controller.signal).then(
      (result) => {
        runningLoads.delete(requestId);
        post({ type: 'loaded', requestId, result });
      },
      (error: unknown) => {
        runningLoads.delete(requestId);
        post({
          type: 'error',
          requestId,
          error: controller.signal.aborted ? cancelledSessionError() : sessionErrorOf(error),
        });
      },
    );
  }

  return {
    handle(message) {
      if (!isRequest(message)) {
        const requestId =
          typeof message === 'object' && message !== null && 'requestId' in message
            ? Number(message.requestId)
            : -1;
        post({
          type: 'error',
          requestId,
          error: { kind: 'internal', message: 'not a panel session request' },
        });
        return;
      }
      switch (message.type) {
        case 'access-token':
          accessToken = message.accessToken;
          return;
        case 'cancel':
          runningLoads.get(message.requestId)?.abort();
          return;
        case 'load-panel':
          runLoad(message.requestId, (signal) => loadFromServer(message, signal));
          return;
        case 'load-resources':
          runLoad(message.requestId, (signal) => loadFromResources(message, signal));
          return;
        case 'set-period':
          runLoad(message.requestId, (signal) => changePeriod(message, signal));
          return;
        case 'view':
        case 'drill-down':
        case 'trend':
          try {
            const { panel, day } = current();
            if (message.type === 'view')
              post({
                type: 'view',
                requestId: message.requestId,
                result: buildPanelView(panel, message.params),
              });
            else if (message.type === 'drill-down')
              post({
                type: 'drill-down',
                requestId: message.requestId,
                result: buildDrillDownView(panel, message.params),
              });
            else
              post({
                type: 'trend',
                requestId: message.requestId,
                result: buildTrendView(panel, message.params, day),
              });
          } catch (error) {
            post({ type: 'error', requestId: message.requestId, error: sessionErrorOf(error) });
          }
          return;
      }
    },
  };
}
