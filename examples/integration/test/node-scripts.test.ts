import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { copyFixture, writeContract, type ScriptContract } from './harness/entries.js';
import { describeRun, run } from './harness/processes.js';
import { formatMs, report } from './harness/project.js';

const { shared } = inject('projects');
const dir = join(shared, 'node-scripts');
let contract: ScriptContract = { entries: [], esmOnly: [] };

beforeAll(() => {
  copyFixture('node-scripts', dir);
  contract = writeContract(dir, shared);
  report('node scripts', `entries: ${contract.entries.join(', ')}`);
  if (contract.esmOnly.length > 0) report('node scripts', `ES-module only by their exports maps (not required by the CJS script): ${contract.esmOnly.join(', ')}`);
});

describe.each([
  ['an ES module', 'esm', 'smoke.mjs'],
  ['a CommonJS', 'cjs', 'smoke.cjs'],
])('%s script', (_what, format, script) => {
  it('loads every entry of the three packages and drives a server built from them with the SDK: grant, consume, 402, balance', async () => {
    const result = await run(process.execPath, [script], { cwd: dir, timeoutMs: 60_000 });
    expect(result.code, describeRun(`node ${script}`, result)).toBe(0);
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    const loaded = format === 'cjs' ? contract.entries.length - contract.esmOnly.length : contract.entries.length;
    expect(seen).toEqual({
      format,
      entries: loaded,
      afterConsume: 70,
      refused: { status: 402, code: 'INSUFFICIENT_CREDITS', available: 70, required: 1000 },
      balance: { available: 70, held: 0 },
    });
    report(`node scripts (${format})`, `${loaded} entries loaded, server round trip ok in ${formatMs(result.ms)}`);
  });
});
