-- Usage: consumed credits rolled up per account, UTC day and feature (written by append_entry),
-- for the usage summary and for percent-mode alerts.

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
