// The practice manager's panel dashboard (issue 7 §4). Data comes only through the panel session
// (src/worker/panel-session-protocol.ts): the page never fetches or parses the panel's resources.
// The view lives in the URL (./panel-url-state.ts) so a refresh or a shared link restores it.
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import LinearProgress from '@mui/material/LinearProgress';
import CardContent from '@mui/material/CardContent';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import MenuItem from '@mui/material/MenuItem';
import Typography from '@mui/material/Typography';
import { startTransition, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { PANEL_MEASURES, PANEL_STRATIFIERS } from '../../analysis/panel-catalog';
import type {
  DrillDownView,
  PanelMeasureId,
  PanelView,
  PanelViewParams,
  TrendView,
} from '../../analysis/panel-view-model';
import type { FhirUserRef } from '../../fhir/fhir-session';
import { useFhirSession } from '../../fhir/fhir-session-context';
import { CsvExportProvider } from '../../ui/csv-export-context';
import type { CsvExportSettings } from '../../ui/csv-export-context';
import type { LoadState } from '../../ui/load-state';
import { LoadStateView } from '../../ui/load-state-view';
import { createPanelSession } from '../../worker/panel-session-client';
import { isPanelSessionFailure } from '../../worker/panel-session-failure';
import type {
  PanelLoaded,
  PanelSessionApi,
  PanelSessionError,
  PanelSessionProgress,
} from '../../worker/panel-session-protocol';
import type { CalendarDate } from '../patient/patient-demographics';
import { CompletenessTab } from './completeness-tab';
import { DrillDownDialog } from './drill-down-dialog';
import { LiveLoadProgressView, LoadReportView } from './load-progress-view';
import { MeasureDetailTab } from './measure-detail-tab';
import { OverviewTab } from './overview-tab';
import { PanelCatalogProvider, usePanelCatalog } from './panel-catalog-context';
import { PanelControls } from './panel-controls';
import { formatInteger } from './panel-format';
import type { DrillDownRequest, PanelNavigation } from './panel-navigation';
import { isoDate, resolveSource, sourceAvailable, sourceLabel } from './panel-source';
import { PanelSourcePicker } from './panel-source-picker';
import { createThrottledFeed, type ProgressFeed, type ThrottledFeed } from './progress-feed';
import {
  DEFAULT_ALL_PATIENTS_CAP,
  defaultUrlState,
  readPanelUrlStateFromLocation,
  replacePanelUrlState,
} from './panel-url-state';
import type { PanelTab, PanelUrlState, SourceChoice } from './panel-url-state';
import { TrendsTab } from './trends-tab';

export interface PanelDashboardProps {
  /** The signed-in user; "my patients" and "seen by me" need a Practitioner. */
  user: FhirUserRef | undefined;
  /** Today, from the app's clock: default measurement period and ages. */
  today: CalendarDate;
  /**
   * Opens one patient's view inside the app (drill-down "open chart"); undefined when the token
   * cannot read other patients' charts.
   */
  onOpenPatient?: (patientId: string) => void;
}

const CATALOG = { measures: PANEL_MEASURES, stratifiers: PANEL_STRATIFIERS };

/** Quarters the trends tab shows (issue 7 §4: "the last eight quarters"). */
const TREND_QUARTERS = 8;

/**
 * The progress card is redrawn at most this often (5 a second): each redraw is main-thread work
 * taken from the worker and the network while the panel loads.
 */
const PROGRESS_INTERVAL_MS = 200;

/** How often a long load gets a fresh access token (tokens commonly live 5–60 minutes). */
const TOKEN_REFRESH_MS = 60_000;

const SHARE_EXPORT: CsvExportSettings = {
  filenamePrefix: 'share-',
  preamble: [
    [
      'Share export: counts of 1 to 10, and any count that would reveal one, are suppressed (CMS cell-size rule).',
    ],
  ],
};
const STAFF_EXPORT: CsvExportSettings = { filenamePrefix: '', preamble: [] };

type PanelLoadState =
  | { kind: 'idle' }
  | { kind: 'needs-input'; message: string }
  | { kind: 'loading'; description: string; progress: ProgressFeed<PanelSessionProgress> }
  | { kind: 'loaded'; description: string; loaded: PanelLoaded }
  | { kind: 'cancelled'; description: string }
  | { kind: 'failed'; description: string; error: PanelSessionError };

type ViewFields = Pick<
  PanelUrlState,
  | 'measureIds'
  | 'stratifierId'
  | 'secondStratifierId'
  | 'reference'
  | 'presentation'
  | 'tab'
  | 'focusMeasureId'
>;

/** The measure the detail and trends tabs show: the chosen one, else the first selected. */
function focusOf(fields: Pick<PanelUrlState, 'measureIds' | 'focusMeasureId'>) {
  return fields.focusMeasureId !== undefined && fields.measureIds.includes(fields.focusMeasureId)
    ? fields.focusMeasureId
    : fields.measureIds[0];
}

function viewParamsOf(fields: ViewFields): PanelViewParams {
  const focus = focusOf(fields);
  return {
    measureIds: fields.measureIds,
    stratifierId: fields.stratifierId,
    ...(fields.secondStratifierId ? { secondStratifierId: fields.secondStratifierId } : {}),
    reference: fields.reference,
    presentation: fields.presentation,
    // Only the detail tab shows a measure's detail (the costliest part of a view): other tabs
    // ask for none.
    detailMeasureIds: fields.tab === 'detail' && focus !== undefined ? [focus] : [],
  };
}

/** What a view answers: the panel's period and the view's parameters. */
const viewKeyOf = (loaded: PanelLoaded, params: PanelViewParams): string =>
  `${loaded.period.start}|${JSON.stringify(params)}`;

function sessionError(error: unknown): PanelSessionError {
  if (isPanelSessionFailure(error)) return error.error;
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function errorWords(error: PanelSessionError): string {
  switch (error.kind) {
    case 'session-expired':
      return 'Your session with the EHR has ended. Launch the app again to load the panel.';
    case 'forbidden':
      return `The server refused to share these patients${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}`;
    case 'unreachable':
      return `The FHIR server could not be reached: ${error.message}`;
    case 'server':
      return `The FHIR server answered with an error${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}`;
    case 'cancelled':
      return 'Loading was cancelled.';
    case 'internal':
      return `The panel could not be computed: ${error.message}`;
  }
}

/** The app's `?view=`: `panel` when asked for, absent on a launch whose own screen is the panel. */
function appView(): string | null {
  return new URLSearchParams(window.location.search).get('view');
}

/** A mounted dashboard is on screen unless another view is asked for. */
function urlBelongsToPanel(): boolean {
  const view = appView();
  return view === null || view === 'panel';
}

function TabPanel({
  id,
  tabId,
  active,
  children,
}: {
  id: string;
  tabId: string;
  active: boolean;
  children: ReactNode;
}) {
  return (
    <Box role="tabpanel" id={id} aria-labelledby={tabId} hidden={!active} sx={{ pt: 2 }}>
      {active ? children : null}
    </Box>
  );
}

function FocusMeasurePicker({
  measureIds,
  value,
  onChange,
}: {
  measureIds: readonly PanelMeasureId[];
  value: PanelMeasureId;
  onChange: (id: PanelMeasureId) => void;
}) {
  const { measure } = usePanelCatalog();
  return (
    <TextField
      select
      size="small"
      label="Measure"
      value={value}
      onChange={(event) => {
        const id = measureIds.find((m) => m === event.target.value);
        if (id) onChange(id);
      }}
      sx={{ minWidth: 260, maxWidth: 480 }}
    >
      {measureIds.map((id) => (
        <MenuItem key={id} value={id}>
          {measure(id).title}
        </MenuItem>
      ))}
    </TextField>
  );
}

interface DrillDownState {
  request: DrillDownRequest;
  state: LoadState<DrillDownView, string>;
}

/** One answer of the session, tagged with what it answers, so a stale one is never shown as new. */
interface Answer<T> {
  key: string;
  state: LoadState<T, string>;
}

function Dashboard({ user, today, onOpenPatient }: PanelDashboardProps) {
  const fhirSession = useFhirSession();
  const headingId = useId();
  const tabsId = useId();
  const [defaults] = useState(() =>
    defaultUrlState({ practitioner: user?.resourceType === 'Practitioner', today }),
  );
  const [state, setState] = useState<PanelUrlState>(() => readPanelUrlStateFromLocation(defaults));
  // The latest state for callbacks that outlive a render (a load finishing later).
  const stateRef = useRef(state);

  // The session lives as long as the dashboard: created on first use (never during render, so a
  // discarded render starts no worker) and ended on unmount.
  const sessionRef = useRef<PanelSessionApi | undefined>(undefined);
  const getSession = useCallback((): PanelSessionApi => {
    sessionRef.current ??= createPanelSession();
    return sessionRef.current;
  }, []);

  const [load, setLoad] = useState<PanelLoadState>({ kind: 'idle' });
  // One progress feed per load; a superseded load's feed is closed so it wakes nobody.
  const progressRef = useRef<ThrottledFeed<PanelSessionProgress> | undefined>(undefined);
  const startProgress = useCallback((): ThrottledFeed<PanelSessionProgress> => {
    progressRef.current?.close();
    const next = createThrottledFeed<PanelSessionProgress>(PROGRESS_INTERVAL_MS);
    progressRef.current = next;
    return next;
  }, []);
  const [viewAnswer, setViewAnswer] = useState<Answer<PanelView> | undefined>(undefined);
  /** The latest answer set, for the view effect: an answer the load brought is not asked again. */
  const viewAnswerRef = useRef<Answer<PanelView> | undefined>(undefined);
  const abortRef = useRef<AbortController | undefined>(undefined);
  const todayIso = isoDate(today);

  const runLoad = useCallback(
    async (choice: SourceChoice) => {
      const resolved = resolveSource(choice, user, today);
      if (resolved.kind === 'needs-input') {
        setLoad({ kind: 'needs-input', message: resolved.message });
        return;
      }
      const session = getSession();
      abortRef.current?.abort();
      const controller = new AbortController();
      abortRef.current = controller;
      const description = resolved.description;
      const progress = startProgress();
      setLoad({ kind: 'loading', description, progress: progress.feed });
      // A new panel: the previous panel's view must not stand in for this one's while it computes.
      viewAnswerRef.current = undefined;
      setViewAnswer(undefined);
      let refresh: ReturnType<typeof setInterval> | undefined;
      try {
        const accessToken = await fhirSession.accessToken();
        if (accessToken !== undefined) {
          // A panel can take minutes; the worker gets each refreshed token in memory.
          refresh = setInterval(() => {
            fhirSession.accessToken().then(
              (token) => {
                if (token !== undefined) session.updateAccessToken(token);
              },
              () => undefined,
            );
          }, TOKEN_REFRESH_MS);
        }
        const loaded = await session.load(
          {
            fhirBaseUrl: fhirSession.serverUrl,
            accessToken,
            source: resolved.source,
            period: stateRef.current.period,
            today: todayIso,
          },
          {
            signal: controller.signal,
            onProgress: (value) => {
              if (!controller.signal.aborted) progress.push(value);
            },
          },
        );
        if (controller.signal.aborted) return;
        // The overview is asked for at once and shown with the panel in one transition: one
        // sliced render instead of the loaded page, then the view, each a long task of its own.
        const params = viewParamsOf(stateRef.current);
        const key = viewKeyOf(loaded, params);
        const answer: Answer<PanelView> = await session.view(params).then(
          (value) => ({ key, state: { status: 'ready', value } }),
          (error: unknown) => ({
            key,
            state: { status: 'error', error: errorWords(sessionError(error)) },
          }),
        );
        if (controller.signal.aborted) return;
        viewAnswerRef.current = answer;
        startTransition(() => {
          setLoad({ kind: 'loaded', description, loaded });
          setViewAnswer(answer);
        });
      } catch (error) {
        if (abortRef.current !== controller) return;
        const e = sessionError(error);
        setLoad(
          e.kind === 'cancelled'
            ? { kind: 'cancelled', description }
            : { kind: 'failed', description, error: e },
        );
      } finally {
        progress.close();
        if (refresh !== undefined) clearInterval(refresh);
      }
    },
    [getSession, user, today, fhirSession, todayIso, startProgress],
  );

  /** A new period re-evaluates the panel in memory; nothing is fetched again. */
  const reevaluate = useCallback(
    (current: PanelLoadState) => {
      if (current.kind !== 'loaded') return;
      const session = getSession();
      const { description } = current;
      const report = current.loaded.report;
      abortRef.current?.abort();
      const controller = new AbortController();
      abortRef.current = controller;
      const progress = startProgress();
      setLoad({ kind: 'loading', description, progress: progress.feed });
      session
        .setPeriod(stateRef.current.period, todayIso, {
          signal: controller.signal,
          onProgress: (value) => {
            if (!controller.signal.aborted) progress.push(value);
          },
        })
        .finally(() => progress.close())
        .then(
          // The load report (requests, failures) is the original load's: keep it.
          (loaded) => {
            if (!controller.signal.aborted) {
              setLoad({ kind: 'loaded', description, loaded: { ...loaded, report } });
            }
          },
          (error: unknown) => {
            if (abortRef.current !== controller) return;
            const e = sessionError(error);
            setLoad(
              e.kind === 'cancelled'
                ? { kind: 'cancelled', description }
                : { kind: 'failed', description, error: e },
            );
          },
        );
    },
    [getSession, todayIso, startProgress],
  );

  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  }, [load]);

  const apply = useCallback(
    (next: PanelUrlState) => {
      const periodChanged = JSON.stringify(next.period) !== JSON.stringify(stateRef.current.period);
      stateRef.current = next;
      setState(next);
      if (periodChanged) reevaluate(loadRef.current);
    },
    [reevaluate],
  );

  const update = useCallback(
    (patch: Partial<PanelUrlState>) => {
      const next = { ...stateRef.current, ...patch };
      replacePanelUrlState(next);
      apply(next);
    },
    [apply],
  );

  // Mounting writes the view into the URL (a shared link carries it whole) and loads the panel at
  // once: the practice manager sees it without a click. Unmounting cancels the load and ends the
  // session (a remount, e.g. React's StrictMode check, starts afresh).
  const runLoadRef = useRef(runLoad);
  useEffect(() => {
    runLoadRef.current = runLoad;
  }, [runLoad]);
  useEffect(() => {
    if (urlBelongsToPanel()) replacePanelUrlState(stateRef.current);
    void runLoadRef.current(stateRef.current.source);
    return () => {
      abortRef.current?.abort();
      abortRef.current = undefined;
      sessionRef.current?.dispose();
      sessionRef.current = undefined;
    };
  }, []);

  // Back / forward within the panel view restores its settings; other views' history is the app's.
  useEffect(() => {
    const onPopState = () => {
      // Only an entry of the panel view is read: the panel keeps its URL in step with its state
      // (replaceState), so any other entry either is the same view or belongs to another screen.
      if (appView() === 'panel') apply(readPanelUrlStateFromLocation(defaults));
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, [defaults, apply]);

  const loadSource = (choice: SourceChoice) => {
    // A transition: taking the current panel off the page is rendered in slices, not in the
    // click's own task.
    startTransition(() => {
      update({ source: choice });
      void runLoad(choice);
    });
  };

  const cancel = () => abortRef.current?.abort();

  const loaded = load.kind === 'loaded' ? load.loaded : undefined;
  const params: PanelViewParams = useMemo(
    () =>
      viewParamsOf({
        measureIds: state.measureIds,
        stratifierId: state.stratifierId,
        secondStratifierId: state.secondStratifierId,
        reference: state.reference,
        presentation: state.presentation,
        tab: state.tab,
        focusMeasureId: state.focusMeasureId,
      }),
    [
      state.measureIds,
      state.stratifierId,
      state.secondStratifierId,
      state.reference,
      state.presentation,
      state.tab,
      state.focusMeasureId,
    ],
  );
  const viewKey = loaded ? viewKeyOf(loaded, params) : '';
  useEffect(() => {
    if (!loaded || viewAnswerRef.current?.key === viewKey) return;
    let current = true;
    const answer = (next: Answer<PanelView>) => {
      if (!current) return;
      viewAnswerRef.current = next;
      // A transition: React renders the view in slices between frames and input instead of one
      // long task (the overview is the largest render of the page).
      startTransition(() => setViewAnswer(next));
    };
    getSession()
      .view(params)
      .then(
        (value) => answer({ key: viewKey, state: { status: 'ready', value } }),
        (error: unknown) =>
          answer({
            key: viewKey,
            state: { status: 'error', error: errorWords(sessionError(error)) },
          }),
      );
    return () => {
      current = false;
    };
  }, [getSession, loaded, params, viewKey]);
  // While a new view is computed the previous one stays on screen, marked as updating.
  const view: LoadState<PanelView, string> = viewAnswer?.state ?? { status: 'loading' };
  const viewUpdating = viewAnswer !== undefined && viewAnswer.key !== viewKey;

  const focus: PanelMeasureId | undefined = focusOf(state);

  const trendKey =
    loaded && state.tab === 'trends' && focus !== undefined
      ? `${loaded.period.start}|${focus}|${state.stratifierId}|${String(state.presentation)}`
      : '';
  const [trendAnswer, setTrendAnswer] = useState<Answer<TrendView> | undefined>(undefined);
  useEffect(() => {
    if (trendKey === '' || focus === undefined) return;
    let current = true;
    getSession()
      .trend({
        measureId: focus,
        stratifierId: state.stratifierId,
        quarters: TREND_QUARTERS,
        presentation: state.presentation,
      })
      .then(
        (value) => {
          if (current) setTrendAnswer({ key: trendKey, state: { status: 'ready', value } });
        },
        (error: unknown) => {
          if (current) {
            setTrendAnswer({
              key: trendKey,
              state: { status: 'error', error: errorWords(sessionError(error)) },
            });
          }
        },
      );
    return () => {
      current = false;
    };
  }, [getSession, trendKey, focus, state.stratifierId, state.presentation]);
  const trend: LoadState<TrendView, string> =
    trendAnswer !== undefined && trendAnswer.key === trendKey
      ? trendAnswer.state
      : { status: 'loading' };

  const [drill, setDrill] = useState<DrillDownState | undefined>(undefined);
  const fetchDrillDown = useCallback(
    (request: DrillDownRequest) => {
      setDrill({ request, state: { status: 'loading' } });
      getSession()
        .drillDown({
          selection: request.selection,
          stratifierId: request.stratifierId,
          ...(request.secondStratifierId ? { secondStratifierId: request.secondStratifierId } : {}),
        })
        .then(
          (value) =>
            setDrill((d) =>
              d?.request === request ? { request, state: { status: 'ready', value } } : d,
            ),
          (error: unknown) =>
            setDrill((d) =>
              d?.request === request
                ? { request, state: { status: 'error', error: errorWords(sessionError(error)) } }
                : d,
            ),
        );
    },
    [getSession],
  );

  const navigation: PanelNavigation = {
    openDetail: (measureId, stratifierId) =>
      update({
        tab: 'detail',
        focusMeasureId: measureId,
        ...(stratifierId && stratifierId !== state.stratifierId
          ? {
              stratifierId,
              secondStratifierId:
                state.secondStratifierId === stratifierId ? undefined : state.secondStratifierId,
            }
          : {}),
      }),
    // Presentation mode shows no patient lists (issue 7 §4 "Who sees what").
    drillDown: state.presentation ? undefined : fetchDrillDown,
  };

  const openChart =
    onOpenPatient === undefined
      ? undefined
      : (patientId: string) => {
          setDrill(undefined);
          onOpenPatient(patientId);
        };

  const tabs: { id: PanelTab; label: string }[] = [
    { id: 'overview', label: 'Overview' },
    { id: 'detail', label: 'Measure detail' },
    { id: 'trends', label: 'Trends' },
    { id: 'completeness', label: 'Data completeness' },
  ];
  const tabId = (tab: PanelTab) => `${tabsId}-tab-${tab}`;
  const panelId = (tab: PanelTab) => `${tabsId}-panel-${tab}`;
  const busy = load.kind === 'loading';
  const otherSources = (['my-patients', 'seen-by-me', 'group', 'list', 'all'] as const).filter(
    (kind) => kind !== state.source.kind && sourceAvailable(kind, user),
  );

  return (
    <CsvExportProvider settings={state.presentation ? SHARE_EXPORT : STAFF_EXPORT}>
      <Box
        component="section"
        aria-labelledby={headingId}
        data-testid="panel-dashboard"
        sx={{ display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}
      >
        <Box>
          <Typography id={headingId} variant="h4" component="h1">
            Panel dashboard
          </Typography>
          {loaded ? (
            <Typography color="text.secondary" data-testid="panel-summary">
              {formatInteger(loaded.panelSize)} patients · measurement period {loaded.period.start}{' '}
              to {loaded.period.end}
            </Typography>
          ) : null}
        </Box>

        {load.kind === 'loaded' && load.loaded.panelSize > 0 ? (
          // Once a panel is on screen the choice folds away; the numbers come first.
          <Accordion
            variant="outlined"
            disableGutters
            data-testid="panel-source"
            slotProps={{ heading: { component: 'h2' } }}
          >
            <AccordionSummary
              expandIcon={
                <Box component="span" aria-hidden="true">
                  ▾
                </Box>
              }
              aria-controls={`${tabsId}-source`}
              id={`${tabsId}-source-summary`}
            >
              <Typography>Panel: {sourceLabel(state.source.kind)} — change</Typography>
            </AccordionSummary>
            <AccordionDetails id={`${tabsId}-source`}>
              <PanelSourcePicker
                key={JSON.stringify(state.source)}
                user={user}
                current={state.source}
                onLoad={loadSource}
                busy={busy}
              />
            </AccordionDetails>
          </Accordion>
        ) : (
          <Card variant="outlined">
            <CardContent>
              <PanelSourcePicker
                key={JSON.stringify(state.source)}
                user={user}
                current={state.source}
                onLoad={loadSource}
                busy={busy}
              />
            </CardContent>
          </Card>
        )}

        {load.kind === 'needs-input' ? <Alert severity="info">{load.message}</Alert> : null}
        {load.kind === 'loading' ? (
          <LiveLoadProgressView
            feed={load.progress}
            sourceDescription={load.description}
            onCancel={cancel}
          />
        ) : null}
        {load.kind === 'cancelled' ? (
          <Alert
            severity="info"
            data-testid="panel-load-cancelled"
            action={
              <Button color="inherit" size="small" onClick={() => void runLoad(state.source)}>
                Load again
              </Button>
            }
          >
            Loading {load.description} was cancelled; nothing was kept.
          </Alert>
        ) : null}
        {load.kind === 'failed' ? (
          <Alert
            severity="error"
            data-testid="panel-load-failed"
            action={
              load.error.kind === 'session-expired' ? undefined : (
                <Button color="inherit" size="small" onClick={() => void runLoad(state.source)}>
                  Try again
                </Button>
              )
            }
          >
            {errorWords(load.error)}
          </Alert>
        ) : null}

        {load.kind === 'loaded' && load.loaded.panelSize === 0 ? (
          <Alert severity="warning" data-testid="panel-found-nobody">
            <Typography sx={{ fontWeight: 600 }}>
              {sourceLabel(state.source.kind)} found nobody.
            </Typography>
            <Typography variant="body2" sx={{ mb: 1 }}>
              Many servers do not record a general practitioner or visit participants. Try another
              source:
            </Typography>
            <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
              {otherSources
                .filter((kind) => kind !== 'group' && kind !== 'list')
                .map((kind) => (
                  <Button
                    key={kind}
                    size="small"
                    variant="outlined"
                    color="inherit"
                    onClick={() =>
                      loadSource(
                        kind === 'all' ? { kind: 'all', cap: DEFAULT_ALL_PATIENTS_CAP } : { kind },
                      )
                    }
                  >
                    {sourceLabel(kind)}
                  </Button>
                ))}
            </Box>
            <Typography variant="body2" sx={{ mt: 1 }}>
              Or choose a Group or a List above.
            </Typography>
          </Alert>
        ) : null}

        {load.kind === 'loaded' && load.loaded.panelSize > 0 ? (
          <>
            <LoadReportView report={load.loaded.report} panelSize={load.loaded.panelSize} />
            <PanelControls
              state={state}
              currentYear={today.year}
              referenceChoices={view.status === 'ready' ? view.value.referenceChoices : []}
              onChange={update}
              disabled={busy}
            />
            {viewUpdating ? <LinearProgress aria-label="Updating the view" /> : null}
            {state.presentation ? (
              <Alert severity="info" data-testid="presentation-banner">
                Presentation mode: counts of 1 to 10, and any count that would reveal one, are
                suppressed, and patient lists are hidden. CSV downloads are &ldquo;share&rdquo;
                exports.
              </Alert>
            ) : null}
            <LoadStateView
              state={view}
              loadingLabel="Computing the view…"
              renderError={(message) => <Alert severity="error">{message}</Alert>}
            >
              {(panelView) => (
                <Box sx={{ minWidth: 0 }}>
                  <Tabs
                    value={state.tab}
                    onChange={(_, value: PanelTab) => update({ tab: value })}
                    aria-label="Dashboard sections"
                    variant="scrollable"
                    allowScrollButtonsMobile
                    sx={{ borderBottom: 1, borderColor: 'divider' }}
                  >
                    {tabs.map((t) => (
                      <Tab
                        key={t.id}
                        value={t.id}
                        label={t.label}
                        id={tabId(t.id)}
                        aria-controls={panelId(t.id)}
                      />
                    ))}
                  </Tabs>
                  <TabPanel
                    id={panelId('overview')}
                    tabId={tabId('overview')}
                    active={state.tab === 'overview'}
                  >
                    <OverviewTab
                      view={panelView}
                      stratifierId={state.stratifierId}
                      navigation={navigation}
                    />
                  </TabPanel>
                  <TabPanel
                    id={panelId('detail')}
                    tabId={tabId('detail')}
                    active={state.tab === 'detail'}
                  >
                    {focus !== undefined ? (
                      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
                        <FocusMeasurePicker
                          measureIds={state.measureIds}
                          value={focus}
                          onChange={(id) => update({ focusMeasureId: id })}
                        />
                        {(() => {
                          const detail = panelView.details.find((d) => d.measureId === focus);
                          return detail ? (
                            <MeasureDetailTab
                              detail={detail}
                              partial={panelView.partial}
                              presentation={panelView.presentation}
                              navigation={navigation}
                            />
                          ) : viewUpdating ? (
                            <Typography color="text.secondary">
                              Computing the measure&apos;s detail…
                            </Typography>
                          ) : (
                            <Typography>No detail for this measure.</Typography>
                          );
                        })()}
                      </Box>
                    ) : null}
                  </TabPanel>
                  <TabPanel
                    id={panelId('trends')}
                    tabId={tabId('trends')}
                    active={state.tab === 'trends'}
                  >
                    {focus !== undefined ? (
                      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
                        <FocusMeasurePicker
                          measureIds={state.measureIds}
                          value={focus}
                          onChange={(id) => update({ focusMeasureId: id })}
                        />
                        <LoadStateView
                          state={trend}
                          loadingLabel="Computing eight quarters…"
                          renderError={(message) => <Alert severity="error">{message}</Alert>}
                        >
                          {(value) => <TrendsTab trend={value} partial={panelView.partial} />}
                        </LoadStateView>
                      </Box>
                    ) : null}
                  </TabPanel>
                  <TabPanel
                    id={panelId('completeness')}
                    tabId={tabId('completeness')}
                    active={state.tab === 'completeness'}
                  >
                    <CompletenessTab
                      elements={panelView.completeness}
                      stratifierId={state.stratifierId}
                      partial={panelView.partial}
                      navigation={navigation}
                    />
                  </TabPanel>
                </Box>
              )}
            </LoadStateView>
          </>
        ) : null}

        {drill && !state.presentation ? (
          <DrillDownDialog
            title={drill.request.title}
            state={drill.state}
            onClose={() => setDrill(undefined)}
            onRetry={() => fetchDrillDown(drill.request)}
            onOpenPatient={openChart}
          />
        ) : null}
      </Box>
    </CsvExportProvider>
  );
}

/** The practice manager's panel dashboard: load a panel, then its stratified measures. */
export function PanelDashboard(props: PanelDashboardProps) {
  return (
    <PanelCatalogProvider catalog={CATALOG}>
      <Dashboard {...props} />
    </PanelCatalogProvider>
  );
}
