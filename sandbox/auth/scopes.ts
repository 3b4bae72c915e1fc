// SMART App Launch 2.x scopes (hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html).
// Clinical scopes are `<level>/<resourceType|*>.<permissions>`: level patient | user | system;
// permissions v1 `read` | `write` | `*`, or v2 any ordered subset of `cruds`, optionally followed
// by `?param=value` (granular scopes, §3.1.1). v1 `.read` is treated as v2 `.rs` and `.write` as
// `.cud`, as the spec's compatibility table says.
import type { FhirAccess, ReadGrant } from '../fhir/access';

export type ScopeLevel = 'patient' | 'user' | 'system';

export interface ClinicalScope {
  level: ScopeLevel;
  resourceType: string;
  /** Subset of c, r, u, d, s. */
  permissions: ReadonlySet<string>;
  /** Granular restriction (`?category=…`), kept but not enforced by the sandbox. */
  query: string | undefined;
  text: string;
}

const contextScopes = new Set([
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
]);

const clinicalPattern = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(\?.*)?$/;

/** Parses one clinical scope, or returns undefined when the text is not one. */
export function parseClinicalScope(text: string): ClinicalScope | undefined {
  const match = clinicalPattern.exec(text);
  if (!match) return undefined;
  const [, level, resourceType, perms, query] = match;
  if (!level || !resourceType || !perms) return undefined;
  let permissions: Set<string>;
  if (perms === 'read') permissions = new Set(['r', 's']);
  else if (perms === 'write') permissions = new Set(['c', 'u', 'd']);
  else if (perms === '*') permissions = new Set(['c', 'r', 'u', 'd', 's']);
  else if (/^c?r?u?d?s?$/.test(perms)) permissions = new Set(perms.split(''));
  else return undefined;
  return {
    level: level as ScopeLevel,
    resourceType,
    permissions,
    query: query?.slice(1),
    text,
  };
}

export interface ScopeRequestContext {
  /** An EHR launch handle was presented and resolved. */
  ehrLaunch: boolean;
  /** A patient is in context (chosen by the EHR or in the standalone picker). */
  patientId: string | undefined;
  /** The signed-in user's type. */
  userType: 'Practitioner' | 'Patient';
}

/**
 * Decides which of the requested scopes the sandbox grants. Like a real EHR it drops what it
 * cannot honour rather than failing: `launch` without an EHR launch, patient-level scopes with
 * no patient in context, system scopes (no backend services here), and anything unknown.
 */
export function grantScopes(requested: string, context: ScopeRequestContext): string[] {
  const granted: string[] = [];
  for (const scope of requested.split(/\s+/).filter(Boolean)) {
    if (contextScopes.has(scope)) {
      if (scope === 'launch' && !context.ehrLaunch) continue;
      if (scope === 'launch/patient' && !context.patientId) continue;
      if (scope === 'launch/encounter') continue;
      if (!granted.includes(scope)) granted.push(scope);
      continue;
    }
    const clinical = parseClinicalScope(scope);
    if (!clinical || clinical.level === 'system') continue;
    if (clinical.level === 'patient' && !context.patientId) continue;
    if (!granted.includes(scope)) granted.push(scope);
  }
  return granted;
}

/**
 * The scopes without any write permission: v2 scopes keep only `r`/`s` (a scope left with
 * neither is dropped), v1 `.write` is dropped and `.*` becomes `.read`. What an EHR grants a
 * user who may look but not act (the sandbox launcher's read-only launch).
 */
export function readOnlyScopes(scopes: readonly string[]): string[] {
  const out: string[] = [];
  for (const scope of scopes) {
    const clinical = parseClinicalScope(scope);
    let kept: string | undefined = scope;
    if (clinical) {
      const [head = ''] = scope.split('?');
      const suffix = clinical.query === undefined ? '' : `?${clinical.query}`;
      const prefix = head.slice(0, head.lastIndexOf('.') + 1);
      const perms = head.slice(head.lastIndexOf('.') + 1);
      if (perms === 'write') kept = undefined;
      else if (perms === '*') kept = `${prefix}read${suffix}`;
      else if (perms !== 'read') {
        const readable = [...perms].filter((p) => p === 'r' || p === 's').join('');
        kept = readable === '' ? undefined : `${prefix}${readable}${suffix}`;
      }
    }
    if (kept !== undefined && !out.includes(kept)) out.push(kept);
  }
  return out;
}

export interface AccessContext {
  scopes: readonly string[];
  patientId: string | undefined;
  user: { resourceType: 'Practitioner' | 'Patient'; id: string };
}

/** Turns granted scopes and launch context into what the FHIR API enforces. */
export function accessFromScopes(context: AccessContext): FhirAccess {
  const clinical = context.scopes
    .map(parseClinicalScope)
    .filter((s): s is ClinicalScope => s !== undefined);

  const grantFor = (resourceType: string, wanted: readonly string[]): ReadGrant => {
    const covering = clinical.filter(
      (s) =>
        (s.resourceType === '*' || s.resourceType === resourceType) &&
        wanted.some((p) => s.permissions.has(p)),
    );
    const userScope = covering.some((s) => s.level === 'user');
    if (userScope) {
      // A Patient user sees only their own record, whatever the scope level says.
      if (context.user.resourceType === 'Patient') {
        return { kind: 'patient', patientId: context.user.id };
      }
      return { kind: 'all' };
    }
    if (covering.some((s) => s.level === 'patient') && context.patientId) {
      return { kind: 'patient', patientId: context.patientId };
    }
    return { kind: 'none' };
  };

  return {
    read: (resourceType) => grantFor(resourceType, ['r', 's']),
    create: (resourceType) => grantFor(resourceType, ['c']),
    update: (resourceType) => grantFor(resourceType, ['u']),
  };
}
