import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Two entry pages: `launch/` is the SMART launch URL an EHR registers; `/` (index.html) is the
// redirect URL where the app completes authorization and renders.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      {
        find: /^isomorphic-webcrypto$/,
        replacement: resolve(import.meta.dirname, 'src/fhir/browser-webcrypto.ts'),
      },
    ],
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: {
    sourcemap: true,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, 'index.html'),
        launch: resolve(import.meta.dirname, 'launch/index.html'),
      },
    },
  },
});
