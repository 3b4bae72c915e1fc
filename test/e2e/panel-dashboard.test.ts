// End-to-end: the panel dashboard in real headless Chromium against the sandbox EHR (its generated
// population has designed gaps) and a production build of the app, with the panel worker running
// in a real module Worker.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { parseCsv } from '../../src/ui/csv';
import { E2E_PATIENTS } from './fixtures';
import { launchBrowser, urls } from './support';

let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

const root = resolve(import.meta.dirname, '../..');
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});
afterAll(async () => {
  await context.close();
  await browser.close();
});

const dashboard = () =>
  page.locator('[data-testid="panel-view"]:not([hidden])').getByTestId('panel-dashboard');

async function shown(): Promise<string> {
  return ((await page.textContent('body')) ?? '').replace(/\s+/g, ' ').slice(0, 800);
}

/** Waits for the overview of a loaded panel; on failure says what the page showed. */
async function waitForOverview(): Promise<void> {
  try {
    await dashboard().getByRole('heading', { name: 'Top gaps' }).waitFor({ timeout: 45_000 });
  } catch (error) {
    const errors = consoleErrors.join(' | ');
    throw new Error(
      `No overview at ${page.url()}; the page shows: ${await shown()}; console: ${errors}`,
      {
        cause: error,
      },
    );
  }
}

async function choose(label: string, option: string | RegExp): Promise<void> {
  await dashboard().getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('listbox').getByRole('option', { name: option }).click();
  await page.getByRole('listbox').waitFor({ state: 'detached' });
}

/** Every row's cells as text (header row first), as a user reads the table. */
async function tableText(table: Locator): Promise<string[][]> {
  return table.evaluate((element) =>
    [...element.querySelectorAll('tr')].map((row) =>
      [...row.querySelectorAll('th, td')]
        .filter((cell) => {
          const column = cell.getAttribute('data-column');
          return column !== 'actions' && column !== 'open';
        })
        .map((cell) => (cell.textContent ?? '').trim()),
    ),
  );
}

async function csvOf(download: Download): Promise<string[][]> {
  const path = await download.path();
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  // The CSV writer neutralises spreadsheet formulas ("+5 pts" becomes "'+5 pts"); undo that.
  return parseCsv(text)
    .filter((row) => row.some((cell) => cell !== ''))
    .map((row) => row.map((cell) => cell.replace(/^'(?=[=+\-@])/, '')));
}

/** "45.2%" → 0.452; "8.1–17.9%" → [0.081, 0.179]. */
function percentInterval(text: string): [number, number] {
  const match = /(-?[\d.]+)–(-?[\d.]+)%/.exec(text);
  if (!match) throw new Error(`not an interval: ${text}`);
  return [Number(match[1]) / 100, Number(match[2]) / 100];
}

async function rowCells(table: Locator, group: string): Promise<Record<string, string>> {
  const rows = await tableText(table);
  const header = rows[0] ?? [];
  const row = rows.find((r) => r[0] === group || r[0] === `${group} (reference)`);
  if (!row) throw new Error(`no row "${group}" in ${JSON.stringify(rows.map((r) => r[0]))}`);
  return Object.fromEntries(header.map((h, i) => [h, row[i] ?? '']));
}

describe('panel dashboard in Chromium against the sandbox', () => {
  it('opens from a panel launch and loads the panel with determinate progress', async () => {
    await page.goto(urls().sandboxUrl);
    await page.getByRole('button', { name: 'Launch without a patient (panel)' }).click();
    await dashboard().waitFor({ timeout: 60_000 });
    await expect
      .poll(() => dashboard().getByRole('heading', { level: 1 }).textContent())
      .toBe('Panel dashboard');
    await waitForOverview();

    // The whole sandbox, so strata are large enough to compare with the designed gaps.
    await dashboard()
      .getByRole('button', { name: /^Panel: my patients/i })
      .click();
    await dashboard().getByRole('radio', { name: 'All patients I can see' }).check();
    await dashboard().getByRole('button', { name: 'Load panel' }).click();
    await expect
      .poll(() => dashboard().getByTestId('panel-summary').textContent(), { timeout: 60_000 })
      .toMatch(new RegExp(`^${E2E_PATIENTS} patients`));
    await waitForOverview();
    expect(await dashboard().getByTestId('fdr-summary').textContent()).toMatch(
      /significant after accounting for \d+ comparisons/,
    );
    // What the sandbox could not serve is listed, never hidden (the lead reads this in the log).
    const failureList = dashboard().getByText(/^What could not be loaded/);
    if ((await failureList.count()) > 0) await failureList.click();
    const failures = dashboard().getByRole('table', {
      name: 'Queries that failed while loading the panel',
    });
    if ((await failures.count()) > 0) {
      writeFileSync(
        resolve(tmpdir(), 'panel-dashboard-load-failures.json'),
        JSON.stringify(await tableText(failures)),
      );
    }
    const search = new URL(page.url()).searchParams;
    expect(search.get('source')).toBe('all');
    expect(page.url()).not.toMatch(/pat-|access_token|code=/);
  }, 150_000);

  it('shows the designed colorectal-screening gap by ethnicity, the known rates inside the CIs', async () => {
    await choose('Stratify by', 'Ethnicity (OMB)');
    await dashboard().getByRole('tab', { name: 'Measure detail' }).click();
    await choose('Measure', 'Colorectal cancer screening');
    const table = dashboard().getByRole('table', { name: /^Colorectal screening by Ethnicity/ });
    await table.waitFor({ timeout: 30_000 });
    // sandbox/generate/README.md "Designed disparities": Hispanic 45% screened, everyone else 68%.
    const hispanic = await rowCells(table, 'Hispanic or Latino');
    const other = await rowCells(table, 'Not Hispanic or Latino');
    const [hLow, hHigh] = percentInterval(hispanic['95% CI (Wilson)'] ?? '');
    const [oLow, oHigh] = percentInterval(other['95% CI (Wilson)'] ?? '');
    expect(hLow).toBeLessThanOrEqual(0.45);
    expect(hHigh).toBeGreaterThanOrEqual(0.45);
    expect(oLow).toBeLessThanOrEqual(0.68);
    expect(oHigh).toBeGreaterThanOrEqual(0.68);
    // The chart (recharts, its own lazy chunk) is drawn with a table alternative beside it.
    await dashboard()
      .getByTestId('stratum-chart')
      .locator('svg.recharts-surface')
      .first()
      .waitFor();
  });

  it('restores the view from the URL after a reload', async () => {
    const before = new URL(page.url()).searchParams;
    expect(before.get('s')).toBe('ethnicity');
    expect(before.get('tab')).toBe('detail');
    expect(before.get('measure')).toBe('CMS130');
    await page.reload();
    await dashboard()
      .getByRole('table', { name: /^Colorectal screening by Ethnicity/ })
      .waitFor({ timeout: 90_000 });
    expect(
      await dashboard().getByRole('tab', { name: 'Measure detail' }).getAttribute('aria-selected'),
    ).toBe('true');
    expect(await dashboard().getByRole('combobox', { name: 'Stratify by' }).textContent()).toBe(
      'Ethnicity (OMB)',
    );
    expect(await dashboard().getByTestId('panel-summary').textContent()).toMatch(
      new RegExp(`^${E2E_PATIENTS} patients`),
    );
  });

  it('marks a small stratum, suppresses it in presentation mode and in the share export', async () => {
    await choose('Stratify by', 'Race (OMB, race alone)');
    await choose('Measure', 'Colorectal cancer screening');
    const table = dashboard().getByRole('table', { name: /^Colorectal screening by Race/ });
    await table.waitFor({ timeout: 30_000 });
    const rows = await tableText(table);
    const header = rows[0] ?? [];
    const small = rows.find((r) => r[header.indexOf('Size')] === 'Small (n ≤ 10)');
    if (!small?.[0]) throw new Error(`no small stratum: ${JSON.stringify(rows)}`);
    const group = small[0].replace(/ \(reference\)$/, '');

    await dashboard()
      .getByLabel(/Presentation mode/)
      .check();
    await dashboard().getByTestId('presentation-banner').waitFor();
    await expect
      .poll(async () => (await rowCells(table, group))['Eligible (n)'], { timeout: 30_000 })
      .toMatch(/^Suppressed/);
    expect(new URL(page.url()).searchParams.get('present')).toBe('1');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dashboard()
        .getByRole('button', { name: /^Download CSV: Colorectal screening by Race/ })
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^share-/);
    const csv = await csvOf(download);
    expect(csv[0]?.[0]).toMatch(/^Share export: .*suppressed/);
    const csvHeader = csv[1] ?? [];
    const csvRow = csv.find((r) => r[0] === group);
    expect(csvRow?.[csvHeader.indexOf('Eligible (n)')]).toMatch(/^Suppressed/);
    expect(csvRow?.[csvHeader.indexOf('Rate')]).toMatch(/^Suppressed/);

    await dashboard()
      .getByLabel(/Presentation mode/)
      .uncheck();
    await dashboard().getByTestId('presentation-banner').waitFor({ state: 'detached' });
  });

  it('downloads a CSV equal to the ranked-gap table shown, and a chart as PNG', async () => {
    await dashboard().getByRole('tab', { name: 'Overview' }).click();
    const table = dashboard().getByRole('table', { name: /^Ranked gaps/ });
    await table.waitFor({ timeout: 30_000 });
    const shownRows = await tableText(table);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dashboard()
        .getByRole('button', { name: /^Download CSV: Ranked gaps/ })
        .click(),
    ]);
    expect(download.suggestedFilename()).toBe('top-gaps.csv');
    const csv = await csvOf(download);
    expect(csv.length).toBeGreaterThan(1);
    expect(csv).toEqual(shownRows);

    await dashboard().getByRole('tab', { name: 'Data completeness' }).click();
    const chart = dashboard().getByTestId('completeness-chart');
    await chart.locator('svg.recharts-surface').first().waitFor({ timeout: 30_000 });
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      chart.getByRole('button', { name: /^Download PNG/ }).click(),
    ]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    const bytes = readFileSync(await png.path());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('has no axe-core violations on any tab, fits an EHR iframe ~900 px wide, and is screenshot', async () => {
    await page.addScriptTag({ content: axeSource });
    const tabs = ['Overview', 'Measure detail', 'Trends', 'Data completeness'];
    for (const name of tabs) {
      await dashboard().getByRole('tab', { name }).click();
      if (name === 'Trends') {
        await dashboard()
          .getByRole('table', { name: /per quarter/ })
          .waitFor({ timeout: 60_000 });
      }
      await page.waitForTimeout(300);
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: Element) => Promise<unknown> } }).axe;
        const root = document.querySelector('[data-testid="panel-view"]:not([hidden])');
        if (!root) return ['no panel view'];
        const result = (await axe.run(root)) as {
          violations: { id: string; nodes: { target: unknown }[] }[];
        };
        return result.violations.map(
          (v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`,
        );
      });
      expect(violations, `axe on ${name}`).toEqual([]);
    }

    await dashboard().getByRole('tab', { name: 'Overview' }).click();
    await waitForOverview();
    const file = resolve(root, 'docs/panel-dashboard.png');
    mkdirSync(dirname(file), { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(500);
    await page.screenshot({ path: file, fullPage: false });

    await page.setViewportSize({ width: 900, height: 900 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      // The deepest elements sticking out of the viewport, to say what is too wide.
      const clipped = (e: Element): boolean => {
        for (let a = e.parentElement; a; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
      };
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > width + 1 && !clipped(e))
        .filter(
          (e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1,
        )
        .slice(0, 5)
        .map(
          (e) =>
            `${e.tagName}.${String(e.className).slice(0, 80)} [${e.getAttribute('data-testid') ?? ''}] ${Math.round(e.getBoundingClientRect().right)} in ${e.parentElement?.tagName ?? ''}.${String(e.parentElement?.className ?? '').slice(0, 80)}`,
        );
      return { extra: document.documentElement.scrollWidth - width, wide };
    });
    expect(overflow.extra, overflow.wide.join(' | ')).toBeLessThanOrEqual(0);
    // Keyboard: the tabs are reachable and switch with the arrow keys.
    await dashboard().getByRole('tab', { name: 'Overview' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        dashboard().getByRole('tab', { name: 'Measure detail' }).getAttribute('aria-selected'),
      )
      .toBe('true');
  });
});
