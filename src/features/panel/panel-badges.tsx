import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { SizeFlags } from '../../analysis/panel-view-model';
import { StatusChip } from '../../ui/status-chip';
import { SMALL_MARKER, UNRELIABLE_MARKER } from './panel-chart-markers';
import { formatFlags } from './panel-format';

/** "Small (n ≤ 10)" / "Unreliable (n < 30)", or nothing for a stratum of reliable size. */
export function SizeFlagChip({ flags }: { flags: SizeFlags }) {
  const text = formatFlags(flags);
  if (text === '') return null;
  return (
    <StatusChip
      tone={flags.small ? 'warning' : 'neutral'}
      title={
        flags.small
          ? 'Ten or fewer patients: read this rate with great caution, and never share it outside the clinic.'
          : 'Fewer than 30 patients: the rate can move a lot by chance.'
      }
    >
      {text}
    </StatusChip>
  );
}

/** Marks a number computed on partial data (some queries failed while loading the panel). */
export function PartialDataChip() {
  return (
    <StatusChip
      tone="warning"
      testId="partial-data-marker"
      title="Some data could not be loaded; see the load summary at the top of the page."
    >
      Rates on partial data
    </StatusChip>
  );
}

/** The legend for the size markers used in charts and tables. */
export function SizeLegend() {
  return (
    <Box component="span" sx={{ display: 'inline' }}>
      {UNRELIABLE_MARKER} unreliable: fewer than 30 eligible patients (hatched bar). {SMALL_MARKER}{' '}
      small: 10 or fewer (faint hatched bar). Whiskers are 95% confidence intervals.
    </Box>
  );
}

export function SectionNote({ children }: { children: ReactNode }) {
  return (
    <Typography variant="body2" color="text.secondary">
      {children}
    </Typography>
  );
}
