import { describe, expect, it } from 'vitest';
import { readLaunchContext } from '../../../../src/features/patient/read-launch-context';
import { SessionError } from '../../../../src/fhir/session-failure';
import { InMemoryFhirSession } from '../../fhir/in-memory-fhir-session';

const patient: fhir4.Patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Ruiz' }] };
const practitioner: fhir4.Practitioner = { resourceType: 'Practitioner', id: 'dr1' };
const signal = new AbortController().signal;

describe('readLaunchContext', () => {
  it('reads the patient and the practitioner in context', async () => {
    const session = new InMemoryFhirSession({
      patientId: 'p1',
      user: { resourceType: 'Practitioner', id: 'dr1' },
      resources: [patient, practitioner],
    });
    await expect(readLaunchContext(session, signal)).resolves.toEqual({
      patient: { kind: 'patient', patient },
      user: {
        kind: 'read',
        ref: { resourceType: 'Practitioner', id: 'dr1' },
        resource: practitioner,
      },
    });
  });

  it('reports a practitioner-only launch as no patient, without reading one', async () => {
    const session = new InMemoryFhirSession({
      user: { resourceType: 'Practitioner', id: 'dr1' },
      resources: [practitioner],
    });
    const context = await readLaunchContext(session, signal);
    expect(context.patient).toEqual({ kind: 'no-patient' });
    expect(session.requested).toEqual(['Practitioner/dr1']);
  });

  it('keeps going when the user record is outside the granted scopes', async () => {
    const session = new InMemoryFhirSession({
      patientId: 'p1',
      user: { resourceType: 'Practitioner', id: 'dr1' },
      resources: [patient],
      failures: { 'Practitioner/dr1': { kind: 'forbidden' } },
    });
    const context = await readLaunchContext(session, signal);
    expect(context.user).toEqual({
      kind: 'unreadable',
      ref: { resourceType: 'Practitioner', id: 'dr1' },
      reason: 'forbidden',
    });
  });

  it('notes a user record that does not exist', async () => {
    const session = new InMemoryFhirSession({
      patientId: 'p1',
      user: { resourceType: 'Practitioner', id: 'gone' },
      resources: [patient],
    });
    const context = await readLaunchContext(session, signal);
    expect(context.user).toMatchObject({ kind: 'unreadable', reason: 'not-found' });
  });

  it('reports no identity when fhirUser was not granted', async () => {
    const session = new InMemoryFhirSession({ patientId: 'p1', resources: [patient] });
    expect((await readLaunchContext(session, signal)).user).toEqual({ kind: 'not-identified' });
  });

  it('fails with the session failure of the patient read', async () => {
    const session = new InMemoryFhirSession({
      patientId: 'p1',
      failures: { 'Patient/p1': { kind: 'expired' } },
    });
    const failure = await readLaunchContext(session, signal).catch((error: unknown) =>
      error instanceof SessionError ? error.failure : undefined,
    );
    expect(failure).toEqual({ kind: 'expired' });
  });

  it('rejects a body that is not the Patient it asked for', async () => {
    const session = new InMemoryFhirSession({
      patientId: 'p1',
      bodies: { 'Patient/p1': { resourceType: 'OperationOutcome', issue: [] } },
    });
    await expect(readLaunchContext(session, signal)).rejects.toBeInstanceOf(SessionError);
  });
});
