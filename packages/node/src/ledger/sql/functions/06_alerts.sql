-- Low-balance alerts, stated once for SQL (`alertThreshold`, `usageWindowIsStale` and
-- `evaluateAlerts` in domain.ts state the same rules for the reference model).

-- The threshold in credits under which `balance.low` fires: an absolute amount, or a percentage
-- of the trailing 30-day usage, rounded up.
CREATE FUNCTION :"schema".alert_threshold(mode text, absolute_threshold bigint, percent numeric, usage_in_window bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE
AS $$
  SELECT CASE
    WHEN mode = 'absolute' THEN coalesce(absolute_threshold, 0)
    ELSE ceil(percent * usage_in_window / 100)::bigint
  END
$$;

-- The account caches its trailing usage (`usage_window`, kept current by every consumption) and
-- re-sums the 30 days at most once an hour, so that days leaving the window drop out without a
-- sum over usage rows on every write.
CREATE FUNCTION :"schema".usage_window_is_stale(summed_at timestamptz, as_of timestamptz)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
  SELECT summed_at IS NULL OR as_of - summed_at >= interval '1 hour'
$$;

-- The threshold in force now. In percent mode, re-sums a stale usage window and stores it.
CREATE FUNCTION :"schema".current_alert_threshold(account text, as_of timestamptz)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  settings record;
  usage_in_window bigint;
BEGIN
  SELECT alert_mode, alert_threshold, alert_percent, usage_window, threshold_at
  INTO settings
  FROM :"schema".accounts
  WHERE id = account;
  usage_in_window := settings.usage_window;
  IF settings.alert_mode <> 'absolute' AND :"schema".usage_window_is_stale(settings.threshold_at, as_of) THEN
    usage_in_window := :"schema".usage_last_30_days(account, as_of);
    UPDATE :"schema".accounts
    SET usage_window = usage_in_window,
        threshold_at = as_of
    WHERE id = account;
  END IF;
  RETURN :"schema".alert_threshold(settings.alert_mode, settings.alert_threshold, settings.alert_percent, usage_in_window);
END
$$;

-- The alert rule. After `available` moved from `available_before` to `available_after`:
-- - `balance.depleted` when a decrease takes available from above 0 to exactly 0;
-- - `balance.low` when available ends below the threshold and the alert is armed (enabled and
--   not already low), on a decrease or when new settings moved the threshold;
-- - the alert re-arms whenever available is at or above the threshold.
-- Returns whether the account is low now.
CREATE FUNCTION :"schema".apply_alert_rule(
  account text,
  alerts_enabled boolean,
  was_low boolean,
  available_before bigint,
  available_after bigint,
  threshold bigint,
  settings_changed boolean,
  as_of timestamptz
)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
  is_low boolean := was_low;
BEGIN
  IF available_after < available_before AND available_before > 0 AND available_after = 0 THEN
    PERFORM :"schema".emit_balance_depleted(account, as_of);
  END IF;
  IF (available_after < available_before OR settings_changed)
     AND alerts_enabled
     AND NOT is_low
     AND available_after < threshold THEN
    is_low := true;
    PERFORM :"schema".emit_balance_low(account, available_after, threshold, as_of);
  END IF;
  IF is_low AND available_after >= threshold THEN
    is_low := false;
  END IF;
  RETURN is_low;
END
$$;

-- Every write ends here: when `available` moved, apply the alert rule and store the new state;
-- when anything changed, tell the other instances.
CREATE FUNCTION :"schema".after_balance_change(
  account text,
  available_before bigint,
  version_before bigint,
  as_of timestamptz,
  instance_id text
)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  changed record;
  is_low boolean;
BEGIN
  SELECT available, version, alert_enabled, alert_low
  INTO changed
  FROM :"schema".accounts
  WHERE id = account;
  IF changed.available <> available_before THEN
    is_low := :"schema".apply_alert_rule(
      account => account,
      alerts_enabled => changed.alert_enabled,
      was_low => changed.alert_low,
      available_before => available_before,
      available_after => changed.available,
      threshold => :"schema".current_alert_threshold(account, as_of),
      settings_changed => false,
      as_of => as_of
    );
    IF is_low <> changed.alert_low THEN
      UPDATE :"schema".accounts SET alert_low = is_low WHERE id = account;
    END IF;
  END IF;
  IF changed.version <> version_before THEN
    PERFORM :"schema".notify_balance_change(account, instance_id, changed.version);
  END IF;
END
$$;

-- The alert settings as `getAlertSettings` returns them (NULL for an unknown account). A read:
-- a stale usage window is summed for the answer, not stored.
CREATE FUNCTION :"schema".aivah_read_alert_settings(account text, as_of timestamptz)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  settings record;
  usage_in_window bigint;
BEGIN
  SELECT alert_enabled, alert_mode, alert_threshold, alert_percent, alert_low, alert_updated_at, usage_window, threshold_at
  INTO settings
  FROM :"schema".accounts
  WHERE id = account;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  usage_in_window := settings.usage_window;
  IF :"schema".usage_window_is_stale(settings.threshold_at, as_of) THEN
    usage_in_window := :"schema".usage_last_30_days(account, as_of);
  END IF;
  RETURN jsonb_build_object(
    'accountId', account,
    'enabled', settings.alert_enabled,
    'mode', settings.alert_mode,
    'threshold', settings.alert_threshold,
    'percent', settings.alert_percent,
    'effectiveThreshold', :"schema".alert_threshold(settings.alert_mode, settings.alert_threshold, settings.alert_percent, usage_in_window),
    'low', settings.alert_low,
    'updatedAt', :"schema".epoch_ms(settings.alert_updated_at)
  );
END
$$;

-- Stores new alert settings and re-evaluates the alert against the new threshold at once.
CREATE FUNCTION :"schema".aivah_update_alerts(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  updated record;
  is_low boolean;
BEGIN
  UPDATE :"schema".accounts
  SET alert_enabled = (request->>'enabled')::boolean,
      alert_mode = request->>'mode',
      alert_threshold = (request->>'threshold')::bigint,
      alert_percent = (request->>'percent')::numeric,
      alert_updated_at = as_of,
      threshold_at = NULL -- the new settings get a freshly summed usage window
  WHERE id = account
  RETURNING available, alert_enabled, alert_low
  INTO updated;
  IF NOT FOUND THEN
    RETURN :"schema".ledger_error('ACCOUNT_NOT_FOUND');
  END IF;
  is_low := :"schema".apply_alert_rule(
    account => account,
    alerts_enabled => updated.alert_enabled,
    was_low => updated.alert_low,
    available_before => updated.available,
    available_after => updated.available,
    threshold => :"schema".current_alert_threshold(account, as_of),
    settings_changed => true,
    as_of => as_of
  );
  IF is_low <> updated.alert_low THEN
    UPDATE :"schema".accounts SET alert_low = is_low WHERE id = account;
  END IF;
  RETURN :"schema".aivah_read_alert_settings(account, as_of);
END
$$;
