import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The workspace packages from their sources, as `pnpm dev` runs them.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Hang guards only: Postgres migrations and seeding run well inside them even on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
