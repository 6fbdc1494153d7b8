-- Auto top-up, stated once for SQL (`auto-top-up.ts` states the same rules for the reference
-- model).
--
-- The trigger is the downward crossing of the threshold, evaluated by `after_balance_change` in
-- the transaction of the write that crossed it: a `top_ups` row in status `pending` is the
-- worker's outbox. The settings row is locked first, so that crossings of one account from any
-- number of instances are serialised: one top-up in flight per account, and the monthly cap
-- counted under the lock holds whatever the concurrency.

-- One top-up as the adapter returns it.
CREATE FUNCTION :"schema".top_up_json(top_up :"schema".top_ups)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object(
    'id', top_up.id,
    'accountId', top_up.account_id,
    'crossingSeq', top_up.crossing_seq,
    'packageId', top_up.package_id,
    'credits', top_up.credits,
    'amount', top_up.amount,
    'currency', top_up.currency,
    'status', top_up.status,
    'attempts', top_up.attempts,
    'nextAttemptAt', :"schema".epoch_ms(top_up.next_attempt_at),
    'paymentIntentId', top_up.payment_intent_id,
    'actionUrl', top_up.action_url,
    'lastError', top_up.last_error,
    'createdAt', :"schema".epoch_ms(top_up.created_at),
    'updatedAt', :"schema".epoch_ms(top_up.updated_at)
  )
$$;

-- The first instant of the UTC calendar month of `as_of`: the monthly cap counts from there.
CREATE FUNCTION :"schema".month_start(as_of timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE
AS $$
  SELECT date_trunc('month', as_of AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
$$;

-- Top-ups that count against the monthly cap: charged, or still able to charge.
CREATE FUNCTION :"schema".top_ups_this_month(account text, as_of timestamptz)
RETURNS TABLE (top_up_count bigint, top_up_amount bigint)
LANGUAGE sql STABLE
AS $$
  SELECT count(*), coalesce(sum(amount), 0)::bigint
  FROM :"schema".top_ups
  WHERE account_id = account
    AND created_at >= :"schema".month_start(as_of)
    AND status IN ('pending', 'action_required', 'succeeded')
$$;

-- The threshold of the auto top-up in credits, with a fresh usage window when the cached one is
-- stale (the alert rule refreshes it only for percent-mode alerts).
CREATE FUNCTION :"schema".auto_top_up_threshold(account text, settings :"schema".auto_top_up_settings, as_of timestamptz)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  usage_in_window bigint;
  summed_at timestamptz;
BEGIN
  IF settings.mode = 'absolute' THEN
    RETURN coalesce(settings.threshold, 0);
  END IF;
  SELECT usage_window, threshold_at INTO usage_in_window, summed_at FROM :"schema".accounts WHERE id = account;
  IF :"schema".usage_window_is_stale(summed_at, as_of) THEN
    usage_in_window := :"schema".refresh_usage_window(account, as_of);
  END IF;
  RETURN :"schema".alert_threshold(settings.mode, settings.threshold, settings.percent, usage_in_window);
END
$$;

-- The trigger. Called by after_balance_change when available moved on an account with auto
-- top-up (and by the settings update, with `settings_changed`):
-- - armed, and available now below the threshold after a decrease (or new settings): disarm, and
--   start a top-up unless one is in flight, the account needs action or is paused, or the
--   monthly cap (count and/or amount) would be exceeded;
-- - available at or above the threshold: re-arm.
CREATE FUNCTION :"schema".evaluate_auto_top_up(
  account text,
  available_now bigint,
  available_before bigint,
  crossing_seq bigint,
  as_of timestamptz,
  settings_changed boolean DEFAULT false
)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  settings :"schema".auto_top_up_settings;
  threshold bigint;
  used record;
BEGIN
  SELECT *
  INTO settings
  FROM :"schema".auto_top_up_settings
  WHERE account_id = account
  FOR UPDATE;
  IF NOT FOUND OR NOT settings.enabled THEN
    RETURN;
  END IF;
  threshold := :"schema".auto_top_up_threshold(account, settings, as_of);
  IF available_now >= threshold THEN
    IF NOT settings.armed THEN
      UPDATE :"schema".auto_top_up_settings SET armed = true WHERE account_id = account;
    END IF;
    RETURN;
  END IF;
  IF NOT settings.armed OR NOT (available_now < available_before OR settings_changed) THEN
    RETURN;
  END IF;
  UPDATE :"schema".auto_top_up_settings SET armed = false WHERE account_id = account;
  IF settings.state <> 'ok' OR EXISTS (
    SELECT 1
    FROM :"schema".top_ups
    WHERE account_id = account
      AND status IN ('pending', 'action_required')
  ) THEN
    RETURN;
  END IF;
  SELECT * INTO used FROM :"schema".top_ups_this_month(account, as_of);
  IF (settings.monthly_count_cap IS NOT NULL AND used.top_up_count + 1 > settings.monthly_count_cap)
     OR (settings.monthly_amount_cap IS NOT NULL AND used.top_up_amount + settings.amount > settings.monthly_amount_cap) THEN
    RETURN;
  END IF;
  INSERT INTO :"schema".top_ups (
    id, account_id, crossing_seq, package_id, credits, amount, currency, status, next_attempt_at, created_at, updated_at
  )
  VALUES (
    gen_random_uuid(), account, crossing_seq, settings.package_id, settings.credits, settings.amount, settings.currency,
    'pending', as_of, as_of, as_of
  );
END
$$;

-- The settings as `getAutoTopUp` returns them (NULL when never set), with this month's use and
-- the latest top-up.
CREATE FUNCTION :"schema".aivah_read_auto_top_up(account text, as_of timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  settings :"schema".auto_top_up_settings;
  used record;
  usage_in_window bigint;
  summed_at timestamptz;
BEGIN
  SELECT * INTO settings FROM :"schema".auto_top_up_settings WHERE account_id = account;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT usage_window, threshold_at INTO usage_in_window, summed_at FROM :"schema".accounts WHERE id = account;
  IF :"schema".usage_window_is_stale(summed_at, as_of) THEN
    usage_in_window := :"schema".usage_last_30_days(account, as_of);
  END IF;
  SELECT * INTO used FROM :"schema".top_ups_this_month(account, as_of);
  RETURN jsonb_build_object(
    'accountId', account,
    'enabled', settings.enabled,
    'mode', settings.mode,
    'threshold', settings.threshold,
    'percent', settings.percent,
    'effectiveThreshold', :"schema".alert_threshold(settings.mode, settings.threshold, settings.percent, usage_in_window),
    'packageId', settings.package_id,
    'monthlyCountCap', settings.monthly_count_cap,
    'monthlyAmountCap', settings.monthly_amount_cap,
    'state', settings.state,
    'armed', settings.armed,
    'usedThisMonth', jsonb_build_object('count', used.top_up_count, 'amount', used.top_up_amount, 'currency', settings.currency),
    'latest', (
      SELECT :"schema".top_up_json(latest)
      FROM :"schema".top_ups AS latest
      WHERE latest.account_id = account
      ORDER BY latest.created_at DESC, latest.crossing_seq DESC
      LIMIT 1
    ),
    'updatedAt', :"schema".epoch_ms(settings.updated_at)
  );
END
$$;

-- Stores the settings and applies the trigger against them at once (turning auto top-up on below
-- the threshold starts a top-up, as new alert settings fire `balance.low`).
CREATE FUNCTION :"schema".aivah_update_auto_top_up(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  current record;
BEGIN
  SELECT available, version
  INTO current
  FROM :"schema".accounts
  WHERE id = account
  FOR UPDATE;
  IF NOT FOUND THEN
    RETURN :"schema".ledger_error('ACCOUNT_NOT_FOUND');
  END IF;
  INSERT INTO :"schema".auto_top_up_settings AS stored (
    account_id, enabled, mode, threshold, percent, package_id, credits, amount, currency,
    monthly_count_cap, monthly_amount_cap, updated_at
  )
  VALUES (
    account,
    (request->>'enabled')::boolean,
    request->>'mode',
    (request->>'threshold')::bigint,
    (request->>'percent')::numeric,
    request->'package'->>'id',
    (request->'package'->>'credits')::bigint,
    (request->'package'->>'amount')::bigint,
    request->'package'->>'currency',
    (request->>'monthlyCountCap')::integer,
    (request->>'monthlyAmountCap')::bigint,
    as_of
  )
  ON CONFLICT (account_id) DO UPDATE
  SET enabled = excluded.enabled,
      mode = excluded.mode,
      threshold = excluded.threshold,
      percent = excluded.percent,
      package_id = excluded.package_id,
      credits = excluded.credits,
      amount = excluded.amount,
      currency = excluded.currency,
      monthly_count_cap = excluded.monthly_count_cap,
      monthly_amount_cap = excluded.monthly_amount_cap,
      -- Turning auto top-up on again is the way out of `paused`.
      state = CASE WHEN excluded.enabled AND NOT stored.enabled THEN 'ok' ELSE stored.state END,
      armed = CASE WHEN excluded.enabled AND NOT stored.enabled THEN true ELSE stored.armed END,
      updated_at = excluded.updated_at;
  UPDATE :"schema".accounts
  SET auto_top_up = (request->>'enabled')::boolean
  WHERE id = account;
  PERFORM :"schema".evaluate_auto_top_up(account, current.available, current.available, current.version, as_of, settings_changed => true);
  RETURN :"schema".aivah_read_auto_top_up(account, as_of);
END
$$;
