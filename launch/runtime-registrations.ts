// Client registrations a deployer adds without rebuilding: an optional JSON file served beside
// the app (`<app root>/equity-lens.clients.json`), read by the launch page on every launch.
import type { EhrRegistration, ScopeVersion } from './clients';

/** The file's name, resolved against the app root (the launch page's parent folder). */
export const runtimeRegistrationsFile = 'equity-lens.clients.json';

export interface RuntimeRegistrations {
  readonly registrations: readonly EhrRegistration[];
  /** One sentence per rejected entry or unreadable file, for the page and the console. */
  readonly problems: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isScopeVersion(value: unknown): value is ScopeVersion {
  return value === 'v1' || value === 'v2';
}

/**
 * Compiles `issMatch` so that it must match the whole `iss`: a pattern that matched anywhere in
 * the URL would let `https://evil.example/?https://ehr.example/fhir` borrow a client id.
 */
function compileIssMatch(pattern: string): RegExp | string {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function parseEntry(entry: unknown, index: number): EhrRegistration | string {
  const where = `Entry ${index + 1}`;
  if (!isRecord(entry)) return `${where} is not an object.`;
  const label = nonEmptyString(entry.label);
  const named = label ? `${where} ("${label}")` : where;
  const errors: string[] = [];
  if (!label) errors.push('"label" must be a non-empty string');
  const clientId = nonEmptyString(entry.clientId);
  if (!clientId) errors.push('"clientId" must be a non-empty string');
  if (!isScopeVersion(entry.scopeVersion)) errors.push('"scopeVersion" must be "v1" or "v2"');
  const pattern = nonEmptyString(entry.issMatch);
  let issMatch: RegExp | undefined;
  if (!pattern) {
    errors.push('"issMatch" must be a non-empty regular expression string');
  } else {
    const compiled = compileIssMatch(pattern);
    if (typeof compiled === 'string') {
      errors.push(`"issMatch" is not a valid regular expression (${compiled})`);
    } else {
      issMatch = compiled;
    }
  }
  if (!label || !clientId || !issMatch || !isScopeVersion(entry.scopeVersion)) {
    return `${named} was ignored: ${errors.join('; ')}.`;
  }
  return { label, issMatch, clientId, scopeVersion: entry.scopeVersion };
}

/** Validates the file's parsed JSON: keeps the valid entries, names the rejected ones. */
export function parseRuntimeRegistrations(json: unknown): RuntimeRegistrations {
  if (!Array.isArray(json)) {
    return {
      registrations: [],
      problems: [`${runtimeRegistrationsFile} must hold a JSON array of registrations.`],
    };
  }
  const registrations: EhrRegistration[] = [];
  const problems: string[] = [];
  json.forEach((entry: unknown, index) => {
    const parsed = parseEntry(entry, index);
    if (typeof parsed === 'string') problems.push(`${runtimeRegistrationsFile}: ${parsed}`);
    else registrations.push(parsed);
  });
  return { registrations, problems };
}

/** The file's URL for a launch page URL (`…/launch/?iss=…` → `…/equity-lens.clients.json`). */
export function runtimeRegistrationsUrl(launchUrl: string): string {
  return new URL(`../${runtimeRegistrationsFile}`, launchUrl).href;
}

const none: RuntimeRegistrations = { registrations: [], problems: [] };

/**
 * Fetches and validates the file. A missing file (404) is the normal case; a file that cannot be
 * read or parsed is reported and ignored, so the built-in registrations still work.
 */
export async function loadRuntimeRegistrations(
  launchUrl: string,
  fetchFile: typeof fetch = fetch,
): Promise<RuntimeRegistrations> {
  let response: Response;
  try {
    // `accept` without text/html or */*: a dev server's SPA fallback then answers 404, not the
    // app's index.html. no-store: a deployer's edit applies to the next launch.
    response = await fetchFile(runtimeRegistrationsUrl(launchUrl), {
      cache: 'no-store',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    return {
      registrations: [],
      problems: [
        `${runtimeRegistrationsFile} could not be fetched (${error instanceof Error ? error.message : String(error)}).`,
      ],
    };
  }
  if (response.status === 404 || response.status === 410) return none;
  if (!response.ok) {
    return {
      registrations: [],
      problems: [`${runtimeRegistrationsFile} could not be read (HTTP ${response.status}).`],
    };
  }
  // A host that answers every path with the app's HTML has no such file.
  if (/^text\/html\b/i.test(response.headers.get('content-type') ?? '')) return none;
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return {
      registrations: [],
      problems: [`${runtimeRegistrationsFile} is not valid JSON.`],
    };
  }
  return parseRuntimeRegistrations(json);
}
