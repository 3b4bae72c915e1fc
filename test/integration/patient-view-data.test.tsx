// The patient view's query wave against an msw FHIR server: one parallel wave, a section the EHR
// refuses marked "not available" without losing the rest, and an unknown patient id said plainly.
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, launchSession, renderPatientView } from './patient-launch';
import { READ_SCOPES, patientRecord } from './patient-fixtures';
import { patientFhirServer } from './patient-fhir-server';

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
