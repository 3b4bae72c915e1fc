// Loads the patient view's data (one wave, ./load-patient-data.ts), evaluates the care gaps with
// the panel's engine, and keeps the referral trail current: Task status is re-read on load, when
// the window regains focus, and on a manual refresh (issue 8 "Closed loop").
//
// Throttling (SDOHCC IG `checking_task_status.md`: poll "not more often than every 15 minutes"):
// focus-triggered re-reads are automatic, so they wait 15 minutes after the previous read. A
// manual refresh is the clinician asking, once, so it always goes (one at a time); a write the
// app just made is re-read at once to show its result.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FhirSession } from '../../fhir/fhir-session';
import { classifySessionError, isAbortError } from '../../fhir/session-failure';
import type { LoadState } from '../../ui/load-state';
import { reloadReferrals } from './load-patient-data';
import { loadChecklist, takePatientPrefetch } from './patient-prefetch';
import type { Checklist, ChecklistFailure } from './patient-prefetch';

/** SDOHCC IG checking_task_status.md: no more often than every 15 minutes. */
export const AUTOMATIC_TASK_READ_INTERVAL_MS = 15 * 60 * 1000;

export type RefreshReason = 'manual' | 'focus' | 'write';

export interface PatientChecklist {
  state: LoadState<Checklist, ChecklistFailure>;
  retry: () => void;
  refreshReferrals: (reason: RefreshReason) => void;
  refreshing: boolean;
  /** A refresh that failed (the data shown stays). */
  refreshError: string | undefined;
}

export function usePatientChecklist(
  session: FhirSession,
  patientId: string,
  today: string,
): PatientChecklist {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{
    key: string;
    value: LoadState<Checklist, ChecklistFailure>;
  }>();
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string>();
  const key = `${session.serverUrl}|${patientId}|${today}|${attempt}`;
  const current = useRef<Checklist | undefined>(undefined);
  const inFlight = useRef<AbortController | undefined>(undefined);
  // The launch's prefetch, once taken, kept for this key: StrictMode's second effect run uses it
  // too; a retry (a new key) or a later mount loads afresh.
  const prefetched = useRef<
    { key: string; load: Promise<LoadState<Checklist, ChecklistFailure>> } | undefined
  >(undefined);

  useEffect(() => {
    const controller = new AbortController();
    if (prefetched.current?.key !== key) {
      const load = takePatientPrefetch(session.serverUrl, patientId, today);
      prefetched.current = load === undefined ? undefined : { key, load };
    }
    const load =
      prefetched.current?.load ?? loadChecklist(session, patientId, today, controller.signal);
    load.then(
      (value) => {
        if (!controller.signal.aborted) setState({ key, value });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        setState({ key, value: { status: 'error', error: classifySessionError(error) } });
      },
    );
    return () => controller.abort();
  }, [session, patientId, today, key]);

  const shown: LoadState<Checklist, ChecklistFailure> =
    state?.key === key ? state.value : { status: 'loading' };
  current.current = shown.status === 'ready' ? shown.value : undefined;

  const refreshReferrals = useCallback(
    (reason: RefreshReason) => {
      const checklist = current.current;
      if (checklist === undefined || inFlight.current !== undefined) return;
      if (
        reason === 'focus' &&
        Date.now() - checklist.referralsReadAt < AUTOMATIC_TASK_READ_INTERVAL_MS
      ) {
        return;
      }
      const controller = new AbortController();
      inFlight.current = controller;
      setRefreshing(true);
      reloadReferrals(session, patientId, controller.signal)
        .then(
          (fresh) => {
            setRefreshError(undefined);
            setState((previous) => {
              if (previous?.key !== key || previous.value.status !== 'ready') return previous;
              const old = previous.value.value;
              // A source that failed this time keeps what the last read brought.
              const keep = <T>(source: keyof typeof fresh.sources, next: T[], prior: T[]) =>
                fresh.sources[source].kind === 'loaded' ? next : prior;
              return {
                key,
                value: {
                  status: 'ready',
                  value: {
                    ...old,
                    referralsReadAt: Date.now(),
                    data: {
                      ...old.data,
                      resources: {
                        ...old.data.resources,
                        tasks: keep('tasks', fresh.tasks, old.data.resources.tasks),
                        serviceRequests: keep(
                          'service-requests',
                          fresh.serviceRequests,
                          old.data.resources.serviceRequests,
                        ),
                        procedures: keep(
                          'procedures',
                          fresh.procedures,
                          old.data.resources.procedures,
                        ),
                      },
                      sources: {
                        ...old.data.sources,
                        // The re-read does not consult metadata: a type the load found not
                        // offered stays so, rather than turning into "not available".
                        tasks:
                          old.data.sources.tasks.kind === 'not-offered' &&
                          fresh.sources.tasks.kind !== 'loaded'
                            ? old.data.sources.tasks
                            : fresh.sources.tasks,
                      },
                    },
                  },
                },
              };
            });
          },
          (error: unknown) => {
            if (isAbortError(error)) return;
            setRefreshError(
              'Referral status could not be re-read; what is shown may be out of date.',
            );
          },
        )
        .finally(() => {
          inFlight.current = undefined;
          setRefreshing(false);
        });
    },
    [session, patientId, key],
  );

  useEffect(() => {
    const onFocus = () => refreshReferrals('focus');
    window.addEventListener('focus', onFocus);
    return () => {
      window.removeEventListener('focus', onFocus);
      inFlight.current?.abort();
    };
  }, [refreshReferrals]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { state: shown, retry, refreshReferrals, refreshing, refreshError };
}
