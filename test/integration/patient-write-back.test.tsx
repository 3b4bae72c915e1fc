// Acting on a prompt against an msw FHIR server: a referral as one transaction or two linked
// creates, a failed write that keeps the draft, retries that never make a second referral, the
// decline record, and the read-only mode (no write scope, or no create in the CapabilityStatement).
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, launchSession, renderPatientView } from './patient-launch';
import { READ_SCOPES, WRITE_SCOPES, patientRecord } from './patient-fixtures';
import type { PatientServerOptions } from './patient-fhir-server';
import { patientFhirServer } from './patient-fhir-server';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function open(options: Partial<PatientServerOptions>, scopes = WRITE_SCOPES) {
  const fhir = patientFhirServer({
    accessToken: ACCESS_TOKEN,
    resources: patientRecord(),
    creatable: ['ServiceRequest', 'Task', 'Procedure'],
    ...options,
  });
  server.use(...fhir.handlers);
  renderPatientView(await launchSession(scopes));
  await screen.findByRole('list', { name: 'Social needs by domain' }, { timeout: 15_000 });
  return fhir;
}

function foodPrompt(): HTMLElement {
  const prompt = screen
    .getAllByTestId('sdoh-prompt')
    .find((p) => p.textContent?.includes('Food screen positive'));
  if (!prompt) throw new Error('no food prompt');
  return prompt;
}

async function openReferral(): Promise<HTMLElement> {
  fireEvent.click(within(foodPrompt()).getByRole('button', { name: 'Refer…' }));
  const dialog = await screen.findByRole('dialog', { name: 'Refer: Food' });
  await within(dialog).findByRole('combobox', { name: 'Community resource' });
  return dialog;
}

const stored = (fhir: { store: fhir4.FhirResource[] }, type: string) =>
  fhir.store.filter((r) => r.resourceType === type);

describe('acting on a social-needs prompt', { timeout: 30_000 }, () => {
  it('sends a referral as one transaction: one ServiceRequest, one Task, then "referral open"', async () => {
    const fhir = await open({ transaction: true, conditionalCreate: true });
    const dialog = await openReferral();
    fireEvent.change(
      within(dialog).getByRole('textbox', { name: 'Note to the organization (optional)' }),
      {
        target: { value: 'Prefers Spanish-speaking staff' },
      },
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send referral' }));

    await screen.findByTestId('referral-sent', {}, { timeout: 10_000 });
    expect(fhir.writes).toEqual(['POST transaction']);
    const [request] = stored(fhir, 'ServiceRequest') as fhir4.ServiceRequest[];
    const [task] = stored(fhir, 'Task') as fhir4.Task[];
    expect(stored(fhir, 'ServiceRequest')).toHaveLength(1);
    expect(stored(fhir, 'Task')).toHaveLength(1);
    expect(task?.focus?.reference).toBe(`ServiceRequest/${request?.id ?? ''}`);
    expect(task?.code?.coding?.[0]?.code).toBe('fulfill');
    expect(task?.owner?.reference).toBe('Organization/org-pantry');
    expect(request?.performer?.[0]?.reference).toBe('HealthcareService/hs-pantry');
    expect(request?.note?.[0]?.text).toBe('Prefers Spanish-speaking staff');
    expect(request?.requester?.reference).toBe('Practitioner/dr-adams');
    expect(request?.reasonReference?.[0]?.reference).toBe('Observation/obs-hvs-1');
    await waitFor(() =>
      expect(screen.getByTestId('sdoh-domain-food-insecurity').dataset.state).toBe('referral-open'),
    );
    expect(screen.getByTestId('sdoh-state-food-insecurity').textContent).toBe(
      'Referral open · requested',
    );
  });

  it('keeps the draft and says why when the write fails, and the retry sends it once', async () => {
    const fhir = await open({
      transaction: true,
      conditionalCreate: true,
      writeOutcomes: [{ kind: 'fail', status: 500 }],
    });
    const dialog = await openReferral();
    const note = within(dialog).getByRole('textbox', {
      name: 'Note to the organization (optional)',
    });
    fireEvent.change(note, { target: { value: 'Call after 5pm' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send referral' }));

    const error = await within(dialog).findByTestId('refer-error');
    expect(error.textContent).toContain('HTTP 500');
    expect(stored(fhir, 'ServiceRequest')).toHaveLength(0);
    // The draft is still there, as typed.
    expect((note as HTMLTextAreaElement).value).toBe('Call after 5pm');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Try again' }));
    await screen.findByTestId('referral-sent', {}, { timeout: 10_000 });
    expect(stored(fhir, 'ServiceRequest')).toHaveLength(1);
    expect(stored(fhir, 'Task')).toHaveLength(1);
  });

  it('does not duplicate a transaction that committed before its answer was lost (no conditional create)', async () => {
    const fhir = await open({
      transaction: true,
      conditionalCreate: false,
      writeOutcomes: [{ kind: 'commit-then-fail', status: 504 }],
    });
    const dialog = await openReferral();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send referral' }));
    const error = await within(dialog).findByTestId('refer-error');
    expect(error.textContent).toContain('trying again is safe');
    expect(stored(fhir, 'ServiceRequest')).toHaveLength(1);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Try again' }));
    await screen.findByTestId('referral-sent', {}, { timeout: 10_000 });
    // The retry looked the earlier attempt up by its identifier instead of sending again.
    expect(fhir.writes).toEqual(['POST transaction']);
    expect(fhir.reads.some((r) => r.startsWith('ServiceRequest?identifier='))).toBe(true);
    expect(stored(fhir, 'ServiceRequest')).toHaveLength(1);
    expect(stored(fhir, 'Task')).toHaveLength(1);
  });

  it('links two creates when the server has no transactions, and a retry after a lost answer adds nothing', async () => {
    const fhir = await open({
      transaction: false,
      conditionalCreate: true,
      writeOutcomes: [{ kind: 'ok' }, { kind: 'commit-then-fail', status: 504 }],
    });
    const dialog = await openReferral();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send referral' }));
    await within(dialog).findByTestId('refer-error');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Try again' }));
    await screen.findByTestId('referral-sent', {}, { timeout: 10_000 });

    const requests = stored(fhir, 'ServiceRequest') as fhir4.ServiceRequest[];
    const tasks = stored(fhir, 'Task') as fhir4.Task[];
    expect(requests).toHaveLength(1);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.focus?.reference).toBe(`ServiceRequest/${requests[0]?.id ?? ''}`);
    expect(fhir.writes[0]).toBe('POST ServiceRequest');
    expect(fhir.writes.filter((w) => w === 'POST transaction')).toEqual([]);
  });

  it('records "patient declines help" as a not-done Procedure and silences the prompt', async () => {
    const fhir = await open({ transaction: true, conditionalCreate: true });
    fireEvent.click(within(foodPrompt()).getByRole('button', { name: 'Patient declines help' }));
    await waitFor(
      () =>
        expect(screen.getByTestId('sdoh-domain-food-insecurity').dataset.state).toBe(
          'declined-help',
        ),
      { timeout: 10_000 },
    );
    const [decline] = stored(fhir, 'Procedure') as fhir4.Procedure[];
    expect(decline?.status).toBe('not-done');
    expect(decline?.statusReason?.text).toBe('Patient declined help');
    expect(
      screen
        .getAllByTestId('sdoh-prompt')
        .some((p) => p.textContent?.includes('Food screen positive')),
    ).toBe(false);
    const tile = screen.getByTestId('sdoh-domain-food-insecurity');
    expect(within(tile).getByRole('button', { name: 'Offer again' })).toBeTruthy();
  });

  it('is read-only without write scopes: says why, shows no write buttons, offers the text to copy', async () => {
    const fhir = await open({ transaction: true, conditionalCreate: true }, READ_SCOPES);
    const prompt = foodPrompt();
    expect(within(prompt).queryByRole('button', { name: 'Refer…' })).toBeNull();
    expect(within(prompt).queryByRole('button', { name: 'Patient declines help' })).toBeNull();
    expect(within(prompt).getByTestId('prompt-read-only').textContent).toMatch(
      /did not grant Equity Lens permission to create ServiceRequest or Task/,
    );
    fireEvent.click(within(prompt).getByRole('button', { name: 'Referral text…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Refer: Food' });
    expect(within(dialog).queryByRole('button', { name: 'Send referral' })).toBeNull();
    const text = within(dialog).getByRole<HTMLTextAreaElement>('textbox', {
      name: 'Referral text',
    });
    await waitFor(() =>
      expect(text.value).toContain('Referred to: Springfield Community Food Pantry'),
    );
    expect(text.value).toContain('Social care referral: Referral to community meals service');
    expect(fhir.writes).toEqual([]);
  });

  it('is read-only when the CapabilityStatement lists no create for Task', async () => {
    await open({ creatable: ['ServiceRequest', 'Procedure'], transaction: true });
    const prompt = foodPrompt();
    expect(within(prompt).queryByRole('button', { name: 'Refer…' })).toBeNull();
    expect(within(prompt).getByTestId('prompt-read-only').textContent).toMatch(
      /does not accept new Task records/,
    );
  });

  it('sends a "screen now" questionnaire Task to the patient for the unscreened domains', async () => {
    const fhir = await open({ transaction: true, conditionalCreate: true });
    const prompt = screen
      .getAllByTestId('sdoh-prompt')
      .find((p) => p.dataset.kind === 'screening-due');
    if (!prompt) throw new Error('no screening prompt');
    fireEvent.click(within(prompt).getByRole('button', { name: /questionnaire to the patient/ }));
    await within(prompt).findByText(/Sent to the patient/, {}, { timeout: 10_000 });
    const [task] = stored(fhir, 'Task') as fhir4.Task[];
    expect(stored(fhir, 'Task')).toHaveLength(1);
    expect(task?.code?.coding?.[0]?.code).toBe('complete-questionnaire');
    expect(task?.owner?.reference).toBe('Patient/pat-ana');
    expect(task?.input?.[0]?.valueCanonical).toMatch(/^http/);
  });

  it('sets a prompt aside for this visit with a CDS Hooks override reason, writing nothing', async () => {
    const fhir = await open({ transaction: true, conditionalCreate: true });
    fireEvent.click(within(foodPrompt()).getByRole('button', { name: 'Not now…' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'No time at this visit' }));
    await waitFor(() =>
      expect(
        screen.queryAllByTestId('sdoh-prompt').some((p) => p.textContent?.includes('Food screen')),
      ).toBe(false),
    );
    expect(screen.getByTestId('prompts-dismissed').textContent).toContain('No time at this visit');
    // Still positive: setting a prompt aside is not an action on the need.
    expect(screen.getByTestId('sdoh-domain-food-insecurity').dataset.state).toBe(
      'positive-no-action',
    );
    expect(fhir.writes).toEqual([]);
  });
});
