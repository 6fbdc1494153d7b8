/**
 * The gate of the scenarios that need Postgres: without one they are skipped, and say so.
 */
import { inject, type TestContext } from 'vitest';
import { redactUrl } from './postgres.js';
import { report } from './project.js';

/** The database URL, or skips the calling test with the reason printed and shown by the reporter. */
export function requirePostgres(context: TestContext, scenario: string): string {
  const postgres = inject('postgres');
  if (postgres.available) return postgres.url;
  const reason = `Postgres does not answer at ${redactUrl(postgres.url)} (${postgres.reason}); set TEST_DATABASE_URL or start one`;
  report(scenario, `skipped: ${reason}`);
  return context.skip(reason);
}
