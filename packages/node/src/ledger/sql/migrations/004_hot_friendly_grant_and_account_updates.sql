-- Migration 4: HOT-friendly grant and account updates.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.

      DROP INDEX :"schema".grants_open_idx;
      CREATE INDEX grants_account_idx ON :"schema".grants (account_id, expires_at);
      ALTER TABLE :"schema".grants SET (fillfactor = 70);
      ALTER TABLE :"schema".accounts SET (fillfactor = 70);