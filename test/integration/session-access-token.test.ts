// FhirSession.accessToken() over fhirclient: the token the panel worker gets, refreshed first
// when it has expired, and a SessionError when the session cannot go on. Sessions are seeded the
// way a reload finds them (authorize() stored a token response, the page has no code).
import FHIR from 'fhirclient';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decideLaunch } from '../../launch/clients';
import type { FhirSession } from '../../src/fhir/fhir-session';
import { connectFhirclientSession } from '../../src/fhir/fhirclient-session';
import { SessionError } from '../../src/fhir/session-failure';
import { appOrigin, fhirBase, smartFhirServer, tokenEndpoint, visit } from './smart-fhir-server';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => visit('/'));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Completes a launch whose stored token response is `tokenResponse`. */
async function sessionWith(tokenResponse: Record<string, unknown>): Promise<FhirSession> {
  const decision = decideLaunch({
    launchUrl: `${appOrigin}/launch/?iss=${encodeURIComponent(fhirBase)}&launch=handle-9`,
    inFrame: false,
  });
  if (decision.kind !== 'authorize') throw new Error(`expected authorize, got ${decision.kind}`);
  await FHIR.oauth2.authorize({
    ...decision.client,
    iss: fhirBase,
    launch: 'handle-9',
    noRedirect: true,
    fakeTokenResponse: tokenResponse,
  });
  return connectFhirclientSession();
}

const panelScope = 'launch openid fhirUser offline_access user/Patient.rs';

describe('FhirSession.accessToken()', () => {
  it('hands out the current token without a refresh when there is nothing to refresh with', async () => {
    const tokenRequests: URLSearchParams[] = [];
    server.use(...smartFhirServer({ resources: [], accessToken: 'access-a', tokenRequests }));
    const session = await sessionWith({
      access_token: 'access-a',
      token_type: 'Bearer',
      scope: panelScope,
    });
    expect(await session.accessToken()).toBe('access-a');
    expect(tokenRequests).toEqual([]);
  });

  it('refreshes an expired token first, then reuses the fresh one', async () => {
    const tokenRequests: URLSearchParams[] = [];
    server.use(
      ...smartFhirServer({
        resources: [],
        accessToken: 'access-new',
        tokenRequests,
        token: (form) =>
          form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'refresh-b'
            ? {
                access_token: 'access-new',
                token_type: 'Bearer',
                expires_in: 3600,
                scope: panelScope,
                refresh_token: 'refresh-b',
              }
            : { error: 'invalid_grant' },
      }),
    );
    // No expiry was recorded for the seeded token, so fhirclient treats it as expired.
    const session = await sessionWith({
      access_token: 'access-old',
      token_type: 'Bearer',
      scope: panelScope,
      refresh_token: 'refresh-b',
    });
    expect(await session.accessToken()).toBe('access-new');
    expect(await session.accessToken()).toBe('access-new');
    expect(tokenRequests.map((form) => form.get('grant_type'))).toEqual(['refresh_token']);
  });

  it('rejects with an expired-session SessionError when the refresh is refused', async () => {
    server.use(
      http.post(tokenEndpoint, () =>
        HttpResponse.json(
          { error: 'invalid_grant', error_description: 'The refresh token has expired.' },
          { status: 400 },
        ),
      ),
      ...smartFhirServer({ resources: [], accessToken: 'never' }),
    );
    const session = await sessionWith({
      access_token: 'access-old',
      token_type: 'Bearer',
      scope: panelScope,
      refresh_token: 'refresh-gone',
    });
    const failure = await session.accessToken().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SessionError);
    expect(failure instanceof SessionError && failure.failure).toEqual({ kind: 'expired' });
  });

  it('rejects with an expired-session SessionError when the grant has no offline access', async () => {
    const tokenRequests: URLSearchParams[] = [];
    server.use(...smartFhirServer({ resources: [], accessToken: 'never', tokenRequests }));
    const session = await sessionWith({
      access_token: 'access-old',
      token_type: 'Bearer',
      // Epic-style: a refresh token, but `offline_access` not echoed in scope (smart.md §2.4).
      scope: 'launch openid fhirUser user/Patient.rs',
      refresh_token: 'refresh-c',
    });
    await expect(session.accessToken()).rejects.toMatchObject({ failure: { kind: 'expired' } });
    expect(tokenRequests).toEqual([]);
  });

  it('is undefined for an open server that issued no token', async () => {
    server.use(...smartFhirServer({ resources: [], accessToken: 'never' }));
    const session = await sessionWith({ patient: 'pat-ana' });
    expect(await session.accessToken()).toBeUndefined();
  });
});
