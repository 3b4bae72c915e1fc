import { useCallback, useEffect, useState } from 'react';
import type { FhirSession } from '../fhir/fhir-session';
import type { SessionFailure } from '../fhir/session-failure';
import { classifySessionError } from '../fhir/session-failure';
import type { LaunchContext } from '../features/patient/read-launch-context';
import { dropPatientPrefetch, startPatientPrefetch } from '../features/patient/patient-prefetch';
import { readLaunchContext } from '../features/patient/read-launch-context';
import { loadShippedCompiledValueSets } from '../measures/compiled-value-sets';
import type { LoadState } from '../ui/load-state';
import { readRequestedView } from './app-route';

export interface Launch {
  readonly session: FhirSession;
  readonly context: LaunchContext;
}

/**
 * Completes the launch (`connect`) and reads the launch context, as one load state. `retry`
 * starts over from `connect`, which re-runs fhirclient's ready() and the reads. With a patient in
 * context, the patient view's first load (for `today`, `YYYY-MM-DD`) starts at once, alongside
 * the launch context (../features/patient/patient-prefetch.ts).
 */
export function useLaunch(
  connect: () => Promise<FhirSession>,
  today: string,
): {
  state: LoadState<Launch, SessionFailure>;
  retry: () => void;
} {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<LoadState<Launch, SessionFailure>>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    const run = async (): Promise<Launch> => {
      // The patient view's queries need the shipped value sets (their codes build the URLs), and
      // so does the panel: fetch them while the launch completes. The promise is cached; a
      // failure is reported by the view that needs it.
      loadShippedCompiledValueSets().catch(() => undefined);
      const session = await connect();
      // A reload of `?view=panel` or `?view=chart` opens another screen: no prefetch for it.
      if (
        session.patientId === undefined ||
        readRequestedView(window.location.search) !== undefined
      ) {
        return { session, context: await readLaunchContext(session, controller.signal) };
      }
      // The view's one wave and its care gaps' engine start now, with the launch context, which
      // shares the view's read of the Patient.
      const patientRead = startPatientPrefetch(session, session.patientId, today);
      try {
        const context = await readLaunchContext(session, controller.signal, patientRead);
        return { session, context };
      } catch (error) {
        // A retry must not be served this attempt's reads.
        if (!controller.signal.aborted) dropPatientPrefetch();
        throw error;
      }
    };
    run().then(
      (value) => {
        if (!controller.signal.aborted) setState({ status: 'ready', value });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setState({ status: 'error', error: classifySessionError(error) });
        }
      },
    );
    return () => controller.abort();
  }, [connect, today, attempt]);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((previous) => previous + 1);
  }, []);

  return { state, retry };
}
