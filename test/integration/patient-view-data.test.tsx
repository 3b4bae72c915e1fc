// The patient view's query wave against an msw FHIR server: one parallel wave, a section the EHR
// refuses marked "not available" without losing the rest, and an unknown patient id said plainly.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, launchSession, renderPatientView } from './patient-launch';
import { READ_SCOPES, patientRecord } from './patient-fixtures';
import { patientFhirServer } from './patient-fhir-server';
import { SHOWN_PROMPTS_STORAGE_KEY } from '../../src/features/patient/shown-prompts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('the patient view reads the record', { timeout: 20_000 }, () => {
  it('sends every query in one wave and shows the strip, a prompt, care gaps and demographics', async () => {
    const fhir = patientFhirServer({ accessToken: ACCESS_TOKEN, resources: patientRecord() });
    server.use(...fhir.handlers);
    renderPatientView(await launchSession(READ_SCOPES));

    const strip = await screen.findByRole(
      'list',
      { name: 'Social needs by domain' },
      { timeout: 15_000 },
    );
    expect(within(strip).getAllByRole('listitem')).toHaveLength(11);
    expect(screen.getByTestId('sdoh-domain-food-insecurity').dataset.state).toBe(
      'positive-no-action',
    );
    expect(screen.getByTestId('sdoh-state-food-insecurity').textContent).toBe(
      'Positive · day 6 of 30',
    );
    expect(screen.getByTestId('sdoh-domain-transportation-insecurity').dataset.state).toBe(
      'negative',
    );
    expect(screen.getByTestId('sdoh-domain-housing-instability').dataset.state).toBe(
      'not-screened',
    );

    const prompts = screen.getAllByTestId('sdoh-prompt');
    expect(prompts.length).toBeGreaterThan(0);
    expect(prompts.length).toBeLessThanOrEqual(3);
    expect(prompts[0]?.dataset.kind).toBe('positive-no-action');
    expect(within(prompts[0] as HTMLElement).getByRole('heading').textContent).toMatch(
      /^Food screen positive; no referral yet \(day 6 of 30\)$/,
    );

    const diabetes = screen.getByTestId('care-gap-CMS122');
    // HbA1c 8.2% is not poor control (> 9%): CMS122's inverse goal is met.
    expect(diabetes.dataset.status).toBe('met');
    expect(diabetes.textContent).toContain('Latest HbA1c: 8.2 % on 2026-03-02');

    expect(screen.getByTestId('demographic-sexual-orientation').dataset.status).toBe(
      'asked-declined',
    );
    expect(screen.getByTestId('demographic-gender-identity').dataset.status).toBe('not-collected');
    expect(
      within(screen.getByTestId('demographic-gender-identity')).getByText(/Ask the patient/),
    ).toBeTruthy();
    expect(
      within(screen.getByTestId('demographic-sexual-orientation')).queryByText(/Ask the patient/),
    ).toBeNull();
    expect(screen.getByTestId('patient-language').textContent).toBe('Spanish');
    expect(screen.getByTestId('patient-interpreter').textContent).toBe('Interpreter needed');

    // One wave: every search arrived before the first one was answered.
    const firstAnswer = fhir.events.findIndex((e) => e.startsWith('answer'));
    const arrivals = fhir.events.filter((e) => e.startsWith('arrive'));
    expect(fhir.events.slice(0, firstAnswer)).toEqual(arrivals);
    expect(new Set(arrivals.map((e) => e.slice('arrive '.length)))).toEqual(
      new Set([
        'Observation',
        'QuestionnaireResponse',
        'Condition',
        'Encounter',
        'Procedure',
        'ServiceRequest',
        'Task',
        'Coverage',
        'MedicationRequest',
        'DeviceRequest',
      ]),
    );
    // Both US Core sdoh category systems are asked for (sdoh.md §1.3).
    const categorySearch = fhir.reads.find(
      (r) => r.startsWith('Observation?') && r.includes('category='),
    );
    expect(decodeURIComponent(categorySearch ?? '')).toContain('us-core-category|sdoh');
    expect(decodeURIComponent(categorySearch ?? '')).toContain('us-core-tags|sdoh');
    expect(screen.queryByTestId('source-notes')).toBeNull();
  });

  it('marks only the refused section "not available from this EHR" and keeps the rest', async () => {
    const fhir = patientFhirServer({
      accessToken: ACCESS_TOKEN,
      resources: patientRecord(),
      searchFailures: { Task: 403, QuestionnaireResponse: 404 },
    });
    server.use(...fhir.handlers);
    renderPatientView(await launchSession(READ_SCOPES));

    await screen.findByRole('list', { name: 'Social needs by domain' }, { timeout: 15_000 });
    expect(screen.getByTestId('source-unavailable-tasks').textContent).toBe(
      'Tasks (referral status): not available from this EHR.',
    );
    expect(screen.getByTestId('source-unavailable-questionnaire-responses').textContent).toBe(
      'Questionnaire responses: not available from this EHR.',
    );
    // Everything else still shows.
    expect(screen.getByTestId('sdoh-domain-food-insecurity').dataset.state).toBe(
      'positive-no-action',
    );
    expect(screen.getByTestId('care-gap-CMS122').dataset.status).toBe('met');
    expect(screen.queryByTestId('care-gaps-partial')).toBeNull();
    expect(screen.getByTestId('demographic-sexual-orientation').dataset.status).toBe(
      'asked-declined',
    );
  });

  it('treats a type the EHR does not offer as not kept, not as missing data, in the same wave', async () => {
    const fhir = patientFhirServer({
      accessToken: ACCESS_TOKEN,
      resources: patientRecord(),
      unsupportedTypes: ['DeviceRequest'],
      // Declared, yet refused: that one is missing data.
      searchFailures: { Coverage: 404 },
    });
    server.use(...fhir.handlers);
    renderPatientView(await launchSession(READ_SCOPES));

    await screen.findByTestId('care-gap-CMS122', {}, { timeout: 15_000 });
    expect(screen.getByTestId('care-gaps-not-offered').textContent).toMatch(
      /^Device orders are not available from this EHR, so a frailty exclusion/,
    );
    const partial = screen.getByTestId('care-gaps-partial');
    expect(partial.textContent).toContain('Evaluated without coverage (not available');
    expect(partial.textContent).not.toMatch(/device/i);
    expect(screen.getByTestId('care-gap-CMS122').dataset.status).toBe('met');

    // Still one wave: the DeviceRequest search went out with the others, and metadata with them.
    const firstAnswer = fhir.events.findIndex((e) => e.startsWith('answer'));
    const arrivals = fhir.events.filter((e) => e.startsWith('arrive'));
    expect(fhir.events.slice(0, firstAnswer)).toEqual(arrivals);
    expect(arrivals).toContain('arrive DeviceRequest');
    expect(fhir.reads.filter((r) => r === 'metadata')).toHaveLength(1);
  });

  it('keeps a 404 as "not available" when metadata cannot be read (absence is then unproven)', async () => {
    const fhir = patientFhirServer({
      accessToken: ACCESS_TOKEN,
      resources: patientRecord(),
      unsupportedTypes: ['DeviceRequest'],
      metadataStatus: 500,
    });
    server.use(...fhir.handlers);
    renderPatientView(await launchSession(READ_SCOPES));

    const partial = await screen.findByTestId('care-gaps-partial', {}, { timeout: 15_000 });
    expect(partial.textContent).toContain('Evaluated without device requests');
    expect(screen.queryByTestId('care-gaps-not-offered')).toBeNull();
  });

  it('shows the screening prompt once per encounter, across a reload, remembering no identifier', async () => {
    const fhir = patientFhirServer({ accessToken: ACCESS_TOKEN, resources: patientRecord() });
    server.use(...fhir.handlers);
    const session = await launchSession(READ_SCOPES, 'pat-ana', 'enc-visit-7');
    const screeningKinds = () =>
      screen.queryAllByTestId('sdoh-prompt').filter((p) => p.dataset.kind === 'screening-due');

    const first = renderPatientView(session);
    await screen.findByRole('list', { name: 'Social needs by domain' }, { timeout: 15_000 });
    expect(screeningKinds()).toHaveLength(1);
    await waitFor(() =>
      expect(window.sessionStorage.getItem(SHOWN_PROMPTS_STORAGE_KEY)).not.toBeNull(),
    );
    const stored = window.sessionStorage.getItem(SHOWN_PROMPTS_STORAGE_KEY) ?? '';
    expect(JSON.parse(stored)).toHaveLength(1);
    expect(stored).not.toContain('enc-visit-7');
    expect(stored).not.toContain('pat-ana');
    first.unmount();

    // The reload, same encounter: the card stays away, the strip and a way back remain.
    renderPatientView(session);
    await screen.findByRole('list', { name: 'Social needs by domain' }, { timeout: 15_000 });
    expect(screeningKinds()).toHaveLength(0);
    expect(screen.getByTestId('sdoh-domain-housing-instability').dataset.state).toBe(
      'not-screened',
    );
    expect(screen.getAllByTestId('sdoh-prompt')[0]?.dataset.kind).toBe('positive-no-action');
    fireEvent.click(screen.getByRole('button', { name: 'Show it again' }));
    expect(screeningKinds()).toHaveLength(1);
    window.sessionStorage.removeItem(SHOWN_PROMPTS_STORAGE_KEY);
  });

  it('says when care gaps cannot be evaluated because encounters are refused', async () => {
    const fhir = patientFhirServer({
      accessToken: ACCESS_TOKEN,
      resources: patientRecord(),
      searchFailures: { Encounter: 403 },
    });
    server.use(...fhir.handlers);
    renderPatientView(await launchSession(READ_SCOPES));
    const note = await screen.findByTestId('care-gaps-unavailable', {}, { timeout: 15_000 });
    expect(note.textContent).toMatch(/encounters, which are not available from this EHR/);
    expect(screen.getByTestId('sdoh-domain-food-insecurity').dataset.state).toBe(
      'positive-no-action',
    );
  });

  it('says plainly that a patient id does not exist, with no "try again"', async () => {
    const fhir = patientFhirServer({ accessToken: ACCESS_TOKEN, resources: patientRecord() });
    server.use(...fhir.handlers);
    renderPatientView(await launchSession(READ_SCOPES, 'no-such-patient'), {
      resourceType: 'Patient',
      id: 'no-such-patient',
    });
    const message = await screen.findByTestId('patient-not-found', {}, { timeout: 15_000 });
    expect(within(message).getByRole('heading', { name: 'Patient not found' })).toBeTruthy();
    expect(message.textContent).toContain('no patient with the id "no-such-patient"');
    expect(message.textContent).not.toMatch(/try again in a moment/i);
    expect(within(message).queryByRole('button', { name: 'Retry' })).toBeNull();
  });
});
