// Reading search values out of resources. The sandbox treats stored resources as plain JSON
// (any of ~145 R4 types, plus whatever a loader brings), so these helpers walk untyped objects
// instead of relying on the fhir4 interfaces.

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Values at a dotted element path, with arrays flattened at every step (FHIRPath style), e.g.
 * `member.entity` on a Group gives every member's Reference.
 */
export function valuesAt(resource: Json, path: string): unknown[] {
  let current: unknown[] = [resource];
  for (const name of path.split('.')) {
    const next: unknown[] = [];
    for (const item of current) {
      if (!isObject(item)) continue;
      const value = item[name];
      if (Array.isArray(value)) next.push(...(value as unknown[]));
      else if (value !== undefined && value !== null) next.push(value);
    }
    current = next;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Tokens (R4 search §3.1.1.4.5 "token": Coding, CodeableConcept, Identifier, code, boolean)

export interface Token {
  /** Absent when the Coding/Identifier has no system. */
  system: string | undefined;
  code: string;
}

/**
 * Tokens of one element value. `implicitSystem` is the code system of a bare `code` element
 * (e.g. Patient.gender → administrative-gender), so `system|code` searches work on it too.
 */
export function tokensOf(value: unknown, implicitSystem?: string): Token[] {
  if (typeof value === 'string') return [{ system: implicitSystem, code: value }];
  if (typeof value === 'boolean') return [{ system: implicitSystem, code: String(value) }];
  if (!isObject(value)) return [];
  if (Array.isArray(value.coding)) {
    return (value.coding as unknown[]).flatMap((coding) => tokensOf(coding));
  }
  const system = typeof value.system === 'string' ? value.system : undefined;
  // Coding has `code`; Identifier (and ContactPoint) has `value`.
  if (typeof value.code === 'string') return [{ system, code: value.code }];
  if (typeof value.value === 'string') return [{ system, code: value.value }];
  return [];
}

// ---------------------------------------------------------------------------------------------
// References

/** The literal `reference` strings of Reference values (contained `#x` refs included). */
export function referencesOf(value: unknown): string[] {
  if (isObject(value) && typeof value.reference === 'string') return [value.reference];
  return [];
}

/**
 * The elements that place a resource in a Patient's compartment. The R4 CompartmentDefinition
 * "patient" lists per-type params; for the types the sandbox serves they all resolve to one of
 * these elements (subject, patient, beneficiary, for).
 */
export const compartmentElements = ['subject', 'patient', 'beneficiary', 'for'] as const;

/** Ids of the Patients a resource belongs to (its compartment memberships). */
export function patientIdsOf(resource: Json): string[] {
  if (resource.resourceType === 'Patient')
    return typeof resource.id === 'string' ? [resource.id] : [];
  const ids: string[] = [];
  for (const element of compartmentElements) {
    for (const ref of valuesAt(resource, element).flatMap(referencesOf)) {
      const id = patientIdOfReference(ref);
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

/** `Patient/123` (or an absolute URL ending in it, or with `/_history/n`) → `123`. */
export function patientIdOfReference(ref: string): string | undefined {
  const match = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
  return match?.[1];
}

// ---------------------------------------------------------------------------------------------
// Dates. Every date value is a range [lo, hi) in epoch milliseconds whose width is the precision
// of the text (R4 search §3.1.1.4.2 "date": a value stands for the whole range its precision
// implies). Period start/end give the range, open ends are infinite.

export interface Range {
  lo: number;
  hi: number;
}

const datePattern =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function utc(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(h, m, s, ms);
  return date.getTime();
}

/**
 * Parses a FHIR date/dateTime/instant (or a search date value) into its implied range.
 * `requireZone`: a value with a time must carry a timezone (FHIR dateTime §2.24.0.1 says it
 * SHALL when hours and minutes are present); search values are held to it, stored data is read
 * leniently as UTC.
 */
export function parseDateRange(text: string, requireZone = false): Range | undefined {
  const match = datePattern.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const year = Number(y);
  const month = mo === undefined ? undefined : Number(mo);
  const day = d === undefined ? undefined : Number(d);
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (month === undefined) return { lo: utc(year, 0, 1), hi: utc(year + 1, 0, 1) };
  if (day === undefined) return { lo: utc(year, month - 1, 1), hi: utc(year, month, 1) };
  const dayStart = utc(year, month - 1, day);
  if (new Date(dayStart).getUTCDate() !== day) return undefined; // e.g. 2021-02-30
  if (h === undefined) return { lo: dayStart, hi: utc(year, month - 1, day + 1) };
  if (zone === undefined && requireZone) return undefined;
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = s === undefined ? 0 : Number(s);
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  let offset = 0;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 14 || zm > 59) return undefined;
    offset = sign * (zh * 60 + zm) * 60_000;
  }
  let width = s === undefined ? 60_000 : 1000;
  let ms = 0;
  if (frac !== undefined) {
    const digits = frac.slice(1);
    ms = Math.floor(Number(`0.${digits}`) * 1000);
    width = Math.max(1, 10 ** (3 - Math.min(3, digits.length)));
  }
  const lo = utc(year, month - 1, day, hours, minutes, seconds, ms) - offset;
  return { lo, hi: lo + width };
}

// Stored dates repeat a lot (same day, many resources) and a date search without a patient or
// code scans every resource of the type, so parsed stored values are memoized (bounded).
const parsedDates = new Map<string, Range | undefined>();

function storedDateRange(text: string): Range | undefined {
  if (parsedDates.has(text)) return parsedDates.get(text);
  if (parsedDates.size >= 200_000) parsedDates.clear();
  const range = parseDateRange(text);
  parsedDates.set(text, range);
  return range;
}

/** Ranges of one element value: a date/dateTime/instant string or a Period. */
export function rangesOf(value: unknown): Range[] {
  if (typeof value === 'string') {
    const range = storedDateRange(value);
    return range ? [range] : [];
  }
  if (isObject(value) && (typeof value.start === 'string' || typeof value.end === 'string')) {
    const start = typeof value.start === 'string' ? storedDateRange(value.start) : undefined;
    const end = typeof value.end === 'string' ? storedDateRange(value.end) : undefined;
    return [{ lo: start?.lo ?? -Infinity, hi: end?.hi ?? Infinity }];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Strings (R4 search §3.1.1.4.3 "string": case- and accent-insensitive, matching the start by default)

export function normalizeText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Searchable strings of a value: plain strings, HumanName and Address parts. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!isObject(value)) return [];
  const parts: string[] = [];
  for (const key of ['text', 'family', 'given', 'prefix', 'suffix', 'line', 'city', 'state']) {
    const part = value[key];
    if (typeof part === 'string') parts.push(part);
    else if (Array.isArray(part))
      parts.push(...part.filter((p): p is string => typeof p === 'string'));
  }
  return parts;
}

/**
 * Calls `visit` for every Reference-like object (one with a string `reference`) inside a value,
 * with its path (e.g. `subject`, `entry[2].item`). `visit` may rewrite `holder.reference`.
 */
export function forEachReference(
  value: unknown,
  visit: (holder: Json & { reference: string }, path: string) => void,
  path = '',
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => forEachReference(item, visit, `${path}[${i}]`));
    return;
  }
  if (!isObject(value)) return;
  if (typeof value.reference === 'string') {
    visit(value as Json & { reference: string }, path);
  }
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'object' && child !== null) {
      forEachReference(child, visit, path === '' ? key : `${path}.${key}`);
    }
  }
}
