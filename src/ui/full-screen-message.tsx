import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import type { ReactNode } from 'react';

export interface FullScreenMessageProps {
  title: string;
  /** `error` for failures the user must act on, `info` for expected states. */
  severity: 'error' | 'warning' | 'info';
  /** One sentence under the title, shown in the coloured summary. */
  summary: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  testId?: string;
}

/** A screen that replaces the app's content: a title, what happened, and what to do next. */
export function FullScreenMessage({
  title,
  severity,
  summary,
  children,
  actions,
  testId,
}: FullScreenMessageProps) {
  const titleId = useId();
  return (
    <Box
      component="section"
      aria-labelledby={titleId}
      data-testid={testId}
      sx={{ display: 'flex', justifyContent: 'center', px: 2, py: { xs: 4, sm: 8 } }}
    >
      <Card variant="outlined" sx={{ maxWidth: 640, width: '100%' }}>
        <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
          <Typography id={titleId} variant="h5" component="h1">
            {title}
          </Typography>
          <Alert severity={severity} role={severity === 'error' ? 'alert' : 'status'}>
            {summary}
          </Alert>
          {children}
        </CardContent>
        {actions ? <CardActions sx={{ px: 2, pb: 2 }}>{actions}</CardActions> : null}
      </Card>
    </Box>
  );
}
