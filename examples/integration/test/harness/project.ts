/**
 * The fresh projects the scenarios run in: the three packages packed with `pnpm pack` (as they would
 * be published) and installed with npm under the OS temp dir, far from the workspace and its links.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runOk } from './processes.js';

/** The repository root (this file is examples/integration/test/harness/project.ts). */
export const repoRoot = new URL('../../../../', import.meta.url).pathname;

/** The public packages, by npm name, and the folder each is packed from. */
export const PUBLIC_PACKAGES = {
  '@aivah/credits': 'packages/sdk',
  '@aivah/credits-react': 'packages/react',
  '@aivah/credits-node': 'packages/node',
} as const;
export type PublicPackage = keyof typeof PUBLIC_PACKAGES;

/**
 * The third-party packages the scenarios use, in the ranges an integrator would pick today. The
 * optional peers of `@aivah/credits-node` (stripe, PGlite, vitest) are here so that every entry can be
 * loaded; the lean project below has none of them.
 */
export const THIRD_PARTY = {
  dependencies: {
    '@electric-sql/pglite': '^0.5.0',
    '@tanstack/react-query': '^5.80.0',
    express: '^5.1.0',
    next: '~15.5.0',
    pg: '^8.16.0',
    react: '^19.1.0',
    'react-dom': '^19.1.0',
    stripe: '^23.0.0',
  },
  devDependencies: {
    '@edge-runtime/vm': '^5.0.0',
    '@types/express': '^5.0.0',
    '@types/node': '^20.19.0',
    '@types/pg': '^8.15.0',
    '@types/react': '^19.1.0',
    '@types/react-dom': '^19.1.0',
    '@vitejs/plugin-react': '^6.0.0',
    esbuild: '^0.27.0',
    typescript: '~5.9.3',
    vite: '^8.0.0',
    vitest: '~4.1.0',
  },
} as const;

/** Packs the three packages (their `dist` must be built: turbo's `^build` does it) into `dir`. */
export async function packPublicPackages(dir: string): Promise<Record<PublicPackage, string>> {
  mkdirSync(dir, { recursive: true });
  const tarballs = {} as Record<PublicPackage, string>;
  for (const [name, folder] of Object.entries(PUBLIC_PACKAGES) as Array<[PublicPackage, string]>) {
    const cwd = join(repoRoot, folder);
    if (!existsSync(join(cwd, 'dist'))) {
      throw new Error(`${folder}/dist is missing: build first (\`pnpm turbo run test --filter=@aivah/example-integration\` builds what it needs).`);
    }
    const before = new Set(readdirSync(dir));
    await runOk('pnpm', ['pack', '--pack-destination', dir], { cwd, timeoutMs: 60_000 });
    const created = readdirSync(dir).filter((f) => f.endsWith('.tgz') && !before.has(f));
    if (created.length !== 1) throw new Error(`pnpm pack in ${folder} produced ${created.length} tarballs: ${created.join(', ')}`);
    tarballs[name] = join(dir, created[0]!);
  }
  return tarballs;
}

export interface InstalledProject {
  dir: string;
  /** Wall time of `npm install`, ms. */
  installMs: number;
}

/**
 * Creates `dir` with its own package.json and installs it with npm. The tarballs are `file:`
 * dependencies and an override pins every `@aivah/credits` in the tree to the packed one (react and
 * node depend on it), so nothing of ours comes from a registry.
 */
export async function installProject(
  dir: string,
  tarballs: Partial<Record<PublicPackage, string>>,
  deps: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> },
): Promise<InstalledProject> {
  mkdirSync(dir, { recursive: true });
  const ours = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
  const pkg = {
    name: 'aivah-credits-third-party',
    version: '0.0.0',
    private: true,
    type: 'module',
    dependencies: { ...ours, ...deps.dependencies },
    devDependencies: { ...deps.devDependencies },
    overrides: tarballs['@aivah/credits'] ? { '@aivah/credits': '$@aivah/credits' } : {},
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  // npm's own cache, preferred over the registry: after the first run only our tarballs are new.
  const result = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, timeoutMs: 480_000 });
  if (result.code !== 0) throw new Error(`npm install in ${dir} failed (${result.code}):\n${result.stderr.slice(-4000)}`);
  return { dir, installMs: result.ms };
}

/** A fresh folder under the OS temp dir. */
export function makeTempRoot(): string {
  return mkdtempSync(join(tmpdir(), 'aivah-credits-integration-'));
}

/** `du -sk` of a folder, in KiB (what the disk holds, as the install-footprint target counts it). */
export async function diskUsageKiB(path: string): Promise<number> {
  const result = await runOk('du', ['-sk', path], { cwd: tmpdir() });
  return Number(result.stdout.split(/\s/)[0]);
}

/** `du -sk` of every package directly under `node_modules` (scoped ones as `@scope/name`), largest first. */
export async function packageSizesKiB(nodeModules: string): Promise<Array<{ name: string; kib: number }>> {
  const names: string[] = [];
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const scoped of readdirSync(join(nodeModules, entry))) names.push(`${entry}/${scoped}`);
    else names.push(entry);
  }
  const sizes = await Promise.all(names.map(async (name) => ({ name, kib: await diskUsageKiB(join(nodeModules, name)) })));
  return sizes.sort((a, b) => b.kib - a.kib);
}

export function formatMs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatKiB(kib: number): string {
  return kib >= 1024 ? `${(kib / 1024).toFixed(1)} MiB` : `${kib} KiB`;
}

/** One measured figure, printed so that CI logs carry it. */
export function report(scenario: string, line: string): void {
  console.log(`[integration] ${scenario}: ${line}`);
}
