// The SMART launch page (launch/index.html + launch.ts) in jsdom: what it shows for a bare
// visit, an unknown or unregistered EHR, a standalone launch that has not chosen its kind, the
// runtime client registrations file, and a FHIR server that cannot be discovered.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { screen, within } from '@testing-library/dom';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { appOrigin, fhirBase, visit } from './smart-fhir-server';

const registrationsFile = `${appOrigin}/equity-lens.clients.json`;
// Most deployments have no runtime registrations file.
const server = setupServer(
  http.get(registrationsFile, () => new HttpResponse('Not found', { status: 404 })),
);
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

  it("asks a standalone launch whether to open a patient's chart or the panel dashboard", async () => {
    await openLaunchPage(`?iss=${encodeURIComponent(fhirBase)}`);
    const heading = await screen.findByRole('heading', { name: 'What would you like to open?' });
    const page = heading.closest('main');
    if (!page) throw new Error('no main');
    expect(page.getAttribute('data-testid')).toBe('launch-choose-kind');
    expect(page.textContent).toContain('local sandbox');
    const chart = new URL(
      within(page).getByRole('link', { name: "Open a patient's chart" }).getAttribute('href') ?? '',
    );
    const panel = new URL(
      within(page).getByRole('link', { name: 'Open the panel dashboard' }).getAttribute('href') ??
        '',
    );
    expect(chart.pathname).toBe('/launch/');
    expect(chart.searchParams.get('iss')).toBe(fhirBase);
    expect(chart.searchParams.get('kind')).toBe('patient');
    expect(panel.searchParams.get('iss')).toBe(fhirBase);
    expect(panel.searchParams.get('kind')).toBe('panel');
    expect(panel.searchParams.has('launch')).toBe(false);
  });

  describe('with a runtime registrations file', () => {
    const hospitalIss = 'https://ehr.hospital.example/fhir/r4';

    it('uses an EHR that only the file names, fetched without caching', async () => {
      const caches: string[] = [];
      server.use(
        http.get(registrationsFile, ({ request }) => {
          caches.push(request.cache);
          return HttpResponse.json([
            {
              label: 'Hospital EHR',
              issMatch: 'https://ehr\\.hospital\\.example/fhir/r4',
              clientId: 'hospital-123',
              scopeVersion: 'v1',
            },
          ]);
        }),
      );
      await openLaunchPage(`?iss=${encodeURIComponent(hospitalIss)}`);
      await screen.findByRole('heading', { name: 'What would you like to open?' });
      expect(screen.getByText(hospitalIss).tagName).toBe('CODE');
      expect(document.body.textContent).toContain('You are signing in to Hospital EHR');
      expect(caches).toEqual(['no-store']);
      expect(screen.queryByTestId('launch-registration-problems')).toBeNull();
    });

    it('lets a runtime entry override a built-in one for the same iss', async () => {
      server.use(
        http.get(registrationsFile, () =>
          HttpResponse.json([
            {
              label: 'Epic at our hospital',
              issMatch: 'https://fhir\\.epic\\.com/.*',
              clientId: '<ask the Epic analyst>',
              scopeVersion: 'v2',
            },
          ]),
        ),
      );
      await openLaunchPage(
        `?iss=${encodeURIComponent('https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4')}&launch=abc`,
      );
      expect(
        await screen.findByRole('heading', {
          name: 'Equity Lens has no Epic at our hospital client id yet',
        }),
      ).toBeDefined();
    });

    it('names the rejected entries on the page and in the console, and keeps the rest', async () => {
      const warnings: string[] = [];
      const warn = vi.spyOn(console, 'warn').mockImplementation((message: unknown) => {
        warnings.push(String(message));
      });
      server.use(
        http.get(registrationsFile, () =>
          HttpResponse.json([
            { label: 'Broken', issMatch: 'https://(unclosed', clientId: 'x', scopeVersion: 'v2' },
            {
              label: 'Hospital EHR',
              issMatch: 'https://ehr\\.hospital\\.example/fhir/r4',
              clientId: 'hospital-123',
              scopeVersion: 'v2',
            },
          ]),
        ),
      );
      try {
        await openLaunchPage(`?iss=${encodeURIComponent(hospitalIss)}`);
        await screen.findByRole('heading', { name: 'What would you like to open?' });
        const notice = screen.getByTestId('launch-registration-problems');
        expect(notice.getAttribute('role')).toBe('alert');
        expect(notice.textContent).toContain('Entry 1 ("Broken") was ignored');
        expect(notice.textContent).toContain('not a valid regular expression');
        expect(document.body.textContent).toContain('You are signing in to Hospital EHR');
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain('Entry 1 ("Broken") was ignored');
        // The built-in registrations still work beside the file.
        await openLaunchPage(`?iss=${encodeURIComponent(fhirBase)}`);
        expect(
          await screen.findByText('You are signing in to local sandbox at', { exact: false }),
        ).toBeDefined();
      } finally {
        warn.mockRestore();
      }
    });

    it('reports a file that is not JSON and still launches with the built-in registrations', async () => {
      const warnings: string[] = [];
      const warn = vi.spyOn(console, 'warn').mockImplementation((message: unknown) => {
        warnings.push(String(message));
      });
      server.use(
        http.get(
          registrationsFile,
          () =>
            new HttpResponse('[{"label": ', { headers: { 'content-type': 'application/json' } }),
        ),
      );
      try {
        await openLaunchPage(`?iss=${encodeURIComponent(fhirBase)}`);
        await screen.findByRole('heading', { name: 'What would you like to open?' });
      } finally {
        warn.mockRestore();
      }
      expect(screen.getByTestId('launch-registration-problems').textContent).toContain(
        'equity-lens.clients.json is not valid JSON',
      );
      expect(warnings).toEqual(['Equity Lens launch: equity-lens.clients.json is not valid JSON.']);
    });
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
