// What the user sees when a launch cannot go on, driven through fhirclient against msw. These
// sessions are seeded the way a reload finds them (authorize() stored a token, the page has no
// code), because fhirclient's adapter reads the page URL only once per test file.
import { fireEvent, render, screen, within } from '@testing-library/react';
import FHIR from 'fhirclient';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decideLaunch } from '../../launch/clients';
import { App } from '../../src/app/app';
import { connectFhirclientSession } from '../../src/fhir/fhirclient-session';
import { drAdams, patientAna } from '../unit/fhir/fixtures';
import {
  appOrigin,
  fhirBase,
  idToken,
  operationOutcome,
  smartFhirServer,
  visit,
} from './smart-fhir-server';

const sandboxUrl = 'http://127.0.0.1:4010/';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => visit('/'));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const fhirJson = { 'content-type': 'application/fhir+json' };

/** Stores a session as fhirclient leaves it after a completed launch. */
async function seedLaunchedSession(): Promise<void> {
  const decision = decideLaunch({
    launchUrl: `${appOrigin}/launch/?iss=${encodeURIComponent(fhirBase)}&launch=handle-3`,
    inFrame: false,
  });
  if (decision.kind !== 'authorize') throw new Error(`expected to authorize, got ${decision.kind}`);
  await FHIR.oauth2.authorize({
    ...decision.client,
    iss: fhirBase,
    launch: 'handle-3',
    noRedirect: true,
    fakeTokenResponse: {
      access_token: 'access-3',
      token_type: 'Bearer',
      scope: 'launch openid fhirUser patient/Patient.rs',
      patient: 'pat-ana',
      need_patient_banner: true,
      id_token: idToken({ fhirUser: `${fhirBase}/Practitioner/dr-adams` }),
    },
  });
}

function renderApp() {
  render(
    <App
      connect={connectFhirclientSession}
      today={new Date(2026, 2, 15)}
      sandboxUrl={sandboxUrl}
    />,
  );
}

const ehr = () => smartFhirServer({ resources: [patientAna, drAdams], accessToken: 'access-3' });

describe('session failures', () => {
  it('asks for a launch when the page is opened directly', async () => {
    server.use(...ehr());
    renderApp();
    const page = await screen.findByTestId('session-failure-no-launch');
    expect(
      within(page).getByRole('heading', { name: 'Open this app from your EHR' }),
    ).toBeDefined();
    expect(
      within(page).getByRole('link', { name: 'Open the sandbox launcher' }).getAttribute('href'),
    ).toBe(sandboxUrl);
  });

  it("shows the authorization server's description when access is denied", async () => {
    server.use(...ehr());
    visit('/?error=access_denied&error_description=The+user+denied+the+request&state=s-1');
    renderApp();
    const page = await screen.findByTestId('session-failure-denied');
    expect(within(page).getByRole('alert').textContent).toContain('The user denied the request');
    expect(page.textContent).toContain('Ask your administrator');
  });

  it('ends the session on a 401 from the Patient read', async () => {
    server.use(
      http.get(`${fhirBase}/Patient/pat-ana`, () =>
        HttpResponse.json(operationOutcome('expired', 'Access token expired'), {
          status: 401,
          headers: fhirJson,
        }),
      ),
      ...ehr(),
    );
    await seedLaunchedSession();
    renderApp();
    const page = await screen.findByTestId('session-failure-expired');
    expect(page.textContent).toContain(
      'Your EHR session has ended — relaunch the app from your EHR',
    );
    // fhirclient drops the stored session, so a reload cannot reuse the dead token.
    expect(sessionStorage.getItem('SMART_KEY')).toBeNull();
  });

  it('still shows the patient, with a note, when the practitioner read is forbidden', async () => {
    server.use(
      http.get(`${fhirBase}/Practitioner/dr-adams`, () =>
        HttpResponse.json(operationOutcome('forbidden', 'Scope user/Practitioner.rs not granted'), {
          status: 403,
          headers: fhirJson,
        }),
      ),
      ...ehr(),
    );
    await seedLaunchedSession();
    renderApp();
    const banner = await screen.findByRole('region', { name: 'Patient banner' });
    expect(within(banner).getByRole('heading', { level: 1 }).textContent).toBe(
      'Mrs. Ana Maria Lopez',
    );
    expect(screen.getByTestId('user-record-note').textContent).toContain('Practitioner/dr-adams');
    expect(screen.getByTestId('signed-in-user').textContent).toBe('Practitioner/dr-adams');
  });

  it('explains a forbidden Patient read', async () => {
    server.use(
      http.get(`${fhirBase}/Patient/pat-ana`, () =>
        HttpResponse.json(operationOutcome('forbidden', 'Not in scope'), {
          status: 403,
          headers: fhirJson,
        }),
      ),
      ...ehr(),
    );
    await seedLaunchedSession();
    renderApp();
    expect(await screen.findByTestId('session-failure-forbidden')).toBeDefined();
  });

  it('offers a Retry when the FHIR server is unreachable, and recovers', async () => {
    server.use(
      http.get(`${fhirBase}/Patient/pat-ana`, () => HttpResponse.error()),
      ...ehr(),
    );
    await seedLaunchedSession();
    renderApp();
    const page = await screen.findByTestId('session-failure-unreachable');
    expect(
      within(page).getByRole('heading', { name: "Can't reach the FHIR server" }),
    ).toBeDefined();

    server.resetHandlers(...ehr());
    fireEvent.click(within(page).getByRole('button', { name: 'Retry' }));
    const banner = await screen.findByRole('region', { name: 'Patient banner' });
    expect(within(banner).getByTestId('patient-identifier').textContent).toBe('MRN-004417');
  });

  it('reports other server errors with their status', async () => {
    server.use(
      http.get(`${fhirBase}/Patient/pat-ana`, () =>
        HttpResponse.json(operationOutcome('exception', 'Database unavailable'), {
          status: 500,
          headers: fhirJson,
        }),
      ),
      ...ehr(),
    );
    await seedLaunchedSession();
    renderApp();
    const page = await screen.findByTestId('session-failure-server');
    expect(within(page).getByRole('alert').textContent).toContain('HTTP 500');
  });

  it('says the patient does not exist on a 404 from the Patient read, with no Retry', async () => {
    server.use(
      http.get(`${fhirBase}/Patient/pat-ana`, () =>
        HttpResponse.json(operationOutcome('not-found', 'Resource Patient/pat-ana is not known'), {
          status: 404,
          headers: fhirJson,
        }),
      ),
      ...ehr(),
    );
    await seedLaunchedSession();
    renderApp();
    const page = await screen.findByTestId('patient-not-found');
    expect(within(page).getByRole('heading', { name: 'Patient not found' })).toBeDefined();
    expect(page.textContent).not.toMatch(/try again/i);
    expect(within(page).queryByRole('button', { name: 'Retry' })).toBeNull();
  });
});
