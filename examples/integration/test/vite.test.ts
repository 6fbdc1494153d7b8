import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { copyFixture, javascriptEntries, stylesheetEntries } from './harness/entries.js';
import { describeRun, run } from './harness/processes.js';
import { formatMs, report } from './harness/project.js';

const { shared } = inject('projects');
const dir = join(shared, 'vite-app');
const UI_ENTRY = '@aivah/credits-react/ui';

beforeAll(() => {
  copyFixture('vite-app', dir);
});

/** gzip sizes of what `vite build` wrote, by kind. */
function builtSizes(): { js: number; css: number; files: number } {
  const assets = join(dir, 'dist', 'assets');
  let js = 0;
  let css = 0;
  const files = readdirSync(assets);
  for (const file of files) {
    const gz = gzipSync(readFileSync(join(assets, file))).length;
    if (file.endsWith('.js')) js += gz;
    else if (file.endsWith('.css')) css += gz;
  }
  return { js, css, files: files.length };
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** Points index.html at one of the app's entry modules. */
function useEntry(entry: 'main.tsx' | 'baseline.tsx'): void {
  const html = join(dir, 'index.html');
  writeFileSync(html, readFileSync(html, 'utf8').replace(/src="\/src\/[a-z]+\.tsx"/, `src="/src/${entry}"`));
}

async function viteBuild(label: string): Promise<{ js: number; css: number; ms: number }> {
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const vite = await run(process.execPath, [join(shared, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: dir, timeoutMs: 180_000 });
  expect(vite.code, describeRun(`vite build (${label})`, vite)).toBe(0);
  return { ...builtSizes(), ms: vite.ms };
}

/** `tsc --noEmit` over the app (skipLibCheck off), then `vite build`, as the Vite template's build script does. */
async function build(label: string): Promise<{ js: number; css: number }> {
  const tsc = await run(process.execPath, [join(shared, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, timeoutMs: 180_000 });
  expect(tsc.code, describeRun(`tsc over the Vite app (${label})`, tsc)).toBe(0);
  useEntry('main.tsx');
  const sizes = await viteBuild(label);
  report('Vite', `${label}: ${kB(sizes.js)} of JS gzipped${sizes.css > 0 ? ` + ${kB(sizes.css)} of CSS` : ''} (tsc ${formatMs(tsc.ms)}, vite build ${formatMs(sizes.ms)})`);
  return sizes;
}

describe('a Vite React app on the hooks', () => {
  let hooksOnly = 0;

  it('type-checks and builds with the hooks (gzipped JS size printed)', async () => {
    useEntry('baseline.tsx');
    const baseline = await viteBuild('React + TanStack Query only');
    report('Vite', `baseline without the credits packages (React, react-dom, TanStack Query): ${kB(baseline.js)} of JS gzipped`);
    writeFileSync(join(dir, 'src', 'extras.ts'), '// The hooks-only build.\nexport {};\n');
    hooksOnly = (await build('the app on the hooks (balance pill, Buy Credits, /payment, toast, ledger)')).js;
    report('Vite', `@aivah/credits + @aivah/credits-react add ${kB(hooksOnly - baseline.js)} of JS gzipped to the baseline`);
    expect(hooksOnly).toBeGreaterThan(baseline.js);
  });

  it('type-checks and builds with every component of @aivah/credits-react/ui when the package exports it', async (context) => {
    if (!javascriptEntries(shared, '@aivah/credits-react').includes(UI_ENTRY)) {
      const reason = `${UI_ENTRY} is not in the packed package's exports map (not built yet)`;
      report('Vite', `skipped the /ui build: ${reason}`);
      return context.skip(reason);
    }
    // Every component, kept in the bundle: the most /ui can add to an app.
    const styles = stylesheetEntries(shared, '@aivah/credits-react');
    writeFileSync(
      join(dir, 'src', 'extras.ts'),
      [
        '// The /ui build: every export of the entry kept, and its stylesheets.',
        `import * as ui from '${UI_ENTRY}';`,
        ...styles.map((s) => `import '${s}';`),
        'Object.assign(window, { aivahCreditsUi: ui });',
        '',
      ].join('\n'),
    );
    const withUi = await build(`the hooks app + all of ${UI_ENTRY}${styles.length > 0 ? ` and ${styles.join(', ')}` : ''}`);
    report('Vite', `${UI_ENTRY} adds ${kB(withUi.js - hooksOnly)} of JS gzipped`);
  });
});
