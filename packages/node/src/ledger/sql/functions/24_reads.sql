-- Reads.

-- The balance, after applying any expiry that is due: a read that may write (expiry entries and
-- events), named as such. When nothing is due (the usual case) it only reads the account row.
-- NULL for an unknown account. `changed` tells the adapter to tell its own listeners.
CREATE FUNCTION :"schema".aivah_sweep_then_read_balance(account text, as_of timestamptz, instance_id text)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  before record;
BEGIN
  SELECT next_expiry_at
  INTO before
  FROM :"schema".accounts
  WHERE id = account;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF before.next_expiry_at <= as_of THEN
    -- Lock, then look again: another caller may have swept in between.
    SELECT available, version, next_expiry_at
    INTO before
    FROM :"schema".accounts
    WHERE id = account
    FOR UPDATE;
    IF before.next_expiry_at <= as_of THEN
      PERFORM :"schema".sweep_expired(account, as_of);
      PERFORM :"schema".after_balance_change(account, before.available, before.version, as_of, instance_id);
      RETURN :"schema".balance_json(account, as_of) || jsonb_build_object(
        'changed', (SELECT version FROM :"schema".accounts WHERE id = account) <> before.version
      );
    END IF;
  END IF;
  RETURN :"schema".balance_json(account, as_of);
END
$$;
