-- Migration 13: HOT-friendly expiry warning index.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.
--
-- Migration 11 indexed the grants that expire soon with `WHERE remaining > 0`. A partial index's
-- predicate counts as an indexed column, so every consume (which lowers `remaining`) stopped
-- being a heap-only update and wrote a new entry into each of the grants' indexes, the very
-- cost migration 4 had removed. The warning scheduler needs the grants by expiry instant; it
-- checks the credits left on the rows it reads.

DROP INDEX :"schema".grants_expiring_idx;
CREATE INDEX grants_expiry_idx ON :"schema".grants (expires_at) WHERE expires_at IS NOT NULL;
