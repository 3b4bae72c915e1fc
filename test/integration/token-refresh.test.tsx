// A practitioner-only launch whose access token is about to expire: fhirclient refreshes it
// (offline_access) before the first read, and the app opens the panel dashboard.
import { render, screen, within } from '@testing-library/react';
import FHIR from 'fhirclient';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decideLaunch } from '../../launch/clients';
import { App } from '../../src/app/app';
import { connectFhirclientSession } from '../../src/fhir/fhirclient-session';
import { StandInPanelDashboard } from '../unit/app/stand-in-panel-dashboard';
import { drAdams } from '../unit/fhir/fixtures';
import { appOrigin, fhirBase, idToken, smartFhirServer, visit } from './smart-fhir-server';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const scope = 'launch openid fhirUser offline_access user/Practitioner.rs user/Patient.rs';

describe('a practitioner-only launch with a short-lived token', () => {
  it('refreshes the token before reading and opens the panel dashboard', async () => {
    const tokenRequests: URLSearchParams[] = [];
    const user = idToken({ fhirUser: `${fhirBase}/Practitioner/dr-adams` });
    server.use(
      ...smartFhirServer({
        resources: [drAdams],
        accessToken: 'access-2',
        tokenRequests,
        token: (form) =>
          form.get('grant_type') === 'authorization_code'
            ? // expires_in under fhirclient's 10 s margin: the first request must refresh.
              {
                access_token: 'access-1',
                token_type: 'Bearer',
                expires_in: 5,
                scope,
                id_token: user,
                refresh_token: 'refresh-1',
              }
            : form.get('grant_type') === 'refresh_token' &&
                form.get('refresh_token') === 'refresh-1'
              ? {
                  access_token: 'access-2',
                  token_type: 'Bearer',
                  expires_in: 3600,
                  scope,
                  refresh_token: 'refresh-1',
                }
              : { error: 'invalid_grant' },
      }),
    );
    const decision = decideLaunch({
      launchUrl: `${appOrigin}/launch/?iss=${encodeURIComponent(fhirBase)}&launch=handle-2`,
      inFrame: false,
    });
    if (decision.kind !== 'authorize')
      throw new Error(`expected to authorize, got ${decision.kind}`);
    visit('/?code=code-2&state=state-2');
    await FHIR.oauth2.authorize({
      ...decision.client,
      iss: fhirBase,
      launch: 'handle-2',
      stateKey: 'state-2',
      noRedirect: true,
    });

    render(
      <App
        connect={connectFhirclientSession}
        today={new Date(2026, 2, 15)}
        sandboxUrl="/"
        panelDashboard={StandInPanelDashboard}
      />,
    );

    const dashboard = await screen.findByTestId('panel-dashboard');
    expect(within(dashboard).getByRole('heading', { name: 'Panel dashboard' })).toBeDefined();
    expect(within(dashboard).getByTestId('panel-user').textContent).toBe('Practitioner/dr-adams');
    expect(screen.queryByTestId('no-patient')).toBeNull();
    expect(screen.getByTestId('signed-in-user').textContent).toBe('Dr. Grace Adams');
    expect(tokenRequests.map((form) => form.get('grant_type'))).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
  });
});
