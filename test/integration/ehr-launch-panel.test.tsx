// A patient launch whose token also reads across the panel (user-level scopes), through
// fhirclient: the patient view links to the dashboard, `?view=panel` goes into the URL, and a
// reload restores the dashboard from fhirclient's sessionStorage state without a new code
// exchange. fhirclient's browser adapter reads the page URL once per module instance, so this
// file makes one code exchange.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import FHIR from 'fhirclient';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decideLaunch } from '../../launch/clients';
import { App } from '../../src/app/app';
import { connectFhirclientSession } from '../../src/fhir/fhirclient-session';
import { StandInPanelDashboard } from '../unit/app/stand-in-panel-dashboard';
import { drAdams, patientAna } from '../unit/fhir/fixtures';
import { appOrigin, fhirBase, idToken, smartFhirServer, visit } from './smart-fhir-server';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const scope =
  'launch openid fhirUser offline_access patient/Patient.rs user/Patient.rs user/Practitioner.rs user/Observation.rs';

function renderApp() {
  render(
    <App
      connect={connectFhirclientSession}
      today={new Date(2026, 2, 15)}
      sandboxUrl="/"
      panelDashboard={StandInPanelDashboard}
    />,
  );
}

describe('a patient launch with user-level scopes', () => {
  it('links the patient to the dashboard, and a reload of ?view=panel reopens it', async () => {
    const tokenRequests: URLSearchParams[] = [];
    server.use(
      ...smartFhirServer({
        resources: [patientAna, drAdams],
        accessToken: 'access-7',
        tokenRequests,
        token: (form) =>
          form.get('code') === 'code-7'
            ? {
                access_token: 'access-7',
                token_type: 'Bearer',
                expires_in: 3600,
                scope,
                patient: 'pat-ana',
                need_patient_banner: true,
                id_token: idToken({ fhirUser: `${fhirBase}/Practitioner/dr-adams` }),
                refresh_token: 'refresh-7',
              }
            : { error: 'invalid_grant' },
      }),
    );
    const decision = decideLaunch({
      launchUrl: `${appOrigin}/launch/?iss=${encodeURIComponent(fhirBase)}&launch=handle-7`,
      inFrame: false,
    });
    if (decision.kind !== 'authorize') throw new Error(`expected authorize, got ${decision.kind}`);
    visit('/?code=code-7&state=state-7');
    await FHIR.oauth2.authorize({
      ...decision.client,
      iss: fhirBase,
      launch: 'handle-7',
      stateKey: 'state-7',
      noRedirect: true,
    });

    renderApp();
    await screen.findByRole('region', { name: 'Patient banner' });
    expect(window.location.search).toBe('');
    fireEvent.click(screen.getByRole('link', { name: 'Panel dashboard' }));
    expect(await screen.findByRole('heading', { name: 'Panel dashboard' })).toBeDefined();
    expect(window.location.search).toBe('?view=panel');

    // A reload: the page starts over at ?view=panel; fhirclient finds its state in sessionStorage.
    cleanup();
    renderApp();
    expect(await screen.findByRole('heading', { name: 'Panel dashboard' })).toBeDefined();
    expect(screen.getByTestId('panel-user').textContent).toBe('Practitioner/dr-adams');
    expect(screen.getByRole('link', { name: "Back to the patient's chart" })).toBeDefined();
    expect(window.location.search).toBe('?view=panel');
    expect(tokenRequests.map((form) => form.get('grant_type'))).toEqual(['authorization_code']);
    expect(window.location.href).not.toContain('access-7');
    expect(localStorage.length).toBe(0);
  });
});
