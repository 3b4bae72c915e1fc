// The SMART launch page (launch/index.html + launch.ts) in jsdom: what it shows for a bare
// visit, an unknown or unregistered EHR, and a FHIR server that cannot be discovered.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { screen, within } from '@testing-library/dom';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fhirBase, visit } from './smart-fhir-server';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const launchHtml = readFileSync(resolve(import.meta.dirname, '../../launch/index.html'), 'utf8');

beforeEach(() => {
  // innerHTML does not run the page's <script>: the test imports launch.ts itself.
  document.body.innerHTML = new DOMParser().parseFromString(launchHtml, 'text/html').body.innerHTML;
});

async function openLaunchPage(query: string): Promise<void> {
  visit(`/launch/${query}`);
  vi.resetModules();
  await import('../../launch/launch');
}

describe('the launch page', () => {
  it('says it is connecting before the script runs', () => {
    expect(screen.getByRole('status').textContent).toContain('Connecting to your EHR…');
  });

  it('explains how to launch when opened without iss', async () => {
    await openLaunchPage('');
    const heading = await screen.findByRole('heading', {
      name: 'Open this app from your EHR or the sandbox launcher',
    });
    const page = heading.closest('main');
    if (!page) throw new Error('no main');
    expect(page.getAttribute('data-testid')).toBe('launch-help');
    expect(
      within(page).getByRole('link', { name: 'Open the sandbox launcher' }).getAttribute('href'),
    ).toBe('http://127.0.0.1:4010/');
    expect(page.textContent).toContain('launch=<handle>');
  });

  it('names an iss that matches no configured EHR, as text', async () => {
    await openLaunchPage(
      `?iss=${encodeURIComponent('https://other.example/fhir<img src=x>')}&launch=abc`,
    );
    await screen.findByRole('heading', { name: 'This EHR is not configured for Equity Lens' });
    expect(screen.getByText('https://other.example/fhir<img src=x>').tagName).toBe('CODE');
    expect(document.querySelector('img')).toBeNull();
  });

  it('refuses to start a launch for an EHR whose client id is still a placeholder', async () => {
    await openLaunchPage(
      `?iss=${encodeURIComponent('https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4')}&launch=abc`,
    );
    expect(
      await screen.findByRole('heading', { name: 'Equity Lens has no Epic client id yet' }),
    ).toBeDefined();
  });

  // Last: authorize() fixes fhirclient's view of the page URL for the rest of this file.
  it('says the FHIR server cannot be reached when discovery fails', async () => {
    server.use(
      http.get(`${fhirBase}/.well-known/smart-configuration`, () => HttpResponse.error()),
      http.get(`${fhirBase}/metadata`, () => HttpResponse.error()),
    );
    await openLaunchPage(`?iss=${encodeURIComponent(fhirBase)}&launch=abc`);
    await screen.findByRole('heading', { name: "Can't reach your EHR's FHIR server" });
    expect(screen.getByText(fhirBase).tagName).toBe('CODE');
  });
});
