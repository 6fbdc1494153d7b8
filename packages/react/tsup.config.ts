import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // esbuild already drops unused code; rollup's treeshake pass would strip the 'use client' banner.
  treeshake: false,
  // Every export is a hook or a provider: mark the whole entry as a client module for RSC frameworks.
  banner: { js: "'use client';" },
});
