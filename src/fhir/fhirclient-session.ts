// The FhirSession adapter over fhirclient. The only file that touches fhirclient's Client; token
// refresh (`useRefreshToken`) and its per-tab sessionStorage state are left to fhirclient.
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import type { FhirRequestInit, FhirSession, FhirUserRef } from './fhir-session';
import { parseFhirUser, splitScopes } from './fhir-session';
import { readFhirUserClaim } from './id-token';
import {
  SessionError,
  classifySessionError,
  isAbortError,
  readAuthorizationError,
} from './session-failure';

function rethrow(error: unknown): never {
  if (isAbortError(error)) throw error;
  throw new SessionError(classifySessionError(error), { cause: error });
}

class FhirclientSession implements FhirSession {
  readonly serverUrl: string;
  readonly patientId: string | undefined;
  readonly encounterId: string | undefined;
  readonly user: FhirUserRef | undefined;
  readonly grantedScopes: readonly string[];
  readonly needPatientBanner: boolean;
  readonly #client: Client;

  constructor(client: Client) {
    this.#client = client;
    const token = client.state.tokenResponse ?? {};
    this.serverUrl = client.state.serverUrl;
    this.patientId = client.patient.id ?? undefined;
    this.encounterId = client.encounter.id ?? undefined;
    const idToken: unknown = token.id_token;
    this.user = parseFhirUser(readFhirUserClaim(typeof idToken === 'string' ? idToken : undefined));
    const scope: unknown = token.scope;
    this.grantedScopes = splitScopes(typeof scope === 'string' ? scope : undefined);
    // SMART: when the parameter is absent the app shows its own banner.
    this.needPatientBanner = token.need_patient_banner !== false;
  }

  #resolve(url: string): string {
    const base = this.serverUrl.replace(/\/*$/, '/');
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith(base)) {
      // Guard against sending the bearer token to another origin.
      throw new SessionError({ kind: 'server', status: undefined });
    }
    return url;
  }

  async request<T>(url: string, init?: FhirRequestInit): Promise<T> {
    try {
      const target = this.#resolve(url);
      return await this.#client.request<T>(
        init?.signal ? { url: target, signal: init.signal } : target,
      );
    } catch (error) {
      return rethrow(error);
    }
  }

  async accessToken(): Promise<string | undefined> {
    try {
      // refreshIfNeeded() refreshes ahead of `expiresAt` when a refresh token exists (smart.md §2.4).
      await this.#client.refreshIfNeeded();
      const token: unknown = this.#client.state.tokenResponse?.access_token;
      return typeof token === 'string' ? token : undefined;
    } catch (error) {
      return rethrow(error);
    }
  }

  async create<T extends fhir4.Resource>(resource: T, init?: FhirRequestInit): Promise<T> {
    try {
      // Client.create() is typed against fhirclient's own Resource type (meta.lastUpdated
      // required), so POST through request(), which also refreshes and adds the token.
      return await this.#client.request<T>({
        url: resource.resourceType,
        method: 'POST',
        body: JSON.stringify(resource),
        headers: { 'content-type': 'application/fhir+json' },
        ...(init?.signal ? { signal: init.signal } : {}),
      });
    } catch (error) {
      return rethrow(error);
    }
  }
}

async function completeLaunch(): Promise<FhirSession> {
  const denied = readAuthorizationError(new URL(window.location.href).searchParams);
  if (denied) throw new SessionError(denied);
  try {
    return new FhirclientSession(await FHIR.oauth2.ready());
  } catch (error) {
    return rethrow(error);
  }
}

let inFlight: Promise<FhirSession> | undefined;

/**
 * Completes the SMART launch on the redirect page (`FHIR.oauth2.ready()`) and wraps the client.
 * Rejects with a `SessionError`.
 *
 * Hazard: two overlapping ready() calls (React StrictMode runs effects twice) race on the
 * one-time code: the second sees the code already stripped from the URL and returns a client
 * without a token. Overlapping calls therefore share one attempt; later calls (Retry) start anew.
 */
export function connectFhirclientSession(): Promise<FhirSession> {
  inFlight ??= completeLaunch().finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}
