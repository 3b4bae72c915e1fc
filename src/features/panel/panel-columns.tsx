// Table columns that several panel tables share: the group, a count, an estimate with its CI,
// and the size flags. One definition each, so the tables cannot drift apart in how they show,
// sort and export the same kind of cell.
import type { Estimate } from '../../equity/interval';
import type { ShownCount, SizeFlags, StratumLabel } from '../../analysis/panel-view-model';
import type { DataColumn } from '../../ui/data-table';
import { SizeFlagChip } from './panel-badges';
import {
  countValue,
  formatCount,
  formatEstimate,
  formatEstimateCi,
  formatFlags,
  type Suppressed,
} from './panel-format';

/** The row header: the stratum's label (`text` may decorate it, e.g. "(reference)"). */
export function groupColumn<R extends StratumLabel>(
  text: (row: R) => string = (row) => row.label,
): DataColumn<R> {
  return { id: 'group', header: 'Group', text, sortValue: (row) => row.label, rowHeader: true };
}

export function countColumn<R>(
  id: string,
  header: string,
  count: (row: R) => ShownCount,
): DataColumn<R> {
  return {
    id,
    header,
    text: (row) => formatCount(count(row)),
    sortValue: (row) => countValue(count(row)),
    align: 'right',
  };
}

/** A continuous estimate and its CI, as two columns (`<id>` and `<ciId>`). */
export function estimateColumns<R>(
  value: { id: string; header: string },
  ci: { id: string; header: string },
  estimate: (row: R) => Estimate | Suppressed,
): DataColumn<R>[] {
  return [
    {
      ...value,
      text: (row) => formatEstimate(estimate(row), 'continuous'),
      sortValue: (row) => {
        const e = estimate(row);
        return e.kind === 'value' ? e.value : undefined;
      },
      align: 'right',
    },
    { ...ci, text: (row) => formatEstimateCi(estimate(row), 'continuous'), align: 'right' },
  ];
}

/** Small (n ≤ 10) / unreliable (n < 30) as a chip; `sortable` sorts small first. */
export function sizeColumn<R extends { flags: SizeFlags }>(sortable = false): DataColumn<R> {
  return {
    id: 'flags',
    header: 'Size',
    text: (row) => formatFlags(row.flags),
    render: (row) => <SizeFlagChip flags={row.flags} />,
    ...(sortable
      ? { sortValue: (row: R) => (row.flags.small ? 0 : row.flags.unreliable ? 1 : 2) }
      : {}),
  };
}
