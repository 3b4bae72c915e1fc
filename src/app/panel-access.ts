// What the granted scopes let the signed-in user do beyond the patient in context. Read from the
// token's `scope` (SMART App Launch 2.x §3 "Scopes and launch context"); the FHIR server still
// enforces access on every request.
import type { FhirUserRef } from '../fhir/fhir-session';
import type { PanelAccess } from './app-route';

/** v2 permissions read (`r`) and search (`s`), which v1 `read` and `*` both include. */
export type ReadPermission = 'r' | 's';

/** `<level>/<type|*>.<permissions>[?query]`, SMART App Launch 2.x §3.1 (v2) and §3.4 (v1). */
const clinicalScope = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(\?.*)?$/;

function permissionsOf(text: string): ReadonlySet<string> | undefined {
  if (text === 'read') return new Set(['r', 's']);
  if (text === '*') return new Set(['c', 'r', 'u', 'd', 's']);
  // v2: any ordered subset of c r u d s (§3.1); anything else (v1 `write`, typos) grants no read.
  if (/^c?r?u?d?s?$/.test(text)) return new Set(text.split(''));
  return undefined;
}

/**
 * True when a `user/` scope grants `permission` on every resource of `resourceType`, in v1
 * (`user/Patient.read`, `user/*.read`, `user/*.*`) or v2 (`user/Patient.rs`, `user/*.cruds`)
 * syntax. A granular scope (`user/Patient.rs?…`, §3.1.1) covers only some resources, so it does
 * not count.
 */
export function grantsUserLevel(
  grantedScopes: readonly string[],
  resourceType: string,
  permission: ReadPermission,
): boolean {
  return grantedScopes.some((scope) => {
    const match = clinicalScope.exec(scope);
    if (!match) return false;
    const [, level, type, permissions, query] = match;
    if (level !== 'user' || query !== undefined) return false;
    if (type !== '*' && type !== resourceType) return false;
    return permissionsOf(permissions ?? '')?.has(permission) ?? false;
  });
}

/**
 * True when the token's scope was not reported. RFC 6749 §5.1: `scope` may be left out of the
 * token response when it is identical to the scope requested, and this app always requests
 * user-level reads.
 */
function scopeNotReported(grantedScopes: readonly string[]): boolean {
  return grantedScopes.length === 0;
}

/** The panel dashboard searches the user's patients: user-level Patient search. */
export function canSearchPanel(grantedScopes: readonly string[]): boolean {
  return scopeNotReported(grantedScopes) || grantsUserLevel(grantedScopes, 'Patient', 's');
}

/** Opening another patient's chart from the dashboard reads that Patient at user level. */
export function canOpenOtherCharts(grantedScopes: readonly string[]): boolean {
  return scopeNotReported(grantedScopes) || grantsUserLevel(grantedScopes, 'Patient', 'r');
}

/**
 * The dashboard is for staff. Patients and their representatives (`fhirUser` Patient or
 * RelatedPerson) see their own chart only; an unidentified user is left to the server's scopes.
 */
export function isStaffUser(user: FhirUserRef | undefined): boolean {
  return user?.resourceType !== 'Patient' && user?.resourceType !== 'RelatedPerson';
}

/** Whether this launch can show the panel dashboard, and why not. */
export function panelAccessOf(
  user: FhirUserRef | undefined,
  grantedScopes: readonly string[],
): PanelAccess {
  if (!isStaffUser(user)) return { kind: 'denied', reason: 'patient-user' };
  if (!canSearchPanel(grantedScopes)) return { kind: 'denied', reason: 'no-panel-access' };
  return { kind: 'allowed' };
}
