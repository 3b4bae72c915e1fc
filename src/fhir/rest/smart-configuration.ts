// What `.well-known/smart-configuration` (SMART App Launch 2.x §"Conformance") and the granted
// scopes say about population access. Bulk Data export (Bulk Data v2.0.0 "Authorization") needs
// user- or system-level access: a patient-level token, or a server that offers no user/ or
// system/ scopes at all, cannot export a Group, so the loader does not spend a kick-off on it.

export interface SmartConfiguration {
  /** `scopes_supported`, when the server lists it (the list is optional in SMART 2.x). */
  scopesSupported: readonly string[] | undefined;
  /** `capabilities` (e.g. `permission-user`, `permission-v2`). */
  capabilities: readonly string[];
}

function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((item: unknown): item is string => typeof item === 'string');
}

/** Reads the parts the loader uses; undefined when `body` is not a JSON object. */
export function readSmartConfiguration(body: unknown): SmartConfiguration | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const config = body as { scopes_supported?: unknown; capabilities?: unknown };
  return {
    scopesSupported: strings(config.scopes_supported),
    capabilities: strings(config.capabilities) ?? [],
  };
}

/**
 * A scope's level, resource and read permission: SMART v1 `user/Patient.read`, `user/*.*`;
 * SMART v2 `user/Patient.rs`, `system/*.cruds`, with an optional `?param=value` narrowing.
 */
function parseScope(scope: string): { level: string; type: string; read: boolean } | undefined {
  const match = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(?:\?.*)?$/.exec(scope);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  const permission = match[3];
  const v1Read = permission === 'read' || permission === '*';
  // v2 permissions are the letters c, r, u, d, s in that order (SMART 2.x §"Scopes").
  const v2Read = /^c?r?u?d?s?$/.test(permission) && permission.includes('r');
  return { level: match[1], type: match[2], read: v1Read || v2Read };
}

/** Whether `scopes` (space-separated) grant user- or system-level read of Patient. */
export function grantsPopulationRead(scopes: string): boolean {
  return scopes
    .split(/\s+/)
    .map(parseScope)
    .some(
      (scope) =>
        scope !== undefined &&
        scope.read &&
        scope.level !== 'patient' &&
        (scope.type === 'Patient' || scope.type === '*'),
    );
}

/**
 * Why the server's SMART configuration rules out a Group export for an app, or undefined when it
 * does not: it lists its scopes and none is user- or system-level.
 */
export function exportRuledOutBy(config: SmartConfiguration): string | undefined {
  const scopes = config.scopesSupported;
  if (scopes === undefined || scopes.length === 0) return undefined;
  const population = scopes.some((scope) => /^(user|system)\//.test(scope));
  return population
    ? undefined
    : 'The SMART configuration offers no user- or system-level scopes, which Bulk Data export needs.';
}
