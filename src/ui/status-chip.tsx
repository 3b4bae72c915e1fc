import Box from '@mui/material/Box';
import type { ReactNode } from 'react';

export type StatusTone = 'neutral' | 'info' | 'success' | 'warning' | 'error';

// The Alert component's "standard" colours: dark text on a light tint keeps WCAG AA contrast
// (the palette's main colours on white do not, e.g. warning orange at about 3:1).
const tones: Record<StatusTone, { bg: string; fg: string; border: string }> = {
  neutral: { bg: '#f0f0f0', fg: '#212121', border: '#9e9e9e' },
  info: { bg: '#e5f6fd', fg: '#014361', border: '#0288d1' },
  success: { bg: '#edf7ed', fg: '#1e4620', border: '#2e7d32' },
  warning: { bg: '#fff4e5', fg: '#663c00', border: '#ed6c02' },
  error: { bg: '#fdeded', fg: '#5f2120', border: '#d32f2f' },
};

export interface StatusChipProps {
  tone: StatusTone;
  children: ReactNode;
  /** Explains the chip on hover (its text must make sense alone). */
  title?: string;
  testId?: string;
}

/** A small inline label ("Small (n ≤ 10)", "Significant after FDR") in an accessible colour. */
export function StatusChip({ tone, children, title, testId }: StatusChipProps) {
  const colours = tones[tone];
  return (
    <Box
      component="span"
      title={title}
      data-testid={testId}
      sx={{
        display: 'inline-flex',
        alignItems: 'center',
        px: 0.75,
        py: 0.125,
        borderRadius: 1,
        border: 1,
        borderColor: colours.border,
        bgcolor: colours.bg,
        color: colours.fg,
        fontSize: '0.75rem',
        fontWeight: 600,
        lineHeight: 1.5,
        whiteSpace: 'nowrap',
      }}
    >
      {children}
    </Box>
  );
}
