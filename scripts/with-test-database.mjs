#!/usr/bin/env node
// Runs a command with TEST_DATABASE_URL set whenever a Postgres answers, so the README's test command
// runs the Postgres suites on any machine that has one, and says plainly what it skips when none does.
//
//   node scripts/with-test-database.mjs <command> [args...]
//
// TEST_DATABASE_URL, when set, is used as is. Otherwise the default local server is tried
// (postgres://postgres@127.0.0.1:5432/test, the URL CI uses).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SKIPPED = 'the Postgres ledger, HTTP-on-Postgres, listen/notify, upgrade, fault and example-server Postgres suites';

async function answers(url) {
  // `pg` is a dependency of the workspace's server package; resolve it from there.
  const pg = createRequire(new URL('../packages/node/package.json', import.meta.url))('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

const env = { ...process.env };
if (env.TEST_DATABASE_URL) {
  console.log('test database: TEST_DATABASE_URL is set; the Postgres suites run against it');
} else {
  const failure = await answers(DEFAULT_URL);
  if (failure === null) {
    env.TEST_DATABASE_URL = DEFAULT_URL;
    console.log(`test database: Postgres answers on ${DEFAULT_URL}; the Postgres suites run against it`);
  } else {
    console.log(`test database: SKIPPING ${SKIPPED}: no Postgres answered on ${DEFAULT_URL} (${failure}). Set TEST_DATABASE_URL to run them.`);
  }
}

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: with-test-database.mjs <command> [args...]');
  process.exit(2);
}
const child = spawn(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
