// What the EHR lets the patient view write, from two sources: the server's CapabilityStatement
// (R4 capabilitystatement.html: `rest.resource.interaction` create/update, `conditionalCreate`,
// `rest.interaction` transaction) and the SMART scopes the launch granted (App Launch 2.x
// "Scopes for requesting clinical data": v2 `.c`/`.u`, v1 `.write`).
import type { FhirRequestInit, FhirSession } from './fhir-session';

export interface ResourceWriteSupport {
  readonly create: boolean;
  readonly update: boolean;
  /** The server honours `If-None-Exist` (R4 `CapabilityStatement.rest.resource.conditionalCreate`). */
  readonly conditionalCreate: boolean;
  /** The server supports `identifier` search: the way to look for an earlier attempt. */
  readonly identifierSearch: boolean;
}

export interface ServerWriteSupport {
  /** `rest.interaction` lists `transaction`. */
  readonly transaction: boolean;
  readonly resources: Readonly<Record<string, ResourceWriteSupport>>;
}

const NONE: ResourceWriteSupport = {
  create: false,
  update: false,
  conditionalCreate: false,
  identifierSearch: false,
};

/** Reads the write interactions a CapabilityStatement declares for its `server` rest entry. */
export function readServerWriteSupport(statement: unknown): ServerWriteSupport {
  if (
    typeof statement !== 'object' ||
    statement === null ||
    !('resourceType' in statement) ||
    statement.resourceType !== 'CapabilityStatement'
  ) {
    return { transaction: false, resources: {} };
  }
  const capability = statement as fhir4.CapabilityStatement;
  const rest = capability.rest?.find((r) => r.mode === 'server') ?? capability.rest?.[0];
  const resources: Record<string, ResourceWriteSupport> = {};
  for (const resource of rest?.resource ?? []) {
    const codes = new Set((resource.interaction ?? []).map((i) => i.code));
    resources[resource.type] = {
      create: codes.has('create'),
      update: codes.has('update'),
      conditionalCreate: resource.conditionalCreate === true,
      identifierSearch: (resource.searchParam ?? []).some((p) => p.name === 'identifier'),
    };
  }
  return {
    transaction: (rest?.interaction ?? []).some((i) => i.code === 'transaction'),
    resources,
  };
}

/**
 * The resource types a CapabilityStatement offers for type-level search: its server `rest.resource`
 * entries that list `search-type` (or list no interactions at all, which says nothing against it).
 * `undefined` when the body is not a CapabilityStatement or declares no resources: then a type's
 * absence from it is not evidence that the server lacks the type.
 */
export function readSearchableTypes(statement: unknown): ReadonlySet<string> | undefined {
  if (
    typeof statement !== 'object' ||
    statement === null ||
    !('resourceType' in statement) ||
    statement.resourceType !== 'CapabilityStatement'
  ) {
    return undefined;
  }
  const capability = statement as fhir4.CapabilityStatement;
  const rest = capability.rest?.find((r) => r.mode === 'server') ?? capability.rest?.[0];
  const resources = rest?.resource ?? [];
  if (resources.length === 0) return undefined;
  return new Set(
    resources
      .filter(
        (r) =>
          r.interaction === undefined ||
          r.interaction.length === 0 ||
          r.interaction.some((i) => i.code === 'search-type'),
      )
      .map((r) => r.type),
  );
}

export function writeSupportOf(support: ServerWriteSupport, type: string): ResourceWriteSupport {
  return support.resources[type] ?? NONE;
}

/** GETs `metadata` through the session. Rejects with a `SessionError`. */
export async function fetchServerWriteSupport(
  session: FhirSession,
  init?: FhirRequestInit,
): Promise<ServerWriteSupport> {
  return readServerWriteSupport(await session.request<unknown>('metadata', init));
}

type Interaction = 'create' | 'update';

const V2_LETTER: Readonly<Record<Interaction, string>> = { create: 'c', update: 'u' };

/**
 * Whether the granted scopes allow `interaction` on `type` for the patient in context:
 * `patient/` or `user/` scopes, the type or `*`, v2 permissions (`.c`, `.cruds`, with or without
 * a `?` query) or v1 `.write` / `.*`.
 */
export function scopeAllows(
  scopes: readonly string[],
  type: string,
  interaction: Interaction,
): boolean {
  return scopes.some((scope) => {
    const match = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(?:\?.*)?$/.exec(scope);
    if (!match) return false;
    const [, context, scopeType, permission] = match;
    if (context === 'system') return false;
    if (scopeType !== type && scopeType !== '*') return false;
    if (permission === 'write' || permission === '*') return true;
    return (
      /^c?r?u?d?s?$/.test(permission ?? '') && (permission ?? '').includes(V2_LETTER[interaction])
    );
  });
}
