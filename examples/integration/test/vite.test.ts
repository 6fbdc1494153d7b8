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
/**
 * The whole kit over React + TanStack Query, gzipped JS: the issue's target, and the guard against
 * growth until it is met (the kit adds 14.8 kB; see the report of the test).
 */
const KIT_TARGET = 12_000;
const KIT_GUARD = 15_000;

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

/** The entries whose every export the whole-kit build keeps. */
const KIT_ENTRIES = ['@aivah/credits', '@aivah/credits-react', UI_ENTRY];

/** The runtime export names of each entry, as Node loads them from the installed packages. */
async function runtimeExports(specifiers: string[]): Promise<Record<string, string[]>> {
  const script = `const names = {}; for (const s of ${JSON.stringify(specifiers)}) names[s] = Object.keys(await import(s)).filter((n) => n !== 'default'); console.log(JSON.stringify(names));`;
  const listing = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
  expect(listing.code, describeRun('listing the exports of the kit', listing)).toBe(0);
  return JSON.parse(listing.stdout) as Record<string, string[]>;
}

/** kit-exports.ts that imports every given export by name and keeps them all, by value. */
function keepAll(exports: Record<string, string[]>): string {
  let i = 0;
  const imports: string[] = [];
  const kept: string[] = [];
  for (const [specifier, names] of Object.entries(exports)) {
    const aliases = names.map((name) => `${name} as e${i++}`);
    imports.push(`import { ${aliases.join(', ')} } from '${specifier}';`);
    kept.push(...aliases.map((a) => a.split(' as ')[1]!));
  }
  return ['// Written by the whole-kit build: every runtime export of the kit, kept by value.', ...imports, `export const kit: unknown[] = [${kept.join(', ')}];`, ''].join('\n');
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** Points index.html at one of the app's entry modules. */
function useEntry(entry: 'main.tsx' | 'baseline.tsx' | 'baseline-query-hooks.tsx' | 'kit.tsx'): void {
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
  let baselineJs = 0;
  let hooksOnly = 0;

  it('type-checks and builds with the hooks (gzipped JS size printed)', async () => {
    useEntry('baseline.tsx');
    const baseline = await viteBuild('React + TanStack Query only');
    baselineJs = baseline.js;
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

  it('keeps what the whole kit (every export of the SDK, the hooks and the components) adds over React + TanStack Query within 15 kB of gzipped JS, reported against the 12 kB target', async () => {
    // kit.tsx is the baseline's app inside CreditsProvider, keeping every runtime export of the three
    // entries (imported by name into kit-exports.ts) and none of an app's own code.
    const exports = await runtimeExports(KIT_ENTRIES);
    writeFileSync(join(dir, 'src', 'kit-exports.ts'), keepAll(exports));
    useEntry('kit.tsx');
    const kit = await viteBuild('the whole kit');
    const added = kit.js - baselineJs;
    const count = Object.values(exports).flat().length;
    const target = added <= KIT_TARGET ? `within the ${kB(KIT_TARGET)} target` : `${added - KIT_TARGET} B over the ${kB(KIT_TARGET)} target`;
    report('Vite', `whole kit (hooks + /ui + SDK, all ${count} exports) adds ${kB(added)} (${added} B) of JS gzipped over React + TanStack Query, ${target}${kit.css > 0 ? `; + ${kB(kit.css)} of CSS` : ''}`);
    // The same kit against a baseline that also uses the TanStack Query hooks the credits hooks build
    // on (useMutation, useInfiniteQuery): what the credits packages' own code adds.
    useEntry('baseline-query-hooks.tsx');
    const withQueryHooks = await viteBuild('React + all of TanStack Query the kit uses');
    const own = kit.js - withQueryHooks.js;
    report('Vite', `of which the credits packages' own code is ${kB(own)} (${own} B), and TanStack Query's useMutation and useInfiniteQuery ${added - own} B`);
    expect(baselineJs).toBeGreaterThan(0);
    expect(withQueryHooks.js).toBeGreaterThan(baselineJs);
    expect(added).toBeLessThanOrEqual(KIT_GUARD);
  });
});
