import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Issue 13 asked that no file under `ledger/` exceed ~400 lines: a file that grows past it holds
 * more than one concern and gets split by concern (see `adapter-money.ts`, `memory-core.ts`,
 * `sql-ledger-money.ts`, `27_auto_top_up_worker.sql`). Tests are not counted.
 */
const MAX_LINES = 420;
const ledgerDir = new URL('../src/ledger/', import.meta.url);

describe('the ledger sources', () => {
  it(`keeps every source file under ledger/ at most ${MAX_LINES} lines`, () => {
    const files = readdirSync(ledgerDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|sql)$/.test(f) && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(20);
    const long = files
      .map((f) => ({ f, lines: readFileSync(new URL(f, ledgerDir), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });
});
