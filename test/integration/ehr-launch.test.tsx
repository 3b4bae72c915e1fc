// One real EHR launch through fhirclient: authorize (PKCE, scopes, aud) → redirect back with a
// code → token exchange → FHIR reads → banner. fhirclient's browser adapter reads the page URL
// once per module instance, so each code exchange lives in its own test file.
import { fireEvent, render, screen, within } from '@testing-library/react';
import FHIR from 'fhirclient';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decideLaunch } from '../../launch/clients';
import { App } from '../../src/app/app';
import { connectFhirclientSession } from '../../src/fhir/fhirclient-session';
import { drAdams, patientAna } from '../unit/fhir/fixtures';
import {
  appOrigin,
  authorizeEndpoint,
  fhirBase,
  idToken,
  smartFhirServer,
  visit,
} from './smart-fhir-server';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const grantedScope =
  'launch openid fhirUser offline_access patient/Patient.rs patient/Observation.rs user/Practitioner.rs';

describe('an EHR launch from the sandbox', () => {
  it('authorizes with PKCE, exchanges the code and shows the patient and the practitioner', async () => {
    const tokenRequests: URLSearchParams[] = [];
    server.use(
      ...smartFhirServer({
        resources: [patientAna, drAdams],
        accessToken: 'access-1',
        tokenRequests,
        token: (form) =>
          form.get('grant_type') === 'authorization_code' && form.get('code') === 'code-1'
            ? {
                access_token: 'access-1',
                token_type: 'Bearer',
                expires_in: 3600,
                scope: grantedScope,
                patient: 'pat-ana',
                encounter: 'enc-1',
                need_patient_banner: true,
                id_token: idToken({
                  sub: 'Practitioner/dr-adams',
                  fhirUser: `${fhirBase}/Practitioner/dr-adams`,
                }),
                refresh_token: 'refresh-1',
              }
            : { error: 'invalid_grant' },
      }),
    );

    // The launch page picks the sandbox's settings for `launch/?iss=…&launch=…`.
    const decision = decideLaunch({
      launchUrl: `${appOrigin}/launch/?iss=${encodeURIComponent(fhirBase)}&launch=handle-1`,
      inFrame: false,
    });
    if (decision.kind !== 'authorize')
      throw new Error(`expected to authorize, got ${decision.kind}`);

    // The authorization server will send the browser back to the app root with a code.
    visit('/?code=code-1&state=state-1');
    const redirect = await FHIR.oauth2.authorize({
      ...decision.client,
      iss: fhirBase,
      launch: 'handle-1',
      stateKey: 'state-1',
      noRedirect: true,
    });
    const authorizeUrl = new URL(String(redirect));
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(authorizeEndpoint);
    const query = authorizeUrl.searchParams;
    expect(query.get('client_id')).toBe('equity-lens');
    expect(query.get('redirect_uri')).toBe(`${appOrigin}/`);
    expect(query.get('aud')).toBe(fhirBase);
    expect(query.get('launch')).toBe('handle-1');
    expect(query.get('state')).toBe('state-1');
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['launch', 'openid', 'fhirUser', 'patient/Patient.rs']),
    );

    render(<App connect={connectFhirclientSession} today={new Date(2026, 2, 15)} sandboxUrl="/" />);

    const banner = await screen.findByRole('region', { name: 'Patient banner' });
    expect(within(banner).getByRole('heading', { level: 1 }).textContent).toBe(
      'Mrs. Ana Maria Lopez',
    );
    expect(within(banner).getByTestId('patient-age').textContent).toBe('57 years');
    expect(within(banner).getByTestId('patient-sex').textContent).toBe('Female');
    expect(within(banner).getByTestId('patient-identifier').textContent).toBe('MRN-004417');
    expect(screen.getByTestId('signed-in-user').textContent).toBe('Dr. Grace Adams');

    const [exchange] = tokenRequests;
    expect(exchange?.get('grant_type')).toBe('authorization_code');
    expect(exchange?.get('client_id')).toBe('equity-lens');
    expect(exchange?.get('redirect_uri')).toBe(`${appOrigin}/`);
    expect(exchange?.get('code_verifier')).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);

    // The one-time code and state leave the address bar; nothing goes to localStorage.
    expect(window.location.search).toBe('');
    expect(localStorage.length).toBe(0);

    fireEvent.click(screen.getByRole('button', { name: 'Session' }));
    const dialog = screen.getByRole('dialog', { name: 'Session details' });
    expect(
      within(dialog)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(grantedScope.split(' '));
    expect(dialog.textContent).not.toContain('access-1');
    expect(dialog.textContent).not.toContain('refresh-1');
    expect(dialog.textContent).toContain('Encounter/enc-1');
  });
});
