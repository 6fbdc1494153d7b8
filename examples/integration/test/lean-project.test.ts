import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { copyFixture } from './harness/entries.js';
import { describeRun, run } from './harness/processes.js';
import { diskUsageKiB, formatKiB, packageSizesKiB, report } from './harness/project.js';

/**
 * The project of an app that serves the API from Postgres and nothing else: `@aivah/credits-node`
 * (which brings `@aivah/credits`) and `pg`. No Stripe, no PGlite, no vitest.
 */
const { lean } = inject('projects');
const dir = join(lean, 'checks');

beforeAll(() => {
  copyFixture('lean', dir);
});

describe('a Postgres-only app: @aivah/credits-node + pg', () => {
  it('installs no Stripe, PGlite or vitest (install footprint printed)', async () => {
    const total = await diskUsageKiB(join(lean, 'node_modules'));
    const largest = (await packageSizesKiB(join(lean, 'node_modules'))).slice(0, 6);
    report('footprint', `node_modules of @aivah/credits-node + /postgres + pg: ${formatKiB(total)} (du -sk ${total})`);
    report('footprint', `largest: ${largest.map((p) => `${p.name} ${formatKiB(p.kib)}`).join(', ')}`);
    const unwanted = ['stripe', '@electric-sql/pglite', 'vitest'].filter((name) => existsSync(join(lean, 'node_modules', name)));
    expect(unwanted, 'optional peers that npm installed anyway').toEqual([]);
  });

  it('loads the main entry without importing any driver or test runner', async () => {
    const result = await run(process.execPath, ['--import', './forbid-drivers.mjs', 'load-main.mjs'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.code, describeRun('node load-main.mjs', result)).toBe(0);
    const builtins = result.stdout.split('\n').filter((l) => l.startsWith('builtin ')).map((l) => l.slice(8));
    report('footprint', `Node built-ins the main entry imports: ${builtins.length > 0 ? builtins.join(', ') : 'none'}`);
  });

  it('runs /postgres and /emulator, and /stripe and /pglite name the package to install', async () => {
    const result = await run(process.execPath, ['drivers.mjs'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.code, describeRun('node drivers.mjs', result)).toBe(0);
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { problems: string[]; messages: Record<string, string> };
    expect(seen.problems).toEqual([]);
    report('footprint', `without the driver: ${Object.entries(seen.messages).map(([k, v]) => `${k}: "${v}"`).join('; ')}`);
  });
});
