-- Low-balance alerts and the end of every write, stated once for SQL (`alertThreshold`,
-- `usageWindowIsStale` and `evaluateAlerts` in domain.ts state the same rules for the
-- reference model).

-- The threshold in credits under which `balance.low` fires: an absolute amount, or a percentage
-- of the trailing 30-day usage, rounded up.
CREATE FUNCTION :"schema".alert_threshold(mode text, absolute_threshold bigint, percent numeric, usage_in_window bigint)
RETURNS bigint
LANGUAGE sql STABLE
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
LANGUAGE sql STABLE
AS $$
  SELECT summed_at IS NULL OR as_of - summed_at >= interval '1 hour'
$$;

-- Sums the trailing usage again and stores it with the instant it was summed. Returns the sum.
CREATE FUNCTION :"schema".refresh_usage_window(account text, as_of timestamptz)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  usage_now bigint := :"schema".usage_last_30_days(account, as_of);
BEGIN
  UPDATE :"schema".accounts
  SET usage_window = usage_now,
      threshold_at = as_of
  WHERE id = account;
  RETURN usage_now;
END
$$;

-- Every write ends here (and so does a balance read that swept expiries): the alert rule, then
-- the NOTIFY that fans the change out to other server instances.
--
-- The alert rule, after `available` moved from `available_before` to its value now (or after
-- new settings moved the threshold: `settings_changed`):
-- - `balance.depleted` when a decrease takes available from above 0 to exactly 0;
-- - `balance.low` when available ends below the threshold and the alert is armed (enabled and
--   not already low), on a decrease or a settings change;
-- - the alert re-arms whenever available is at or above the threshold.
--
-- The channel name lives here and nowhere else in SQL (`BALANCE_CHANNEL` in postgres.ts is the
-- TypeScript side). The payload names the schema, so several ledgers can share a database, and
-- the instance that made the change, which skips it: it told its own listeners already. Nothing
-- is sent unless another instance listens (`balance_listeners`, below): a NOTIFY makes its
-- transaction commit alone.
CREATE FUNCTION :"schema".after_balance_change(
  account text,
  available_before bigint,
  version_before bigint,
  as_of timestamptz,
  instance_id text,
  settings_changed boolean DEFAULT false,
  -- return the balance after the write (the consume does: it saves reading the row again)
  return_balance boolean DEFAULT false
)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  changed :"schema".accounts;
  usage_in_window bigint;
  threshold bigint;
  is_low boolean;
BEGIN
  SELECT *
  INTO changed
  FROM :"schema".accounts
  WHERE id = account;

  IF changed.available <> available_before OR settings_changed THEN
    usage_in_window := changed.usage_window;
    IF changed.alert_mode <> 'absolute' AND :"schema".usage_window_is_stale(changed.threshold_at, as_of) THEN
      usage_in_window := :"schema".refresh_usage_window(account, as_of);
    END IF;
    threshold := :"schema".alert_threshold(changed.alert_mode, changed.alert_threshold, changed.alert_percent, usage_in_window);
    is_low := changed.alert_low;
    IF changed.available < available_before AND available_before > 0 AND changed.available = 0 THEN
      PERFORM :"schema".emit_event(account, :"schema".balance_depleted_event(), as_of);
    END IF;
    IF (changed.available < available_before OR settings_changed)
       AND changed.alert_enabled
       AND NOT is_low
       AND changed.available < threshold THEN
      is_low := true;
      PERFORM :"schema".emit_event(account, :"schema".balance_low_event(changed.available, threshold), as_of);
    END IF;
    IF is_low AND changed.available >= threshold THEN
      is_low := false;
    END IF;
    IF is_low <> changed.alert_low THEN
      UPDATE :"schema".accounts SET alert_low = is_low WHERE id = account;
    END IF;
  END IF;

  -- Auto top-up (26_auto_top_up.sql): only accounts that turned it on pay for the lookup.
  IF changed.auto_top_up AND changed.available <> available_before THEN
    PERFORM :"schema".evaluate_auto_top_up(account, changed.available, available_before, changed.version, as_of);
  END IF;

  IF changed.version <> version_before
     AND instance_id IS NOT NULL
     AND :"schema".another_instance_listens(instance_id) THEN
    PERFORM pg_notify(
      'aivah_credits_balance',
      json_build_object('s', :'schema', 'a', account, 'i', instance_id, 'v', changed.version)::text
    );
  END IF;

  IF NOT return_balance THEN
    RETURN NULL;
  END IF;
  -- The alert columns changed above are not part of the balance: `changed` is still current.
  RETURN :"schema".balance_object(changed, (
    SELECT coalesce(jsonb_agg(:"schema".grant_json(open_grant)), '[]'::jsonb)
    FROM :"schema".open_grants(account, as_of) AS open_grant
  ));
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

-- Stores new alert settings and applies the alert rule against the new threshold at once.
CREATE FUNCTION :"schema".aivah_update_alerts(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  updated record;
BEGIN
  UPDATE :"schema".accounts
  SET alert_enabled = (request->>'enabled')::boolean,
      alert_mode = request->>'mode',
      alert_threshold = (request->>'threshold')::bigint,
      alert_percent = (request->>'percent')::numeric,
      alert_updated_at = as_of,
      threshold_at = NULL -- the new settings get a freshly summed usage window
  WHERE id = account
  RETURNING available, version
  INTO updated;
  IF NOT FOUND THEN
    RETURN :"schema".ledger_error('ACCOUNT_NOT_FOUND');
  END IF;
  PERFORM :"schema".after_balance_change(
    account, updated.available, updated.version, as_of, :"schema".writer_instance(request), settings_changed => true
  );
  RETURN :"schema".aivah_read_alert_settings(account, as_of);
END
$$;

-- Instances that listen for balance changes hold a lease in `balance_listeners`, renewed while
-- they listen (`BALANCE_LISTENER_LEASE_SECONDS` in postgres.ts). Leases are read against the
-- database clock, never a request's `now`: tests and the emulator move that one.
--
-- plpgsql, not SQL: a SQL function with a sub-select is never inlined, and Postgres before 18
-- plans such a function again on every call (60 µs of a 320 µs consume, track_functions); a
-- plpgsql function keeps its plan for the session.
CREATE FUNCTION :"schema".another_instance_listens(this_instance text)
RETURNS boolean
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1
    FROM :"schema".balance_listeners AS listener
    WHERE listener.instance_id <> this_instance
      AND listener.expires_at > statement_timestamp()
  );
END
$$;

-- Takes or renews an instance's lease, and drops the leases of instances that stopped renewing.
CREATE FUNCTION :"schema".aivah_listen_for_balance_changes(listening_instance text, lease_seconds integer)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO :"schema".balance_listeners AS listener (instance_id, expires_at)
  VALUES (listening_instance, statement_timestamp() + make_interval(secs => lease_seconds))
  ON CONFLICT (instance_id) DO UPDATE
  SET expires_at = excluded.expires_at;
  DELETE FROM :"schema".balance_listeners
  WHERE expires_at < statement_timestamp();
END
$$;

-- Gives the lease up when the instance stops listening.
CREATE FUNCTION :"schema".aivah_stop_listening_for_balance_changes(listening_instance text)
RETURNS void
LANGUAGE sql
AS $$
  DELETE FROM :"schema".balance_listeners
  WHERE instance_id = listening_instance
$$;
