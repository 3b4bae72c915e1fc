// The panel dashboard over the real panel session (in-thread: jsdom has no Worker) loading a
// sandbox-generated population from an msw FHIR server. Queried by role, as a user meets it.
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  generateDirectory,
  generatePanels,
  generatePatients,
} from '../../../../sandbox/generate/population';
import type { FhirSession, FhirUserRef } from '../../../../src/fhir/fhir-session';
import { FhirSessionProvider } from '../../../../src/fhir/fhir-session-context';
import { PanelDashboard } from '../../../../src/features/panel/panel-dashboard';
import { PHI_NOTICE } from '../../../../src/features/panel/drill-down-dialog';
import { parseCsv } from '../../../../src/ui/csv';
import { FileSaverProvider } from '../../../../src/ui/file-saver';
import {
  accessToken,
  fhirBase,
  operationOutcome,
  panelFhirServer,
} from '../../../integration/panel-loader-fhir-server';
import type { PanelServerOptions } from '../../../integration/panel-loader-fhir-server';

const TODAY = '2026-11-23';
const today = { year: 2026, month: 11, day: 23 };
const generate = { seed: 7, patients: 90, today: TODAY };

const resources = [
  ...generateDirectory(generate),
  ...[...generatePatients(generate)].flat(),
  ...generatePanels(generate),
] as fhir4.FhirResource[];

const practitioner: FhirUserRef = { resourceType: 'Practitioner', id: 'prac-001' };

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function serve(options: Partial<PanelServerOptions> = {}) {
  const { handlers, stats } = panelFhirServer({ resources, latencyMs: 0, ...options });
  server.use(...handlers);
  return stats;
}

const refuse = () => Promise.reject(new Error('the dashboard must use the panel session only'));

function fhirSession(): FhirSession {
  return {
    serverUrl: fhirBase,
    patientId: undefined,
    encounterId: undefined,
    user: practitioner,
    grantedScopes: ['user/*.rs'],
    needPatientBanner: true,
    request: refuse,
    create: refuse,
    update: refuse,
    transaction: refuse,
    accessToken: () => Promise.resolve(accessToken),
  };
}

interface Saved {
  name: string;
  text: string;
}

function renderDashboard(
  options: { user?: FhirUserRef | undefined; onOpenPatient?: (id: string) => void } = {},
) {
  const saved: Promise<Saved>[] = [];
  const saver = (blob: Blob, name: string) => {
    saved.push(blob.text().then((text) => ({ name, text: text.replace(/^\uFEFF/, '') })));
  };
  const user = 'user' in options ? options.user : practitioner;
  render(
    <FhirSessionProvider session={fhirSession()}>
      <FileSaverProvider saver={saver}>
        <PanelDashboard user={user} today={today} onOpenPatient={options.onOpenPatient} />
      </FileSaverProvider>
    </FhirSessionProvider>,
  );
  return { saved };
}

/** The view is loaded and drawn: the overview's cards are there. */
async function waitForOverview() {
  await screen.findByRole('heading', { name: 'Top gaps' }, { timeout: 30_000 });
}

function table(name: string | RegExp): HTMLElement {
  return screen.getByRole('table', { name });
}

/** The table's cells as text, header row first (action columns left out, as the CSV does). */
function tableText(element: HTMLElement): string[][] {
  const headers = within(element).getAllByRole('columnheader');
  const keep = headers.map((h) => h.querySelector('button') === null || h.textContent !== '');
  const rows = within(element).getAllByRole('row');
  return rows
    .map((row) =>
      [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim()),
    )
    .map((cells) => cells.filter((_, i) => keep[i] !== false));
}

async function choose(label: string, option: string | RegExp) {
  fireEvent.mouseDown(screen.getByRole('combobox', { name: label }));
  const listbox = await screen.findByRole('listbox');
  fireEvent.click(within(listbox).getByRole('option', { name: option }));
  await waitFor(() => expect(screen.queryByRole('listbox')).toBeNull());
}

beforeEach(() => {
  window.history.replaceState(null, '', '/?view=panel');
});

describe('PanelDashboard over the real panel session', () => {
  it('loads my patients with determinate progress and shows cards, ranked gaps and the FDR sentence', async () => {
    const stats = serve();
    renderDashboard();

    expect(screen.getByRole('heading', { level: 1, name: 'Panel dashboard' })).toBeTruthy();
    await screen.findByTestId('panel-load-progress');
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    await waitForOverview();

    expect(stats.requests.some((r) => r.url.searchParams.has('general-practitioner'))).toBe(true);
    expect(screen.getByTestId('panel-summary').textContent).toMatch(
      /^30 patients · measurement period 2026-01-01 to 2026-12-31$/,
    );
    for (const title of ['HbA1c > 9%', 'BP controlled', 'Mammogram', 'Colorectal screening']) {
      expect(screen.getByRole('heading', { level: 3, name: title })).toBeTruthy();
    }
    const fdr = screen.getByTestId('fdr-summary').textContent ?? '';
    const match = /significant after accounting for (\d+) comparisons/.exec(fdr);
    expect(match).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(0);

    // The view is in the URL; no patient id or token is.
    const search = new URLSearchParams(window.location.search);
    expect(search.get('view')).toBe('panel');
    expect(search.get('source')).toBe('my-patients');
    expect(search.get('s')).toBe('race');
    expect(search.get('period')).toBe('2026');
    expect(window.location.href).not.toMatch(/pat-|panel-token/);
  }, 60_000);

  it('marks a small stratum on screen, suppresses it in presentation mode and in a share CSV', async () => {
    serve();
    const { saved } = renderDashboard();
    await waitForOverview();

    fireEvent.click(screen.getByRole('tab', { name: 'Measure detail' }));
    // The overview's view carries no detail: the tab asks the session for its measure's.
    const staffTable = await screen.findByRole(
      'table',
      { name: /^HbA1c > 9% by Race/ },
      { timeout: 20_000 },
    );
    const staffRows = within(staffTable).getAllByRole('row').slice(1);
    const small = staffRows.find((row) => row.textContent?.includes('Small (n ≤ 10)'));
    expect(small).toBeDefined();
    const smallGroup = within(small as HTMLElement).getByRole('rowheader').textContent ?? '';
    expect(smallGroup).not.toBe('');

    fireEvent.click(screen.getByLabelText(/Presentation mode/));
    await screen.findByTestId('presentation-banner');
    await waitFor(
      () => {
        const shown = table(/^HbA1c > 9% by Race/);
        const row = within(shown)
          .getAllByRole('row')
          .find((r) => r.querySelector('th')?.textContent === smallGroup);
        expect(row?.textContent).toContain('Suppressed');
      },
      { timeout: 20_000 },
    );
    expect(new URLSearchParams(window.location.search).get('present')).toBe('1');
    // No patient lists in presentation mode.
    expect(screen.queryByRole('button', { name: /^Patients:/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: /^Download CSV: HbA1c > 9% by Race/ }));
    await waitFor(() => expect(saved.length).toBe(1));
    const file = await saved[0];
    expect(file?.name).toMatch(/^share-/);
    const rows = parseCsv(file?.text ?? '');
    expect(rows[0]?.[0]).toMatch(/^Share export: .*suppressed/);
    const header = rows[1] ?? [];
    const groupRow = rows.find((r) => r[0] === smallGroup);
    const eligible = groupRow?.[header.indexOf('Eligible (n)')];
    expect(eligible).toMatch(/^Suppressed/);
  }, 60_000);

  it('downloads a CSV equal to the ranked-gap table shown', async () => {
    serve();
    const { saved } = renderDashboard();
    await waitForOverview();
    const shown = tableText(table(/^Ranked gaps/));
    fireEvent.click(screen.getByRole('button', { name: /^Download CSV: Ranked gaps/ }));
    await waitFor(() => expect(saved.length).toBe(1));
    const file = await saved[0];
    expect(file?.name).toBe('top-gaps.csv');
    // The CSV writer neutralises spreadsheet formulas ("+5 pts" becomes "'+5 pts"); undo that.
    const csv = parseCsv(file?.text ?? '')
      .filter((r) => r.some((c) => c !== ''))
      .map((r) => r.map((c) => c.replace(/^'(?=[=+\-@])/, '')));
    // The action column is not exported; everything else is the same text, in the same order.
    const withoutActions = shown.map((row) => row.slice(0, csv[0]?.length ?? 0));
    expect(csv.length).toBeGreaterThan(1);
    expect(csv).toEqual(withoutActions);
  }, 60_000);

  it('drills down to the patients behind a gap, with MRN, evidence, PHI notice and open chart', async () => {
    serve();
    const onOpenPatient = vi.fn();
    const { saved } = renderDashboard({ onOpenPatient });
    await waitForOverview();
    fireEvent.click(screen.getByRole('tab', { name: 'Measure detail' }));
    const detail = await screen.findByRole(
      'table',
      { name: /^HbA1c > 9% by Race/ },
      { timeout: 20_000 },
    );
    const patients = within(detail).getAllByRole('button', { name: /^Patients:/ })[0];
    if (!patients) throw new Error('no stratum has patients not meeting the measure');
    fireEvent.click(patients);
    const dialog = await screen.findByRole('dialog');
    const list = await within(dialog).findByRole('table', {}, { timeout: 20_000 });
    expect(within(list).getByRole('columnheader', { name: 'MRN' })).toBeTruthy();
    expect(within(list).getByRole('columnheader', { name: /Deciding evidence/ })).toBeTruthy();
    const open = within(list).getAllByRole('button', { name: /^Open chart:/ })[0];
    if (!open) throw new Error('no patient row');
    // Sortable by name: the header is a button that flips the order.
    fireEvent.click(within(list).getByRole('button', { name: 'Name' }));
    expect(within(list).getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe(
      'descending',
    );

    fireEvent.click(within(dialog).getByRole('button', { name: /^Download CSV/ }));
    await waitFor(() => expect(saved.length).toBe(1));
    const file = await saved[0];
    expect(file?.name).toMatch(/patients-phi\.csv$/);
    expect(parseCsv(file?.text ?? '')[0]?.[0]).toBe(PHI_NOTICE);

    fireEvent.click(
      within(list).getAllByRole('button', { name: /^Open chart:/ })[0] as HTMLElement,
    );
    expect(onOpenPatient).toHaveBeenCalledTimes(1);
    expect(onOpenPatient.mock.calls[0]?.[0]).toMatch(/^pat-/);
  }, 60_000);

  it('restores the view from the URL: stratifier, tab and presentation mode', async () => {
    serve();
    window.history.replaceState(
      null,
      '',
      '/?view=panel&source=my-patients&s=ethnicity&tab=completeness&present=1&m=CMS122,CMS165',
    );
    renderDashboard();
    await screen.findByRole('heading', { name: 'Data completeness' }, { timeout: 30_000 });
    expect(
      screen.getByRole('tab', { name: 'Data completeness' }).getAttribute('aria-selected'),
    ).toBe('true');
    expect(screen.getByRole('combobox', { name: 'Stratify by' }).textContent).toBe(
      'Ethnicity (OMB)',
    );
    expect(screen.getByRole('combobox', { name: 'Measures' }).textContent).toBe('2 measures');
    expect(screen.getByTestId('presentation-banner')).toBeTruthy();

    await choose('Stratify by', 'Preferred language');
    expect(new URLSearchParams(window.location.search).get('s')).toBe('language');
  }, 60_000);

  it('shows a two-way heat map and eight quarters of trends with CIs', async () => {
    serve();
    renderDashboard();
    await waitForOverview();
    await choose('Crossed with (two-way)', 'Sex');
    expect(new URLSearchParams(window.location.search).get('s2')).toBe('sex');
    fireEvent.click(screen.getByRole('tab', { name: 'Measure detail' }));
    const heat = await screen.findByRole(
      'table',
      { name: /^Heat map of HbA1c > 9% by Race .* × Sex/ },
      { timeout: 20_000 },
    );
    const header = within(heat).getAllByRole('columnheader');
    expect(header.length).toBeGreaterThan(2);
    expect(within(heat).getAllByRole('rowheader').length).toBeGreaterThan(1);

    fireEvent.click(screen.getByRole('tab', { name: 'Trends' }));
    const trend = await screen.findByRole(
      'table',
      { name: /per quarter \(rolling 12 months\)/ },
      { timeout: 20_000 },
    );
    const quarters = within(trend)
      .getAllByRole('columnheader')
      .map((h) => h.textContent ?? '')
      .filter((t) => /^\d{4} Q[1-4]$/.test(t));
    expect(quarters).toHaveLength(8);
    const panelRow = within(trend).getByRole('rowheader', { name: 'Whole panel' }).closest('tr');
    // Each quarter's panel rate comes with its 95% CI: "12.3% (8.1–17.9%)".
    expect(panelRow?.textContent).toMatch(/\d+\.\d% \(\d+\.\d–\d+\.\d%\)/);
  }, 60_000);

  it('says when "my patients" finds nobody and offers the other sources', async () => {
    const stats = serve();
    renderDashboard({ user: { resourceType: 'Practitioner', id: 'prac-nobody' } });
    const nobody = await screen.findByTestId('panel-found-nobody', {}, { timeout: 30_000 });
    expect(nobody.textContent).toContain('My patients found nobody');
    // The source picker stays open while no panel is on screen.
    expect(screen.getByRole('radio', { name: 'All patients I can see' })).toBeTruthy();
    fireEvent.click(within(nobody).getByRole('button', { name: 'All patients I can see' }));
    await waitForOverview();
    expect(screen.getByTestId('panel-summary').textContent).toMatch(/^90 patients/);
    expect(
      stats.requests.some(
        (r) => r.resourceType === 'Patient' && !r.url.searchParams.has('general-practitioner'),
      ),
    ).toBe(true);
    expect(new URLSearchParams(window.location.search).get('source')).toBe('all');
  }, 60_000);

  it('reports what could not be loaded and marks rates as partial', async () => {
    serve({
      intercept: (request) =>
        request.resourceType === 'Condition'
          ? HttpResponse.json(operationOutcome('not-supported', 'Condition search is off'), {
              status: 400,
            })
          : undefined,
    });
    renderDashboard();
    await waitForOverview();
    expect(screen.getByTestId('panel-partial').textContent).toMatch(/partial data/);
    expect(screen.getAllByTestId('partial-data-marker').length).toBeGreaterThan(0);
    fireEvent.click(screen.getByText(/What could not be loaded/));
    const failures = table('Queries that failed while loading the panel');
    expect(within(failures).getAllByRole('row').slice(1)[0]?.textContent).toContain('400');
  }, 60_000);

  it('cancels a load and keeps nothing', async () => {
    serve({ latencyMs: 200 });
    renderDashboard();
    const cancel = await screen.findByRole('button', { name: 'Cancel' });
    await act(async () => {
      fireEvent.click(cancel);
      await Promise.resolve();
    });
    const cancelled = await screen.findByTestId('panel-load-cancelled');
    expect(cancelled.textContent).toContain('cancelled; nothing was kept');
    expect(screen.queryByRole('heading', { name: 'Top gaps' })).toBeNull();
  }, 60_000);
});
