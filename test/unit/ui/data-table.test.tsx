import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CsvExportProvider } from '../../../src/ui/csv-export-context';
import { parseCsv } from '../../../src/ui/csv';
import { DataTable } from '../../../src/ui/data-table';
import type { DataColumn } from '../../../src/ui/data-table';
import { FileSaverProvider } from '../../../src/ui/file-saver';

interface Row {
  name: string;
  n: number;
}

const columns: DataColumn<Row>[] = [
  { id: 'name', header: 'Group', text: (r) => r.name, sortValue: (r) => r.name, rowHeader: true },
  { id: 'n', header: 'n', text: (r) => String(r.n), sortValue: (r) => r.n, align: 'right' },
  {
    id: 'act',
    header: 'Actions',
    text: () => '',
    exported: false,
    render: () => <button type="button">Go</button>,
  },
];

const rows: Row[] = [
  { name: 'Asian', n: 12 },
  { name: 'White', n: 140 },
  { name: 'Black', n: 31 },
];

function renderTable(prefix: string, preamble: string[][]) {
  const saved: { name: string; blob: Blob }[] = [];
  render(
    <FileSaverProvider saver={(blob, name) => saved.push({ blob, name })}>
      <CsvExportProvider settings={{ filenamePrefix: prefix, preamble }}>
        <DataTable
          caption="Groups"
          columns={columns}
          rows={rows}
          rowKey={(r) => r.name}
          csv={{ filename: 'groups.csv' }}
        />
      </CsvExportProvider>
    </FileSaverProvider>,
  );
  return saved;
}

describe('DataTable', () => {
  it('sorts by a header button and exports the rows in the order shown, without action columns', async () => {
    const saved = renderTable('', []);
    const table = screen.getByRole('table', { name: 'Groups' });
    fireEvent.click(within(table).getByRole('button', { name: 'n' }));
    expect(within(table).getByRole('columnheader', { name: 'n' }).getAttribute('aria-sort')).toBe(
      'ascending',
    );
    const shown = within(table)
      .getAllByRole('rowheader')
      .map((c) => c.textContent);
    expect(shown).toEqual(['Asian', 'Black', 'White']);
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV: Groups' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.name).toBe('groups.csv');
    const text = (await saved[0]?.blob.text())?.replace(/^\uFEFF/, '') ?? '';
    expect(parseCsv(text).filter((r) => r.some(Boolean))).toEqual([
      ['Group', 'n'],
      ['Asian', '12'],
      ['Black', '31'],
      ['White', '140'],
    ]);
  });

  it('turns every CSV into a share export under a share provider', async () => {
    const saved = renderTable('share-', [['Share export: suppressed']]);
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV: Groups' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.name).toBe('share-groups.csv');
    const text = (await saved[0]?.blob.text())?.replace(/^\uFEFF/, '') ?? '';
    expect(parseCsv(text)[0]).toEqual(['Share export: suppressed']);
  });
});
