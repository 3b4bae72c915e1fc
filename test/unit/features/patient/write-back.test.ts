// Idempotent write-back through the in-memory FhirSession (a real implementation of the seam).
import { describe, expect, it } from 'vitest';
import {
  describeWriteFailure,
  sendReferral,
  writeAccessFor,
} from '../../../../src/features/patient/write-back';
import { SessionError } from '../../../../src/fhir/session-failure';
import type { ServerWriteSupport } from '../../../../src/fhir/write-support';
import type { ReferralDraft } from '../../../../src/sdoh/write-back';
import { InMemoryFhirSession } from '../../fhir/in-memory-fhir-session';

const support = (transaction: boolean, types: string[]): ServerWriteSupport => ({
  transaction,
  resources: Object.fromEntries(
    types.map((t) => [
      t,
      { create: true, update: false, conditionalCreate: true, identifierSearch: true },
    ]),
  ),
});

const draft: ReferralDraft = {
  domain: 'food-insecurity',
  service: {
    system: 'http://snomed.info/sct',
    code: '713109004',
    display: 'Referral to community meals service',
  },
  patient: { reference: 'Patient/p1' },
  requester: { reference: 'Practitioner/dr-1' },
  performer: { reference: 'HealthcareService/hs-1', display: 'Food Pantry' },
  authoredOn: '2026-11-30T10:00:00Z',
  reasons: [{ reference: 'Observation/o1' }],
  doNotContactPatient: false,
  idempotencyKey: '0f8c6d4e-1b2a-4c3d-9e8f-7a6b5c4d3e2f',
};

const signal = new AbortController().signal;

describe('writeAccessFor', () => {
  const known = { kind: 'known' as const, support: support(true, ['ServiceRequest', 'Task']) };

  it('is writable with create scopes and create support, by transaction when declared', () => {
    expect(
      writeAccessFor(
        ['ServiceRequest', 'Task'],
        ['patient/ServiceRequest.c', 'patient/Task.c'],
        known,
      ),
    ).toEqual({ kind: 'writable', transaction: true });
  });

  it.each([
    [
      'a missing scope',
      ['patient/ServiceRequest.c'],
      known,
      { kind: 'no-write-scope', missing: ['Task'] },
    ],
    [
      'no create in the CapabilityStatement',
      ['patient/ServiceRequest.c', 'patient/Task.c'],
      { kind: 'known' as const, support: support(true, ['ServiceRequest']) },
      { kind: 'server-lacks-create', missing: ['Task'] },
    ],
    [
      'an unreadable CapabilityStatement',
      ['patient/ServiceRequest.c', 'patient/Task.c'],
      { kind: 'unknown' as const },
      { kind: 'capabilities-unknown' },
    ],
  ])('is read-only with %s', (_case, scopes, writeSupport, reason) => {
    expect(writeAccessFor(['ServiceRequest', 'Task'], scopes, writeSupport)).toEqual({
      kind: 'read-only',
      reason,
    });
  });
});

describe('sendReferral', () => {
  it('writes one transaction whose Task points at the ServiceRequest the server created', async () => {
    const session = new InMemoryFhirSession({ patientId: 'p1' });
    const sent = await sendReferral(
      session,
      draft,
      { kind: 'writable', transaction: true },
      false,
      signal,
    );
    expect(session.writes).toEqual(['POST transaction']);
    const [task] = session.stored('Task') as fhir4.Task[];
    expect(task?.focus?.reference).toBe(sent.serviceRequest);
    expect(sent.via).toBe('transaction');
  });

  it('links two creates when there are no transactions', async () => {
    const session = new InMemoryFhirSession({ patientId: 'p1' });
    const sent = await sendReferral(
      session,
      draft,
      { kind: 'writable', transaction: false },
      false,
      signal,
    );
    expect(session.writes).toEqual(['POST ServiceRequest', 'POST Task']);
    expect((session.stored('Task')[0] as fhir4.Task).focus?.reference).toBe(sent.serviceRequest);
  });

  it('sends the same draft again without a second ServiceRequest or Task', async () => {
    const session = new InMemoryFhirSession({
      patientId: 'p1',
      writeOutcomes: [undefined, { kind: 'after-commit' }],
    });
    const access = { kind: 'writable' as const, transaction: false };
    await expect(sendReferral(session, draft, access, false, signal)).rejects.toBeInstanceOf(
      SessionError,
    );
    expect(session.stored('ServiceRequest')).toHaveLength(1);
    expect(session.stored('Task')).toHaveLength(1);
    // The in-memory server honours If-None-Exist, so the retry matches what is there.
    await sendReferral(session, draft, access, false, signal);
    expect(session.stored('ServiceRequest')).toHaveLength(1);
    expect(session.stored('Task')).toHaveLength(1);
  });
});

describe('describeWriteFailure', () => {
  it.each([
    [{ kind: 'forbidden' as const }, /refused the write \(403\)/],
    [{ kind: 'unreachable' as const }, /trying again is safe/],
    [{ kind: 'server' as const, status: 409 }, /HTTP 409/],
    [{ kind: 'expired' as const }, /session has ended/],
  ])('explains %j', (failure, text) => {
    expect(describeWriteFailure(new SessionError(failure))).toMatch(text);
  });
});
