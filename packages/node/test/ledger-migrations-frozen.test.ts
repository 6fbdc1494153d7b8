import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checksumOf, readChecksumList, readLedgerSql, renderLedgerSqlModule } from '../scripts/generate-sql.js';
import { MIGRATIONS } from '../src/ledger/sql/migrations.js';
import { MIGRATIONS as LEGACY } from './fixtures/legacy-migrations/migrations.js';
import { legacyFileName, legacyHeader, renderLegacyMigration } from './fixtures/legacy-migrations/render.js';

const migrationsDir = new URL('../src/ledger/sql/migrations/', import.meta.url);

describe('frozen migrations', () => {
  it('every released migration still has the checksum it was released with', () => {
    const listed = readChecksumList();
    expect(listed.size).toBeGreaterThan(0);
    for (const [file, checksum] of listed) {
      const text = readFileSync(new URL(file, migrationsDir), 'utf8');
      expect(checksumOf(text), `${file} changed after it was released: add a new migration instead`).toBe(checksum);
    }
  });

  it('every migration file is released in checksums.txt (run `pnpm generate` to list a new one)', () => {
    const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql'));
    expect([...readChecksumList().keys()].sort()).toEqual(files.sort());
  });

  it('migrations are numbered 1, 2, 3, … without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('migrations 1-8 are exactly the SQL the released TypeScript migrations rendered', () => {
    const onDisk = readLedgerSql().migrations;
    for (const legacy of LEGACY) {
      const file = onDisk[legacy.version - 1]!;
      expect(file.file).toBe(legacyFileName(legacy));
      expect(file.sql).toBe(legacyHeader(legacy) + renderLegacyMigration(legacy));
    }
  });

  it('src/generated/ledger-sql.ts matches the .sql files (run `pnpm generate` when this fails)', () => {
    const committed = readFileSync(new URL('../src/generated/ledger-sql.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderLedgerSqlModule(readLedgerSql()));
  });
});
