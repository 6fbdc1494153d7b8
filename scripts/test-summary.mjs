#!/usr/bin/env node
// Adds up the vitest JSON reports every suite wrote and prints one closing line:
// "Tests: N passed, N failed, N skipped". Exits non-zero when anything failed or nothing ran.
import { readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const clean = process.argv.includes('--clean');
let passed = 0, failed = 0, skipped = 0;
const rows = [];
for (const group of ['packages', 'examples', 'docs']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  const names = group === 'docs' ? ['.'] : readdirSync(dir);
  for (const name of names) {
    const reports = join(dir, name, '.test-results');
    if (!existsSync(reports)) continue;
    if (clean) { rmSync(reports, { recursive: true, force: true }); continue; }
    for (const file of readdirSync(reports).filter((f) => f.endsWith('.json'))) {
      const r = JSON.parse(readFileSync(join(reports, file), 'utf8'));
      const p = r.numPassedTests ?? 0, f = r.numFailedTests ?? 0;
      const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
      passed += p; failed += f; skipped += s;
      rows.push(`${join(group, name === '.' ? '' : name, file).padEnd(48)} ${String(p).padStart(5)} passed ${String(f).padStart(3)} failed ${String(s).padStart(3)} skipped`);
    }
  }
}
if (clean) process.exit(0);
console.log(rows.join('\n'));
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
