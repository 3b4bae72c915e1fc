// Why a SMART session cannot go on, in terms a user can act on. Every failure the FHIR layer
// surfaces is one of these; screens switch over `kind` exhaustively.

export type SessionFailure =
  /** No SMART state: the page was opened directly instead of from a launch. */
  | { readonly kind: 'no-launch' }
  /** The authorization server redirected back with `?error=` (RFC 6749 §4.1.2.1). */
  | { readonly kind: 'denied'; readonly error: string; readonly description: string | undefined }
  /** 401, a failed refresh, or an expired token without a refresh token: relaunch. */
  | { readonly kind: 'expired' }
  /** 403: the granted scopes do not cover the request. */
  | { readonly kind: 'forbidden' }
  /** The FHIR or authorization server could not be reached (network error, 502–504). */
  | { readonly kind: 'unreachable' }
  /** Any other server failure: other 5xx or 4xx, a malformed response. */
  | { readonly kind: 'server'; readonly status: number | undefined };

export type SessionFailureKind = SessionFailure['kind'];

export class SessionError extends Error {
  readonly failure: SessionFailure;

  constructor(failure: SessionFailure, options?: { cause?: unknown }) {
    super(`FHIR session failure: ${failure.kind}`, options);
    this.name = 'SessionError';
    this.failure = failure;
  }
}

/** Error codes an authorization endpoint may put in its redirect (RFC 6749 §4.1.2.1). */
const authorizationErrors = [
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'login_required',
  'consent_required',
  'interaction_required',
] as const;

/** Reads `?error=&error_description=` from the redirect URI's query, if the server sent them. */
export function readAuthorizationError(search: URLSearchParams): SessionFailure | undefined {
  const error = search.get('error');
  if (!error) return undefined;
  const description = search.get('error_description')?.trim();
  return { kind: 'denied', error, description: description || undefined };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : '';
}

/** fhirclient's ready() rethrows the redirect's error as "<code>: <description>". */
function readThrownAuthorizationError(message: string): SessionFailure | undefined {
  const match = /^([a-z_]+)(?::\s*([\s\S]*))?$/.exec(message.trim());
  const code = match?.[1];
  if (!code || !(authorizationErrors as readonly string[]).includes(code)) return undefined;
  const description = match[2]?.trim();
  return { kind: 'denied', error: code, description: description || undefined };
}

/**
 * Classifies anything thrown by fhirclient, fetch or the adapter. Status codes win over
 * messages; messages are matched only where fhirclient throws plain Errors.
 */
export function classifySessionError(error: unknown): SessionFailure {
  if (error instanceof SessionError) return error.failure;
  const status = statusOf(error);
  const message = messageOf(error);
  if (status !== undefined) {
    if (status === 401) return { kind: 'expired' };
    if (status === 403) return { kind: 'forbidden' };
    // The token endpoint refuses a used, expired or revoked code/refresh token (RFC 6749 §5.2).
    if (status === 400 && /invalid_grant/.test(message)) return { kind: 'expired' };
    if (status === 502 || status === 503 || status === 504) return { kind: 'unreachable' };
    return { kind: 'server', status };
  }
  if (/No 'state' parameter found|No state found/.test(message)) return { kind: 'no-launch' };
  const denied = readThrownAuthorizationError(message);
  if (denied) return denied;
  if (/Session expired|Unable to refresh|No refresh_token/i.test(message)) {
    return { kind: 'expired' };
  }
  // fetch rejects with a TypeError on network failure ("Failed to fetch" in Chromium, "fetch
  // failed" in Node, "NetworkError…" in Firefox, "Load failed" in Safari); fhirclient keeps
  // that text when it wraps discovery failures. Outside browsers fhirclient fetches through
  // cross-fetch (node-fetch), which rejects with a FetchError instead.
  if (
    error instanceof TypeError ||
    (error instanceof Error && error.name === 'FetchError') ||
    /Failed to fetch|fetch failed|NetworkError|Load failed|ECONNREFUSED/i.test(message)
  ) {
    return { kind: 'unreachable' };
  }
  return { kind: 'server', status: undefined };
}

/** True when the error is an aborted request (the component went away): not a failure to show. */
export function isAbortError(error: unknown): boolean {
  // DOMException is not an Error subclass in every runtime (jsdom), so check the name only.
  return (
    typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError'
  );
}
