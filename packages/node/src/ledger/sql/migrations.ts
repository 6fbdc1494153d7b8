/**
 * Schema migrations of the SQL ledger (PGlite and Postgres), in the Flyway pattern:
 * - **versioned** migrations (`migrations/NNN_name.sql`) run once each, in order, and are frozen
 *   once released: `checksums.txt` lists their SHA-256, a test fails when a listed file changes,
 *   and `applyMigrations` refuses a database that recorded another checksum for a version;
 * - **repeatable** function files (`functions/*.sql`) hold the plpgsql write path and are applied
 *   after the migrations whenever any of their checksums differs from the recorded ones.
 * Everything runs in one transaction under `pg_advisory_xact_lock`, so several instances starting
 * together apply each change exactly once, and a failure leaves the schema as it was.
 * @module
 */
import { DROP_FUNCTIONS_SQL, FUNCTION_FILES, MIGRATION_FILES, MIGRATION_HISTORY_SQL } from '../../generated/ledger-sql.js';
import type { SqlExecutor } from './executor.js';
import type { SqlFile } from './sql-file.js';

/** One versioned schema migration. */
export interface Migration {
  /** Applied in increasing order; recorded in `<schema>.schema_migrations`. */
  version: number;
  /** What it does, for people (from the file name). */
  name: string;
  /** The file, e.g. `003_flattened_consume_hot_path.sql`. */
  file: string;
  /** SHA-256 of the file, recorded with the version when applied. */
  checksum: string;
  /** The SQL, with `:"schema"` (identifier) and `:'schema'` (literal) where the schema name goes. */
  sql: string;
}

function toMigration(f: SqlFile): Migration {
  const match = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(f.file);
  if (!match) throw new Error(`Migration file names are NNN_words.sql: ${f.file}`);
  return { version: Number(match[1]), name: match[2]!.replaceAll('_', ' '), file: f.file, checksum: f.checksum, sql: f.sql };
}

/** All versioned migrations, in order. A released one never changes; append a new version. */
export const MIGRATIONS: readonly Migration[] = MIGRATION_FILES.map(toMigration);

/** Validates and quotes a schema name (lower-case letters, digits and `_`). */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  return `"${schema}"`;
}

/** Puts the schema name into a `.sql` file's text. */
export function renderSql(sql: string, schema: string): string {
  return sql.replaceAll(':"schema"', quoteSchema(schema)).replaceAll(":'schema'", `'${schema}'`);
}

/**
 * Applies the missing migrations to `schema`, then the function files when they changed, in one
 * transaction serialised across processes by a transaction-scoped advisory lock. A no-op when
 * the schema is current. Throws, changing nothing, when the database recorded a different
 * checksum for a released migration, or a version this package does not know (a newer release
 * migrated it).
 */
export async function applyMigrations(db: SqlExecutor, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`aivah_credits_migrate:${schema}`]);
    await tx.exec(renderSql(MIGRATION_HISTORY_SQL, schema));
    const { rows } = await tx.query<{ version: number; checksum: string | null }>(`SELECT version, checksum FROM ${s}.schema_migrations`);
    const recorded = new Map(rows.map((r) => [Number(r.version), r.checksum]));
    const known = new Set(MIGRATIONS.map((m) => m.version));
    const unknown = [...recorded.keys()].filter((v) => !known.has(v));
    if (unknown.length) {
      throw new Error(`Schema ${schema} has migration ${Math.max(...unknown)}, which this version of @aivah/credits-node does not know: a newer release migrated it.`);
    }
    for (const m of MIGRATIONS) {
      if (!recorded.has(m.version)) {
        await tx.exec(renderSql(m.sql, schema));
        await tx.query(`INSERT INTO ${s}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`, [m.version, m.name, m.checksum]);
        continue;
      }
      const checksum = recorded.get(m.version);
      if (checksum === null) {
        // Applied by a release from before checksums were recorded, which ran this same text.
        await tx.query(`UPDATE ${s}.schema_migrations SET checksum = $2 WHERE version = $1`, [m.version, m.checksum]);
      } else if (checksum !== m.checksum) {
        throw new Error(`Migration ${m.file} of schema ${schema} was applied with different SQL (checksum ${checksum}, this package has ${m.checksum}). A released migration must never change: add a new one.`);
      }
    }
    const functions = await tx.query<{ file: string; checksum: string }>(`SELECT file, checksum FROM ${s}.schema_functions`);
    const applied = new Map(functions.rows.map((r) => [r.file, r.checksum]));
    const current = applied.size === FUNCTION_FILES.length && FUNCTION_FILES.every((f) => applied.get(f.file) === f.checksum);
    if (current) return;
    await tx.exec(renderSql(DROP_FUNCTIONS_SQL, schema));
    for (const f of FUNCTION_FILES) await tx.exec(renderSql(f.sql, schema));
    await tx.query(`DELETE FROM ${s}.schema_functions`);
    for (const f of FUNCTION_FILES) {
      await tx.query(`INSERT INTO ${s}.schema_functions (file, checksum) VALUES ($1, $2)`, [f.file, f.checksum]);
    }
  });
}
