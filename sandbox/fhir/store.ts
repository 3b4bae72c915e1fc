// An indexed in-memory resource store. Searches start from the smallest index bucket that holds
// every possible match (an id, a patient's compartment, a code, a practitioner) and filter that
// small set, so a `patient=…&code=…` search stays fast with millions of resources.
import { idPattern, indexKeysOf } from './search';
import { patientIdsOf, type Json } from './values';

/** A stored resource: it always has an id and meta.versionId/lastUpdated. */
export type StoredResource = fhir4.Resource & { id: string; meta: fhir4.Meta };

export interface StoreEntry {
  readonly resource: StoredResource;
  /** Insertion order: the default, deterministic order of search results. */
  readonly seq: number;
}

export interface FhirStoreOptions {
  /** Clock for meta.lastUpdated (default: the system clock). */
  now?: () => Date;
}

const empty: ReadonlySet<StoreEntry> = new Set();

function addTo<K>(map: Map<K, Set<StoreEntry>>, key: K, entry: StoreEntry): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(entry);
}

interface TypeTable {
  byId: Map<string, StoreEntry>;
  byPatient: Map<string, Set<StoreEntry>>;
  /** Token and reference index (search.ts `tokenIndexKeys`, `referenceIndexKeys`). */
  byKey: Map<string, Set<StoreEntry>>;
  nextId: number;
}

export class FhirStore {
  private readonly types = new Map<string, TypeTable>();
  private seq = 0;
  private readonly now: () => Date;

  constructor(options: FhirStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Adds a resource, or replaces the one with the same type and id (it keeps its place in the
   * default order). Assigns an id when missing, and meta.versionId "1" / meta.lastUpdated when
   * missing. Mutates and returns the given object; throws on a missing/invalid resourceType or id.
   */
  add(resource: fhir4.Resource): StoredResource {
    const json = resource as unknown as Json;
    const type = json.resourceType;
    if (typeof type !== 'string' || !/^[A-Z][A-Za-z]+$/.test(type)) {
      throw new Error(`not a resource: resourceType is ${JSON.stringify(type)}`);
    }
    const table = this.table(type);
    if (json.id === undefined) json.id = this.newId(table);
    if (typeof json.id !== 'string' || !idPattern.test(json.id)) {
      // R4 datatypes §2.24.0.1 id: [A-Za-z0-9\-\.]{1,64}
      throw new Error(`invalid ${type} id ${JSON.stringify(json.id)}`);
    }
    const meta = (json.meta ??= {}) as Json;
    if (typeof meta !== 'object' || Array.isArray(meta)) throw new Error(`invalid ${type}.meta`);
    meta.versionId ??= '1';
    meta.lastUpdated ??= this.now().toISOString();
    const stored = resource as StoredResource;

    const previous = table.byId.get(stored.id);
    if (previous) this.unindex(table, previous);
    const entry: StoreEntry = { resource: stored, seq: previous?.seq ?? this.seq++ };
    table.byId.set(stored.id, entry);
    for (const patientId of patientIdsOf(json)) addTo(table.byPatient, patientId, entry);
    for (const key of indexKeysOf(type, json)) addTo(table.byKey, key, entry);
    return stored;
  }

  /** Removes a resource (a rolled-back transaction's create); false when it was not there. */
  remove(type: string, id: string): boolean {
    const table = this.types.get(type);
    const entry = table?.byId.get(id);
    if (!table || !entry) return false;
    this.unindex(table, entry);
    table.byId.delete(id);
    return true;
  }

  /** A server-assigned id not yet used for this type (a transaction's urn:uuid targets). */
  reserveId(type: string): string {
    return this.newId(this.table(type));
  }

  get(type: string, id: string): StoredResource | undefined {
    return this.types.get(type)?.byId.get(id)?.resource;
  }

  entry(type: string, id: string): StoreEntry | undefined {
    return this.types.get(type)?.byId.get(id);
  }

  /** Every entry of a type, in insertion order. */
  entries(type: string): Iterable<StoreEntry> {
    return this.types.get(type)?.byId.values() ?? [];
  }

  /** Entries of a type in a Patient's compartment (subject/patient/beneficiary/for). */
  entriesByPatient(type: string, patientId: string): ReadonlySet<StoreEntry> {
    return this.types.get(type)?.byPatient.get(patientId) ?? empty;
  }

  /** Entries under an index key (see search.ts `tokenIndexKeys`, `referenceIndexKeys`). */
  entriesByKey(type: string, key: string): ReadonlySet<StoreEntry> {
    return this.types.get(type)?.byKey.get(key) ?? empty;
  }

  count(type: string): number {
    return this.types.get(type)?.byId.size ?? 0;
  }

  /** Resource counts per type, types in alphabetical order. */
  counts(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const type of this.resourceTypes()) result[type] = this.count(type);
    return result;
  }

  /** Types with at least one resource, alphabetically. */
  resourceTypes(): string[] {
    return [...this.types.keys()].filter((t) => this.count(t) > 0).sort();
  }

  get size(): number {
    let total = 0;
    for (const table of this.types.values()) total += table.byId.size;
    return total;
  }

  private table(type: string): TypeTable {
    let table = this.types.get(type);
    if (!table) {
      table = { byId: new Map(), byPatient: new Map(), byKey: new Map(), nextId: 1 };
      this.types.set(type, table);
    }
    return table;
  }

  /** Sequential ids per type, skipping ids already taken (e.g. by loaded data). */
  private newId(table: TypeTable): string {
    while (table.byId.has(String(table.nextId))) table.nextId++;
    return String(table.nextId++);
  }

  private unindex(table: TypeTable, entry: StoreEntry): void {
    const json = entry.resource as unknown as Json;
    for (const patientId of patientIdsOf(json)) table.byPatient.get(patientId)?.delete(entry);
    for (const key of indexKeysOf(entry.resource.resourceType, json)) {
      table.byKey.get(key)?.delete(entry);
    }
  }
}
