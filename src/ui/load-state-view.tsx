import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { LoadState } from './load-state';

export interface LoadStateViewProps<T, E> {
  state: LoadState<T, E>;
  /** What is being waited for, e.g. "Connecting to your EHR…". */
  loadingLabel: string;
  renderError: (error: E) => ReactNode;
  children: (value: T) => ReactNode;
}

/** Renders every `LoadState` the same way: a spinner, the caller's error view, or the value. */
export function LoadStateView<T, E>({
  state,
  loadingLabel,
  renderError,
  children,
}: LoadStateViewProps<T, E>) {
  switch (state.status) {
    case 'loading':
      return (
        <Box
          role="status"
          sx={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 2, py: 10 }}
        >
          <CircularProgress size={28} aria-label={loadingLabel} />
          <Typography color="text.secondary">{loadingLabel}</Typography>
        </Box>
      );
    case 'error':
      return <>{renderError(state.error)}</>;
    case 'ready':
      return <>{children(state.value)}</>;
  }
}
