-- Usage: consumed credits rolled up per account, UTC day and feature, for the usage summary and
-- for percent-mode alerts.

CREATE FUNCTION :"schema".record_usage(account text, feature_name text, credits bigint, as_of timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  -- The day's row usually exists: a plain UPDATE is cheaper than a speculative insertion.
  UPDATE :"schema".usage_daily
  SET total = total + credits
  WHERE account_id = account
    AND day = :"schema".utc_day(as_of)
    AND feature = feature_name;
  IF NOT FOUND THEN
    INSERT INTO :"schema".usage_daily AS existing (account_id, day, feature, total)
    VALUES (account, :"schema".utc_day(as_of), feature_name, credits)
    ON CONFLICT (account_id, day, feature) DO UPDATE
    SET total = existing.total + excluded.total;
  END IF;
END
$$;

-- Credits consumed in the trailing 30 UTC days, today included (USAGE_WINDOW_DAYS in domain.ts).
CREATE FUNCTION :"schema".usage_last_30_days(account text, as_of timestamptz)
RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  consumed bigint;
BEGIN
  SELECT coalesce(sum(total), 0)::bigint
  INTO consumed
  FROM :"schema".usage_daily
  WHERE account_id = account
    AND day BETWEEN :"schema".utc_day(as_of) - 29 AND :"schema".utc_day(as_of);
  RETURN consumed;
END
$$;
