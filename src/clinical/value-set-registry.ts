// The value-set registry: loads the official VSAC expansions (`valuesets.json` Bundles of
// ValueSets, as parsed JSON — no file access here) or value sets already reduced to their codes
// (the compiled file the app ships), and answers "is this coding in value set X"
// with one Map lookup. Membership follows CQL `in` / `~` on codes: system and code, no version.

import type { CodeKey, ValueSetRegistry } from './patient-record';

const EMPTY: ReadonlySet<string> = new Set<string>();

/**
 * Interned keys: records of 100,000 patients repeat the same few thousand codes, so each key
 * string exists once (a two-level map avoids building the concatenation on a hit).
 */
const interned = new Map<string, Map<string, CodeKey>>();

/** `system|code` as used across the record. */
export function codeKey(system: string | undefined, code: string | undefined): CodeKey {
  const s = system ?? '';
  const c = code ?? '';
  let codes = interned.get(s);
  if (codes === undefined) {
    codes = new Map();
    interned.set(s, codes);
  }
  let key = codes.get(c);
  if (key === undefined) {
    key = `${s}|${c}`;
    codes.set(c, key);
  }
  return key;
}

/** A canonical URL without its `|version` suffix. */
function canonical(url: string): string {
  const bar = url.indexOf('|');
  return bar < 0 ? url : url.slice(0, bar);
}

interface ValueSetLike {
  resourceType: 'ValueSet';
  url?: string;
  id?: string;
  identifier?: { system?: string; value?: string }[];
  expansion?: { contains?: ContainsLike[] };
  compose?: { include?: { system?: string; concept?: { code?: string }[] }[] };
}
interface ContainsLike {
  system?: string;
  code?: string;
  contains?: ContainsLike[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function* valueSetsIn(input: unknown): Generator<ValueSetLike> {
  if (Array.isArray(input)) {
    for (const item of input) yield* valueSetsIn(item);
    return;
  }
  if (!isRecord(input)) return;
  if (input.resourceType === 'ValueSet') {
    yield input as unknown as ValueSetLike;
  } else if (input.resourceType === 'Bundle' && Array.isArray(input.entry)) {
    for (const entry of input.entry) if (isRecord(entry)) yield* valueSetsIn(entry.resource);
  }
}

class MapValueSetRegistry implements ValueSetRegistry {
  private readonly byCode = new Map<CodeKey, Set<string>>();
  private readonly known = new Set<string>();
  /** OIDs (bare and `urn:oid:`) → canonical URL, so a lookup by either form works. */
  private readonly aliases = new Map<string, string>();

  /** Registers a value set by canonical URL and its OID identifiers; returns the canonical URL. */
  private register(urlWithVersion: string, identifiers: Iterable<string | undefined>): string {
    const url = canonical(urlWithVersion);
    this.known.add(url);
    for (const value of identifiers) {
      if (value === undefined) continue;
      const oid = value.startsWith('urn:oid:') ? value.slice(8) : value;
      if (!/^\d+(\.\d+)+$/.test(oid)) continue;
      this.aliases.set(oid, url);
      this.aliases.set(`urn:oid:${oid}`, url);
    }
    return url;
  }

  /** A value set already reduced to its codes (see `registryFromValueSetCodes`). */
  addCodes(valueSet: ValueSetCodes): void {
    const url = this.register(valueSet.url, [valueSet.oid ?? undefined]);
    for (const [system, codes] of Object.entries(valueSet.codes))
      for (const code of codes) this.addCode(url, codeKey(system, code));
  }

  add(valueSet: ValueSetLike): void {
    if (valueSet.url === undefined) return;
    const url = this.register(
      valueSet.url,
      (valueSet.identifier ?? []).map((identifier) => identifier.value),
    );
    const contains = valueSet.expansion?.contains;
    if (contains !== undefined) {
      this.addContains(url, contains);
      return;
    }
    // No expansion: fall back to the enumerated concepts of the compose (no filters, no includes).
    for (const include of valueSet.compose?.include ?? []) {
      for (const concept of include.concept ?? [])
        this.addCode(url, codeKey(include.system, concept.code));
    }
  }

  private addContains(url: string, contains: ContainsLike[]): void {
    for (const item of contains) {
      if (item.code !== undefined) this.addCode(url, codeKey(item.system, item.code));
      if (item.contains !== undefined) this.addContains(url, item.contains);
    }
  }

  private addCode(url: string, key: CodeKey): void {
    let sets = this.byCode.get(key);
    if (sets === undefined) {
      sets = new Set<string>();
      this.byCode.set(key, sets);
    }
    sets.add(url);
  }

  /** The canonical URL for a URL (with or without `|version`) or an OID. */
  private resolve(valueSet: string): string {
    return this.aliases.get(valueSet) ?? canonical(valueSet);
  }

  has(valueSetUrl: string, code: CodeKey): boolean {
    return this.byCode.get(code)?.has(this.resolve(valueSetUrl)) ?? false;
  }

  hasAny(valueSetUrl: string, codes: readonly CodeKey[]): boolean {
    if (codes.length === 0) return false;
    const url = this.resolve(valueSetUrl);
    for (const code of codes) if (this.byCode.get(code)?.has(url) === true) return true;
    return false;
  }

  valueSetsOf(code: CodeKey): ReadonlySet<string> {
    return this.byCode.get(code) ?? EMPTY;
  }

  knows(valueSetUrl: string): boolean {
    return this.known.has(this.resolve(valueSetUrl));
  }

  get size(): number {
    return this.known.size;
  }
}

/**
 * Builds a registry from parsed `valuesets.json` Bundles (or ValueSets, or arrays of either).
 * Value sets repeated across measures' bundles merge by canonical URL.
 */
export function loadValueSetRegistry(...sources: unknown[]): ValueSetRegistry {
  const registry = new MapValueSetRegistry();
  for (const source of sources) for (const valueSet of valueSetsIn(source)) registry.add(valueSet);
  return registry;
}

/**
 * One value set reduced to what membership needs: its canonical URL (a `|version` suffix is
 * ignored, as in `has`), its OID, and its codes per code-system URL. The shape of the compiled
 * value sets the app ships (src/measures/compiled-value-sets.ts).
 */
export interface ValueSetCodes {
  url: string;
  oid: string | null;
  codes: Readonly<Record<string, readonly string[]>>;
}

/**
 * Builds a registry from value sets already reduced to their codes. Same lookups as
 * `loadValueSetRegistry`; value sets repeated under one canonical URL merge.
 */
export function registryFromValueSetCodes(valueSets: Iterable<ValueSetCodes>): ValueSetRegistry {
  const registry = new MapValueSetRegistry();
  for (const valueSet of valueSets) registry.addCodes(valueSet);
  return registry;
}

/**
 * A `keepCodes` filter for the record builder: accepts facts with a code in any loaded value set
 * or among `directCodes` (the CQL `code` declarations measures test with `~`).
 */
export function acceptsCodesIn(
  registry: ValueSetRegistry,
  directCodes: Iterable<CodeKey> = [],
): (codes: readonly CodeKey[]) => boolean {
  const direct = new Set(directCodes);
  return (codes) => {
    for (const code of codes)
      if (direct.has(code) || registry.valueSetsOf(code).size > 0) return true;
    return false;
  };
}
