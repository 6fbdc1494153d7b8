import { defineConfig } from 'vitest/config';

// One browser and one example server for the whole flow, so everything runs serially.
export default defineConfig({
  // The workspace packages from their sources, like the server and the web bundle under test.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
