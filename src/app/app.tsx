import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { FhirSession } from '../fhir/fhir-session';
import { FhirSessionProvider } from '../fhir/fhir-session-context';
import { NoPatientView } from '../features/patient/no-patient-view';
import { calendarDateOf, formatCalendarDate } from '../features/patient/patient-demographics';
import { PatientView, UserRecordNote } from '../features/patient/patient-view';
import { AppFrame } from '../ui/app-frame';
import { LoadStateView } from '../ui/load-state-view';
import { SessionDetails } from './session-details';
import { SessionFailureScreen } from './session-failure-screen';
import { describeSignedInUser, userDisplayName } from './signed-in-user';
import type { Launch } from './use-launch';
import { useLaunch } from './use-launch';

export interface AppProps {
  /** Completes the SMART launch; the fhirclient adapter in production, a test session in tests. */
  connect: () => Promise<FhirSession>;
  /** The clock reading ages are computed against. */
  today: Date;
  sandboxUrl: string;
}

function ReadyApp({ launch, today }: { launch: Launch; today: Date }) {
  const { context } = launch;
  const day = calendarDateOf(today);
  const signedInAs = describeSignedInUser(context.user, formatCalendarDate(day));
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
      {context.patient.kind === 'patient' ? (
        <PatientView patient={context.patient.patient} user={context.user} today={day} />
      ) : (
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
          <UserRecordNote user={context.user} />
          <NoPatientView userName={userDisplayName(context.user, formatCalendarDate(day))} />
        </Box>
      )}
    </AppFrame>
  );
}

/** The app page: completes the launch, then shows the patient in context or why it can't. */
export function App({ connect, today, sandboxUrl }: AppProps) {
  const { state, retry } = useLaunch(connect);
  return (
    <LoadStateView
      state={state}
      loadingLabel="Connecting to your EHR…"
      renderError={(failure) => (
        <AppFrame>
          <SessionFailureScreen failure={failure} sandboxUrl={sandboxUrl} onRetry={retry} />
        </AppFrame>
      )}
    >
      {(launch) => (
        <FhirSessionProvider session={launch.session}>
          <ReadyApp launch={launch} today={today} />
        </FhirSessionProvider>
      )}
    </LoadStateView>
  );
}
