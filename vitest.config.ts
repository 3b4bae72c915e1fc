import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// fhirclient's package "main" is its Node entry (no FHIR.oauth2); tests that exercise the browser
// flow need the browser entry. The regex matches only the bare specifier.
const fhirclientBrowser = { find: /^fhirclient$/, replacement: 'fhirclient/lib/entry/browser.js' };

export default defineConfig({
  plugins: [react()],
  resolve: { alias: [fhirclientBrowser] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['test/unit/**/*.test.tsx', 'test/integration/**/*.test.{ts,tsx}'],
          setupFiles: ['test/setup-dom.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
