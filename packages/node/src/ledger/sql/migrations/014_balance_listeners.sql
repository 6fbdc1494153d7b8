-- Migration 14: balance listeners.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.
--
-- The server instances that listen for balance changes (they have live balance streams open),
-- each with a lease it renews while it listens. A write sends its NOTIFY only when another
-- instance listens: NOTIFY takes a database-wide lock from before commit until after it, so every
-- notifying transaction commits alone, one WAL flush after another, even on unrelated accounts.

CREATE TABLE :"schema".balance_listeners (
  instance_id text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

-- Instances of the previous release listen without a lease. While a rolling upgrade runs they may
-- still be serving streams, so an existing ledger starts with a lease that stands for them: for
-- the first hour after this migration every write notifies, as it did before.
INSERT INTO :"schema".balance_listeners (instance_id, expires_at)
SELECT 'previous-release', statement_timestamp() + interval '1 hour'
WHERE EXISTS (SELECT 1 FROM :"schema".accounts);
