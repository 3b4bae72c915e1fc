import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/app/app';
import type { FhirSession } from '../../../src/fhir/fhir-session';
import type { SessionFailure } from '../../../src/fhir/session-failure';
import { SessionError } from '../../../src/fhir/session-failure';
import { drAdams, patientAna } from '../fhir/fixtures';
import type { InMemorySessionOptions } from '../fhir/in-memory-fhir-session';
import { InMemoryFhirSession } from '../fhir/in-memory-fhir-session';
import { StandInPanelDashboard, drillDownPatientId } from './stand-in-panel-dashboard';

const today = new Date(2026, 2, 15);
const sandboxUrl = 'http://127.0.0.1:4010/';

function renderWith(connect: () => Promise<FhirSession>) {
  return render(
    <App
      connect={connect}
      today={today}
      sandboxUrl={sandboxUrl}
      panelDashboard={StandInPanelDashboard}
    />,
  );
}

beforeEach(() => {
  window.history.replaceState(null, '', '/');
});

function renderSession(options: InMemorySessionOptions) {
  const session = new InMemoryFhirSession(options);
  renderWith(() => Promise.resolve(session));
  return session;
}

function renderFailure(failure: SessionFailure) {
  renderWith(() => Promise.reject(new SessionError(failure)));
}

const launchWithPatient: InMemorySessionOptions = {
  patientId: 'pat-ana',
  user: { resourceType: 'Practitioner', id: 'dr-adams' },
  grantedScopes: ['launch', 'openid', 'fhirUser', 'patient/Patient.rs', 'user/Practitioner.rs'],
  resources: [patientAna, drAdams],
};

const patientBen: fhir4.Patient = {
  resourceType: 'Patient',
  id: drillDownPatientId,
  name: [{ use: 'official', given: ['Benjamin'], family: 'Okafor' }],
  gender: 'male',
  birthDate: '1961-07-30',
};

/** A practitioner whose token reads across the panel (user-level scopes). */
const panelScopes = [
  'launch',
  'openid',
  'fhirUser',
  'patient/Patient.rs',
  'user/Patient.rs',
  'user/Practitioner.rs',
  'user/Observation.rs',
];
const staffLaunchWithPatient: InMemorySessionOptions = {
  ...launchWithPatient,
  grantedScopes: panelScopes,
  resources: [patientAna, patientBen, drAdams],
};
const staffLaunchWithoutPatient: InMemorySessionOptions = {
  ...staffLaunchWithPatient,
  patientId: undefined,
};

/** Back or Forward, as the browser does it: the URL changes, then popstate fires. */
async function traverse(direction: 'back' | 'forward', search: string) {
  await act(async () => {
    const moved = new Promise<void>((resolve) =>
      window.addEventListener('popstate', () => resolve(), { once: true }),
    );
    if (direction === 'back') window.history.back();
    else window.history.forward();
    await moved;
  });
  expect(window.location.search).toBe(search);
}

describe('App', () => {
  it('says it is connecting while the launch completes', () => {
    renderWith(() => new Promise<FhirSession>(() => {}));
    expect(screen.getByRole('status').textContent).toContain('Connecting to your EHR…');
    expect(screen.getByRole('progressbar', { name: 'Connecting to your EHR…' })).toBeDefined();
  });

  it('shows the patient banner and the signed-in practitioner', async () => {
    renderSession(launchWithPatient);
    const banner = await screen.findByRole('region', { name: 'Patient banner' });
    expect(within(banner).getByRole('heading', { level: 1 }).textContent).toContain(
      'Mrs. Ana Maria Lopez',
    );
    expect(within(banner).getByTestId('patient-age').textContent).toContain('57 years');
    expect(within(banner).getByText('Administrative sex')).toBeDefined();
    expect(within(banner).getByTestId('patient-sex').textContent).toContain('Female');
    expect(within(banner).getByText('MRN')).toBeDefined();
    expect(within(banner).getByTestId('patient-identifier').textContent).toContain('MRN-004417');
    expect(within(banner).queryByText('999-41-7734')).toBeNull();
    expect(screen.getByTestId('signed-in-user').textContent).toContain('Dr. Grace Adams');
    expect(screen.getByRole('banner').textContent).toContain('Equity Lens');
  });

  it('shows a compact line instead of the banner when the EHR shows its own', async () => {
    renderSession({ ...launchWithPatient, needPatientBanner: false });
    const line = await screen.findByRole('region', { name: 'Patient in context' });
    expect(line.textContent).toContain('Mrs. Ana Maria Lopez');
    expect(line.textContent).toContain('57 years · Female');
    expect(screen.queryByRole('region', { name: 'Patient banner' })).toBeNull();
  });

  it('lists the granted scopes on the Session details, and no token', async () => {
    renderSession(launchWithPatient);
    fireEvent.click(await screen.findByRole('button', { name: 'Session' }));
    const dialog = screen.getByRole('dialog', { name: 'Session details' });
    const scopes = within(dialog).getByRole('list', { name: 'Granted scopes' });
    expect(
      within(scopes)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(launchWithPatient.grantedScopes);
    expect(dialog.textContent).not.toMatch(/token/i);
  });

  it('still shows the patient, with a note, when the practitioner record is forbidden', async () => {
    renderSession({
      ...launchWithPatient,
      failures: { 'Practitioner/dr-adams': { kind: 'forbidden' } },
    });
    expect(await screen.findByRole('region', { name: 'Patient banner' })).toBeDefined();
    expect(screen.getByTestId('user-record-note').textContent).toContain(
      "isn't shared with Equity Lens",
    );
  });

  it('explains a launch without a patient whose token cannot read the panel', async () => {
    renderSession({ ...launchWithPatient, patientId: undefined });
    const screenRegion = await screen.findByTestId('no-patient');
    expect(within(screenRegion).getByRole('heading', { name: 'No patient is open' })).toBeDefined();
    expect(screenRegion.textContent).toContain(
      "Open a patient's chart in your EHR to see their equity checklist.",
    );
    expect(screenRegion.textContent).toContain('signed in as Dr. Grace Adams');
    expect(screenRegion.textContent).toContain('user-level read of Patient');
    expect(screen.queryByTestId('panel-dashboard')).toBeNull();
  });

  it('tells a patient signed in without a patient in context that the dashboard is for staff', async () => {
    renderSession({
      ...staffLaunchWithoutPatient,
      user: { resourceType: 'Patient', id: 'pat-ana' },
    });
    const screenRegion = await screen.findByTestId('no-patient');
    expect(screenRegion.textContent).toContain('the panel dashboard is for clinic staff');
    expect(screen.queryByTestId('panel-dashboard')).toBeNull();
  });

  it('sends a page opened without a launch to the sandbox launcher', async () => {
    renderFailure({ kind: 'no-launch' });
    expect(
      await screen.findByRole('heading', { name: 'Open this app from your EHR' }),
    ).toBeDefined();
    expect(
      screen.getByRole('link', { name: 'Open the sandbox launcher' }).getAttribute('href'),
    ).toBe(sandboxUrl);
  });

  it("shows the authorization server's reason for a denial", async () => {
    renderFailure({
      kind: 'denied',
      error: 'access_denied',
      description: 'The user denied access',
    });
    expect(await screen.findByRole('heading', { name: 'Access was denied' })).toBeDefined();
    expect(screen.getByRole('alert').textContent).toContain('The user denied access');
    expect(screen.getByText(/Ask your administrator/)).toBeDefined();
  });

  it('asks for a relaunch when the session has expired', async () => {
    renderFailure({ kind: 'expired' });
    expect(
      await screen.findByRole('heading', { name: 'Your EHR session has ended' }),
    ).toBeDefined();
    expect(
      screen.getByText('Your EHR session has ended — relaunch the app from your EHR.'),
    ).toBeDefined();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('explains a patient record outside the granted scopes', async () => {
    renderSession({ ...launchWithPatient, failures: { 'Patient/pat-ana': { kind: 'forbidden' } } });
    expect(
      await screen.findByRole('heading', { name: "Equity Lens can't read this record" }),
    ).toBeDefined();
  });

  it('retries an unreachable server and recovers', async () => {
    const session = new InMemoryFhirSession(launchWithPatient);
    let attempts = 0;
    renderWith(() => {
      attempts += 1;
      return attempts === 1
        ? Promise.reject(new SessionError({ kind: 'unreachable' }))
        : Promise.resolve(session);
    });
    expect(
      await screen.findByRole('heading', { name: "Can't reach the FHIR server" }),
    ).toBeDefined();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('region', { name: 'Patient banner' })).toBeDefined();
    expect(attempts).toBe(2);
  });

  it('shows the status of other server errors with a Retry', async () => {
    renderSession({
      ...launchWithPatient,
      failures: { 'Patient/pat-ana': { kind: 'server', status: 500 } },
    });
    expect(
      await screen.findByRole('heading', { name: 'The FHIR server reported a problem' }),
    ).toBeDefined();
    expect(screen.getByRole('alert').textContent).toContain('HTTP 500');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeDefined();
  });
});

describe('App navigation between the patient and the panel', () => {
  it('opens the panel dashboard on a launch without a patient, for the signed-in user', async () => {
    renderSession(staffLaunchWithoutPatient);
    const dashboard = await screen.findByTestId('panel-dashboard');
    expect(within(dashboard).getByRole('heading', { name: 'Panel dashboard' })).toBeDefined();
    expect(within(dashboard).getByTestId('panel-user').textContent).toBe('Practitioner/dr-adams');
    expect(within(dashboard).getByTestId('panel-today').textContent).toBe('2026-03-15');
    expect(screen.queryByRole('region', { name: 'Patient banner' })).toBeNull();
    // The dashboard is this launch's own screen: nothing to go back to.
    expect(screen.queryByRole('navigation', { name: 'Views' })).toBeNull();
    expect(window.location.search).toBe('');
  });

  it('offers the panel dashboard on a patient launch only with user-level Patient reads', async () => {
    renderSession(launchWithPatient);
    await screen.findByRole('region', { name: 'Patient banner' });
    expect(screen.queryByRole('link', { name: 'Panel dashboard' })).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Views' })).toBeNull();
  });

  it('moves between the patient and the dashboard with the link, Back and Forward', async () => {
    renderSession(staffLaunchWithPatient);
    await screen.findByRole('region', { name: 'Patient banner' });
    const link = screen.getByRole('link', { name: 'Panel dashboard' });
    expect(new URL(link.getAttribute('href') ?? '', window.location.href).search).toBe(
      '?view=panel',
    );
    fireEvent.click(link);

    const dashboard = await screen.findByTestId('panel-dashboard');
    expect(window.location.search).toBe('?view=panel');
    expect(screen.queryByRole('region', { name: 'Patient banner' })).toBeNull();
    fireEvent.click(within(dashboard).getByRole('button', { name: 'Clicked 0 times' }));

    await traverse('back', '');
    expect(await screen.findByRole('region', { name: 'Patient banner' })).toBeDefined();
    expect(screen.queryByRole('heading', { name: 'Panel dashboard' })).toBeNull();
    expect(screen.getByTestId('panel-view').hidden).toBe(true);

    await traverse('forward', '?view=panel');
    // The dashboard stayed mounted behind the patient: its state (a loaded panel) survives.
    expect(
      within(await screen.findByTestId('panel-dashboard')).getByRole('button', {
        name: 'Clicked 1 times',
      }),
    ).toBeDefined();

    fireEvent.click(screen.getByRole('link', { name: "Back to the patient's chart" }));
    expect(await screen.findByRole('region', { name: 'Patient banner' })).toBeDefined();
    expect(window.location.search).toBe('');
  });

  it('restores the dashboard on a reload of ?view=panel, keeping the parameters it owns', async () => {
    window.history.replaceState(null, '', '/?view=panel&measure=CMS122');
    renderSession(staffLaunchWithPatient);
    expect(await screen.findByTestId('panel-dashboard')).toBeDefined();
    expect(window.location.search).toBe('?view=panel&measure=CMS122');
  });

  it('shows the patient when ?view=panel cannot be honoured, and says so in the URL', async () => {
    window.history.replaceState(null, '', '/?view=panel');
    renderSession(launchWithPatient);
    expect(await screen.findByRole('region', { name: 'Patient banner' })).toBeDefined();
    await waitFor(() => expect(window.location.search).toBe(''));
  });

  it('opens a chart from the dashboard without putting the patient in the URL', async () => {
    const session = renderSession({ ...staffLaunchWithoutPatient, needPatientBanner: false });
    fireEvent.click(
      within(await screen.findByTestId('panel-dashboard')).getByRole('button', {
        name: 'Clicked 0 times',
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Open chart' }));

    // The EHR shows no banner for this patient, so the app shows its own.
    const banner = await screen.findByRole('region', { name: 'Patient banner' });
    expect(within(banner).getByRole('heading', { level: 1 }).textContent).toContain(
      'Benjamin Okafor',
    );
    expect(session.requested).toContain(`Patient/${drillDownPatientId}`);
    expect(window.location.search).toBe('?view=chart');
    expect(window.location.href).not.toContain(drillDownPatientId);
    expect(screen.queryByRole('heading', { name: 'Panel dashboard' })).toBeNull();
    expect(screen.getByTestId('panel-view').hidden).toBe(true);

    fireEvent.click(screen.getByRole('link', { name: 'Back to the panel dashboard' }));
    expect(
      within(await screen.findByTestId('panel-dashboard')).getByRole('button', {
        name: 'Clicked 1 times',
      }),
    ).toBeDefined();
    expect(window.location.search).toBe('?view=panel');

    await traverse('back', '?view=chart');
    expect(await screen.findByRole('region', { name: 'Patient banner' })).toBeDefined();
  });

  it('falls back to the dashboard when a reload lost the chart opened from it', async () => {
    window.history.replaceState(null, '', '/?view=chart&measure=CMS2');
    renderSession(staffLaunchWithPatient);
    expect(await screen.findByTestId('panel-dashboard')).toBeDefined();
    await waitFor(() => expect(window.location.search).toBe('?view=panel&measure=CMS2'));
  });

  it('offers no "open chart" when the token cannot read other patients', async () => {
    renderSession({
      ...staffLaunchWithoutPatient,
      grantedScopes: ['openid', 'fhirUser', 'user/Patient.s', 'user/Observation.s'],
    });
    const dashboard = await screen.findByTestId('panel-dashboard');
    expect(within(dashboard).queryByRole('button', { name: 'Open chart' })).toBeNull();
  });

  it('explains a chart the server refuses, with the way back to the dashboard', async () => {
    renderSession({
      ...staffLaunchWithoutPatient,
      failures: { [`Patient/${drillDownPatientId}`]: { kind: 'forbidden' } },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Open chart' }));
    expect(
      await screen.findByRole('heading', { name: "Equity Lens can't read this record" }),
    ).toBeDefined();
    fireEvent.click(screen.getByRole('link', { name: 'Back to the panel dashboard' }));
    expect(await screen.findByTestId('panel-dashboard')).toBeDefined();
  });
});
