// The sandbox's SMART App Launch 2.x authorization server
// (hl7.org/fhir/smart-app-launch/app-launch.html). It is deliberately as strict as a real EHR:
// registered public clients with exact redirect URIs, `aud` equal to the FHIR base, PKCE S256
// required, single-use short-lived codes, expiring access tokens, refresh with offline_access.
import type { FhirAccess } from '../fhir/access';
import { accessFromScopes, grantScopes, readOnlyScopes } from './scopes';
import { IdTokenSigner, isValidCodeVerifier, randomHandle, s256Challenge } from './tokens';

export interface RegisteredClient {
  clientId: string;
  /** Exact redirect URIs (RFC 6749 §3.1.2.3 simple string comparison). */
  redirectUris: string[];
}

export interface LaunchContext {
  practitionerId: string;
  patientId: string | undefined;
  encounterId: string | undefined;
  /** False when the EHR already shows a patient banner around the app. */
  needPatientBanner: boolean;
  /**
   * The user may look but not act: every write permission is removed from the granted scopes
   * (scopes.ts `readOnlyScopes`), as an EHR does for a user without order entry rights.
   */
  readOnly?: boolean;
}

export interface Directory {
  practitionerExists(id: string): boolean;
  patientExists(id: string): boolean;
}

export interface AuthorizationServerOptions {
  fhirBaseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  clients: RegisteredClient[];
  directory: Directory;
  accessTokenLifetimeSeconds?: number;
  /** Milliseconds since the epoch; injectable so expiry can be tested. */
  now?: () => number;
}

/** A pending standalone authorization waiting for the user to sign in and pick a patient. */
export interface PendingAuthorization {
  id: string;
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string;
  codeChallenge: string;
  nonce: string | undefined;
  needsPatient: boolean;
  expiresAt: number;
}

export type AuthorizeOutcome =
  /** The request cannot be trusted to redirect (unknown client or redirect URI): show a page. */
  | { kind: 'error-page'; status: number; message: string }
  | { kind: 'redirect'; location: string }
  /** Standalone launch: the user signs in (and picks a patient). */
  | { kind: 'login'; pending: PendingAuthorization };

export interface HttpResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface Grant {
  clientId: string;
  scopes: string[];
  patientId: string | undefined;
  encounterId: string | undefined;
  user: { resourceType: 'Practitioner' | 'Patient'; id: string };
  needPatientBanner: boolean;
  nonce: string | undefined;
}

interface IssuedCode extends Grant {
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
}

interface IssuedToken extends Grant {
  expiresAt: number;
}

export type AuthenticationResult =
  | { ok: true; access: FhirAccess; grant: { scopes: string[]; patientId: string | undefined } }
  | { ok: false; status: 401; error: string; description: string };

const CODE_LIFETIME_MS = 5 * 60_000;
const PENDING_LIFETIME_MS = 15 * 60_000;
/** Launch handles stay usable for a day so a tester can reuse a launch URL. */
const LAUNCH_LIFETIME_MS = 24 * 60 * 60_000;
const REFRESH_LIFETIME_MS = 365 * 24 * 60 * 60_000;

export class AuthorizationServer {
  private readonly options: Required<Omit<AuthorizationServerOptions, 'clients'>>;
  private readonly clients = new Map<string, RegisteredClient>();
  private readonly launches = new Map<string, LaunchContext & { expiresAt: number }>();
  private readonly pending = new Map<string, PendingAuthorization>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly accessTokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, IssuedToken>();
  private readonly signer = new IdTokenSigner();

  constructor(options: AuthorizationServerOptions) {
    this.options = {
      accessTokenLifetimeSeconds: 3600,
      now: () => Date.now(),
      ...options,
    };
    for (const client of options.clients) this.clients.set(client.clientId, { ...client });
  }

  /** Adds a redirect URI to a registered client (the app's address is known only at start-up). */
  registerRedirectUri(clientId: string, redirectUri: string): void {
    const client = this.clients.get(clientId) ?? { clientId, redirectUris: [] };
    if (!client.redirectUris.includes(redirectUri)) client.redirectUris.push(redirectUri);
    this.clients.set(clientId, client);
  }

  registeredClients(): RegisteredClient[] {
    return [...this.clients.values()];
  }

  /** The EHR side: records who is signed in and which chart is open; returns the launch handle. */
  createLaunch(context: LaunchContext): string {
    const handle = randomHandle(18);
    this.launches.set(handle, { ...context, expiresAt: this.now() + LAUNCH_LIFETIME_MS });
    return handle;
  }

  smartConfiguration(): Record<string, unknown> {
    return {
      issuer: this.options.fhirBaseUrl,
      jwks_uri: this.options.jwksUrl,
      authorization_endpoint: this.options.authorizeUrl,
      token_endpoint: this.options.tokenUrl,
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
      response_types_supported: ['code'],
      scopes_supported: [
        'openid',
        'fhirUser',
        'launch',
        'launch/patient',
        'offline_access',
        'online_access',
        'patient/*.rs',
        'user/*.rs',
        'patient/*.read',
        'user/*.read',
        'patient/ServiceRequest.c',
        'patient/Task.c',
        'patient/Task.u',
        'patient/Procedure.c',
        'user/ServiceRequest.c',
        'user/Task.c',
        'user/Task.u',
        'user/Procedure.c',
      ],
      code_challenge_methods_supported: ['S256'],
      capabilities: [
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'context-passthrough-banner',
        'context-ehr-patient',
        'context-ehr-encounter',
        'context-standalone-patient',
        'sso-openid-connect',
        'permission-offline',
        'permission-patient',
        'permission-user',
        'permission-v1',
        'permission-v2',
      ],
    };
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return this.signer.jwks();
  }

  /** GET /authorize (SMART App Launch §2.0.5 / RFC 6749 §4.1.1). */
  authorize(query: URLSearchParams): AuthorizeOutcome {
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    const client = this.clients.get(clientId);
    // RFC 6749 §4.1.2.1: with a bad client or redirect URI the server must not redirect.
    if (!client) {
      return { kind: 'error-page', status: 400, message: `Unknown client_id "${clientId}".` };
    }
    if (!client.redirectUris.includes(redirectUri)) {
      return {
        kind: 'error-page',
        status: 400,
        message: `redirect_uri "${redirectUri}" is not registered for client "${clientId}". Registered: ${client.redirectUris.join(', ') || '(none)'}.`,
      };
    }
    const state = query.get('state') ?? '';
    const fail = (error: string, description: string): AuthorizeOutcome => ({
      kind: 'redirect',
      location: withParams(redirectUri, { error, error_description: description, state }),
    });
    if (!state) return fail('invalid_request', 'The state parameter is required.');
    if (query.get('response_type') !== 'code') {
      return fail('unsupported_response_type', 'Only response_type=code is supported.');
    }
    const aud = query.get('aud') ?? '';
    if (trimSlash(aud) !== trimSlash(this.options.fhirBaseUrl)) {
      return fail(
        'invalid_request',
        `aud "${aud}" does not match this server's FHIR base URL ${this.options.fhirBaseUrl}.`,
      );
    }
    const challenge = query.get('code_challenge') ?? '';
    const method = query.get('code_challenge_method') ?? '';
    if (!challenge || method !== 'S256') {
      return fail('invalid_request', 'PKCE is required: send code_challenge with method S256.');
    }
    const scope = query.get('scope') ?? '';
    const nonce = query.get('nonce') ?? undefined;
    const launchHandle = query.get('launch');

    if (launchHandle) {
      const launch = this.launches.get(launchHandle);
      if (!launch || launch.expiresAt < this.now()) {
        return fail(
          'invalid_request',
          'The launch context is unknown or has expired. Relaunch the app from the EHR.',
        );
      }
      // EHR launch: the user is already signed in to the EHR, so no login screen.
      const requested = grantScopes(scope, {
        ehrLaunch: true,
        patientId: launch.patientId,
        userType: 'Practitioner',
      });
      const scopes = launch.readOnly === true ? readOnlyScopes(requested) : requested;
      const code = this.issueCode({
        clientId,
        redirectUri,
        codeChallenge: challenge,
        scopes,
        patientId: launch.patientId,
        encounterId: launch.encounterId,
        user: { resourceType: 'Practitioner', id: launch.practitionerId },
        needPatientBanner: launch.needPatientBanner,
        nonce,
      });
      return { kind: 'redirect', location: withParams(redirectUri, { code, state }) };
    }

    const pending: PendingAuthorization = {
      id: randomHandle(18),
      clientId,
      redirectUri,
      state,
      scope,
      codeChallenge: challenge,
      nonce,
      needsPatient: scope.split(/\s+/).includes('launch/patient'),
      expiresAt: this.now() + PENDING_LIFETIME_MS,
    };
    this.pending.set(pending.id, pending);
    return { kind: 'login', pending };
  }

  getPending(id: string): PendingAuthorization | undefined {
    const pending = this.pending.get(id);
    return pending && pending.expiresAt >= this.now() ? pending : undefined;
  }

  /** The user's answer on the standalone sign-in screen. */
  decide(
    pendingId: string,
    decision: { approve: boolean; practitionerId: string; patientId: string | undefined },
  ): AuthorizeOutcome {
    const pending = this.getPending(pendingId);
    if (!pending) {
      return {
        kind: 'error-page',
        status: 400,
        message: 'This sign-in request has expired or was already used. Start the launch again.',
      };
    }
    this.pending.delete(pendingId);
    const back = (params: Record<string, string>): AuthorizeOutcome => ({
      kind: 'redirect',
      location: withParams(pending.redirectUri, { ...params, state: pending.state }),
    });
    if (!decision.approve) {
      return back({
        error: 'access_denied',
        error_description: 'The user denied access to the app.',
      });
    }
    if (!this.options.directory.practitionerExists(decision.practitionerId)) {
      return back({ error: 'access_denied', error_description: 'Unknown user.' });
    }
    // Without launch/patient the user was shown no picker: a practitioner-only (panel) launch
    // gets no patient context, whatever the form carried.
    const patientId = pending.needsPatient ? decision.patientId || undefined : undefined;
    if (pending.needsPatient && (!patientId || !this.options.directory.patientExists(patientId))) {
      return back({ error: 'access_denied', error_description: 'No patient was selected.' });
    }
    const scopes = grantScopes(pending.scope, {
      ehrLaunch: false,
      patientId,
      userType: 'Practitioner',
    });
    const code = this.issueCode({
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      scopes,
      patientId,
      encounterId: undefined,
      user: { resourceType: 'Practitioner', id: decision.practitionerId },
      needPatientBanner: true,
      nonce: pending.nonce,
    });
    return back({ code });
  }

  /** POST /token (RFC 6749 §4.1.3 and §6; SMART App Launch §2.0.7). */
  token(form: URLSearchParams): HttpResult {
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.exchangeCode(form);
    if (grantType === 'refresh_token') return this.refresh(form);
    return tokenError(
      400,
      'unsupported_grant_type',
      `grant_type "${grantType ?? ''}" is not supported.`,
    );
  }

  /** Validates a bearer token on a FHIR request. */
  authenticate(authorization: string | undefined): AuthenticationResult {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) {
      return {
        ok: false,
        status: 401,
        error: 'invalid_request',
        description: 'An access token is required (Authorization: Bearer <token>).',
      };
    }
    const token = this.accessTokens.get(match[1]);
    if (!token) {
      return {
        ok: false,
        status: 401,
        error: 'invalid_token',
        description: 'The access token is not valid.',
      };
    }
    if (token.expiresAt < this.now()) {
      this.accessTokens.delete(match[1]);
      return {
        ok: false,
        status: 401,
        error: 'invalid_token',
        description: 'The access token has expired.',
      };
    }
    return {
      ok: true,
      access: accessFromScopes({
        scopes: token.scopes,
        patientId: token.patientId,
        user: token.user,
      }),
      grant: { scopes: token.scopes, patientId: token.patientId },
    };
  }

  /** Ends every access token now, as an EHR does when the user's session ends. */
  expireAllAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = 0;
  }

  private issueCode(code: Omit<IssuedCode, 'expiresAt'>): string {
    const handle = randomHandle();
    this.codes.set(handle, { ...code, expiresAt: this.now() + CODE_LIFETIME_MS });
    return handle;
  }

  private exchangeCode(form: URLSearchParams): HttpResult {
    const codeValue = form.get('code') ?? '';
    const code = this.codes.get(codeValue);
    // Codes are single use (RFC 6749 §4.1.2): delete before any check can fail.
    this.codes.delete(codeValue);
    if (!code || code.expiresAt < this.now()) {
      return tokenError(
        400,
        'invalid_grant',
        'The authorization code is invalid, expired or already used.',
      );
    }
    if (form.get('client_id') !== code.clientId) {
      return tokenError(
        400,
        'invalid_grant',
        'client_id does not match the authorization request.',
      );
    }
    if (form.get('redirect_uri') !== code.redirectUri) {
      return tokenError(
        400,
        'invalid_grant',
        'redirect_uri does not match the authorization request.',
      );
    }
    const verifier = form.get('code_verifier') ?? '';
    if (!isValidCodeVerifier(verifier) || s256Challenge(verifier) !== code.codeChallenge) {
      return tokenError(
        400,
        'invalid_grant',
        'PKCE verification failed: code_verifier does not match code_challenge.',
      );
    }
    return this.issueTokens(code, undefined);
  }

  private refresh(form: URLSearchParams): HttpResult {
    const value = form.get('refresh_token') ?? '';
    const stored = this.refreshTokens.get(value);
    if (!stored || stored.expiresAt < this.now()) {
      return tokenError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
    }
    const clientId = form.get('client_id');
    if (clientId && clientId !== stored.clientId) {
      return tokenError(400, 'invalid_grant', 'client_id does not match the refresh token.');
    }
    // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
    const requested = form.get('scope');
    const scopes = requested
      ? requested.split(/\s+/).filter((s) => stored.scopes.includes(s))
      : stored.scopes;
    return this.issueTokens({ ...stored, scopes }, value);
  }

  private issueTokens(grant: Grant, existingRefreshToken: string | undefined): HttpResult {
    const now = this.now();
    const lifetime = this.options.accessTokenLifetimeSeconds;
    const accessToken = randomHandle();
    const base: Grant = {
      clientId: grant.clientId,
      scopes: grant.scopes,
      patientId: grant.patientId,
      encounterId: grant.encounterId,
      user: grant.user,
      needPatientBanner: grant.needPatientBanner,
      nonce: grant.nonce,
    };
    this.accessTokens.set(accessToken, { ...base, expiresAt: now + lifetime * 1000 });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: lifetime,
      scope: grant.scopes.join(' '),
      need_patient_banner: grant.needPatientBanner,
    };
    if (grant.patientId) body.patient = grant.patientId;
    if (grant.encounterId) body.encounter = grant.encounterId;
    if (
      grant.scopes.includes('openid') &&
      (grant.scopes.includes('fhirUser') || grant.scopes.includes('profile'))
    ) {
      const fhirUser = `${trimSlash(this.options.fhirBaseUrl)}/${grant.user.resourceType}/${grant.user.id}`;
      body.id_token = this.signer.sign({
        iss: this.options.fhirBaseUrl,
        sub: `${grant.user.resourceType}/${grant.user.id}`,
        aud: grant.clientId,
        iat: Math.floor(now / 1000),
        exp: Math.floor(now / 1000) + lifetime,
        fhirUser,
        ...(grant.nonce ? { nonce: grant.nonce } : {}),
      });
    }
    if (grant.scopes.includes('offline_access') || grant.scopes.includes('online_access')) {
      const refreshToken = existingRefreshToken ?? randomHandle();
      this.refreshTokens.set(refreshToken, { ...base, expiresAt: now + REFRESH_LIFETIME_MS });
      body.refresh_token = refreshToken;
    }
    return {
      status: 200,
      body,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    };
  }

  private now(): number {
    return this.options.now();
  }
}

function tokenError(status: number, error: string, description: string): HttpResult {
  return {
    status,
    body: { error, error_description: description },
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function withParams(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
