// Per-EHR client settings for the SMART launch (SMART App Launch 2.x, §2.0.5 "Launch app").
// One entry per EHR family, picked by matching the launch's `iss` against `issMatch`. Client ids
// are public (public clients with PKCE): no secrets belong in this file.
import type { fhirclient } from 'fhirclient/lib/types';

/** SMART scope syntax: v2 `.rs` (App Launch 2.x) or v1 `.read` (App Launch 1.0). */
export type ScopeVersion = 'v1' | 'v2';

/**
 * `ehr`: the EHR opened `launch/?iss=…&launch=…` (context comes with the launch handle).
 * `standalone-patient`: opened with `iss` only, to open one patient's chart: the server asks the
 * user to pick a patient (`launch/patient`).
 * `standalone-panel`: opened with `iss` only, for the panel dashboard: no patient context is
 * asked for, so the server does not force a patient picker on a practice manager.
 */
export type LaunchMode = 'ehr' | 'standalone-patient' | 'standalone-panel';

/** What a standalone launch is for, chosen on the launch page or with `?kind=`. */
export type StandaloneKind = 'patient' | 'panel';

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
  // The eCQM medication exclusions (e.g. dementia medications in CMS122/125/130/165 advanced
  // illness) read MedicationRequest, whose code may sit in a referenced Medication.
  'MedicationRequest',
  'Medication',
  // CMS measures read device orders for the frailty exclusions.
  'DeviceRequest',
] as const;

/**
 * Resource types the patient view writes (issue 8): a social-needs referral (SDOHCC
 * ServiceRequest + Task) and "patient declined help" (a not-done Procedure, src/sdoh/decline.ts).
 * Without these grants the view is read-only and offers the referral as text.
 */
const patientWrites = ['ServiceRequest', 'Task', 'Procedure'] as const;

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
  'MedicationRequest',
  'Medication',
  'DeviceRequest',
  // Community resources a referral can go to (SDOHCC), searched by domain.
  'HealthcareService',
] as const;

/**
 * Builds the scope string for one launch.
 *
 * Hazard: fhirclient appends `launch` only when the scope has no word matching /launch/ at all,
 * so an EHR launch must carry the literal `launch` itself; `launch/patient` would hide it. A
 * standalone launch has no `launch` handle, so fhirclient adds nothing to it.
 */
export function buildScope(version: ScopeVersion, mode: LaunchMode): string {
  const read = version === 'v2' ? 'rs' : 'read';
  const identity = ['openid', 'fhirUser', 'offline_access'];
  const userScopes = userReads.map((type) => `user/${type}.${read}`);
  // SMART v2 `c` (create) is v1's `write` (App Launch 2.x §2.0.6 scopes, v1 compatibility).
  const write = version === 'v2' ? 'c' : 'write';
  const patientScopes = [
    ...patientReads.map((type) => `patient/${type}.${read}`),
    ...patientWrites.map((type) => `patient/${type}.${write}`),
  ];
  switch (mode) {
    case 'ehr':
      return ['launch', ...identity, ...patientScopes, ...userScopes].join(' ');
    case 'standalone-patient':
      return ['launch/patient', ...identity, ...patientScopes, ...userScopes].join(' ');
    case 'standalone-panel':
      // No patient in context, so patient/ scopes could grant nothing (SMART App Launch 2.x
      // §2.0.9 "Scopes for requesting context data"): the panel reads at user level only.
      return [...identity, ...userScopes].join(' ');
  }
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
 * - SMART launcher (launch.smarthealthit.org, or smart-launcher-v2 hosted anywhere): accepts any
 *   client id; no registration. Its FHIR bases are `/v/r4/fhir` (EHR launches) and
 *   `/v/r4/sim/<launch code>/fhir` (standalone launches and `/remote-launch`), on any host.
 * - Epic: create a free account on https://fhir.epic.com → Build Apps, choose the clinician
 *   audience, the FHIR R4 APIs above, SMART v1 scopes and this app's root URL as redirect URI;
 *   copy the *non-production* client id (it can take about an hour to sync).
 * - Oracle Health: register in the code Console (https://code-console.cerner.com, free CernerCare
 *   account) as a public provider app and subscribe it to "Oracle Health FHIR APIs for
 *   Millennium: FHIR R4, All" (otherwise the launch fails with `unknown-tenant`).
 *
 * Deployers add or override entries without rebuilding through `equity-lens.clients.json`
 * (runtime-registrations.ts); its entries are tried first.
 */
export const registrations: readonly EhrRegistration[] = [
  {
    label: 'local sandbox',
    issMatch: /^https?:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?\/fhir\/?$/,
    clientId: 'equity-lens',
    scopeVersion: 'v2',
  },
  {
    // smart-launcher-v2 routes `/v/:release[/sim/:sim]/fhir` (backend/index.ts); R4 only here.
    label: 'SMART launcher',
    issMatch: /^https?:\/\/[^/?#@]+\/v\/r4(?:\/sim\/[^/?#]+)?\/fhir\/?$/,
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

/** Runtime entries first, so a deployer's entry wins over a built-in one for the same `iss`. */
export function mergeRegistrations(
  runtime: readonly EhrRegistration[],
  builtIn: readonly EhrRegistration[] = registrations,
): readonly EhrRegistration[] {
  return [...runtime, ...builtIn];
}

/** True while a registration still carries its documentation placeholder. */
export function isPlaceholderClientId(clientId: string): boolean {
  return clientId.startsWith('<');
}

/** The first registration whose `issMatch` accepts `iss`, or undefined when none does. */
export function findRegistration(
  iss: string,
  from: readonly EhrRegistration[] = registrations,
): EhrRegistration | undefined {
  return from.find((registration) => {
    // A /g or /y pattern would carry lastIndex from one test() to the next.
    registration.issMatch.lastIndex = 0;
    return registration.issMatch.test(iss);
  });
}

function readStandaloneKind(value: string | null): StandaloneKind | undefined {
  return value === 'patient' || value === 'panel' ? value : undefined;
}

/**
 * The launch mode a launch URL asks for: `ehr` when the EHR passed a `launch` handle (its `kind`
 * is ignored: the EHR decides the context), the standalone kind from `?kind=`, or undefined when
 * a standalone launch has not said which kind it is.
 */
export function readLaunchMode(launchUrl: URL): LaunchMode | undefined {
  if (launchUrl.searchParams.get('launch')) return 'ehr';
  switch (readStandaloneKind(launchUrl.searchParams.get('kind'))) {
    case 'patient':
      return 'standalone-patient';
    case 'panel':
      return 'standalone-panel';
    case undefined:
      return undefined;
  }
}

/** The launch URL with `kind` set, for the links of the standalone choice. */
export function launchUrlWithKind(launchUrl: string, kind: StandaloneKind): string {
  const url = new URL(launchUrl);
  url.searchParams.set('kind', kind);
  return url.href;
}

export interface LaunchEnvironment {
  /** The launch page URL, e.g. `http://127.0.0.1:5173/launch/?iss=…&launch=…`. */
  readonly launchUrl: string;
  /** True when the EHR embeds the app in an iframe. */
  readonly inFrame: boolean;
}

/** The `authorize()` options for one registration and launch mode. */
export function buildClient(
  registration: EhrRegistration,
  mode: LaunchMode,
  env: LaunchEnvironment,
): fhirclient.AuthorizeParams {
  // The registered redirect URI is the app root; the launch page lives at /launch/.
  const redirectUri = new URL('../', env.launchUrl).href;
  return {
    issMatch: registration.issMatch,
    clientId: registration.clientId,
    scope: buildScope(registration.scopeVersion, mode),
    redirectUri,
    pkceMode: 'ifSupported',
    // In an EHR iframe the whole app lives in the frame, so finish authorization there too.
    completeInTarget: env.inFrame ? true : undefined,
  };
}

/** What the launch page should do for the URL it was opened with. */
export type LaunchDecision =
  | { kind: 'help' }
  | { kind: 'unknown-iss'; iss: string }
  | { kind: 'unregistered'; iss: string; label: string }
  /** A standalone launch that has not said whether it opens a chart or the panel. */
  | { kind: 'choose-kind'; iss: string; label: string }
  | { kind: 'authorize'; client: fhirclient.AuthorizeParams };

export function decideLaunch(
  env: LaunchEnvironment,
  from: readonly EhrRegistration[] = registrations,
): LaunchDecision {
  const url = new URL(env.launchUrl);
  const iss = url.searchParams.get('iss');
  if (!iss) return { kind: 'help' };
  const registration = findRegistration(iss, from);
  if (!registration) return { kind: 'unknown-iss', iss };
  if (isPlaceholderClientId(registration.clientId)) {
    return { kind: 'unregistered', iss, label: registration.label };
  }
  const mode = readLaunchMode(url);
  if (!mode) return { kind: 'choose-kind', iss, label: registration.label };
  return { kind: 'authorize', client: buildClient(registration, mode, env) };
}
