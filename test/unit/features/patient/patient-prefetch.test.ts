import { describe, expect, it } from 'vitest';
import type { FhirSession } from '../../../../src/fhir/fhir-session';
import { SessionError } from '../../../../src/fhir/session-failure';
import {
  dropPatientPrefetch,
  startPatientPrefetch,
  takePatientPrefetch,
} from '../../../../src/features/patient/patient-prefetch';

const SERVER = 'https://ehr.example/fhir';
const DAY = '2026-11-23';

const patient: fhir4.Patient = {
  resourceType: 'Patient',
  id: 'pat-1',
  birthDate: '1970-02-01',
  gender: 'female',
  name: [{ family: 'Rivera', given: ['Ana'] }],
};

const encounter: fhir4.Encounter = {
  resourceType: 'Encounter',
  id: 'enc-1',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  subject: { reference: 'Patient/pat-1' },
  period: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T09:30:00Z' },
};

function bundle(resources: fhir4.FhirResource[]): fhir4.Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  };
}

/** An in-memory session answering the view's reads, and recording each request path. */
function fakeSession(options: { patientStatus?: number } = {}): {
  session: FhirSession;
  requests: string[];
} {
  const requests: string[] = [];
  const answer = (url: string): unknown => {
    if (url.startsWith('Patient/')) {
      if (options.patientStatus !== undefined) {
        throw new SessionError({ kind: 'server', status: options.patientStatus });
      }
      return patient;
    }
    if (url === 'metadata') return { resourceType: 'CapabilityStatement' };
    if (url.startsWith('Encounter?')) return bundle([encounter]);
    return bundle([]);
  };
  const unused = () => Promise.reject(new Error('not used by the load'));
  const session: FhirSession = {
    serverUrl: SERVER,
    patientId: 'pat-1',
    encounterId: undefined,
    user: undefined,
    grantedScopes: [],
    needPatientBanner: true,
    request: <T>(url: string): Promise<T> => {
      requests.push(url);
      return new Promise<T>((resolve, reject) => {
        try {
          resolve(answer(url) as T);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    create: unused,
    update: unused,
    transaction: unused,
    accessToken: () => Promise.resolve(undefined),
  };
  return { session, requests };
}

describe('patient view prefetch', () => {
  it('reads the Patient once for the shell and the view, and is taken only once', async () => {
    const { session, requests } = fakeSession();
    const patientRead = startPatientPrefetch(session, 'pat-1', DAY);
    // StrictMode starts the launch twice: the second start shares the first prefetch.
    expect(startPatientPrefetch(session, 'pat-1', DAY)).toBe(patientRead);
    await expect(patientRead).resolves.toEqual(patient);

    const taken = takePatientPrefetch(SERVER, 'pat-1', DAY);
    expect(taken).toBeDefined();
    const state = await taken;
    expect(state?.status).toBe('ready');
    if (state?.status !== 'ready') return;
    expect(state.value.data.patient).toEqual(patient);
    expect(state.value.data.resources.encounters).toEqual([encounter]);
    expect(state.value.careGaps.status).toBe('ready');
    expect(requests.filter((url) => url.startsWith('Patient/'))).toEqual(['Patient/pat-1']);
    // One wave: the Patient, metadata and every search, nothing repeated.
    expect(new Set(requests).size).toBe(requests.length);
    expect(requests).toContain('metadata');

    // A later mount or a retry reads afresh.
    expect(takePatientPrefetch(SERVER, 'pat-1', DAY)).toBeUndefined();
  });

  it('is not served for another patient, another day or another server', async () => {
    const { session } = fakeSession();
    await startPatientPrefetch(session, 'pat-1', DAY);
    expect(takePatientPrefetch(SERVER, 'pat-2', DAY)).toBeUndefined();
    expect(takePatientPrefetch(SERVER, 'pat-1', '2026-11-24')).toBeUndefined();
    expect(takePatientPrefetch('https://other.example/fhir', 'pat-1', DAY)).toBeUndefined();
    dropPatientPrefetch();
  });

  it('is not served once it is older than 30 seconds', async () => {
    const { session } = fakeSession();
    await startPatientPrefetch(session, 'pat-1', DAY, () => 1_000);
    expect(takePatientPrefetch(SERVER, 'pat-1', DAY, () => 1_000 + 30_001)).toBeUndefined();
  });

  it('starts afresh after a failed launch drops it', async () => {
    const failing = fakeSession({ patientStatus: 500 });
    const failedRead = startPatientPrefetch(failing.session, 'pat-1', DAY);
    await expect(failedRead).rejects.toBeInstanceOf(SessionError);
    dropPatientPrefetch();
    expect(takePatientPrefetch(SERVER, 'pat-1', DAY)).toBeUndefined();

    const working = fakeSession();
    await expect(startPatientPrefetch(working.session, 'pat-1', DAY)).resolves.toEqual(patient);
    const state = await takePatientPrefetch(SERVER, 'pat-1', DAY);
    expect(state?.status).toBe('ready');
  });

  it('turns a missing patient into the view’s "patient not found"', async () => {
    const { session } = fakeSession({ patientStatus: 404 });
    startPatientPrefetch(session, 'pat-1', DAY).catch(() => undefined);
    const state = await takePatientPrefetch(SERVER, 'pat-1', DAY);
    expect(state).toEqual({
      status: 'error',
      error: { kind: 'patient-not-found', patientId: 'pat-1' },
    });
  });
});
