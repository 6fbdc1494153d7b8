import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per concern; each driver stays behind its own entry (and is an optional peer).
  entry: ['src/index.ts', 'src/postgres.ts', 'src/pglite.ts', 'src/stripe.ts', 'src/emulator.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: ['vitest', 'msw', 'pg', '@electric-sql/pglite', 'stripe'],
  treeshake: true,
});
