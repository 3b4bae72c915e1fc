// The closed loop in the patient view: Task status is read on load, re-read on a manual refresh,
// and re-read on window focus no more often than the SDOHCC IG allows for polling (15 minutes).
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, launchSession, renderPatientView } from './patient-launch';
import { PATIENT_ID, READ_SCOPES, foodPantry, patientRecord } from './patient-fixtures';
import { patientFhirServer } from './patient-fhir-server';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const referral: fhir4.ServiceRequest = {
  resourceType: 'ServiceRequest',
  id: 'sr-food',
  status: 'active',
  intent: 'order',
  category: [
    {
      coding: [
        {
          system:
            'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
          code: 'food-insecurity',
        },
      ],
    },
  ],
  code: {
    coding: [
      {
        system: 'http://snomed.info/sct',
        code: '713109004',
        display: 'Referral to community meals service',
      },
    ],
  },
  subject: { reference: `Patient/${PATIENT_ID}` },
  authoredOn: '2026-11-25T10:00:00Z',
  reasonReference: [{ reference: 'Observation/obs-hvs-1' }],
};

const task: fhir4.Task = {
  resourceType: 'Task',
  id: 'task-food',
  status: 'requested',
  intent: 'order',
  code: {
    coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }],
  },
  focus: { reference: 'ServiceRequest/sr-food' },
  for: { reference: `Patient/${PATIENT_ID}` },
  authoredOn: '2026-11-25T10:00:00Z',
  lastModified: '2026-11-25T10:00:00Z',
  requester: { reference: 'Practitioner/dr-adams' },
  owner: { reference: 'HealthcareService/hs-pantry', display: foodPantry.name ?? '' },
};

const taskReads = (reads: readonly string[]) => reads.filter((r) => r.startsWith('Task?')).length;

describe('referral status in the patient view', { timeout: 30_000 }, () => {
  it('shows the open referral, and its completion after a manual refresh', async () => {
    const fhir = patientFhirServer({
      accessToken: ACCESS_TOKEN,
      resources: [...patientRecord(), referral, task],
    });
    server.use(...fhir.handlers);
    renderPatientView(await launchSession(READ_SCOPES));
    const state = await screen.findByTestId('sdoh-state-food-insecurity', {}, { timeout: 15_000 });
    expect(state.textContent).toBe('Referral open · requested');
    expect(screen.getByTestId('sdoh-domain-food-insecurity').textContent).toContain(
      'with Springfield Community Food Pantry',
    );

    // The community organization completes the Task on the server.
    const stored = fhir.store.find((r) => r.resourceType === 'Task') as fhir4.Task;
    stored.status = 'completed';
    stored.lastModified = '2026-11-29T15:00:00Z';
    stored.output = [
      {
        type: {
          coding: [
            {
              system:
                'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
              code: 'resulting-activity',
            },
          ],
        },
        valueString: 'Enrolled in weekly meal delivery',
      },
    ];

    // A focus right after loading does not poll (IG: not more often than every 15 minutes).
    const before = taskReads(fhir.reads);
    fireEvent.focus(window);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(taskReads(fhir.reads)).toBe(before);
    expect(screen.getByTestId('sdoh-state-food-insecurity').textContent).toBe(
      'Referral open · requested',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Refresh referral status' }));
    await waitFor(() =>
      expect(screen.getByTestId('sdoh-state-food-insecurity').textContent).toBe('Completed'),
    );
    expect(taskReads(fhir.reads)).toBe(before + 1);
    expect(screen.getByTestId('sdoh-domain-food-insecurity').textContent).toContain(
      'Enrolled in weekly meal delivery',
    );
  });

  it('says "status unknown" rather than "no referral" when the EHR refuses Tasks', async () => {
    const fhir = patientFhirServer({
      accessToken: ACCESS_TOKEN,
      resources: [...patientRecord(), referral, task],
      searchFailures: { Task: 403 },
    });
    server.use(...fhir.handlers);
    renderPatientView(await launchSession(READ_SCOPES));
    const state = await screen.findByTestId('sdoh-state-food-insecurity', {}, { timeout: 15_000 });
    expect(state.textContent).toBe('Status unknown');
    expect(screen.getByTestId('sdoh-domain-food-insecurity').textContent).toContain(
      'does not share referral Tasks with Equity Lens',
    );
  });
});
