// Reads what the first screen shows about a launch: the patient in context and the signed-in
// user. The patient is essential (its failures end the session view); the user is not (a 403 or
// 404 on the user's own record becomes a note).
import type { FhirSession, FhirUserRef } from '../../fhir/fhir-session';
import { SessionError, classifySessionError } from '../../fhir/session-failure';

export type PatientInContext =
  | { readonly kind: 'patient'; readonly patient: fhir4.Patient }
  /** A practitioner-only launch: the token carried no `patient`. */
  | { readonly kind: 'no-patient' };

export type UserResource = fhir4.Practitioner | fhir4.Patient | fhir4.RelatedPerson | fhir4.Person;

export type SignedInUser =
  | { readonly kind: 'read'; readonly ref: FhirUserRef; readonly resource: UserResource }
  | {
      readonly kind: 'unreadable';
      readonly ref: FhirUserRef;
      /** `forbidden`: the granted scopes do not cover it; `not-found`: no such resource. */
      readonly reason: 'forbidden' | 'not-found';
    }
  /** No `openid fhirUser` identity was granted. */
  | { readonly kind: 'not-identified' };

export interface LaunchContext {
  readonly patient: PatientInContext;
  readonly user: SignedInUser;
}

function isResourceOfType<K extends fhir4.FhirResource['resourceType']>(
  value: unknown,
  resourceType: K,
): value is Extract<fhir4.FhirResource, { resourceType: K }> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'resourceType' in value &&
    value.resourceType === resourceType
  );
}

/**
 * Reads the session's patient in context (a launch's, or a chart opened from the dashboard).
 * `patientRead`, when given, is that read already under way (shared with the view's prefetch).
 */
export async function readPatientInContext(
  session: FhirSession,
  signal: AbortSignal,
  patientRead?: Promise<unknown>,
): Promise<PatientInContext> {
  if (session.patientId === undefined) return { kind: 'no-patient' };
  const body = await (patientRead ??
    session.request<unknown>(`Patient/${encodeURIComponent(session.patientId)}`, { signal }));
  if (!isResourceOfType(body, 'Patient')) {
    throw new SessionError({ kind: 'server', status: undefined });
  }
  return { kind: 'patient', patient: body };
}

async function readUser(session: FhirSession, signal: AbortSignal): Promise<SignedInUser> {
  const ref = session.user;
  if (!ref) return { kind: 'not-identified' };
  try {
    const body = await session.request<unknown>(
      `${ref.resourceType}/${encodeURIComponent(ref.id)}`,
      { signal },
    );
    if (!isResourceOfType(body, ref.resourceType)) {
      throw new SessionError({ kind: 'server', status: undefined });
    }
    return { kind: 'read', ref, resource: body };
  } catch (error) {
    const failure = classifySessionError(error);
    if (failure.kind === 'forbidden') return { kind: 'unreadable', ref, reason: 'forbidden' };
    if (failure.kind === 'server' && failure.status === 404) {
      return { kind: 'unreadable', ref, reason: 'not-found' };
    }
    throw error;
  }
}

/**
 * Reads the patient and the user in parallel. Rejects with the patient's `SessionError`.
 * `patientRead`: as for `readPatientInContext`.
 */
export async function readLaunchContext(
  session: FhirSession,
  signal: AbortSignal,
  patientRead?: Promise<unknown>,
): Promise<LaunchContext> {
  const [patient, user] = await Promise.all([
    readPatientInContext(session, signal, patientRead),
    readUser(session, signal),
  ]);
  return { patient, user };
}
