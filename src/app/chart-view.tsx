import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FhirSession } from '../fhir/fhir-session';
import { FhirSessionProvider } from '../fhir/fhir-session-context';
import type { SessionFailure } from '../fhir/session-failure';
import { classifySessionError } from '../fhir/session-failure';
import type { CalendarDate } from '../features/patient/patient-demographics';
import { PatientView } from '../features/patient/patient-view';
import type { SignedInUser } from '../features/patient/read-launch-context';
import { readPatientInContext } from '../features/patient/read-launch-context';
import type { LoadState } from '../ui/load-state';
import { LoadStateView } from '../ui/load-state-view';
import { withPatientInContext } from './patient-context-session';
import { SessionFailureScreen } from './session-failure-screen';
import { isPatientNotFound, PatientNotFoundView } from '../features/patient/patient-not-found';

export interface ChartViewProps {
  /** The launch's session; the chart gets a copy with `patientId` in context. */
  session: FhirSession;
  patientId: string;
  user: SignedInUser;
  today: CalendarDate;
  sandboxUrl: string;
}

function useChartPatient(session: FhirSession): {
  state: LoadState<fhir4.Patient, SessionFailure>;
  retry: () => void;
} {
  const [attempt, setAttempt] = useState(0);
  const [loaded, setLoaded] = useState<{
    session: FhirSession;
    attempt: number;
    state: LoadState<fhir4.Patient, SessionFailure>;
  }>();

  useEffect(() => {
    const controller = new AbortController();
    const settle = (state: LoadState<fhir4.Patient, SessionFailure>) => {
      if (!controller.signal.aborted) setLoaded({ session, attempt, state });
    };
    readPatientInContext(session, controller.signal).then(
      (context) => {
        settle(
          context.kind === 'patient'
            ? { status: 'ready', value: context.patient }
            : // Unreachable: the chart's session always has a patient in context.
              { status: 'error', error: { kind: 'server', status: undefined } },
        );
      },
      (error: unknown) => settle({ status: 'error', error: classifySessionError(error) }),
    );
    return () => controller.abort();
  }, [session, attempt]);

  const retry = useCallback(() => setAttempt((previous) => previous + 1), []);
  // A result for another patient or an earlier attempt is stale: show the spinner instead.
  const state: LoadState<fhir4.Patient, SessionFailure> =
    loaded && loaded.session === session && loaded.attempt === attempt
      ? loaded.state
      : { status: 'loading' };
  return { state, retry };
}

/** A chart opened from the dashboard's drill-down: the patient view for another patient. */
export function ChartView({ session, patientId, user, today, sandboxUrl }: ChartViewProps) {
  const chartSession = useMemo(
    () => withPatientInContext(session, patientId),
    [session, patientId],
  );
  const { state, retry } = useChartPatient(chartSession);
  return (
    <FhirSessionProvider session={chartSession}>
      <LoadStateView
        state={state}
        loadingLabel="Opening the patient's chart…"
        renderError={(failure) =>
          isPatientNotFound(failure) ? (
            <PatientNotFoundView patientId={patientId} />
          ) : (
            <SessionFailureScreen failure={failure} sandboxUrl={sandboxUrl} onRetry={retry} />
          )
        }
      >
        {(patient) => <PatientView patient={patient} user={user} today={today} />}
      </LoadStateView>
    </FhirSessionProvider>
  );
}
