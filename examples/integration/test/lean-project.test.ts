import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { copyFixture } from './harness/entries.js';
import { describeRun, run } from './harness/processes.js';
import { diskUsageKiB, formatKiB, packageSizesKiB, report } from './harness/project.js';

/**
 * The project of an app that serves the API from Postgres and nothing else: `@aivah/credits-node`
 * (which brings `@aivah/credits`) and `pg`. No Stripe, no PGlite, no vitest. And the bare project,
 * `@aivah/credits-node` without any driver.
 */
const { lean, bare } = inject('projects');
const dir = join(lean, 'checks');
const bareDir = join(bare, 'checks');

beforeAll(() => {
  copyFixture('lean', dir);
  copyFixture('lean', bareDir);
});

type DriverReport = { problems: string[]; messages: Record<string, string>; installed?: string[] };

async function driverReport(cwd: string, script: string): Promise<DriverReport> {
  const result = await run(process.execPath, [script], { cwd, timeoutMs: 60_000 });
  expect(result.code, describeRun(`node ${script}`, result)).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as DriverReport;
}

const MESSAGES = {
  postgres: '@aivah/credits-node/postgres needs the "pg" package: npm install pg',
  pglite: '@aivah/credits-node/pglite needs the "@electric-sql/pglite" package: npm install @electric-sql/pglite',
  stripe: '@aivah/credits-node/stripe needs the "stripe" package: npm install stripe',
};

describe('a Postgres-only app: @aivah/credits-node + pg', () => {
  it('installs no Stripe, PGlite or vitest (install footprint printed)', async () => {
    const total = await diskUsageKiB(join(lean, 'node_modules'));
    const largest = (await packageSizesKiB(join(lean, 'node_modules'))).slice(0, 6);
    report('footprint', `node_modules of @aivah/credits-node + /postgres + pg: ${formatKiB(total)} (du -sk ${total})`);
    report('footprint', `largest: ${largest.map((p) => `${p.name} ${formatKiB(p.kib)}`).join(', ')}`);
    const unwanted = ['stripe', '@electric-sql/pglite', 'vitest', 'ajv'].filter((name) => existsSync(join(lean, 'node_modules', name)));
    expect(unwanted, 'optional peers (or build-time tools) that npm installed anyway').toEqual([]);
  });

  it('loads the main entry without importing any driver or test runner', async () => {
    const result = await run(process.execPath, ['--import', './forbid-drivers.mjs', 'load-main.mjs'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.code, describeRun('node load-main.mjs', result)).toBe(0);
    const builtins = result.stdout.split('\n').filter((l) => l.startsWith('builtin ')).map((l) => l.slice(8));
    report('footprint', `Node built-ins the main entry imports: ${builtins.length > 0 ? builtins.join(', ') : 'none'}`);
  });

  it('loads every driver entry; /stripe and /pglite, used without their drivers, say what to install', async () => {
    const seen = await driverReport(dir, 'drivers.mjs');
    expect(seen.problems).toEqual([]);
    expect(seen.installed).toEqual(['pg']);
    expect(seen.messages).toEqual({ pglite: MESSAGES.pglite, stripe: MESSAGES.stripe });
  });
});

describe('@aivah/credits-node without any driver', () => {
  it('imports /postgres, /pglite and /stripe, and the first use of each names the one package to install (ESM)', async () => {
    const seen = await driverReport(bareDir, 'drivers.mjs');
    expect(seen.problems).toEqual([]);
    expect(seen.installed).toEqual([]);
    expect(seen.messages).toEqual(MESSAGES);
    report('footprint', `without the driver: ${Object.values(seen.messages).map((m) => `"${m}"`).join('; ')}`);
  });

  it('does the same from CommonJS (require)', async () => {
    const seen = await driverReport(bareDir, 'drivers.cjs');
    expect(seen.problems).toEqual([]);
    expect(seen.messages).toEqual(MESSAGES);
  });

  it('installs only our two packages and what @aivah/credits needs (footprint printed)', async () => {
    const total = await diskUsageKiB(join(bare, 'node_modules'));
    const packages = (await packageSizesKiB(join(bare, 'node_modules'))).map((p) => p.name).sort();
    report('footprint', `node_modules of @aivah/credits-node alone: ${formatKiB(total)}: ${packages.join(', ')}`);
    expect(packages).not.toContain('ajv');
    expect(packages).not.toContain('pg');
  });
});
