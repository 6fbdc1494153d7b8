/**
 * The Postgres the Express and Next.js scenarios use: `TEST_DATABASE_URL`, else the default local
 * one. When none answers those scenarios are skipped, and the reason is printed, never silently.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the scenarios look for Postgres when `TEST_DATABASE_URL` is unset. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export type PostgresProbe = { url: string; available: true } | { url: string; available: false; reason: string };

/** Connects once and runs `select 1`, giving up after a few seconds. */
export async function probePostgres(url = process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL): Promise<PostgresProbe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { url, available: true };
  } catch (error) {
    return { url, available: false, reason: error instanceof Error ? `${error.message || error.name}` : String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URL without its password, for printing. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return '(unparseable URL)';
  }
}

/** A schema name no other run uses; the ledger creates it when it migrates. */
export function randomSchemaName(scenario: string): string {
  return `it_${scenario}_${randomBytes(5).toString('hex')}`;
}

/** Drops what a scenario's ledger created. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema.replace(/"/g, '""')}" cascade`);
  } finally {
    await client.end();
  }
}
