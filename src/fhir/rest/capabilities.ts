// What the server says it can do, read from its CapabilityStatement (R4 capabilitystatement.html;
// panel-loading.md: "check rest[0].resource[].searchParam, operation, interaction … never assume").

export interface ServerCapabilities {
  /** The statement was read; false when /metadata failed and nothing is known. */
  known: boolean;
  /** `Group/[id]/$export` (Bulk Data v2.0.0 §"Group export"), declared on Group or the system. */
  groupExport: boolean;
  /** The `batch` system interaction (R4 http.html §3.1.0.11). */
  batch: boolean;
  /** Search parameters each type declares; a type without a list is unknown, not "none". */
  searchParams: ReadonlyMap<string, ReadonlySet<string>>;
  /** Resource types the statement lists (`rest.resource.type`); empty when none are listed. */
  resourceTypes: ReadonlySet<string>;
  /** `_include` values each type declares (`searchInclude`, e.g. `MedicationRequest:medication`). */
  searchIncludes: ReadonlyMap<string, ReadonlySet<string>>;
}

export const unknownCapabilities: ServerCapabilities = {
  known: false,
  groupExport: false,
  batch: false,
  searchParams: new Map(),
  resourceTypes: new Set(),
  searchIncludes: new Map(),
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function arrayOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** `export`, `$export`, or an OperationDefinition canonical ending in `/export` or `/group-export`. */
function isExportOperation(operation: Record<string, unknown>): boolean {
  const name = typeof operation.name === 'string' ? operation.name.replace(/^\$/, '') : '';
  const definition = typeof operation.definition === 'string' ? operation.definition : '';
  return name === 'export' || /\/(group-)?export(\|[^/]*)?$/i.test(definition);
}

/** Reads the statement's `rest[mode=server]` entries; anything unreadable counts as absent. */
export function readCapabilities(statement: unknown): ServerCapabilities {
  if (!isObject(statement) || statement.resourceType !== 'CapabilityStatement') {
    return unknownCapabilities;
  }
  const rests = arrayOf(statement.rest).filter((rest) => rest.mode !== 'client');
  let groupExport = false;
  let batch = false;
  const searchParams = new Map<string, Set<string>>();
  const searchIncludes = new Map<string, Set<string>>();
  const resourceTypes = new Set<string>();
  for (const rest of rests) {
    if (arrayOf(rest.interaction).some((interaction) => interaction.code === 'batch')) {
      batch = true;
    }
    // A system-level $export is still taken as a hint that Group export works.
    if (arrayOf(rest.operation).some(isExportOperation)) groupExport = true;
    for (const resource of arrayOf(rest.resource)) {
      if (typeof resource.type !== 'string') continue;
      resourceTypes.add(resource.type);
      if (resource.type === 'Group' && arrayOf(resource.operation).some(isExportOperation)) {
        groupExport = true;
      }
      const includes = Array.isArray(resource.searchInclude)
        ? resource.searchInclude.filter(
            (value: unknown): value is string => typeof value === 'string',
          )
        : [];
      if (includes.length > 0) {
        const set = searchIncludes.get(resource.type) ?? new Set<string>();
        for (const include of includes) set.add(include);
        searchIncludes.set(resource.type, set);
      }
      const names = arrayOf(resource.searchParam)
        .map((param) => param.name)
        .filter((name): name is string => typeof name === 'string');
      if (names.length === 0) continue;
      const set = searchParams.get(resource.type) ?? new Set<string>();
      for (const name of names) set.add(name);
      searchParams.set(resource.type, set);
    }
  }
  return { known: true, groupExport, batch, searchParams, resourceTypes, searchIncludes };
}

/** Whether `type` declares search parameter `name`: undefined when the type lists none. */
export function declaresSearchParam(
  capabilities: ServerCapabilities,
  type: string,
  name: string,
): boolean | undefined {
  const names = capabilities.searchParams.get(type);
  return names === undefined ? undefined : names.has(name);
}

/** Whether `type` declares `_include=<include>` (R4 CapabilityStatement.rest.resource.searchInclude). */
export function declaresInclude(
  capabilities: ServerCapabilities,
  type: string,
  include: string,
): boolean {
  return capabilities.searchIncludes.get(type)?.has(include) === true;
}

/**
 * Whether the server serves `type`: false only when the statement lists resource types and this
 * one is not among them (R4: a type the statement leaves out is not supported).
 */
export function servesType(capabilities: ServerCapabilities, type: string): boolean {
  if (!capabilities.known || capabilities.resourceTypes.size === 0) return true;
  return capabilities.resourceTypes.has(type);
}
