// The typed messages between the dashboard page and the panel worker's session (architecture.md
// rule 11, "Panel data path"). The worker keeps one panel in memory (compact records and results,
// never raw resources) and answers view, drill-down and trend requests over it, so the page only
// ever receives small, structured-clone-safe results.
//
// PHI hygiene: the access token travels only inside `load-panel` / `access-token` messages (worker
// memory); it is never put in a URL, storage or a log line.

import type {
  DateRange,
  DrillDownParams,
  DrillDownView,
  PanelView,
  PanelViewParams,
  PeriodChoice,
  TrendParams,
  TrendView,
} from '../analysis/panel-view-model';
import type {
  LoadProgress,
  LoadReport,
  LoadStrategy,
  PanelSource,
} from '../fhir/rest/panel-load-types';

export interface LoadPanelRequestBody {
  fhirBaseUrl: string;
  /** Bearer token for the FHIR server; undefined for an open server. */
  accessToken: string | undefined;
  source: PanelSource;
  period: PeriodChoice;
  /** Today's date (YYYY-MM-DD): the page's clock, so the worker's code stays pure. */
  today: string;
  /** Force a rung of the ladder (tests, benchmarks); default: chosen from the server's capabilities. */
  strategy?: LoadStrategy;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
}

export type PanelSessionRequest =
  | ({ type: 'load-panel'; requestId: number } & LoadPanelRequestBody)
  /** A panel from resources already in hand (tests, the worker harness): no network. */
  | {
      type: 'load-resources';
      requestId: number;
      resources: unknown[];
      period: PeriodChoice;
      today: string;
    }
  | { type: 'set-period'; requestId: number; period: PeriodChoice; today: string }
  | { type: 'view'; requestId: number; params: PanelViewParams }
  | { type: 'drill-down'; requestId: number; params: DrillDownParams }
  | { type: 'trend'; requestId: number; params: TrendParams }
  /** Cancels the request with this id (a load stops fetching; partial data is discarded). */
  | { type: 'cancel'; requestId: number }
  /** A refreshed access token for the load in progress. */
  | { type: 'access-token'; accessToken: string };

export interface PanelLoaded {
  report: LoadReport;
  panelSize: number;
  period: DateRange;
}

export type EvaluationProgress = { phase: 'evaluating'; done: number; total: number };

export type PanelSessionProgress = LoadProgress | EvaluationProgress;

export type PanelSessionError = {
  kind: 'session-expired' | 'forbidden' | 'unreachable' | 'server' | 'cancelled' | 'internal';
  message: string;
  status?: number;
};

export type PanelSessionResponse =
  | { type: 'progress'; requestId: number; progress: PanelSessionProgress }
  | { type: 'loaded'; requestId: number; result: PanelLoaded }
  | { type: 'view'; requestId: number; result: PanelView }
  | { type: 'drill-down'; requestId: number; result: DrillDownView }
  | { type: 'trend'; requestId: number; result: TrendView }
  | { type: 'error'; requestId: number; error: PanelSessionError };

/**
 * The page's API to the panel session (./panel-session-client.ts implements it over a module
 * Worker, or in-thread where `Worker` is missing, e.g. jsdom tests). Every method rejects with a
 * `PanelSessionFailure` carrying a `PanelSessionError`.
 */
export interface PanelSessionApi {
  load(
    body: LoadPanelRequestBody,
    options?: { onProgress?: (progress: PanelSessionProgress) => void; signal?: AbortSignal },
  ): Promise<PanelLoaded>;
  loadResources(
    resources: unknown[],
    period: PeriodChoice,
    today: string,
    options?: { onProgress?: (progress: PanelSessionProgress) => void; signal?: AbortSignal },
  ): Promise<PanelLoaded>;
  setPeriod(
    period: PeriodChoice,
    today: string,
    options?: { onProgress?: (progress: PanelSessionProgress) => void; signal?: AbortSignal },
  ): Promise<PanelLoaded>;
  view(params: PanelViewParams): Promise<PanelView>;
  drillDown(params: DrillDownParams): Promise<DrillDownView>;
  trend(params: TrendParams): Promise<TrendView>;
  /** Hands a refreshed access token to a load in progress. */
  updateAccessToken(accessToken: string): void;
  /** Ends the worker and forgets the panel. */
  dispose(): void;
}
