import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    // Only a guard against hangs: a loaded shared CI machine can make a normal test take seconds.
    testTimeout: 30_000,
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The type tests (`*.test-d.ts`): tsc checks them on every `pnpm test`, and an unmet
    // `@ts-expect-error` (a wrong body that compiles after all) fails the run like a failed assertion.
    typecheck: {
      enabled: true,
      include: ['src/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
