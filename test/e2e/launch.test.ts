// End-to-end: real headless Chromium, the real sandbox EHR and a production build of the app.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createLaunch, firstPractitionerId, launchBrowser, listPatients, urls } from './support';

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
beforeEach(async () => {
  await context?.close();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});

const appOrigin = () => new URL(urls().appUrl).origin;

/** Waits for a screen's heading; on failure says what the page showed instead. */
async function expectHeading(name: RegExp): Promise<void> {
  try {
    await page.getByRole('heading', { name }).first().waitFor({ timeout: 30_000 });
  } catch (error) {
    const shown = (await page.textContent('body'))?.replace(/\s+/g, ' ').slice(0, 500);
    throw new Error(`No heading ${String(name)} at ${page.url()}; the page shows: ${shown}`, {
      cause: error,
    });
  }
}

/**
 * Waits for the panel dashboard: the app's panel screen (`panel-view`, src/app) showing the
 * dashboard's root (`data-testid="panel-dashboard"`, src/features/panel).
 */
async function expectDashboard(): Promise<void> {
  const view = page.locator('[data-testid="panel-view"]:not([hidden])');
  try {
    await view.waitFor({ timeout: 30_000 });
    await view.getByTestId('panel-dashboard').first().waitFor({ timeout: 30_000 });
  } catch (error) {
    const shown = (await page.textContent('body'))?.replace(/\s+/g, ' ').slice(0, 500);
    throw new Error(`No panel dashboard at ${page.url()}; the page shows: ${shown}`, {
      cause: error,
    });
  }
}

async function waitForApp(): Promise<void> {
  await page.waitForURL(
    (url) => url.origin === appOrigin() && !url.pathname.startsWith('/launch'),
    {
      timeout: 30_000,
    },
  );
}

describe('EHR launch from the sandbox launcher', () => {
  it('completes the PKCE round trip and shows the chosen patient in the banner', async () => {
    const patients = await listPatients();
    const patient = patients[2];
    if (!patient) throw new Error('the sandbox has too few patients');
    const family = patient.name.split(' ').at(-1) ?? patient.name;

    await page.goto(urls().sandboxUrl);
    await page.getByLabel('Search patients').fill(family);
    await page.getByRole('radio', { name: patient.name }).check();
    await page.getByRole('button', { name: 'Launch with patient' }).click();
    await waitForApp();

    const banner = page.getByRole('region', { name: 'Patient banner' });
    await expect.poll(() => banner.textContent(), { timeout: 20_000 }).toContain(patient.name);
    const text = (await banner.textContent()) ?? '';
    if (patient.mrn) expect(text).toContain(patient.mrn);
    expect(text).toMatch(/\d+ y/);
    // The code and state have been taken out of the address bar.
    expect(new URL(page.url()).searchParams.get('code')).toBeNull();
    // Nothing of the session is kept in localStorage.
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    if (process.env.UPDATE_SCREENSHOTS) {
      await page.screenshot({ path: 'test/e2e/screenshots/patient-launch.png' });
    }
  });

  it('keeps the chosen patient when a search answers after the click', async () => {
    const patient = (await listPatients())[0];
    if (!patient) throw new Error('the sandbox has no patients');
    await page.goto(urls().sandboxUrl);
    const radio = page.getByRole('radio', { name: patient.name });
    await radio.check();
    const status = page.getByRole('status').first();
    const before = await status.textContent();
    await page.getByLabel('Search patients').fill(patient.id);
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).not.toBe(before);
    expect(await radio.isChecked()).toBe(true);
  });

  it('shows the signed-in practitioner', async () => {
    const [patient] = await listPatients();
    const launch = await createLaunch(patient?.id, await firstPractitionerId());
    await page.goto(launch.toString());
    await waitForApp();
    await expect
      .poll(() => page.getByTestId('signed-in-user').textContent(), { timeout: 20_000 })
      .toMatch(/\w+/);
  });

  it('opens the panel dashboard on a launch without a patient', async () => {
    await page.goto(urls().sandboxUrl);
    await page.getByRole('button', { name: 'Launch without a patient (panel)' }).click();
    await waitForApp();
    await expectDashboard();
    expect(await page.getByRole('region', { name: 'Patient banner' }).count()).toBe(0);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('links a patient launch to the dashboard, and a reload and Back keep the chosen view', async () => {
    const [patient] = await listPatients();
    if (!patient) throw new Error('the sandbox has no patients');
    await page.goto((await createLaunch(patient.id, await firstPractitionerId())).toString());
    await waitForApp();
    const banner = page.getByRole('region', { name: 'Patient banner' });
    await banner.waitFor({ timeout: 20_000 });
    await page.getByRole('link', { name: 'Panel dashboard' }).click();
    await expectDashboard();
    expect(new URL(page.url()).searchParams.get('view')).toBe('panel');

    await page.reload();
    await expectDashboard();
    expect(new URL(page.url()).searchParams.get('view')).toBe('panel');
    // Nothing about the patient or the session is in the address bar.
    expect(page.url()).not.toContain(patient.id);
    expect(new URL(page.url()).searchParams.get('code')).toBeNull();

    await page.goBack();
    await banner.waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).searchParams.get('view')).toBeNull();
  });

  it('shows the session-expired screen after the EHR ends the session', async () => {
    const [patient] = await listPatients();
    await page.goto((await createLaunch(patient?.id, await firstPractitionerId())).toString());
    await waitForApp();
    await page.getByRole('region', { name: 'Patient banner' }).waitFor({ timeout: 20_000 });
    const res = await fetch(`${urls().sandboxUrl}launcher/api/expire-tokens`, { method: 'POST' });
    expect(res.status).toBe(200);
    await page.reload();
    await expectHeading(/your EHR session has ended/i);
  });
});

describe('standalone launch', () => {
  it('signs in at the sandbox, picks a patient and shows the banner', async () => {
    const patients = await listPatients();
    const patient = patients[1];
    if (!patient) throw new Error('the sandbox has too few patients');
    await page.goto(urls().sandboxUrl);
    await page.getByRole('button', { name: 'Standalone launch: patient chart' }).click();
    await page.waitForURL((url) => url.pathname === '/auth/authorize', { timeout: 30_000 });
    await page.getByRole('radio', { name: patient.name }).check();
    await page.getByRole('button', { name: 'Allow' }).click();
    await waitForApp();
    await expect
      .poll(() => page.getByRole('region', { name: 'Patient banner' }).textContent(), {
        timeout: 20_000,
      })
      .toContain(patient.name);
  });

  it('signs in for the panel without a patient picker and opens the dashboard', async () => {
    await page.goto(urls().sandboxUrl);
    await page.getByRole('button', { name: 'Standalone launch: panel dashboard' }).click();
    await page.waitForURL((url) => url.pathname === '/auth/authorize', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Allow' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('heading', { name: 'Choose the patient' }).count()).toBe(0);
    expect(await page.getByRole('radio').count()).toBe(0);
    const scopes = (await page.locator('ul.scopes').textContent()) ?? '';
    expect(scopes).not.toContain('launch');
    expect(scopes).toContain('user/Patient.rs');
    await page.getByRole('button', { name: 'Allow' }).click();
    await waitForApp();
    await expectDashboard();
  });

  it('asks which kind of launch, then shows the denial when the user refuses access', async () => {
    await page.goto(
      new URL(`launch/?iss=${encodeURIComponent(urls().fhirBaseUrl)}`, urls().appUrl).toString(),
    );
    await expectHeading(/what would you like to open/i);
    await page.getByRole('link', { name: "Open a patient's chart" }).click();
    await page.waitForURL((url) => url.pathname === '/auth/authorize', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Deny' }).click();
    await waitForApp();
    await expect
      .poll(
        () =>
          page.getByRole('heading', { name: /access (was )?denied|not authori[sz]ed/i }).count(),
        {
          timeout: 20_000,
        },
      )
      .toBe(1);
  });
});

describe('launch page opened bare', () => {
  it('shows help with a link to the sandbox launcher', async () => {
    await page.goto(new URL('launch/', urls().appUrl).toString());
    const link = page.getByRole('link', { name: /launcher/i });
    await link.waitFor({ timeout: 20_000 });
    expect(await link.getAttribute('href')).toBe(urls().sandboxUrl);
    expect(await page.textContent('body')).toMatch(/open this app from your EHR/i);
  });

  it('the app page opened bare says to launch from the EHR', async () => {
    await page.goto(urls().appUrl);
    await expect
      .poll(() => page.textContent('body'), { timeout: 20_000 })
      .toMatch(/open this app from your EHR/i);
  });
});
