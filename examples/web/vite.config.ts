import { defaultClientConditions, defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `pnpm dev` here serves the app with hot reload and forwards the API and the demo endpoints to the
// example server (start it with `pnpm --filter @aivah/example-server dev`). In production the
// example server serves the built `dist/` itself, on the same port as the API.
const target = process.env.API_URL ?? 'http://localhost:8787';

export default defineConfig({
  plugins: [react()],
  // `source`: the workspace packages are used from their TypeScript sources (no build needed first).
  resolve: { conditions: ['source', ...defaultClientConditions] },
  server: {
    proxy: {
      '/v1': { target, changeOrigin: false },
      '/demo': { target, changeOrigin: false },
      '/emulator': { target, changeOrigin: false },
    },
  },
  build: { sourcemap: true },
});
