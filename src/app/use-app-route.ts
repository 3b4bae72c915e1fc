import { useCallback, useEffect, useState } from 'react';
import type { AppRoute, PanelAccess, RequestedView } from './app-route';
import { canonicalView, hrefWithView, readRequestedView, resolveRoute } from './app-route';

export interface AppNavigation {
  readonly route: AppRoute;
  /** Shows the dashboard (pushes `?view=panel`, keeping the dashboard's own parameters). */
  readonly openPanel: () => void;
  /** Shows the patient the launch put in context (drops `view`). */
  readonly openLaunchPatient: () => void;
  /** Opens another patient's chart from the dashboard; the id stays in memory only. */
  readonly openChart: (patientId: string) => void;
  /** The URL of a view, for links that can also open in a new tab. */
  readonly hrefFor: (view: RequestedView) => string;
}

/**
 * The app's screen, kept in the URL's `view` parameter with history.pushState so that a reload
 * restores it and Back/Forward move between screens. Runs only after fhirclient's ready() has
 * taken `code`/`state` out of the URL; fhirclient finds its session in sessionStorage on reload,
 * whatever the query says.
 */
export function useAppRoute(context: {
  hasLaunchPatient: boolean;
  panel: PanelAccess;
}): AppNavigation {
  const [requested, setRequested] = useState<RequestedView>(() =>
    readRequestedView(window.location.search),
  );
  const [chartPatientId, setChartPatientId] = useState<string | undefined>(undefined);

  useEffect(() => {
    const onPopState = () => setRequested(readRequestedView(window.location.search));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const { hasLaunchPatient, panel } = context;
  const route = resolveRoute(requested, { hasLaunchPatient, panel, chartPatientId });
  const canonical = canonicalView(requested, route);

  useEffect(() => {
    // A view this launch cannot show (or a chart lost on reload): say in the URL what is shown,
    // without adding a history entry.
    if (canonical !== readRequestedView(window.location.search)) {
      window.history.replaceState(
        window.history.state,
        '',
        hrefWithView(window.location.href, canonical),
      );
    }
  }, [canonical]);

  const go = useCallback((view: RequestedView) => {
    window.history.pushState(window.history.state, '', hrefWithView(window.location.href, view));
    setRequested(view);
  }, []);

  const openPanel = useCallback(() => go('panel'), [go]);
  const openLaunchPatient = useCallback(() => go(undefined), [go]);
  const openChart = useCallback(
    (patientId: string) => {
      setChartPatientId(patientId);
      go('chart');
    },
    [go],
  );
  const hrefFor = useCallback(
    (view: RequestedView) => hrefWithView(window.location.href, view),
    [],
  );

  return { route, openPanel, openLaunchPatient, openChart, hrefFor };
}
