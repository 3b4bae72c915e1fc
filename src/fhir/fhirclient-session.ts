// The FhirSession adapter over fhirclient. The only file that touches fhirclient's Client; token
// refresh (`useRefreshToken`) and its per-tab sessionStorage state are left to fhirclient.
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import type { FhirCreateInit, FhirRequestInit, FhirSession, FhirUserRef } from './fhir-session';
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

  /**
   * Sends a body and resolves with what the server answered, reading `Location` back when the
   * server answers without a body (R4 http.html: `Prefer: return=representation` is a request, not
   * a guarantee). Client.create()/update() are typed against fhirclient's own Resource type
   * (meta.lastUpdated required), so everything goes through request(), which also refreshes and
   * adds the token.
   */
  async #send(
    url: string,
    method: 'POST' | 'PUT',
    body: fhir4.Resource,
    init: FhirCreateInit | undefined,
  ): Promise<{ body: unknown; location: string | undefined }> {
    const headers: Record<string, string> = {
      'content-type': 'application/fhir+json',
      prefer: 'return=representation',
    };
    if (init?.ifNoneExist !== undefined) headers['if-none-exist'] = init.ifNoneExist;
    const result = await this.#client.request<{ body?: unknown; response?: Response }>({
      url,
      method,
      body: JSON.stringify(body),
      headers,
      includeResponse: true,
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    const location =
      result.response?.headers.get('location') ??
      result.response?.headers.get('content-location') ??
      undefined;
    return { body: result.body, location };
  }

  async #resourceOf<T extends fhir4.Resource>(
    answer: { body: unknown; location: string | undefined },
    resourceType: string,
    init: FhirCreateInit | undefined,
  ): Promise<T> {
    if (isResource(answer.body, resourceType)) return answer.body as T;
    const signal = init?.signal ? { signal: init.signal } : {};
    if (answer.location !== undefined) {
      // `Type/id/_history/n` (absolute or relative): read the current version.
      const match = /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?\/?$/.exec(
        answer.location,
      );
      if (match) return this.#client.request<T>({ url: `${match[1]}/${match[2]}`, ...signal });
    }
    if (init?.ifNoneExist !== undefined) {
      // A conditional create that matched may answer 200 with no body: find the match.
      const bundle = await this.#client.request<fhir4.Bundle>({
        url: `${resourceType}?${init.ifNoneExist}`,
        ...signal,
      });
      const found = bundle.entry?.find((e) => isResource(e.resource, resourceType))?.resource;
      if (found) return found as T;
    }
    throw new SessionError({ kind: 'server', status: undefined });
  }

  async create<T extends fhir4.Resource>(resource: T, init?: FhirCreateInit): Promise<T> {
    try {
      const answer = await this.#send(resource.resourceType, 'POST', resource, init);
      return await this.#resourceOf<T>(answer, resource.resourceType, init);
    } catch (error) {
      return rethrow(error);
    }
  }

  async update<T extends fhir4.Resource & { id: string }>(
    resource: T,
    init?: FhirRequestInit,
  ): Promise<T> {
    try {
      const url = `${resource.resourceType}/${encodeURIComponent(resource.id)}`;
      const answer = await this.#send(url, 'PUT', resource, init);
      return await this.#resourceOf<T>(
        { body: answer.body, location: answer.location ?? url },
        resource.resourceType,
        init,
      );
    } catch (error) {
      return rethrow(error);
    }
  }

  async transaction(bundle: fhir4.Bundle, init?: FhirRequestInit): Promise<fhir4.Bundle> {
    try {
      // The base URL itself (R4 http.html#transaction: `POST [base]`).
      const answer = await this.#send(this.serverUrl.replace(/\/*$/, ''), 'POST', bundle, init);
      if (!isResource(answer.body, 'Bundle')) {
        throw new SessionError({ kind: 'server', status: undefined });
      }
      return answer.body as fhir4.Bundle;
    } catch (error) {
      return rethrow(error);
    }
  }
}

function isResource(value: unknown, resourceType: string): value is fhir4.Resource {
  return (
    typeof value === 'object' &&
    value !== null &&
    'resourceType' in value &&
    value.resourceType === resourceType
  );
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
