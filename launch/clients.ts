// Per-EHR client settings for the SMART launch (SMART App Launch 2.x, §2.0.5 "Launch app").
// One entry per EHR family, picked by matching the launch's `iss` against `issMatch`. Client ids
// are public (public clients with PKCE): no secrets belong in this file.
import type { fhirclient } from 'fhirclient/lib/types';

/** SMART scope syntax: v2 `.rs` (App Launch 2.x) or v1 `.read` (App Launch 1.0). */
export type ScopeVersion = 'v1' | 'v2';

/**
 * `ehr`: the EHR opened `launch/?iss=…&launch=…` (context comes with the launch handle).
 * `standalone`: the app was opened with `iss` only and asks the server to pick a patient.
 */
export type LaunchMode = 'ehr' | 'standalone';

/** Resource types the patient view reads for the patient in context. */
const patientReads = [
  'Patient',
  'Observation',
  'Condition',
  'Encounter',
  'Procedure',
  'ServiceRequest',
  'Task',
  'Coverage',
  'QuestionnaireResponse',
] as const;

/** Resource types the panel view reads across the signed-in user's patients. */
const userReads = [
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Group',
  'List',
  'Observation',
  'Condition',
  'Encounter',
  'Procedure',
  'ServiceRequest',
  'Coverage',
] as const;

/**
 * Builds the scope string for one launch.
 *
 * Hazard: fhirclient appends `launch` only when the scope has no word matching /launch/ at all,
 * so an EHR launch must carry the literal `launch` itself; `launch/patient` would hide it.
 */
export function buildScope(version: ScopeVersion, mode: LaunchMode): string {
  const read = version === 'v2' ? 'rs' : 'read';
  return [
    mode === 'ehr' ? 'launch' : 'launch/patient',
    'openid',
    'fhirUser',
    'offline_access',
    ...patientReads.map((type) => `patient/${type}.${read}`),
    ...userReads.map((type) => `user/${type}.${read}`),
  ].join(' ');
}

/** One EHR family this app is registered with. */
export interface EhrRegistration {
  /** Shown to testers when something about this EHR needs attention. */
  readonly label: string;
  readonly issMatch: RegExp;
  /** A value starting with `<` is a placeholder that a tester must replace. */
  readonly clientId: string;
  readonly scopeVersion: ScopeVersion;
}

/**
 * Where each client id comes from:
 * - local sandbox (`npm start`): registers the public client `equity-lens`.
 * - SMART launcher (launch.smarthealthit.org): accepts any client id; no registration.
 * - Epic: create a free account on https://fhir.epic.com → Build Apps, choose the clinician
 *   audience, the FHIR R4 APIs above, SMART v1 scopes and this app's root URL as redirect URI;
 *   copy the *non-production* client id (it can take about an hour to sync).
 * - Oracle Health: register in the code Console (https://code-console.cerner.com, free CernerCare
 *   account) as a public provider app and subscribe it to "Oracle Health FHIR APIs for
 *   Millennium: FHIR R4, All" (otherwise the launch fails with `unknown-tenant`).
 */
export const registrations: readonly EhrRegistration[] = [
  {
    label: 'local sandbox',
    issMatch: /^https?:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?\/fhir\/?$/,
    clientId: 'equity-lens',
    scopeVersion: 'v2',
  },
  {
    label: 'SMART launcher',
    issMatch: /^https:\/\/launch\.smarthealthit\.org\//,
    clientId: 'equity-lens',
    scopeVersion: 'v2',
  },
  {
    // Epic registrations pick one SMART version per app; v1 is what most existing ones use.
    label: 'Epic',
    issMatch: /^https:\/\/fhir\.epic\.com\//,
    clientId: '<your Epic non-production client id>',
    scopeVersion: 'v1',
  },
  {
    // Oracle Health serves v1 and v2 on different endpoints; the registration must match.
    label: 'Oracle Health',
    issMatch: /^https:\/\/[a-z0-9.-]+\.cerner\.com\//,
    clientId: '<your Oracle Health code Console client id>',
    scopeVersion: 'v1',
  },
];

/** True while a registration still carries its documentation placeholder. */
export function isPlaceholderClientId(clientId: string): boolean {
  return clientId.startsWith('<');
}

export interface LaunchEnvironment {
  /** The launch page URL, e.g. `http://127.0.0.1:5173/launch/?iss=…&launch=…`. */
  readonly launchUrl: string;
  /** True when the EHR embeds the app in an iframe. */
  readonly inFrame: boolean;
}

/** The `authorize()` options for every registration, for this launch. */
export function buildClients(
  env: LaunchEnvironment,
  from: readonly EhrRegistration[] = registrations,
): fhirclient.AuthorizeParams[] {
  const url = new URL(env.launchUrl);
  const mode: LaunchMode = url.searchParams.has('launch') ? 'ehr' : 'standalone';
  // The registered redirect URI is the app root; the launch page lives at /launch/.
  const redirectUri = new URL('../', url).href;
  return from.map((registration) => ({
    issMatch: registration.issMatch,
    clientId: registration.clientId,
    scope: buildScope(registration.scopeVersion, mode),
    redirectUri,
    pkceMode: 'ifSupported',
    // In an EHR iframe the whole app lives in the frame, so finish authorization there too.
    completeInTarget: env.inFrame ? true : undefined,
  }));
}

/** The first configuration whose `issMatch` accepts `iss`, or undefined when none does. */
export function pickClient(
  clients: readonly fhirclient.AuthorizeParams[],
  iss: string,
): fhirclient.AuthorizeParams | undefined {
  return clients.find(({ issMatch }) => {
    if (issMatch === undefined) return false;
    if (typeof issMatch === 'string') return issMatch === iss;
    if (typeof issMatch === 'function') return issMatch(iss);
    return issMatch.test(iss);
  });
}

/** What the launch page should do for the URL it was opened with. */
export type LaunchDecision =
  | { kind: 'help' }
  | { kind: 'unknown-iss'; iss: string }
  | { kind: 'unregistered'; iss: string; label: string }
  | { kind: 'authorize'; client: fhirclient.AuthorizeParams };

export function decideLaunch(
  env: LaunchEnvironment,
  from: readonly EhrRegistration[] = registrations,
): LaunchDecision {
  const iss = new URL(env.launchUrl).searchParams.get('iss');
  if (!iss) return { kind: 'help' };
  const clients = buildClients(env, from);
  const index = clients.findIndex((client) => pickClient([client], iss) !== undefined);
  const client = clients[index];
  const registration = from[index];
  if (!client || !registration) return { kind: 'unknown-iss', iss };
  if (isPlaceholderClientId(registration.clientId)) {
    return { kind: 'unregistered', iss, label: registration.label };
  }
  return { kind: 'authorize', client };
}
