import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', ui: 'src/ui/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // The maps point at the TypeScript in `src/`, which the package ships; no copy inside each map.
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
  target: 'es2022',
  // The components import the hooks by the package's own name, so `ui` and the main entry share one
  // provider context (a bundled copy would have its own and never see the app's CreditsProvider).
  external: ['@aivah/credits-react'],
  // esbuild already drops unused code; rollup's treeshake pass would strip the 'use client' banner.
  treeshake: false,
  // Every export is a hook, a provider or a component: mark both entries as client modules for RSC frameworks.
  banner: { js: "'use client';" },
  async onSuccess() {
    await copyFile('src/ui/ui.css', 'dist/ui.css');
  },
});
