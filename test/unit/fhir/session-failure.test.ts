import { describe, expect, it } from 'vitest';
import type { SessionFailure } from '../../../src/fhir/session-failure';
import {
  SessionError,
  classifySessionError,
  isAbortError,
  readAuthorizationError,
} from '../../../src/fhir/session-failure';

/** Shaped like fhirclient's HttpError: an Error with `status`. */
class FakeHttpError extends Error {
  readonly status: number;
  constructor(status: number, message = `${status} Error`) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}

describe('classifySessionError', () => {
  it.each<[string, unknown, SessionFailure]>([
    [
      'a page opened without state in the URL',
      new Error("No 'state' parameter found. Please (re)launch the app."),
      { kind: 'no-launch' },
    ],
    [
      'a state key with nothing stored for it',
      new Error('No state found! Please (re)launch the app.'),
      { kind: 'no-launch' },
    ],
    [
      'an authorization denial rethrown by ready()',
      new Error('access_denied: The user declined'),
      { kind: 'denied', error: 'access_denied', description: 'The user declined' },
    ],
    [
      'an authorization error without a description',
      new Error('invalid_scope'),
      { kind: 'denied', error: 'invalid_scope', description: undefined },
    ],
    ['a 401 from the FHIR server', new FakeHttpError(401), { kind: 'expired' }],
    [
      'an invalid_grant from the token endpoint',
      new FakeHttpError(400, '400 Bad Request\ninvalid_grant: refresh token expired'),
      { kind: 'expired' },
    ],
    [
      'a refresh refused for lack of offline_access',
      new Error('Unable to refresh. No offline_access or online_access scope found.'),
      { kind: 'expired' },
    ],
    [
      'fhirclient clearing an expired session',
      new Error('Session expired! Please re-launch the app'),
      { kind: 'expired' },
    ],
    ['a 403 outside the granted scopes', new FakeHttpError(403), { kind: 'forbidden' }],
    ['a fetch TypeError', new TypeError('Failed to fetch'), { kind: 'unreachable' }],
    ["Node's fetch failure text", new Error('fetch failed'), { kind: 'unreachable' }],
    [
      'a discovery failure wrapped by fhirclient',
      new Error(
        'Failed to fetch the conformance statement from "http://x/metadata". TypeError: fetch failed',
      ),
      { kind: 'unreachable' },
    ],
    [
      "node-fetch's FetchError (fhirclient outside browsers)",
      Object.assign(
        new Error('request to http://x/fhir/Patient/1 failed, reason: socket hang up'),
        {
          name: 'FetchError',
        },
      ),
      { kind: 'unreachable' },
    ],
    ['a 502 from a gateway', new FakeHttpError(502), { kind: 'unreachable' }],
    ['a 503', new FakeHttpError(503), { kind: 'unreachable' }],
    ['a 504', new FakeHttpError(504), { kind: 'unreachable' }],
    ['a 500', new FakeHttpError(500), { kind: 'server', status: 500 }],
    ['a 404', new FakeHttpError(404), { kind: 'server', status: 404 }],
    [
      'malformed JSON',
      new SyntaxError('Unexpected token < in JSON'),
      { kind: 'server', status: undefined },
    ],
    [
      'a token response without an access token',
      new Error('Failed to obtain access token.'),
      { kind: 'server', status: undefined },
    ],
    ['a thrown non-Error', 'weird', { kind: 'server', status: undefined }],
    [
      'an already classified SessionError',
      new SessionError({ kind: 'forbidden' }),
      { kind: 'forbidden' },
    ],
  ])('classifies %s', (_case, error, expected) => {
    expect(classifySessionError(error)).toEqual(expected);
  });

  it('does not mistake an ordinary message for an OAuth error code', () => {
    expect(classifySessionError(new Error('something_else: happened'))).toEqual({
      kind: 'server',
      status: undefined,
    });
  });
});

describe('readAuthorizationError', () => {
  it.each<[string, SessionFailure | undefined]>([
    ['?code=abc&state=xyz', undefined],
    [
      '?error=access_denied&error_description=The%20user%20denied%20access&state=s',
      { kind: 'denied', error: 'access_denied', description: 'The user denied access' },
    ],
    ['?error=invalid_scope', { kind: 'denied', error: 'invalid_scope', description: undefined }],
    [
      '?error=server_error&error_description=%20',
      { kind: 'denied', error: 'server_error', description: undefined },
    ],
  ])('reads %s', (search, expected) => {
    expect(readAuthorizationError(new URLSearchParams(search))).toEqual(expected);
  });
});

describe('isAbortError', () => {
  it.each<[string, unknown, boolean]>([
    ['an AbortError DOMException', new DOMException('aborted', 'AbortError'), true],
    ['a TypeError', new TypeError('Failed to fetch'), false],
    ['undefined', undefined, false],
  ])('recognises %s', (_case, error, expected) => {
    expect(isAbortError(error)).toBe(expected);
  });
});
