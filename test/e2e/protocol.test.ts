// The sandbox refuses what a real EHR refuses, checked over real HTTP against the running server.
import { describe, expect, it } from 'vitest';
import {
  authorizeCode,
  createLaunch,
  exchangeCode,
  firstPractitionerId,
  listPatients,
  pkcePair,
  urls,
} from './support';

const scope =
  'launch openid fhirUser patient/Patient.rs patient/Observation.rs user/Practitioner.rs';

async function launchHandle(patientId: string): Promise<string> {
  const launch = await createLaunch(patientId, await firstPractitionerId());
  return launch.searchParams.get('launch') ?? '';
}

async function tokenFor(patientId: string): Promise<string> {
  const { verifier, challenge } = pkcePair();
  const redirect = await authorizeCode({ launch: await launchHandle(patientId), scope, challenge });
  const res = await exchangeCode(redirect.searchParams.get('code') ?? '', verifier);
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('sandbox SMART protocol', () => {
  it('refuses a token request whose PKCE verifier does not match', async () => {
    const [patient] = await listPatients();
    const { challenge } = pkcePair();
    const redirect = await authorizeCode({
      launch: await launchHandle(patient?.id ?? ''),
      scope,
      challenge,
    });
    const res = await exchangeCode(redirect.searchParams.get('code') ?? '', pkcePair().verifier);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('sends the user back with an error when aud is not its FHIR base', async () => {
    const [patient] = await listPatients();
    const redirect = await authorizeCode({
      launch: await launchHandle(patient?.id ?? ''),
      scope,
      challenge: pkcePair().challenge,
      aud: 'https://fhir.example.org/r4',
    });
    expect(redirect.origin + redirect.pathname).toBe(urls().appUrl);
    expect(redirect.searchParams.get('error')).toBe('invalid_request');
    expect(redirect.searchParams.get('code')).toBeNull();
  });

  it('refuses reads outside the granted scopes and the launched patient', async () => {
    const [patient, other] = await listPatients();
    const token = await tokenFor(patient?.id ?? '');
    const get = (path: string) =>
      fetch(`${urls().fhirBaseUrl}/${path}`, { headers: { authorization: `Bearer ${token}` } });

    const own = await get(`Patient/${patient?.id}`);
    expect(own.status).toBe(200);
    // Patient data is never left in a browser cache.
    expect(own.headers.get('cache-control')).toBe('no-store');
    expect((await get(`Patient/${other?.id}`)).status).toBe(403);
    expect((await get(`Observation?patient=${other?.id}`)).status).toBe(403);
    const condition = await get(`Condition?patient=${patient?.id}`);
    expect(condition.status).toBe(403);
    expect(await condition.json()).toMatchObject({ resourceType: 'OperationOutcome' });
  });

  it('passes the encounter in context when the EHR launches from a visit', async () => {
    const patients = await listPatients();
    const { verifier, challenge } = pkcePair();
    // Patients with an encounter: the generator gives most adults office visits.
    for (const patient of patients) {
      const launch = await createLaunch(patient.id, await firstPractitionerId(), 'latest');
      const redirect = await authorizeCode({
        launch: launch.searchParams.get('launch') ?? '',
        scope: `${scope} patient/Encounter.rs`,
        challenge,
      });
      const res = await exchangeCode(redirect.searchParams.get('code') ?? '', verifier);
      const body = (await res.json()) as { patient: string; encounter?: string };
      if (!body.encounter) continue;
      expect(body.patient).toBe(patient.id);
      const token = (body as unknown as { access_token: string }).access_token;
      const encounter = await fetch(`${urls().fhirBaseUrl}/Encounter/${body.encounter}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(encounter.status).toBe(200);
      const resource = (await encounter.json()) as fhir4.Encounter;
      expect(resource.subject?.reference).toBe(`Patient/${patient.id}`);
      return;
    }
    throw new Error('no sandbox patient has an encounter');
  });

  it('answers 401 without a token and serves its metadata without one', async () => {
    const res = await fetch(`${urls().fhirBaseUrl}/Patient`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const metadata = await fetch(`${urls().fhirBaseUrl}/metadata`);
    expect(metadata.status).toBe(200);
    const cap = (await metadata.json()) as fhir4.CapabilityStatement;
    const security = cap.rest?.[0]?.security;
    expect(security?.extension?.[0]?.url).toBe(
      'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
    );
  });

  it('allows the app origin to call the FHIR API and token endpoint cross-origin', async () => {
    const origin = new URL(urls().appUrl).origin;
    const res = await fetch(`${urls().sandboxUrl}auth/token`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  });
});
