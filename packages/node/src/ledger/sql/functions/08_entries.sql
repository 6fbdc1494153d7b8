-- The one place that changes an account's balances: it appends the entry and moves the account
-- row by the given deltas in one statement, so `seq` is the account's version and
-- `balance_after` is its available + held right after, always.
CREATE FUNCTION :"schema".append_entry(
  account text,
  entry_type text,
  as_of timestamptz,
  entry_amount bigint DEFAULT 0,
  available_delta bigint DEFAULT 0,
  held_delta bigint DEFAULT 0,
  deficit_delta bigint DEFAULT 0,
  -- consumed credits, added to the cached trailing usage of percent-mode alerts
  usage_delta bigint DEFAULT 0,
  feature_name text DEFAULT NULL,
  entry_grant_id uuid DEFAULT NULL,
  entry_hold_id uuid DEFAULT NULL,
  grant_source text DEFAULT NULL,
  entry_description text DEFAULT NULL,
  entry_metadata jsonb DEFAULT NULL
)
RETURNS :"schema".entries
LANGUAGE plpgsql
AS $$
DECLARE
  appended :"schema".entries;
BEGIN
  WITH moved AS (
    UPDATE :"schema".accounts
    SET available = available + available_delta,
        held = held + held_delta,
        deficit = deficit + deficit_delta,
        usage_window = usage_window + usage_delta,
        version = version + 1,
        updated_at = as_of
    WHERE id = account
    RETURNING version, available + held AS balance
  )
  INSERT INTO :"schema".entries (
    account_id, seq, id, type, amount, balance_after,
    feature, grant_id, hold_id, source, description, metadata, created_at
  )
  SELECT
    account, moved.version, gen_random_uuid(), entry_type, entry_amount, moved.balance,
    feature_name, entry_grant_id, entry_hold_id, grant_source, entry_description, coalesce(entry_metadata, '{}'), as_of
  FROM moved
  RETURNING * INTO appended;
  RETURN appended;
END
$$;
