import { defineConfig } from 'tsup';

export default defineConfig({
  // `raw` is its own entry so that openapi-fetch stays out of apps that use only the readable methods.
  entry: { index: 'src/index.ts', raw: 'src/raw.ts' },
  format: ['esm', 'cjs'],
  // One shared chunk for the transport and the errors in both formats: a raw call's
  // `InsufficientCreditsError` is then the same class as the one `@aivah/credits` exports.
  splitting: true,
  dts: true,
  sourcemap: true,
  // The maps point at the TypeScript in `src/`, which the package ships; no copy inside each map.
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
  target: 'es2022',
  treeshake: true,
});
