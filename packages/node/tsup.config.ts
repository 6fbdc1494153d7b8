import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per concern; each driver stays behind its own entry (and is an optional peer).
  entry: ['src/index.ts', 'src/postgres.ts', 'src/pglite.ts', 'src/stripe.ts', 'src/emulator.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // The maps point at the TypeScript in `src/`, which the package ships: copying it into every
  // map as well doubled the install size.
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
  target: 'node20',
  external: ['vitest', 'msw', 'pg', '@electric-sql/pglite', 'stripe'],
  treeshake: true,
});
