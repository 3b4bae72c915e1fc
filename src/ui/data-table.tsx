import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import Typography from '@mui/material/Typography';
import type { SxProps, Theme } from '@mui/material/styles';
import { useId, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useCsvExportSettings } from './csv-export-context';
import { csvBlob } from './download';
import { useFileSaver } from './file-saver';

/** Plain colours for a cell (kept simple so they merge with the cell's own style). */
export interface CellStyle {
  bgcolor?: string;
  color?: string;
  fontWeight?: number;
}

export type SortDirection = 'asc' | 'desc';
export type SortValue = number | string | undefined;

export interface DataColumn<Row> {
  id: string;
  header: string;
  /** The cell's text: exactly what the cell shows and what its CSV field holds. */
  text: (row: Row) => string;
  /** Richer content (a link, a chip) whose text is still `text(row)`. */
  render?: (row: Row) => ReactNode;
  /** Makes the column sortable; undefined values sort last in both directions. */
  sortValue?: (row: Row) => SortValue;
  align?: 'left' | 'right';
  /** False for action columns (buttons), which the CSV leaves out. Default true. */
  exported?: boolean;
  /** Rendered as the row's header cell (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Per-cell styling (e.g. a heat map's background). */
  cellSx?: (row: Row) => CellStyle | undefined;
}

export interface DataTableProps<Row> {
  /** The table's name (its `<caption>`), also used by the CSV button's label. */
  caption: string;
  columns: readonly DataColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  initialSort?: { columnId: string; direction: SortDirection };
  /** Offers a CSV download of the table as shown (sorted), preceded by `preamble` lines. */
  csv?: { filename: string; preamble?: readonly (readonly string[])[] };
  /** Shown in place of the body when there are no rows. */
  emptyText?: string;
  rowSx?: (row: Row) => SxProps<Theme> | undefined;
  testId?: string;
  /** Hides the caption visually (it stays the table's accessible name). */
  hideCaption?: boolean;
}

function compare(a: SortValue, b: SortValue, direction: SortDirection): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const order =
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
  return direction === 'asc' ? order : -order;
}

/** Rows sorted stably by one column. */
export function sortRows<Row>(
  rows: readonly Row[],
  column: DataColumn<Row> | undefined,
  direction: SortDirection,
): Row[] {
  const indexed = rows.map((row, index) => ({ row, index }));
  const sortValue = column?.sortValue;
  if (sortValue) {
    indexed.sort(
      (x, y) => compare(sortValue(x.row), sortValue(y.row), direction) || x.index - y.index,
    );
  }
  return indexed.map((x) => x.row);
}

/** The CSV of a table: the header row, then every row's exported cells as shown. */
export function tableCsvRows<Row>(
  columns: readonly DataColumn<Row>[],
  rows: readonly Row[],
): string[][] {
  const exported = columns.filter((column) => column.exported !== false);
  return [exported.map((c) => c.header), ...rows.map((row) => exported.map((c) => c.text(row)))];
}

export const visuallyHidden: SxProps<Theme> = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
};

/**
 * A table whose cells are plain text functions, so the CSV holds exactly what is shown. Sortable
 * headers are buttons (keyboard reachable) with `aria-sort`; wide tables scroll horizontally in a
 * focusable region instead of breaking the page's layout.
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  initialSort,
  csv,
  emptyText = 'Nothing to show.',
  rowSx,
  testId,
  hideCaption = false,
}: DataTableProps<Row>) {
  const [sort, setSort] = useState(initialSort);
  const save = useFileSaver();
  const exportSettings = useCsvExportSettings();
  const captionId = useId();
  const sortColumn = columns.find((c) => c.id === sort?.columnId);
  const sorted = useMemo(
    () => sortRows(rows, sortColumn, sort?.direction ?? 'asc'),
    [rows, sortColumn, sort?.direction],
  );

  const toggleSort = (column: DataColumn<Row>) => {
    setSort((current) =>
      current?.columnId === column.id
        ? { columnId: column.id, direction: current.direction === 'asc' ? 'desc' : 'asc' }
        : { columnId: column.id, direction: 'asc' },
    );
  };

  return (
    <Box
      data-testid={testId}
      sx={{ display: 'flex', flexDirection: 'column', gap: 1, minWidth: 0 }}
    >
      {csv ? (
        <Box sx={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button
            size="small"
            variant="outlined"
            aria-label={`Download CSV: ${caption}`}
            onClick={() =>
              save(
                csvBlob([
                  ...exportSettings.preamble,
                  ...(csv.preamble ?? []),
                  ...tableCsvRows(columns, sorted),
                ]),
                `${exportSettings.filenamePrefix}${csv.filename}`,
              )
            }
          >
            Download CSV
          </Button>
        </Box>
      ) : null}
      <TableContainer
        tabIndex={0}
        role="region"
        aria-labelledby={captionId}
        sx={{
          // Positioned, so visually hidden headers (position: absolute) stay inside the scroll
          // area instead of widening the page.
          position: 'relative',
          overflowX: 'auto',
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
          bgcolor: 'background.paper',
          '&:focus-visible': { outline: '3px solid', outlineColor: 'primary.main' },
        }}
      >
        <Table size="small" sx={{ captionSide: 'top' }}>
          <caption id={captionId} style={{ textAlign: 'left' }}>
            {hideCaption ? (
              <Box component="span" sx={visuallyHidden}>
                {caption}
              </Box>
            ) : (
              <Typography component="span" variant="subtitle2" sx={{ px: 1 }}>
                {caption}
              </Typography>
            )}
          </caption>
          <TableHead>
            <TableRow>
              {columns.map((column) => {
                const active = sort?.columnId === column.id;
                const ariaSort = active
                  ? sort.direction === 'asc'
                    ? 'ascending'
                    : 'descending'
                  : undefined;
                return (
                  <TableCell
                    key={column.id}
                    scope="col"
                    align={column.align ?? 'left'}
                    aria-sort={column.sortValue ? (ariaSort ?? 'none') : undefined}
                    data-column={column.id}
                    sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}
                  >
                    {column.sortValue ? (
                      <TableSortLabel
                        active={active}
                        direction={active ? sort.direction : 'asc'}
                        onClick={() => toggleSort(column)}
                      >
                        {column.header}
                      </TableSortLabel>
                    ) : column.exported === false ? (
                      <Box component="span" sx={visuallyHidden}>
                        {column.header}
                      </Box>
                    ) : (
                      column.header
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          </TableHead>
          <TableBody>
            {sorted.length === 0 ? (
              <TableRow>
                <TableCell colSpan={columns.length}>
                  <Typography color="text.secondary">{emptyText}</Typography>
                </TableCell>
              </TableRow>
            ) : (
              sorted.map((row) => (
                <TableRow key={rowKey(row)} sx={rowSx?.(row)}>
                  {columns.map((column) =>
                    column.rowHeader ? (
                      <TableCell
                        key={column.id}
                        component="th"
                        scope="row"
                        align={column.align ?? 'left'}
                        data-column={column.id}
                      >
                        {column.render ? column.render(row) : column.text(row)}
                      </TableCell>
                    ) : (
                      <TableCell
                        key={column.id}
                        align={column.align ?? 'left'}
                        data-column={column.id}
                        sx={{
                          whiteSpace: column.align === 'right' ? 'nowrap' : undefined,
                          ...column.cellSx?.(row),
                        }}
                      >
                        {column.render ? column.render(row) : column.text(row)}
                      </TableCell>
                    ),
                  )}
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
}
