import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { Suspense, lazy, useState } from 'react';
import type { ComponentType, MouseEvent } from 'react';
import type { FhirSession } from '../fhir/fhir-session';
import { FhirSessionProvider } from '../fhir/fhir-session-context';
import type { PanelDashboardProps } from '../features/panel/panel-dashboard';
import { NoPatientView } from '../features/patient/no-patient-view';
import type { CalendarDate } from '../features/patient/patient-demographics';
import { calendarDateOf, formatCalendarDate } from '../features/patient/patient-demographics';
import { PatientView, UserRecordNote } from '../features/patient/patient-view';
import { AppFrame } from '../ui/app-frame';
import { LoadStateView } from '../ui/load-state-view';
import type { AppRoute, RequestedView } from './app-route';
import { ChartView } from './chart-view';
import { canOpenOtherCharts, panelAccessOf } from './panel-access';
import { SessionDetails } from './session-details';
import { SessionFailureScreen } from './session-failure-screen';
import { isPatientNotFound, PatientNotFoundView } from '../features/patient/patient-not-found';
import { describeSignedInUser, userDisplayName } from './signed-in-user';
import type { Launch } from './use-launch';
import { useLaunch } from './use-launch';
import type { AppNavigation } from './use-app-route';
import { useAppRoute } from './use-app-route';

export interface AppProps {
  /** Completes the SMART launch; the fhirclient adapter in production, a test session in tests. */
  connect: () => Promise<FhirSession>;
  /** The clock reading ages are computed against. */
  today: Date;
  sandboxUrl: string;
  /**
   * The panel dashboard. By default the real one, loaded on first use so a patient launch does
   * not wait for it; tests of the wiring pass a light component with the same props.
   */
  panelDashboard?: ComponentType<PanelDashboardProps>;
}

const LazyPanelDashboard = lazy(() =>
  import('../features/panel/panel-dashboard').then((module) => ({
    default: module.PanelDashboard,
  })),
);

function Loading({ label }: { label: string }) {
  return (
    <Box
      role="status"
      sx={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 2, py: 10 }}
    >
      <CircularProgress size={28} aria-label={label} />
      <Typography color="text.secondary">{label}</Typography>
    </Box>
  );
}

/** A link between screens: a real href (a new tab works), in-app navigation on a plain click. */
function ViewLink({
  navigation,
  view,
  onOpen,
  children,
}: {
  navigation: AppNavigation;
  view: RequestedView;
  onOpen: () => void;
  children: string;
}) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    onOpen();
  };
  return (
    <Button variant="outlined" size="small" href={navigation.hrefFor(view)} onClick={onClick}>
      {children}
    </Button>
  );
}

/** The way between the launch's patient, the dashboard and a chart opened from it. */
function ViewNavigation({
  route,
  navigation,
  hasLaunchPatient,
  panelAllowed,
}: {
  route: AppRoute;
  navigation: AppNavigation;
  hasLaunchPatient: boolean;
  panelAllowed: boolean;
}) {
  let link;
  switch (route.kind) {
    case 'launch-patient':
      if (!panelAllowed) return null;
      link = (
        <ViewLink navigation={navigation} view="panel" onOpen={navigation.openPanel}>
          Panel dashboard
        </ViewLink>
      );
      break;
    case 'panel':
      if (!hasLaunchPatient) return null;
      link = (
        <ViewLink navigation={navigation} view={undefined} onOpen={navigation.openLaunchPatient}>
          Back to the patient&apos;s chart
        </ViewLink>
      );
      break;
    case 'chart':
      link = (
        <ViewLink navigation={navigation} view="panel" onOpen={navigation.openPanel}>
          Back to the panel dashboard
        </ViewLink>
      );
      break;
    case 'no-panel':
      return null;
  }
  return (
    <Box component="nav" aria-label="Views" sx={{ display: 'flex', gap: 1 }}>
      {link}
    </Box>
  );
}

function ReadyApp({
  launch,
  today,
  sandboxUrl,
  Dashboard,
}: {
  launch: Launch;
  today: Date;
  sandboxUrl: string;
  Dashboard: ComponentType<PanelDashboardProps>;
}) {
  const { context, session } = launch;
  const day: CalendarDate = calendarDateOf(today);
  const signedInAs = describeSignedInUser(context.user, formatCalendarDate(day));
  const panel = panelAccessOf(session.user, session.grantedScopes);
  const hasLaunchPatient = context.patient.kind === 'patient';
  const navigation = useAppRoute({ hasLaunchPatient, panel });
  const { route } = navigation;
  // Once opened, the dashboard stays mounted (hidden) behind the other screens: coming back to it
  // must not reload the panel.
  const [panelMounted, setPanelMounted] = useState(route.kind === 'panel');
  if (route.kind === 'panel' && !panelMounted) setPanelMounted(true);
  const onOpenPatient = canOpenOtherCharts(session.grantedScopes)
    ? navigation.openChart
    : undefined;

  return (
    <AppFrame
      toolbar={
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
          {signedInAs ? (
            <Typography variant="body2" sx={{ display: { xs: 'none', sm: 'block' } }}>
              Signed in as <span data-testid="signed-in-user">{signedInAs}</span>
            </Typography>
          ) : null}
          <SessionDetails />
        </Box>
      }
    >
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        <ViewNavigation
          route={route}
          navigation={navigation}
          hasLaunchPatient={hasLaunchPatient}
          panelAllowed={panel.kind === 'allowed'}
        />
        {route.kind === 'launch-patient' && context.patient.kind === 'patient' ? (
          <PatientView patient={context.patient.patient} user={context.user} today={day} />
        ) : null}
        {route.kind === 'chart' ? (
          <ChartView
            key={route.patientId}
            session={session}
            patientId={route.patientId}
            user={context.user}
            today={day}
            sandboxUrl={sandboxUrl}
          />
        ) : null}
        {route.kind === 'no-panel' ? (
          <>
            <UserRecordNote user={context.user} />
            <NoPatientView
              userName={userDisplayName(context.user, formatCalendarDate(day))}
              reason={route.reason}
            />
          </>
        ) : null}
        {panelMounted ? (
          <Box data-testid="panel-view" hidden={route.kind !== 'panel'}>
            <Suspense fallback={<Loading label="Opening the panel dashboard…" />}>
              <Dashboard user={session.user} today={day} onOpenPatient={onOpenPatient} />
            </Suspense>
          </Box>
        ) : null}
      </Box>
    </AppFrame>
  );
}

/**
 * The app page: completes the launch, then shows the patient in context, the panel dashboard
 * (a launch without a patient, or `?view=panel`), or why neither can open.
 */
export function App({ connect, today, sandboxUrl, panelDashboard = LazyPanelDashboard }: AppProps) {
  const { state, retry } = useLaunch(connect, formatCalendarDate(calendarDateOf(today)));
  return (
    <LoadStateView
      state={state}
      loadingLabel="Connecting to your EHR…"
      renderError={(failure) => (
        <AppFrame>
          {isPatientNotFound(failure) ? (
            // Retrying cannot help: the EHR named a patient its FHIR server does not have.
            <PatientNotFoundView patientId={undefined} />
          ) : (
            <SessionFailureScreen failure={failure} sandboxUrl={sandboxUrl} onRetry={retry} />
          )}
        </AppFrame>
      )}
    >
      {(launch) => (
        <FhirSessionProvider session={launch.session}>
          <ReadyApp
            launch={launch}
            today={today}
            sandboxUrl={sandboxUrl}
            Dashboard={panelDashboard}
          />
        </FhirSessionProvider>
      )}
    </LoadStateView>
  );
}
