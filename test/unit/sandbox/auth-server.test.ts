import { describe, expect, it } from 'vitest';
import {
  AuthorizationServer,
  type AuthorizeOutcome,
} from '../../../sandbox/auth/authorization-server';
import { s256Challenge } from '../../../sandbox/auth/tokens';
import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';

const base = 'http://127.0.0.1:4010/fhir';
const redirectUri = 'http://127.0.0.1:5173/';
const verifier = 'v'.repeat(20) + '-._~' + 'A1b2C3d4e5F6g7H8i9J0k'; // 45 unreserved characters
const challenge = s256Challenge(verifier);

function makeServer(clock = { now: 1_700_000_000_000 }) {
  const server = new AuthorizationServer({
    fhirBaseUrl: base,
    authorizeUrl: 'http://127.0.0.1:4010/auth/authorize',
    tokenUrl: 'http://127.0.0.1:4010/auth/token',
    jwksUrl: 'http://127.0.0.1:4010/auth/jwks',
    clients: [{ clientId: 'equity-lens', redirectUris: [redirectUri] }],
    directory: {
      practitionerExists: (id) => id === 'dr1',
      patientExists: (id) => id === 'p1' || id === 'p2',
    },
    accessTokenLifetimeSeconds: 60,
    now: () => clock.now,
  });
  return { server, clock };
}

function authorizeQuery(overrides: Record<string, string | null> = {}): URLSearchParams {
  const params: Record<string, string | null> = {
    response_type: 'code',
    client_id: 'equity-lens',
    redirect_uri: redirectUri,
    scope:
      'launch openid fhirUser offline_access patient/Patient.rs patient/Observation.rs user/Practitioner.rs',
    state: 'st-1',
    aud: base,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null) query.set(k, v);
  return query;
}

function redirectParams(outcome: AuthorizeOutcome): URLSearchParams {
  if (outcome.kind !== 'redirect') throw new Error(`expected a redirect, got ${outcome.kind}`);
  expect(outcome.location.startsWith(redirectUri)).toBe(true);
  return new URL(outcome.location).searchParams;
}

function tokenForm(code: string, overrides: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: 'equity-lens',
    code_verifier: verifier,
    ...overrides,
  });
}

function ehrLaunchCode(server: AuthorizationServer, patientId: string | null = 'p1'): string {
  const launch = server.createLaunch({
    practitionerId: 'dr1',
    patientId: patientId ?? undefined,
    encounterId: undefined,
    needPatientBanner: false,
  });
  const params = redirectParams(server.authorize(authorizeQuery({ launch })));
  expect(params.get('state')).toBe('st-1');
  return params.get('code') ?? '';
}

describe('authorize', () => {
  it('shows an error page instead of redirecting for an unknown client', () => {
    const { server } = makeServer();
    const outcome = server.authorize(authorizeQuery({ client_id: 'evil' }));
    expect(outcome).toMatchObject({ kind: 'error-page', status: 400 });
  });

  it('shows an error page for an unregistered redirect URI', () => {
    const { server } = makeServer();
    const outcome = server.authorize(authorizeQuery({ redirect_uri: 'http://127.0.0.1:9999/' }));
    expect(outcome.kind).toBe('error-page');
  });

  it.each([
    ['a wrong aud', { aud: 'http://127.0.0.1:4010/other' }, 'invalid_request', /aud/],
    ['no PKCE challenge', { code_challenge: null }, 'invalid_request', /PKCE/],
    ['the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request', /S256/],
    ['a token response type', { response_type: 'token' }, 'unsupported_response_type', /code/],
    ['an unknown launch handle', { launch: 'nope' }, 'invalid_request', /launch/],
  ])('redirects back with an error for %s', (_name, overrides, error, description) => {
    const { server } = makeServer();
    const params = redirectParams(server.authorize(authorizeQuery(overrides)));
    expect(params.get('error')).toBe(error);
    expect(params.get('error_description')).toMatch(description);
    expect(params.get('state')).toBe('st-1');
  });

  it('accepts aud with a trailing slash', () => {
    const { server } = makeServer();
    const launch = server.createLaunch({
      practitionerId: 'dr1',
      patientId: 'p1',
      encounterId: undefined,
      needPatientBanner: true,
    });
    expect(
      redirectParams(server.authorize(authorizeQuery({ launch, aud: `${base}/` }))).get('code'),
    ).toBeTruthy();
  });

  it('asks a standalone user to sign in and pick a patient', () => {
    const { server } = makeServer();
    const outcome = server.authorize(
      authorizeQuery({ scope: 'launch/patient openid fhirUser patient/*.rs' }),
    );
    expect(outcome.kind).toBe('login');
    if (outcome.kind === 'login') expect(outcome.pending.needsPatient).toBe(true);
  });

  it('expires launch handles after a day', () => {
    const { server, clock } = makeServer();
    const launch = server.createLaunch({
      practitionerId: 'dr1',
      patientId: 'p1',
      encounterId: undefined,
      needPatientBanner: true,
    });
    clock.now += 25 * 60 * 60 * 1000;
    expect(redirectParams(server.authorize(authorizeQuery({ launch }))).get('error')).toBe(
      'invalid_request',
    );
  });
});

describe('standalone decision', () => {
  it('redirects with access_denied when the user denies', () => {
    const { server } = makeServer();
    const outcome = server.authorize(authorizeQuery({ scope: 'launch/patient patient/*.rs' }));
    if (outcome.kind !== 'login') throw new Error('expected login');
    const params = redirectParams(
      server.decide(outcome.pending.id, { approve: false, practitionerId: 'dr1', patientId: 'p1' }),
    );
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('st-1');
  });

  it('issues a code bound to the chosen patient, once', () => {
    const { server } = makeServer();
    const outcome = server.authorize(
      authorizeQuery({ scope: 'launch/patient openid fhirUser patient/*.rs' }),
    );
    if (outcome.kind !== 'login') throw new Error('expected login');
    const code =
      redirectParams(
        server.decide(outcome.pending.id, {
          approve: true,
          practitionerId: 'dr1',
          patientId: 'p2',
        }),
      ).get('code') ?? '';
    const token = server.token(tokenForm(code));
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ patient: 'p2', need_patient_banner: true });
    expect(
      server.decide(outcome.pending.id, { approve: true, practitionerId: 'dr1', patientId: 'p2' })
        .kind,
    ).toBe('error-page');
  });

  it('signs a practitioner in without a patient picker or patient context when launch/patient is not asked for', () => {
    const { server } = makeServer();
    const outcome = server.authorize(
      authorizeQuery({
        scope:
          'openid fhirUser offline_access user/Patient.rs user/Observation.rs patient/Patient.rs',
      }),
    );
    if (outcome.kind !== 'login') throw new Error('expected login');
    expect(outcome.pending.needsPatient).toBe(false);
    const code =
      redirectParams(
        // A patient id in the form (not shown without launch/patient) must not become context.
        server.decide(outcome.pending.id, {
          approve: true,
          practitionerId: 'dr1',
          patientId: 'p1',
        }),
      ).get('code') ?? '';
    const token = server.token(tokenForm(code));
    expect(token.status).toBe(200);
    const body = token.body as Record<string, unknown>;
    expect(body.patient).toBeUndefined();
    expect(String(body.scope).split(' ')).toEqual([
      'openid',
      'fhirUser',
      'offline_access',
      'user/Patient.rs',
      'user/Observation.rs',
    ]);
    expect(typeof body.id_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    const access = server.authenticate(`Bearer ${String(body.access_token)}`);
    if (!access.ok) throw new Error('expected the access token to authenticate');
    expect(access.grant.patientId).toBeUndefined();
    expect(access.access.read('Patient')).toEqual({ kind: 'all' });
  });

  it('refuses approval without a patient when launch/patient was asked for', () => {
    const { server } = makeServer();
    const outcome = server.authorize(authorizeQuery({ scope: 'launch/patient patient/*.rs' }));
    if (outcome.kind !== 'login') throw new Error('expected login');
    const params = redirectParams(
      server.decide(outcome.pending.id, {
        approve: true,
        practitionerId: 'dr1',
        patientId: undefined,
      }),
    );
    expect(params.get('error')).toBe('access_denied');
  });
});

describe('token', () => {
  it('returns the launch context, granted scopes, an id_token and a refresh token', () => {
    const { server } = makeServer();
    const result = server.token(tokenForm(ehrLaunchCode(server)));
    expect(result.status).toBe(200);
    expect(result.headers['Cache-Control']).toBe('no-store');
    const body = result.body as Record<string, unknown>;
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 60,
      patient: 'p1',
      need_patient_banner: false,
    });
    expect(String(body.scope).split(' ')).toEqual(
      expect.arrayContaining(['launch', 'patient/Patient.rs', 'offline_access']),
    );
    expect(body.refresh_token).toBeTruthy();
  });

  it('signs an id_token with fhirUser that verifies against the JWKS', () => {
    const { server } = makeServer();
    const body = server.token(tokenForm(ehrLaunchCode(server))).body as Record<string, string>;
    const [header, payload, signature] = (body.id_token ?? '').split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      aud: 'equity-lens',
      iss: base,
      fhirUser: `${base}/Practitioner/dr1`,
    });
    const key = createPublicKey({
      key: server.jwks().keys[0] as JsonWebKey,
      format: 'jwk',
    });
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(key, Buffer.from(signature ?? '', 'base64url'));
    expect(valid).toBe(true);
  });

  it.each([
    ['a wrong PKCE verifier', { code_verifier: 'x'.repeat(43) }, /PKCE/],
    ['a malformed PKCE verifier', { code_verifier: 'short' }, /PKCE/],
    ['another redirect_uri', { redirect_uri: 'http://127.0.0.1:5173/other' }, /redirect_uri/],
    ['another client', { client_id: 'other' }, /client_id/],
  ])('refuses %s with invalid_grant', (_name, overrides, description) => {
    const { server } = makeServer();
    const result = server.token(tokenForm(ehrLaunchCode(server), overrides));
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ error: 'invalid_grant' });
    expect((result.body as { error_description: string }).error_description).toMatch(description);
  });

  it('refuses a code used twice or after five minutes', () => {
    const { server, clock } = makeServer();
    const code = ehrLaunchCode(server);
    expect(server.token(tokenForm(code)).status).toBe(200);
    expect(server.token(tokenForm(code)).status).toBe(400);
    const late = ehrLaunchCode(server);
    clock.now += 6 * 60_000;
    expect(server.token(tokenForm(late)).status).toBe(400);
  });

  it('refuses an unsupported grant type', () => {
    const { server } = makeServer();
    expect(server.token(new URLSearchParams({ grant_type: 'password' })).body).toMatchObject({
      error: 'unsupported_grant_type',
    });
  });

  it('refreshes with the same context and never widens the scope', () => {
    const { server } = makeServer();
    const first = server.token(tokenForm(ehrLaunchCode(server))).body as Record<string, string>;
    const refreshed = server.token(
      new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token ?? '',
        scope: 'patient/Patient.rs user/*.cruds',
      }),
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ patient: 'p1', scope: 'patient/Patient.rs' });
  });

  it('omits the refresh token without offline_access and the id_token without openid', () => {
    const { server } = makeServer();
    const launch = server.createLaunch({
      practitionerId: 'dr1',
      patientId: 'p1',
      encounterId: undefined,
      needPatientBanner: true,
    });
    const code =
      redirectParams(
        server.authorize(authorizeQuery({ launch, scope: 'launch patient/Patient.rs' })),
      ).get('code') ?? '';
    const body = server.token(tokenForm(code)).body as Record<string, unknown>;
    expect(body.refresh_token).toBeUndefined();
    expect(body.id_token).toBeUndefined();
  });

  it('leaves patient out of a practitioner-only launch', () => {
    const { server } = makeServer();
    const body = server.token(tokenForm(ehrLaunchCode(server, null))).body as Record<
      string,
      unknown
    >;
    expect(body.patient).toBeUndefined();
    expect(String(body.scope)).not.toMatch(/patient\//);
  });
});

describe('authenticate', () => {
  it('accepts a live token and builds access from its scopes', () => {
    const { server } = makeServer();
    const body = server.token(tokenForm(ehrLaunchCode(server))).body as Record<string, string>;
    const result = server.authenticate(`Bearer ${body.access_token}`);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.access.read('Observation')).toEqual({ kind: 'patient', patientId: 'p1' });
      expect(result.access.read('Practitioner')).toEqual({ kind: 'all' });
      expect(result.access.read('Condition')).toEqual({ kind: 'none' });
    }
  });

  it.each([
    ['no header', undefined, /required/],
    ['an unknown token', 'Bearer nope', /not valid/],
    ['a non-bearer scheme', 'Basic abc', /required/],
  ])('refuses %s with 401', (_name, header, description) => {
    const { server } = makeServer();
    const result = server.authenticate(header);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.description).toMatch(description);
  });

  it('refuses an expired token', () => {
    const { server, clock } = makeServer();
    const body = server.token(tokenForm(ehrLaunchCode(server))).body as Record<string, string>;
    clock.now += 61_000;
    const result = server.authenticate(`Bearer ${body.access_token}`);
    expect(result).toMatchObject({
      ok: false,
      description: expect.stringMatching(/expired/) as unknown,
    });
  });
});

describe('smart configuration', () => {
  it('advertises what the issue and SMART App Launch 2 require', () => {
    const { server } = makeServer();
    const config = server.smartConfiguration();
    expect(config.code_challenge_methods_supported).toEqual(['S256']);
    expect(config.capabilities).toEqual(
      expect.arrayContaining([
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'permission-v1',
        'permission-v2',
        'context-ehr-patient',
        'context-standalone-patient',
        'sso-openid-connect',
        'permission-offline',
      ]),
    );
  });
});
