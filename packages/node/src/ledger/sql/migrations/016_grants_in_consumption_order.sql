-- Migration 16: grants indexed in consumption order.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.
--
-- The open grants of an account are read in consumption order (expiry, then priority, then age:
-- `open_grants`) by every spend and every balance. Indexed by (account, expiry) only, each read
-- sorted them; with priority and seq in the index the first grant comes straight from it, and a
-- consume's LIMIT 1 stops there. None of these columns changes after a grant is made, so grant
-- updates stay heap-only.

DROP INDEX :"schema".grants_account_idx;
CREATE INDEX grants_account_idx ON :"schema".grants (account_id, expires_at, priority, seq);
