/**
 * What the entries export is the public API; src/internal/ is not part of it. Follows every
 * `export … from` of every entry in the exports map (its `source` file) and fails when one leads
 * into src/internal/, so a private module cannot become public by accident.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports: Record<string, { source?: string } | string> };
const entries = Object.values(manifest.exports).flatMap((target) => (typeof target === 'object' && target.source ? [join(packageDir, target.source)] : []));

/** Each module `file` re-exports from (`export … from '…'`, `export * from '…'`, `export type … from '…'`). */
function reExports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^export\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+'(\.[^']+)'/gm)].map((m) => join(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
}

/** Every module reachable from `entry` through re-exports, with the chain that reaches it. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const next of reExports(file)) {
      if (seen.has(next)) continue;
      seen.set(next, [...seen.get(file)!, next]);
      queue.push(next);
    }
  }
  return seen;
}

describe('the public surface', () => {
  it('has a source file for every entry of the exports map', () => {
    expect(entries.map((e) => relative(packageDir, e)).sort()).toEqual(
      ['src/emulator.ts', 'src/index.ts', 'src/pglite.ts', 'src/postgres.ts', 'src/stripe.ts', 'src/testing.ts'],
    );
  });

  it('re-exports nothing from src/internal/ through any entry', () => {
    const leaks = entries.flatMap((entry) =>
      [...reachable(entry)].filter(([file]) => relative(packageDir, file).startsWith('src/internal/')).map(([, chain]) => chain.map((f) => relative(packageDir, f)).join(' → ')),
    );
    expect(leaks).toEqual([]);
  });

  it('follows the barrels (the check above sees what index.ts re-exports)', () => {
    const fromIndex = [...reachable(join(packageDir, 'src/index.ts')).keys()].map((f) => relative(packageDir, f));
    expect(fromIndex).toEqual(expect.arrayContaining(['src/http/index.ts', 'src/http/handler.ts', 'src/ledger/memory.ts', 'src/webhooks/signature.ts']));
  });
});
