import { useCallback, useEffect, useState } from 'react';
import type { FhirSession } from '../fhir/fhir-session';
import type { SessionFailure } from '../fhir/session-failure';
import { classifySessionError } from '../fhir/session-failure';
import type { LaunchContext } from '../features/patient/read-launch-context';
import { readLaunchContext } from '../features/patient/read-launch-context';
import type { LoadState } from '../ui/load-state';
import { shippedClinicalEngine } from '../worker/clinical-engine';

export interface Launch {
  readonly session: FhirSession;
  readonly context: LaunchContext;
}

/**
 * Completes the launch (`connect`) and reads the launch context, as one load state. `retry`
 * starts over from `connect`, which re-runs fhirclient's ready() and the reads.
 */
export function useLaunch(connect: () => Promise<FhirSession>): {
  state: LoadState<Launch, SessionFailure>;
  retry: () => void;
} {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<LoadState<Launch, SessionFailure>>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    const run = async (): Promise<Launch> => {
      const session = await connect();
      // The patient view's queries need the shipped value sets (their codes build the URLs) and
      // its care gaps need the measure engine: fetch both while the launch context is read, so
      // they are not a second round trip after it. The promise is cached; a failure is reported
      // by the view that needs it.
      if (session.patientId !== undefined) shippedClinicalEngine().catch(() => undefined);
      const context = await readLaunchContext(session, controller.signal);
      return { session, context };
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
  }, [connect, attempt]);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((previous) => previous + 1);
  }, []);

  return { state, retry };
}
