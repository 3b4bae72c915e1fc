import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Container from '@mui/material/Container';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

export interface AppFrameProps {
  /** Shown at the right of the app bar (signed-in user, session menu). */
  toolbar?: ReactNode;
  children: ReactNode;
}

/** The product chrome: an app bar with the product name, and the page content below it. */
export function AppFrame({ toolbar, children }: AppFrameProps) {
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'background.default' }}>
      <AppBar position="static" elevation={0} component="header">
        <Toolbar sx={{ gap: 2 }}>
          <Box
            component="img"
            src="/favicon.svg"
            alt=""
            sx={{ width: 28, height: 28, bgcolor: 'common.white', borderRadius: 1, p: 0.25 }}
          />
          <Typography variant="h6" component="div" sx={{ fontWeight: 600, flexGrow: 1 }}>
            Equity Lens
          </Typography>
          {toolbar}
        </Toolbar>
      </AppBar>
      <Container component="main" maxWidth="lg" sx={{ py: 3 }}>
        {children}
      </Container>
    </Box>
  );
}
