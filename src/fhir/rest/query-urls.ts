// Search URLs for the panel loader, sized to stay under a URL length limit (panel-loading.md §1:
// "chunk ids so the URL stays under ~8 kB"), and their descriptions with patient ids masked.

import type { ResourceQuery } from './panel-load-types';

export type SearchParams = readonly (readonly [string, string])[];

/**
 * One search value, percent-encoded except for the characters FHIR search values use and URLs
 * allow in a query (`,` separates OR values — R4 search.html §3.1.1.5 — and `|` a token's system).
 */
export function encodeValue(value: string): string {
  return encodeURIComponent(value)
    .replace(/%2C/gi, ',')
    .replace(/%7C/gi, '|')
    .replace(/%3A/gi, ':')
    .replace(/%2F/gi, '/');
}

/** A single value whose own commas must not read as OR (R4 search.html §3.1.1.5: `\,`). */
export function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,');
}

/** `Type?name=value&…` (relative to the FHIR base). */
export function searchPath(resourceType: string, params: SearchParams): string {
  const query = params.map(([name, value]) => `${name}=${encodeValue(value)}`).join('&');
  return query ? `${resourceType}?${query}` : resourceType;
}

/**
 * Splits `values` into comma lists whose encoded length stays within `budget` characters and
 * which hold at most `maxItems` values; a value longer than the budget goes alone. `prefix` is
 * added to every value when sent (e.g. `Patient/`) and counts towards the length.
 */
export function chunkByLength(
  values: readonly string[],
  budget: number,
  maxItems: number,
  prefix = '',
): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const value of values) {
    const size = encodeValue(prefix + value).length;
    const cost = size + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && (length + cost > budget || current.length >= maxItems)) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    length += current.length > 0 ? cost : size;
    current.push(value);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The patient search parameter of a query (default `patient`). */
export function patientParamOf(query: ResourceQuery): string {
  return query.patientParam ?? 'patient';
}

/**
 * The value naming one patient: a bare id for `patient` (its only target is Patient), a typed
 * reference for others (`subject` may point at Group, Location…).
 */
export function patientValue(param: string, id: string): string {
  return patientPrefix(param) + id;
}

export function patientPrefix(param: string): string {
  return param === 'patient' ? '' : 'Patient/';
}

/** The fixed parameters of a query: its extra params (codes and patients come separately). */
export function extraParams(query: ResourceQuery): [string, string][] {
  return Object.entries(query.params ?? {}).map(([name, value]) => [name, value]);
}

/**
 * The query's codes split so one chunk takes at most half the URL left after the fixed part;
 * `[undefined]` when the query has no codes.
 */
export function codeChunks(
  query: ResourceQuery,
  baseUrl: string,
  maxUrlLength: number,
  pageSize: number,
): (string[] | undefined)[] {
  const codes = [...new Set(query.codes ?? [])];
  if (codes.length === 0) return [undefined];
  // Chunks are measured escaped, as they will be sent.
  const escaped = new Map(codes.map((code) => [escapeValue(code), code]));
  const fixed = fixedLength(baseUrl, query, pageSize);
  const budget = Math.max(200, Math.floor((maxUrlLength - fixed) / 2));
  return chunkByLength([...escaped.keys()], budget, Number.POSITIVE_INFINITY).map((chunk) =>
    chunk.map((code) => escaped.get(code) ?? code),
  );
}

/** URL length of `[base]/Type?<params>&_count=N&<patientParam>=&code=` without the lists. */
export function fixedLength(baseUrl: string, query: ResourceQuery, pageSize: number): number {
  const path = searchPath(query.resourceType, [
    ...extraParams(query),
    ['_count', String(pageSize)],
    [patientParamOf(query), ''],
    ['code', ''],
  ]);
  return baseUrl.length + 1 + path.length;
}

/** The search for `patientIds` × `codes` of one query (relative to the base). */
export function querySearchPath(
  query: ResourceQuery,
  patientIds: readonly string[],
  codes: readonly string[] | undefined,
  pageSize: number,
): string {
  const param = patientParamOf(query);
  const params: [string, string][] = [
    [param, patientIds.map((id) => patientValue(param, id)).join(',')],
  ];
  if (codes !== undefined) params.push(['code', codes.map(escapeValue).join(',')]);
  params.push(...extraParams(query), ['_count', String(pageSize)]);
  return searchPath(query.resourceType, params);
}

function plural(count: number, noun: string): string {
  return `<${count} ${noun}${count === 1 ? '' : 's'}>`;
}

/**
 * A query as it may appear in a report: types, parameter names and code counts kept, patient ids
 * replaced by their number (`Observation?patient=<50 patients>&code=<12 codes>`).
 */
export function describeQuery(
  query: ResourceQuery,
  patients: number,
  codes: readonly string[] | undefined,
): string {
  const parts = [`${patientParamOf(query)}=${plural(patients, 'patient')}`];
  if (codes !== undefined) parts.push(`code=${plural(codes.length, 'code')}`);
  for (const [name, value] of extraParams(query)) parts.push(`${name}=${value}`);
  return `${query.resourceType}?${parts.join('&')}`;
}

/** `Type?_id=<20 ids>`. */
export function describeIdSearch(resourceType: string, ids: number): string {
  return `${resourceType}?_id=${plural(ids, 'id')}`;
}

/** `Type/<id>`. */
export function describeRead(resourceType: string): string {
  return `${resourceType}/<id>`;
}
