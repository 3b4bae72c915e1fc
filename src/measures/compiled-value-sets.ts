// The value sets the app ships: the codes of every value set the five eCQMs use, compiled from the
// official VSAC expansions of the measure package (../shared/data/ecqm-2026, which the browser
// cannot read) by `npm run compile:valuesets` (src/cli/compile-value-sets.ts) into
// ./value-set-expansions/ecqm-2026.json, with where each code came from. Pure: the compiler takes
// parsed JSON, and the shipped file is loaded by a dynamic import (its own chunk, fetched only by
// the worker or the CLI when a measure runs).

import type { ValueSetRegistry } from '../clinical/patient-record';
import { registryFromValueSetCodes } from '../clinical/value-set-registry';

export const COMPILED_VALUE_SETS_FORMAT = 'equity-lens/compiled-value-sets@1';

/** The public repository the official package comes from (../shared/data/README.md). */
export const SOURCE_PACKAGE = 'cqframework/ecqm-content-cms-2025';
const SOURCE_PACKAGE_URL = `https://github.com/${SOURCE_PACKAGE}`;

/** One value set, reduced to its codes. */
export interface CompiledValueSet {
  /** Canonical URL without `|version`: the VSAC FHIR endpoint of the value set. */
  url: string;
  version: string;
  oid: string | null;
  name: string;
  title: string | null;
  /**
   * `expansion`: the codes are the VSAC expansion's `contains` (nested ones included).
   * `compose`: the package has no expansion, and the compose is a plain enumeration of codes
   * (no filters, no included value sets, no excludes), which is its expansion by definition.
   */
  codesFrom: 'expansion' | 'compose';
  /** `ValueSet.expansion.identifier` / `.timestamp`; null for `compose`. */
  expansion: { identifier: string | null; timestamp: string | null } | null;
  /** Short ids (CMS122 …) of the measures whose package lists the value set. */
  usedBy: string[];
  /** Code-system versions the codes were drawn from, per system (membership ignores them). */
  codeSystemVersions: Record<string, string[]>;
  /** Codes per code-system URL, sorted. */
  codes: Record<string, string[]>;
}

export interface CompiledMeasureSource {
  /** Short id, e.g. CMS122. */
  id: string;
  /** Folder of the package the measure came from. */
  folder: string;
  url: string;
  version: string;
  name: string;
  title: string | null;
  date: string | null;
  effectivePeriod: { start: string | null; end: string | null } | null;
  /** The `valuesets.json` Bundle read: its id, timestamp and number of ValueSets. */
  valueSetBundle: { id: string | null; timestamp: string | null; valueSets: number };
}

export interface CompiledProvenance {
  package: string;
  packageUrl: string;
  /** Where the codes come from: VSAC, through the package (each value set's url is its VSAC address). */
  expansionsFrom: string;
  /** How to rebuild the file. */
  compiledBy: string;
  /**
   * The date the compile stands for: the newest `valuesets.json` Bundle.timestamp unless one was
   * given, so a rerun on the same package gives the same bytes (no wall clock).
   */
  asOf: string;
  asOfSource: 'newest-bundle-timestamp' | 'argument';
  measures: CompiledMeasureSource[];
  /** Value sets the measures list in different versions: every version is kept. */
  versionConflicts: { url: string; versions: string[] }[];
}

export interface CompiledValueSets {
  format: typeof COMPILED_VALUE_SETS_FORMAT;
  provenance: CompiledProvenance;
  /** Sorted by URL, then version. */
  valueSets: CompiledValueSet[];
}

/** One measure folder of the package, parsed. */
export interface CompileSource {
  folder: string;
  /** Parsed `measure.json`. */
  measure: unknown;
  /** Parsed `valuesets.json`. */
  valueSets: unknown;
}

export interface CompileOptions {
  /** Overrides the newest Bundle.timestamp as the compile's date. */
  asOf?: string;
}

export interface CompileResult {
  compiled: CompiledValueSets;
  /** Things a person should know (version conflicts, differing expansion ids); not fatal. */
  warnings: string[];
}

type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function requiredText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} is missing`);
  return value;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** String order by UTF-16 code units: the same on every machine (localeCompare is not). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const OID = /^\d+(\.\d+)+$/;

function oidOf(valueSet: Json, url: string): string | null {
  for (const identifier of list(valueSet.identifier)) {
    if (!isJson(identifier)) continue;
    const value = text(identifier.value);
    if (value === null) continue;
    const oid = value.startsWith('urn:oid:') ? value.slice(8) : value;
    if (OID.test(oid)) return oid;
  }
  const tail = url.slice(url.lastIndexOf('/') + 1);
  return OID.test(tail) ? tail : null;
}

class CodeCollector {
  readonly codes = new Map<string, Set<string>>();
  readonly versions = new Map<string, Set<string>>();

  add(system: string, code: string, version: string | null): void {
    let codes = this.codes.get(system);
    if (codes === undefined) {
      codes = new Set();
      this.codes.set(system, codes);
    }
    codes.add(code);
    if (version !== null) {
      let versions = this.versions.get(system);
      if (versions === undefined) {
        versions = new Set();
        this.versions.set(system, versions);
      }
      versions.add(version);
    }
  }

  get size(): number {
    let n = 0;
    for (const codes of this.codes.values()) n += codes.size;
    return n;
  }
}

function sortedRecord(map: Map<string, Set<string>>): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  for (const key of [...map.keys()].sort(byText))
    record[key] = [...(map.get(key) ?? [])].sort(byText);
  return record;
}

/** `expansion.contains`, nested `contains` included; entries without a code are groupers. */
function collectContains(items: unknown[], into: CodeCollector, where: string): void {
  for (const item of items) {
    if (!isJson(item)) continue;
    const code = text(item.code);
    if (code !== null) {
      into.add(
        requiredText(item.system, `${where}: system of code ${code}`),
        code,
        text(item.version),
      );
    }
    if (Array.isArray(item.contains)) collectContains(item.contains, into, where);
  }
}

/** A compose that lists its codes and nothing else, or null. */
function collectEnumeratedCompose(compose: unknown, into: CodeCollector, where: string): boolean {
  if (!isJson(compose) || compose.exclude !== undefined) return false;
  const includes = list(compose.include);
  if (includes.length === 0) return false;
  for (const include of includes) {
    if (!isJson(include) || include.filter !== undefined || include.valueSet !== undefined)
      return false;
    const concepts = list(include.concept);
    if (concepts.length === 0) return false;
    const system = requiredText(include.system, `${where}: compose.include.system`);
    for (const concept of concepts) {
      const code = isJson(concept) ? text(concept.code) : null;
      if (code === null) return false;
      into.add(system, code, text(include.version));
    }
  }
  return true;
}

function compileValueSet(resource: Json, measureId: string, folder: string): CompiledValueSet {
  const url = requiredText(resource.url, `a ValueSet in ${folder}/valuesets.json: url`);
  const canonicalUrl = url.includes('|') ? url.slice(0, url.indexOf('|')) : url;
  const version = requiredText(resource.version, `${folder}: ValueSet ${url}: version`);
  const where = `${folder}: ValueSet ${canonicalUrl}|${version}`;
  const collector = new CodeCollector();
  let codesFrom: CompiledValueSet['codesFrom'];
  let expansion: CompiledValueSet['expansion'];
  if (resource.expansion !== undefined) {
    const exp = resource.expansion;
    if (!isJson(exp) || !Array.isArray(exp.contains))
      throw new Error(`${where}: the expansion has no contains`);
    collectContains(exp.contains, collector, where);
    codesFrom = 'expansion';
    expansion = { identifier: text(exp.identifier), timestamp: text(exp.timestamp) };
  } else if (collectEnumeratedCompose(resource.compose, collector, where)) {
    codesFrom = 'compose';
    expansion = null;
  } else {
    throw new Error(
      `${where}: no expansion, and the compose is not a plain list of codes: its codes are unknown`,
    );
  }
  if (collector.size === 0) throw new Error(`${where}: no codes`);
  return {
    url: canonicalUrl,
    version,
    oid: oidOf(resource, canonicalUrl),
    name: requiredText(resource.name, `${where}: name`),
    title: text(resource.title),
    codesFrom,
    expansion,
    usedBy: [measureId],
    codeSystemVersions: sortedRecord(collector.versions),
    codes: sortedRecord(collector.codes),
  };
}

function sameCodes(a: CompiledValueSet, b: CompiledValueSet): boolean {
  return JSON.stringify(a.codes) === JSON.stringify(b.codes);
}

function measureSource(
  source: CompileSource,
  bundle: Json,
  valueSets: number,
): CompiledMeasureSource {
  const measure = source.measure;
  if (!isJson(measure) || measure.resourceType !== 'Measure')
    throw new Error(`${source.folder}/measure.json is not a Measure`);
  const name = requiredText(measure.name, `${source.folder}/measure.json: name`);
  const period = isJson(measure.effectivePeriod) ? measure.effectivePeriod : null;
  return {
    id: /^CMS\d+/.exec(name)?.[0] ?? name,
    folder: source.folder,
    url: requiredText(measure.url, `${source.folder}/measure.json: url`),
    version: requiredText(measure.version, `${source.folder}/measure.json: version`),
    name,
    title: text(measure.title),
    date: text(measure.date),
    effectivePeriod: period === null ? null : { start: text(period.start), end: text(period.end) },
    valueSetBundle: { id: text(bundle.id), timestamp: text(bundle.timestamp), valueSets },
  };
}

/** The latest of ISO timestamps as instants (their offsets differ), as written. */
function newest(timestamps: readonly string[]): string | null {
  let best: string | null = null;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const t of timestamps) {
    const time = Date.parse(t);
    if (Number.isNaN(time)) throw new Error(`unreadable Bundle.timestamp ${t}`);
    if (time > bestTime) {
      best = t;
      bestTime = time;
    }
  }
  return best;
}

/**
 * Compiles the value sets of the given measure folders. Throws on anything that would make the
 * shipped codes differ from the package silently: a value set without a known list of codes, or
 * the same value set version with different codes in two measures.
 */
export function compileValueSets(
  sources: readonly CompileSource[],
  options: CompileOptions = {},
): CompileResult {
  if (sources.length === 0) throw new Error('no measure folders to compile');
  const warnings: string[] = [];
  const byVersion = new Map<string, CompiledValueSet>();
  const measures: CompiledMeasureSource[] = [];
  const ordered = [...sources].sort((a, b) => byText(a.folder, b.folder));
  for (const source of ordered) {
    const bundle = source.valueSets;
    if (!isJson(bundle) || bundle.resourceType !== 'Bundle')
      throw new Error(`${source.folder}/valuesets.json is not a Bundle`);
    const resources = list(bundle.entry)
      .map((entry) => (isJson(entry) ? entry.resource : undefined))
      .filter((r): r is Json => isJson(r) && r.resourceType === 'ValueSet');
    if (resources.length === 0) throw new Error(`${source.folder}/valuesets.json has no ValueSet`);
    const measure = measureSource(source, bundle, resources.length);
    measures.push(measure);
    for (const resource of resources) {
      const compiled = compileValueSet(resource, measure.id, source.folder);
      const key = `${compiled.url}|${compiled.version}`;
      const seen = byVersion.get(key);
      if (seen === undefined) {
        byVersion.set(key, compiled);
        continue;
      }
      if (!sameCodes(seen, compiled))
        throw new Error(
          `${key}: ${source.folder} lists different codes than ${seen.usedBy.join(', ')} for the same version`,
        );
      if (JSON.stringify(seen.expansion) !== JSON.stringify(compiled.expansion))
        warnings.push(
          `${key}: same codes, but expansion ${JSON.stringify(compiled.expansion)} in ${measure.id} vs ${JSON.stringify(seen.expansion)}; kept the first`,
        );
      if (!seen.usedBy.includes(measure.id)) seen.usedBy.push(measure.id);
    }
  }
  const valueSets = [...byVersion.values()].sort(
    (a, b) => byText(a.url, b.url) || byText(a.version, b.version),
  );
  for (const valueSet of valueSets) valueSet.usedBy.sort(byText);
  const versionConflicts: CompiledProvenance['versionConflicts'] = [];
  for (let i = 0; i < valueSets.length;) {
    const url = valueSets[i]?.url;
    let j = i;
    const versions: string[] = [];
    while (j < valueSets.length && valueSets[j]?.url === url)
      versions.push(valueSets[j++]?.version ?? '');
    if (url !== undefined && versions.length > 1) {
      versionConflicts.push({ url, versions });
      warnings.push(`${url}: the measures use versions ${versions.join(', ')}; all are kept`);
    }
    i = j;
  }
  let asOf = options.asOf;
  const asOfSource: CompiledProvenance['asOfSource'] =
    asOf === undefined ? 'newest-bundle-timestamp' : 'argument';
  asOf ??=
    newest(
      measures.flatMap((m) =>
        m.valueSetBundle.timestamp === null ? [] : [m.valueSetBundle.timestamp],
      ),
    ) ?? undefined;
  if (asOf === undefined)
    throw new Error('no valuesets.json Bundle has a timestamp: give the date with --as-of');
  return {
    compiled: {
      format: COMPILED_VALUE_SETS_FORMAT,
      provenance: {
        package: SOURCE_PACKAGE,
        packageUrl: SOURCE_PACKAGE_URL,
        expansionsFrom:
          'VSAC (NLM Value Set Authority Center) expansions as published in the package; each value set url is its VSAC FHIR address',
        compiledBy: 'npm run compile:valuesets (src/cli/compile-value-sets.ts)',
        asOf,
        asOfSource,
        measures,
        versionConflicts,
      },
      valueSets,
    },
    warnings,
  };
}

/**
 * The file's text: provenance indented, one value set per line (readable diffs, compact codes),
 * keys in a fixed order, so the same input always gives the same bytes.
 */
export function serializeCompiledValueSets(compiled: CompiledValueSets): string {
  const provenance = JSON.stringify(compiled.provenance, null, 2).replaceAll('\n', '\n  ');
  const valueSets = compiled.valueSets.map((v) => `    ${JSON.stringify(v)}`).join(',\n');
  return `{\n  "format": ${JSON.stringify(compiled.format)},\n  "provenance": ${provenance},\n  "valueSets": [\n${valueSets}\n  ]\n}\n`;
}

/** A registry answering membership from compiled value sets (the same lookups as the official files). */
export function registryFromCompiled(compiled: CompiledValueSets): ValueSetRegistry {
  return registryFromValueSetCodes(compiled.valueSets);
}

function isCompiledValueSets(value: unknown): value is CompiledValueSets {
  return (
    isJson(value) &&
    value.format === COMPILED_VALUE_SETS_FORMAT &&
    isJson(value.provenance) &&
    Array.isArray(value.valueSets) &&
    value.valueSets.every(
      (v) =>
        isJson(v) &&
        typeof v.url === 'string' &&
        isJson(v.codes) &&
        Object.values(v.codes).every(
          (codes) => Array.isArray(codes) && codes.every((c) => typeof c === 'string'),
        ),
    )
  );
}

let shipped: Promise<CompiledValueSets> | undefined;
let shippedRegistry: Promise<ValueSetRegistry> | undefined;

/** The compiled file shipped with the app (loaded once, on first use). */
export function loadShippedCompiledValueSets(): Promise<CompiledValueSets> {
  shipped ??= import('./value-set-expansions/ecqm-2026.json').then(
    (module: { default: unknown }) => {
      if (!isCompiledValueSets(module.default))
        throw new Error(
          `the shipped value sets are not in the ${COMPILED_VALUE_SETS_FORMAT} format`,
        );
      return module.default;
    },
    (error: unknown) => {
      // A chunk that failed to load (e.g. offline) may load on the next try.
      shipped = undefined;
      throw error;
    },
  );
  return shipped;
}

/** The registry of the value sets shipped with the app, built once on first use. */
export function loadShippedValueSets(): Promise<ValueSetRegistry> {
  shippedRegistry ??= loadShippedCompiledValueSets().then(
    registryFromCompiled,
    (error: unknown) => {
      shippedRegistry = undefined;
      throw error;
    },
  );
  return shippedRegistry;
}
