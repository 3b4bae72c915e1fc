// The patient view's first load, started during the launch (issue 8 "launch → view interactive"):
// as soon as the session is connected, the view's one wave goes out together with the shell's
// reads, and the care gaps are evaluated while the shell renders, instead of after it. The Patient
// read is shared with the shell, so the patient is read once per launch.
//
// The prefetch is keyed by server, patient and day and taken at most once: the view's first load
// takes it; a retry, a later mount or a second launch reads afresh. One that waits too long is
// dropped rather than shown stale.
import type { FhirSession } from '../../fhir/fhir-session';
import { classifySessionError } from '../../fhir/session-failure';
import type { SessionFailure } from '../../fhir/session-failure';
import { loadShippedValueSets } from '../../measures/compiled-value-sets';
import type { LoadState } from '../../ui/load-state';
import { shippedClinicalEngine } from '../../worker/clinical-engine';
import { calendarYearOf, evaluateCareGaps } from './care-gaps';
import type { CareGapsResult } from './care-gaps';

export type ChecklistFailure = SessionFailure | { kind: 'patient-not-found'; patientId: string };

export type CareGapsState =
  { status: 'ready'; value: CareGapsResult } | { status: 'error'; message: string };

export interface Checklist {
  data: PatientData;
  careGaps: CareGapsState;
  /** Epoch ms of the last read of Tasks (load or refresh). */
  referralsReadAt: number;
}

import { loadPatientData, viewObservationCodes } from './load-patient-data';
import type { PatientData } from './load-patient-data';

/** A prefetch older than this is not shown: the clinician may have been away. */
const PREFETCH_MAX_AGE_MS = 30_000;

/** Resolves after the current task: the requests just started have reached the network. */
function afterRequestsSent(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The view's load: one wave (./load-patient-data.ts), then the care gaps. `patientRead`, when
 * given, is a read of `Patient/<id>` already under way (the shell's), used instead of a new one.
 */
export async function loadChecklist(
  session: FhirSession,
  patientId: string,
  today: string,
  signal: AbortSignal,
  patientRead?: Promise<unknown>,
): Promise<LoadState<Checklist, ChecklistFailure>> {
  // The Observation codes come from the shipped value sets (fetched from the start of the launch)
  // and build the wave's URLs: the whole wave waits for them, so it stays one wave. The engine
  // (its registry takes tens of ms of CPU to build) is built once the wave has gone out, while it
  // is in flight, so it does not hold the requests back.
  const codes = await viewObservationCodes();
  const loading = loadPatientData(session, patientId, signal, codes, patientRead);
  const engine = afterRequestsSent().then(() =>
    Promise.all([shippedClinicalEngine(), loadShippedValueSets()]),
  );
  engine.catch(() => undefined);
  const loaded = await loading;
  if (loaded.kind === 'patient-not-found') {
    return { status: 'error', error: { kind: 'patient-not-found', patientId } };
  }
  const { data } = loaded;
  let careGaps: CareGapsState;
  if (data.sources.encounters.kind !== 'loaded') {
    careGaps = {
      status: 'error',
      message:
        'Care gaps need the patient’s encounters, which are not available from this EHR: no measure can be evaluated.',
    };
  } else {
    try {
      const [measureEngine, registry] = await engine;
      careGaps = {
        status: 'ready',
        value: evaluateCareGaps(
          data.patient,
          data.resources,
          calendarYearOf(today),
          measureEngine,
          registry,
        ),
      };
    } catch {
      careGaps = {
        status: 'error',
        message: 'The measure value sets could not be loaded: reload the page to try again.',
      };
    }
  }
  return { status: 'ready', value: { data, careGaps, referralsReadAt: Date.now() } };
}

interface Prefetch {
  key: string;
  startedAt: number;
  patientRead: Promise<unknown>;
  checklist: Promise<LoadState<Checklist, ChecklistFailure>>;
}

let pending: Prefetch | undefined;

function prefetchKey(serverUrl: string, patientId: string, today: string): string {
  return `${serverUrl}|${patientId}|${today}`;
}

/**
 * Starts the view's first load for the launch's patient and returns the read of `Patient/<id>`
 * for the shell to share. A launch started twice for the same key while the first is not taken
 * (React StrictMode runs effects twice) shares the one prefetch.
 */
export function startPatientPrefetch(
  session: FhirSession,
  patientId: string,
  today: string,
  now: () => number = Date.now,
): Promise<unknown> {
  const key = prefetchKey(session.serverUrl, patientId, today);
  if (pending?.key === key && now() - pending.startedAt <= PREFETCH_MAX_AGE_MS) {
    return pending.patientRead;
  }
  // Not tied to the launch's signal: the view that takes it decides whether it is still wanted.
  const signal = new AbortController().signal;
  const patientRead = session.request<unknown>(`Patient/${encodeURIComponent(patientId)}`, {
    signal,
  });
  const checklist = loadChecklist(session, patientId, today, signal, patientRead).catch(
    (error: unknown): LoadState<Checklist, ChecklistFailure> => ({
      status: 'error',
      error: classifySessionError(error),
    }),
  );
  pending = { key, startedAt: now(), patientRead, checklist };
  return patientRead;
}

/** Forgets a prefetch (the launch failed): a retry must read afresh. */
export function dropPatientPrefetch(): void {
  pending = undefined;
}

/** The prefetched first load for this server, patient and day, if any; it is taken only once. */
export function takePatientPrefetch(
  serverUrl: string,
  patientId: string,
  today: string,
  now: () => number = Date.now,
): Promise<LoadState<Checklist, ChecklistFailure>> | undefined {
  const found = pending;
  if (found?.key !== prefetchKey(serverUrl, patientId, today)) return undefined;
  pending = undefined;
  return now() - found.startedAt <= PREFETCH_MAX_AGE_MS ? found.checklist : undefined;
}
