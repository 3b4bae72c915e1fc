// Which screen the app shows, and how that choice lives in the URL. The app owns one query
// parameter, `view`; the panel dashboard owns every other parameter of the panel view. Neither
// ever holds patient data or tokens: a drill-down patient's id stays in memory.

/** The query parameter this module owns. */
export const viewParam = 'view';

/**
 * What the URL asks for: `?view=panel` the panel dashboard, `?view=chart` a chart opened from the
 * dashboard (its patient is in memory only), nothing the launch's own screen.
 */
export type RequestedView = 'panel' | 'chart' | undefined;

export function readRequestedView(search: string): RequestedView {
  const view = new URLSearchParams(search).get(viewParam);
  return view === 'panel' || view === 'chart' ? view : undefined;
}

/** `href` with `view` set (or removed for the launch's own screen); every other part kept. */
export function hrefWithView(href: string, view: RequestedView): string {
  const url = new URL(href);
  if (view === undefined) url.searchParams.delete(viewParam);
  else url.searchParams.set(viewParam, view);
  return url.href;
}

/** Why a launch without a patient cannot show the dashboard. */
export type NoPanelReason =
  /** `fhirUser` is a Patient or RelatedPerson: the dashboard is for staff. */
  | 'patient-user'
  /** The token grants no user-level Patient search, so there is no panel to load. */
  | 'no-panel-access';

export type PanelAccess =
  { readonly kind: 'allowed' } | { readonly kind: 'denied'; readonly reason: NoPanelReason };

export type AppRoute =
  /** The patient the launch put in context. */
  | { readonly kind: 'launch-patient' }
  | { readonly kind: 'panel' }
  /** A chart opened from the dashboard's drill-down. */
  | { readonly kind: 'chart'; readonly patientId: string }
  /** No patient in context and no dashboard for this user or token. */
  | { readonly kind: 'no-panel'; readonly reason: NoPanelReason };

export interface RouteContext {
  readonly hasLaunchPatient: boolean;
  readonly panel: PanelAccess;
  /** The chart last opened from the dashboard, kept in memory; lost on a reload. */
  readonly chartPatientId: string | undefined;
}

function fallback(context: RouteContext): AppRoute {
  if (context.hasLaunchPatient) return { kind: 'launch-patient' };
  return context.panel.kind === 'allowed'
    ? { kind: 'panel' }
    : { kind: 'no-panel', reason: context.panel.reason };
}

/**
 * The screen for a URL. A view the launch cannot show falls back to the launch's own screen, and
 * a chart whose patient was lost on a reload falls back to the dashboard it was opened from.
 */
export function resolveRoute(requested: RequestedView, context: RouteContext): AppRoute {
  if (context.panel.kind !== 'allowed') return fallback(context);
  switch (requested) {
    case 'chart':
      return context.chartPatientId !== undefined
        ? { kind: 'chart', patientId: context.chartPatientId }
        : { kind: 'panel' };
    case 'panel':
      return { kind: 'panel' };
    case undefined:
      return fallback(context);
  }
}

/**
 * The `view` the URL should carry once `requested` resolved to `route`: what was asked for when
 * it was honoured, else the screen actually shown (so a reload or Back lands on it again).
 */
export function canonicalView(requested: RequestedView, route: AppRoute): RequestedView {
  switch (route.kind) {
    case 'launch-patient':
    case 'no-panel':
      return undefined;
    case 'panel':
      // Without a patient in context the dashboard is the launch's own screen: no view needed.
      return requested === 'chart' ? 'panel' : requested;
    case 'chart':
      return 'chart';
  }
}
