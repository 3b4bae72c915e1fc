import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/app/app';
import type { FhirSession } from '../../../src/fhir/fhir-session';
import type { SessionFailure } from '../../../src/fhir/session-failure';
import { SessionError } from '../../../src/fhir/session-failure';
import { drAdams, patientAna } from '../fhir/fixtures';
import type { InMemorySessionOptions } from '../fhir/in-memory-fhir-session';
import { InMemoryFhirSession } from '../fhir/in-memory-fhir-session';

const today = new Date(2026, 2, 15);
const sandboxUrl = 'http://127.0.0.1:4010/';

function renderWith(connect: () => Promise<FhirSession>) {
  return render(<App connect={connect} today={today} sandboxUrl={sandboxUrl} />);
}

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

  it('explains a launch without a patient and names the practitioner', async () => {
    renderSession({ ...launchWithPatient, patientId: undefined });
    const screenRegion = await screen.findByTestId('no-patient');
    expect(within(screenRegion).getByRole('heading', { name: 'No patient is open' })).toBeDefined();
    expect(screenRegion.textContent).toContain(
      "Open a patient's chart in your EHR to see their equity checklist.",
    );
    expect(screenRegion.textContent).toContain('signed in as Dr. Grace Adams');
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
