import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Type-checking every snippet with tsc and building the site take a while.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
