// The whole app on a patient launch: the view's wave goes out with the launch context, the
// Patient is read once (shared by the shell and the view), and React StrictMode's double effects
// send nothing twice (issue 8 "launch → view interactive").
import { render, screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { StrictMode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/app/app';
import { ACCESS_TOKEN, launchSession } from './patient-launch';
import { READ_SCOPES, TODAY, patientRecord } from './patient-fixtures';
import { patientFhirServer } from './patient-fhir-server';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('a patient launch', { timeout: 20_000 }, () => {
  it('reads the Patient once and sends the view’s searches once, with the launch context', async () => {
    const fhir = patientFhirServer({ accessToken: ACCESS_TOKEN, resources: patientRecord() });
    server.use(...fhir.handlers);
    const session = await launchSession(READ_SCOPES);
    let connects = 0;
    render(
      <StrictMode>
        <App
          connect={() => {
            connects += 1;
            return Promise.resolve(session);
          }}
          today={TODAY}
          sandboxUrl="/"
        />
      </StrictMode>,
    );

    expect(await screen.findAllByTestId('sdoh-prompt', {}, { timeout: 15_000 })).not.toHaveLength(
      0,
    );
    expect(screen.getByTestId('signed-in-user').textContent).toBe('Dr. Grace Adams');
    // StrictMode did run the launch twice: the prefetch was shared, not repeated.
    expect(connects).toBe(2);
    expect(fhir.reads.filter((url) => url.startsWith('Patient/'))).toEqual(['Patient/pat-ana']);
    const searches = fhir.reads.filter((url) => url.includes('?'));
    expect(searches.length).toBeGreaterThan(10);
    expect(new Set(searches).size).toBe(searches.length);
    expect(fhir.reads.filter((url) => url === 'metadata')).toHaveLength(1);
    // The searches did not wait for the launch context: all arrived before the first answer.
    const firstAnswer = fhir.events.findIndex((e) => e.startsWith('answer'));
    expect(fhir.events.slice(0, firstAnswer).filter((e) => e.startsWith('arrive'))).toHaveLength(
      searches.length,
    );
  });
});
