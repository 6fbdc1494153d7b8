-- The migration history of one ledger schema, brought up to date before any migration runs.
--
-- `schema_migrations` is the table earlier releases created. `checksum` was added when the
-- migrations moved into frozen .sql files: rows applied before carry NULL until the runner
-- records the checksum of the file they ran.
CREATE SCHEMA IF NOT EXISTS :"schema";

CREATE TABLE IF NOT EXISTS :"schema".schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE :"schema".schema_migrations
  ADD COLUMN IF NOT EXISTS checksum text;

-- The repeatable function files (Flyway's R__ scripts) applied last, with their checksums:
-- when any file differs, all of them are applied again.
CREATE TABLE IF NOT EXISTS :"schema".schema_functions (
  file text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
