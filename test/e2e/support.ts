// Helpers for the browser tests: Debian's Chromium driven by playwright-core, and a scripted
// OAuth client for protocol checks that need no page.
import { existsSync } from 'node:fs';
import { inject } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createHash, randomBytes } from 'node:crypto';

export const urls = () => ({
  sandboxUrl: inject('sandboxUrl'),
  fhirBaseUrl: inject('fhirBaseUrl'),
  appUrl: inject('appUrl'),
});

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = candidates.find((p): p is string => Boolean(p && existsSync(p)));
  if (!executablePath) {
    throw new Error(
      'Chromium not found: install it with `apt-get install -y chromium` (see README).',
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface PatientSummary {
  id: string;
  name: string;
  mrn?: string;
  birthDate?: string;
}

/** Patients as the sandbox's own launcher lists them. */
export async function listPatients(q = ''): Promise<PatientSummary[]> {
  const res = await fetch(`${urls().sandboxUrl}launcher/api/patients?q=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { patients: PatientSummary[] };
  return body.patients;
}

/** Creates an EHR launch through the launcher's API, as its page does. */
export async function createLaunch(
  patientId: string | undefined,
  practitionerId: string,
  encounter: 'latest' | 'none' = 'none',
): Promise<URL> {
  const res = await fetch(`${urls().sandboxUrl}launcher/api/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      practitionerId,
      patientId,
      appLaunchUrl: new URL('launch/', urls().appUrl).toString(),
      encounter,
    }),
  });
  if (!res.ok) throw new Error(`launch failed: ${res.status} ${await res.text()}`);
  return new URL(((await res.json()) as { launchUrl: string }).launchUrl);
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Runs the authorization-code flow of an EHR launch without a browser, up to the code. */
export async function authorizeCode(options: {
  launch: string;
  scope: string;
  challenge: string;
  aud?: string;
}): Promise<URL> {
  const { fhirBaseUrl, sandboxUrl, appUrl } = urls();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: 'equity-lens',
    redirect_uri: appUrl,
    scope: options.scope,
    state: 'e2e-state',
    aud: options.aud ?? fhirBaseUrl,
    launch: options.launch,
    code_challenge: options.challenge,
    code_challenge_method: 'S256',
  });
  const res = await fetch(`${sandboxUrl}auth/authorize?${query.toString()}`, {
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`);
  return new URL(location);
}

export async function exchangeCode(code: string, verifier: string): Promise<Response> {
  const { sandboxUrl, appUrl } = urls();
  return fetch(`${sandboxUrl}auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: appUrl,
      client_id: 'equity-lens',
      code_verifier: verifier,
    }).toString(),
  });
}

export async function firstPractitionerId(): Promise<string> {
  const html = await (await fetch(urls().sandboxUrl)).text();
  const match = /<option value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('the launcher lists no practitioner');
  return match[1];
}
