import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Only guards against hangs. Booting PGlite (Postgres in WebAssembly) and migrating schemas takes
    // seconds, and far longer on a shared 2-core CI machine while other packages build.
    hookTimeout: 60_000,
    testTimeout: 60_000,
  },
});
