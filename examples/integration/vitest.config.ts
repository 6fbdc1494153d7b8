import { defineConfig } from 'vitest/config';

// The workspace packages are devDependencies only so that turbo builds them before `test`; the tests
// never import them. The global setup packs them and installs the tarballs with npm into a project
// outside the workspace, and every scenario runs there, in its own processes.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Next.js and Vite builds each want both cores: one scenario at a time.
    fileParallelism: false,
    maxWorkers: 1,
    // Hang guards only; on a loaded 2-core machine a Next.js build takes about a minute.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
