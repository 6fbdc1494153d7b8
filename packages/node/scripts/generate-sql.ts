/**
 * Embeds the ledger's `.sql` files in src/generated/ledger-sql.ts, so the package runs from its
 * tarball (and from sources under vitest, tsx or `--conditions=source`) without reading files at
 * run time, and appends the checksum of each new migration to src/ledger/sql/migrations/checksums.txt
 * (`sha256sum -c` format). It never rewrites a line there: a released migration that changed fails
 * `test/ledger-migrations-frozen.test.ts` instead. That test also fails when the generated module no
 * longer matches the files.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sqlDir = new URL('../src/ledger/sql/', import.meta.url);

import type { SqlFile } from '../src/ledger/sql/sql-file.js';

/** The SHA-256 (hex) of a file's text, as `sha256sum` prints it. */
export function checksumOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function readDir(dir: string): SqlFile[] {
  return readdirSync(new URL(dir, sqlDir))
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const sql = readFileSync(new URL(`${dir}${file}`, sqlDir), 'utf8');
      return { file, sql, checksum: checksumOf(sql) };
    });
}

/** The ledger's SQL files as they are on disk. */
export function readLedgerSql(): { migrations: SqlFile[]; functions: SqlFile[]; history: string; dropFunctions: string } {
  return {
    migrations: readDir('migrations/'),
    functions: readDir('functions/'),
    history: readFileSync(new URL('migration-history.sql', sqlDir), 'utf8'),
    dropFunctions: readFileSync(new URL('drop-functions.sql', sqlDir), 'utf8'),
  };
}

/** The generated module's text. */
export function renderLedgerSqlModule(files: ReturnType<typeof readLedgerSql>): string {
  const list = (items: SqlFile[]) => `[\n${items.map((f) => `  { file: ${JSON.stringify(f.file)}, checksum: ${JSON.stringify(f.checksum)}, sql: ${JSON.stringify(f.sql)} },`).join('\n')}\n]`;
  return [
    '// Generated from src/ledger/sql/**/*.sql by `pnpm generate`. Do not edit.',
    '/* eslint-disable */',
    "import type { SqlFile } from '../ledger/sql/sql-file.js';",
    '',
    '/** The frozen, numbered migrations (migrations/*.sql), in order. */',
    `export const MIGRATION_FILES: readonly SqlFile[] = ${list(files.migrations)};`,
    '',
    '/** The repeatable function files (functions/*.sql), in the order they are applied. */',
    `export const FUNCTION_FILES: readonly SqlFile[] = ${list(files.functions)};`,
    '',
    '/** migration-history.sql */',
    `export const MIGRATION_HISTORY_SQL = ${JSON.stringify(files.history)};`,
    '',
    '/** drop-functions.sql */',
    `export const DROP_FUNCTIONS_SQL = ${JSON.stringify(files.dropFunctions)};`,
    '',
  ].join('\n');
}

/** The `checksums.txt` lines, by file name. */
export function readChecksumList(): Map<string, string> {
  const url = new URL('migrations/checksums.txt', sqlDir);
  const listed = new Map<string, string>();
  if (!existsSync(url)) return listed;
  for (const line of readFileSync(url, 'utf8').split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line.trim());
    if (match) listed.set(match[2]!, match[1]!);
  }
  return listed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = readLedgerSql();
  writeFileSync(new URL('../src/generated/ledger-sql.ts', import.meta.url), renderLedgerSqlModule(files));
  const listed = readChecksumList();
  const added = files.migrations.filter((m) => !listed.has(m.file));
  if (added.length) appendFileSync(new URL('migrations/checksums.txt', sqlDir), added.map((m) => `${m.checksum}  ${m.file}\n`).join(''));
  console.log(`wrote src/generated/ledger-sql.ts${added.length ? `; released ${added.map((m) => m.file).join(', ')} in checksums.txt` : ''}`);
}
