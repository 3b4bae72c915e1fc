// Sending what the patient view writes (issue 8 "Acting on a prompt"): a referral (SDOHCC
// ServiceRequest + Task, as one transaction when the server declares it, else two creates linked
// by the Task's focus), a decline record, a "screen now" Task. Every write is idempotent: the
// resources carry the draft's identifier and go as conditional creates (If-None-Exist), and a
// retry first searches by that identifier (for servers that ignore If-None-Exist), so a timeout
// followed by a retry never makes a second referral. The builders are src/sdoh's.
import type { FhirSession } from '../../fhir/fhir-session';
import { SessionError, classifySessionError } from '../../fhir/session-failure';
import type { ServerWriteSupport } from '../../fhir/write-support';
import { scopeAllows, writeSupportOf } from '../../fhir/write-support';
import type { ConditionalCreate } from '../../sdoh/idempotency';
import { identifierSearch } from '../../sdoh/idempotency';
import type { ReferralDraft } from '../../sdoh/write-back';
import { buildReferralCreates, buildReferralTransaction } from '../../sdoh/write-back';
import type { PatientData } from './load-patient-data';

export type ReadOnlyReason =
  /** The launch granted no create scope for the types (SMART scopes). */
  | { kind: 'no-write-scope'; missing: string[] }
  /** The CapabilityStatement does not list create for the types. */
  | { kind: 'server-lacks-create'; missing: string[] }
  /** `metadata` could not be read: the app cannot tell what the server accepts. */
  | { kind: 'capabilities-unknown' };

export type WriteAccess =
  | {
      kind: 'writable';
      /** One transaction Bundle (else creates one after another). */
      transaction: boolean;
    }
  | { kind: 'read-only'; reason: ReadOnlyReason };

/** Whether the view may create `types` for this patient, and how. */
export function writeAccessFor(
  types: readonly string[],
  grantedScopes: readonly string[],
  writeSupport: PatientData['writeSupport'],
): WriteAccess {
  const unscoped = types.filter((type) => !scopeAllows(grantedScopes, type, 'create'));
  if (unscoped.length > 0) {
    return { kind: 'read-only', reason: { kind: 'no-write-scope', missing: unscoped } };
  }
  if (writeSupport.kind === 'unknown') {
    return { kind: 'read-only', reason: { kind: 'capabilities-unknown' } };
  }
  const support = writeSupport.support;
  const unsupported = types.filter((type) => !writeSupportOf(support, type).create);
  if (unsupported.length > 0) {
    return { kind: 'read-only', reason: { kind: 'server-lacks-create', missing: unsupported } };
  }
  return { kind: 'writable', transaction: support.transaction };
}

export function describeReadOnly(reason: ReadOnlyReason): string {
  switch (reason.kind) {
    case 'no-write-scope':
      return `This launch did not grant Equity Lens permission to create ${reason.missing.join(' or ')} records, so it cannot send this to the EHR.`;
    case 'server-lacks-create':
      return `This EHR's FHIR server does not accept new ${reason.missing.join(' or ')} records from apps (its CapabilityStatement lists no create), so Equity Lens cannot send this.`;
    case 'capabilities-unknown':
      return "Equity Lens could not read what this EHR's FHIR server accepts (its CapabilityStatement), so it does not write to it.";
  }
}

/** Why a write failed, in words a clinician can act on. The draft is kept either way. */
export function describeWriteFailure(error: unknown): string {
  const failure = classifySessionError(error);
  switch (failure.kind) {
    case 'forbidden':
      return 'The EHR refused the write (403): this launch is not allowed to create it.';
    case 'unreachable':
      return 'The EHR did not answer. It may or may not have saved it; trying again is safe and will not create a second one.';
    case 'expired':
      return 'Your EHR session has ended: relaunch the app from your EHR, then send it again.';
    case 'server':
      return failure.status === undefined
        ? 'The EHR sent an answer Equity Lens could not read. Trying again is safe.'
        : `The EHR answered with an error (HTTP ${failure.status}). Trying again is safe; if it keeps failing, copy the referral text instead.`;
    case 'no-launch':
    case 'denied':
      return 'The EHR session is not usable: relaunch the app from your EHR.';
  }
}

/** The resource a previous attempt made, found by the draft's identifier (R4 search on `identifier`). */
async function findEarlier<R extends fhir4.Resource>(
  session: FhirSession,
  write: ConditionalCreate<R>,
  signal: AbortSignal,
): Promise<R | undefined> {
  const bundle = await session.request<fhir4.Bundle>(
    `${write.resource.resourceType}?${write.ifNoneExist}`,
    { signal },
  );
  const found = bundle.entry?.find(
    (e) => e.resource?.resourceType === write.resource.resourceType,
  )?.resource;
  return found as R | undefined;
}

async function createOnce<R extends fhir4.Resource>(
  session: FhirSession,
  write: ConditionalCreate<R>,
  retry: boolean,
  signal: AbortSignal,
): Promise<R> {
  if (retry) {
    const earlier = await findEarlier(session, write, signal);
    if (earlier !== undefined) return earlier;
  }
  return session.create(write.resource, { ifNoneExist: write.ifNoneExist, signal });
}

export interface SentReferral {
  serviceRequest: string;
  task: string;
  via: 'transaction' | 'creates';
}

function keyOf(resource: fhir4.Resource | undefined, location: string | undefined): string {
  if (resource?.id !== undefined) return `${resource.resourceType}/${resource.id}`;
  const match = /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(
    location ?? '',
  );
  if (match?.[1]) return match[1];
  throw new SessionError({ kind: 'server', status: undefined });
}

/**
 * Sends a referral once. `retry`: an earlier attempt of the same draft may have reached the
 * server, so look for what it made first. Rejects with the write's error; the caller keeps the
 * draft.
 */
export async function sendReferral(
  session: FhirSession,
  draft: ReferralDraft,
  access: Extract<WriteAccess, { kind: 'writable' }>,
  retry: boolean,
  signal: AbortSignal,
): Promise<SentReferral> {
  const creates = buildReferralCreates(draft);
  if (retry) {
    const earlierRequest = await findEarlier(session, creates.serviceRequest, signal);
    if (earlierRequest?.id !== undefined) {
      const task = await createOnce(session, creates.taskFor(earlierRequest.id), true, signal);
      return {
        serviceRequest: `ServiceRequest/${earlierRequest.id}`,
        task: keyOf(task, undefined),
        via: 'creates',
      };
    }
  }
  if (access.transaction) {
    const response = await session.transaction(buildReferralTransaction(draft), { signal });
    const [request, task] = response.entry ?? [];
    return {
      serviceRequest: keyOf(request?.resource, request?.response?.location),
      task: keyOf(task?.resource, task?.response?.location),
      via: 'transaction',
    };
  }
  const request = await createOnce(session, creates.serviceRequest, false, signal);
  if (request.id === undefined) throw new SessionError({ kind: 'server', status: undefined });
  const task = await createOnce(session, creates.taskFor(request.id), retry, signal);
  return {
    serviceRequest: `ServiceRequest/${request.id}`,
    task: keyOf(task, undefined),
    via: 'creates',
  };
}

/** Sends one conditional create (a decline record, a "screen now" Task) idempotently. */
export function sendConditionalCreate<R extends fhir4.Resource>(
  session: FhirSession,
  write: ConditionalCreate<R>,
  retry: boolean,
  signal: AbortSignal,
): Promise<R> {
  return createOnce(session, write, retry, signal);
}

/** The search the app runs for a draft's earlier attempt (exposed for tests and the e2e). */
export function earlierAttemptSearch(resourceType: string, idempotencyKey: string): string {
  return `${resourceType}?${identifierSearch(idempotencyKey)}`;
}

/** Whether the server can find an earlier attempt (identifier search) — else rely on If-None-Exist. */
export function canSearchIdentifier(support: ServerWriteSupport, type: string): boolean {
  return writeSupportOf(support, type).identifierSearch;
}
