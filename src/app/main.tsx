import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectFhirclientSession } from '../fhir/fhirclient-session';
import { theme } from '../ui/theme';
import { App } from './app';

const sandboxUrl: string =
  (import.meta.env.VITE_SANDBOX_URL as string | undefined) ?? 'http://127.0.0.1:4010/';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <App connect={connectFhirclientSession} today={new Date()} sandboxUrl={sandboxUrl} />
    </ThemeProvider>
  </StrictMode>,
);
