-- Auto top-up, the worker's side: claiming due top-ups, recording what their charges came to,
-- resuming after action, and the events of a top-up that needs action or failed. The trigger and
-- the settings are in 26_auto_top_up.sql.

-- Claims due top-ups for `lease_ms`: two workers never hold the same one while its lease runs.
CREATE FUNCTION :"schema".aivah_claim_top_ups(as_of timestamptz, claim_limit integer, lease_ms bigint)
RETURNS jsonb
LANGUAGE sql
AS $$
  WITH claimed AS (
    UPDATE :"schema".top_ups AS top_up
    SET locked_until = as_of + lease_ms * interval '1 millisecond'
    FROM (
      SELECT id
      FROM :"schema".top_ups
      WHERE status = 'pending'
        AND next_attempt_at <= as_of
        AND (locked_until IS NULL OR locked_until <= as_of)
      ORDER BY next_attempt_at
      LIMIT claim_limit
      FOR UPDATE SKIP LOCKED
    ) AS due
    WHERE top_up.id = due.id
    RETURNING top_up.*
  )
  SELECT coalesce(jsonb_agg(:"schema".top_up_json(claimed) ORDER BY claimed.next_attempt_at), '[]'::jsonb)
  FROM claimed
$$;

-- Records what the charge of a top-up came to:
-- - `succeeded`: the purchase grant (keyed by the PaymentIntent, so the worker and the webhook
--   credit it once between them) and the top-up's status, in one transaction;
-- - `action_required`: the bank asks the buyer to authenticate; the account needs action;
-- - `retry`: a failed charge to be tried again at `nextAttemptAt`;
-- - `failed`: the retries ran out; auto top-up is paused.
-- A top-up that already reached an outcome keeps it (a late or repeated report changes nothing),
-- except that a success always credits the payment it names.
CREATE FUNCTION :"schema".aivah_settle_top_up(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  outcome text := request->>'outcome';
  payment_intent text := request->>'paymentIntentId';
  top_up :"schema".top_ups;
  granted jsonb;
BEGIN
  -- The account row first, as every write takes it: the grant below takes it too.
  PERFORM 1 FROM :"schema".accounts WHERE id = account FOR UPDATE;
  SELECT *
  INTO top_up
  FROM :"schema".top_ups
  WHERE id = (request->>'topUpId')::uuid
    AND account_id = account
  FOR UPDATE;
  IF NOT FOUND THEN
    RETURN :"schema".ledger_error('TOP_UP_NOT_FOUND');
  END IF;

  IF outcome = 'succeeded' THEN
    granted := :"schema".aivah_grant(jsonb_build_object(
      'now', request->'now',
      'instanceId', request->'instanceId',
      'accountId', account,
      'amount', top_up.credits,
      'source', 'purchase',
      'priority', 50,
      'description', 'Auto top-up',
      'idempotencyKey', 'purchase:' || payment_intent,
      'requestHash', 'top_up:' || top_up.id || ':' || payment_intent,
      'metadata', jsonb_build_object('payment_intent_id', payment_intent, 'package_id', top_up.package_id, 'top_up_id', top_up.id),
      'purchase', jsonb_build_object(
        'checkoutSessionId', NULL,
        'paymentIntentId', payment_intent,
        'packageId', top_up.package_id,
        'amountTotal', top_up.amount,
        'currency', top_up.currency,
        'trigger', 'auto_top_up'
      )
    ));
    IF granted ? 'error' THEN
      RETURN granted;
    END IF;
    UPDATE :"schema".top_ups
    SET status = 'succeeded',
        payment_intent_id = payment_intent,
        locked_until = NULL,
        last_error = NULL,
        updated_at = as_of
    WHERE id = top_up.id
    RETURNING * INTO top_up;
    -- A success ends whatever state a failure left behind.
    UPDATE :"schema".auto_top_up_settings SET state = 'ok' WHERE account_id = account AND state <> 'ok';
    RETURN jsonb_build_object('topUp', :"schema".top_up_json(top_up), 'balance', granted->'balance', 'replayed', coalesce(granted->'replayed', 'false'));
  END IF;

  -- A late report: the top-up reached an outcome, or another worker recorded this attempt already.
  IF top_up.status <> 'pending' OR top_up.attempts <> coalesce((request->>'attempt')::integer, top_up.attempts) THEN
    RETURN jsonb_build_object('topUp', :"schema".top_up_json(top_up), 'replayed', true);
  END IF;

  IF outcome = 'action_required' THEN
    UPDATE :"schema".top_ups
    SET status = 'action_required',
        payment_intent_id = payment_intent,
        action_url = request->>'actionUrl',
        last_error = request->>'error',
        locked_until = NULL,
        updated_at = as_of
    WHERE id = top_up.id
    RETURNING * INTO top_up;
    UPDATE :"schema".auto_top_up_settings SET state = 'action_required' WHERE account_id = account;
    PERFORM :"schema".emit_event(account, :"schema".top_up_action_required_event(top_up), as_of);
  ELSIF outcome = 'retry' THEN
    UPDATE :"schema".top_ups
    SET attempts = attempts + 1,
        payment_intent_id = coalesce(payment_intent, payment_intent_id),
        last_error = request->>'error',
        next_attempt_at = (request->>'nextAttemptAt')::timestamptz,
        locked_until = NULL,
        updated_at = as_of
    WHERE id = top_up.id
    RETURNING * INTO top_up;
  ELSE
    UPDATE :"schema".top_ups
    SET status = 'failed',
        attempts = attempts + 1,
        payment_intent_id = coalesce(payment_intent, payment_intent_id),
        last_error = request->>'error',
        locked_until = NULL,
        updated_at = as_of
    WHERE id = top_up.id
    RETURNING * INTO top_up;
    UPDATE :"schema".auto_top_up_settings SET state = 'paused' WHERE account_id = account;
    PERFORM :"schema".emit_event(account, :"schema".top_up_failed_event(top_up), as_of);
  END IF;
  RETURN jsonb_build_object('topUp', :"schema".top_up_json(top_up), 'replayed', false);
END
$$;

-- A manual purchase or a new card: the account no longer needs action and auto top-up resumes.
-- The top-up that waited for authentication is canceled (it no longer counts against the cap).
CREATE FUNCTION :"schema".aivah_resume_auto_top_up(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
BEGIN
  -- The account row first, as every write takes it, then the settings: no lock-order deadlock
  -- with a consume that crosses the threshold meanwhile.
  PERFORM 1 FROM :"schema".accounts WHERE id = account FOR UPDATE;
  PERFORM 1
  FROM :"schema".auto_top_up_settings
  WHERE account_id = account
  FOR UPDATE;
  IF FOUND THEN
    UPDATE :"schema".top_ups
    SET status = 'canceled',
        locked_until = NULL,
        updated_at = as_of
    WHERE account_id = account
      AND status = 'action_required';
    UPDATE :"schema".auto_top_up_settings
    SET state = 'ok'
    WHERE account_id = account
      AND state <> 'ok';
  END IF;
  RETURN :"schema".aivah_read_auto_top_up(account, as_of);
END
$$;

-- What every top-up event says of its top-up: which charge, of what.
CREATE FUNCTION :"schema".top_up_event_data(top_up :"schema".top_ups)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object(
    'topUpId', top_up.id,
    'packageId', top_up.package_id,
    'credits', top_up.credits,
    'amountTotal', top_up.amount,
    'currency', top_up.currency,
    'paymentIntentId', top_up.payment_intent_id
  )
$$;

-- `topup.action_required`: the bank asked for authentication; the buyer completes the payment at `actionUrl`.
CREATE FUNCTION :"schema".top_up_action_required_event(top_up :"schema".top_ups)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object('type', 'topup.action_required', 'data',
    :"schema".top_up_event_data(top_up) || jsonb_build_object('actionUrl', top_up.action_url))
$$;

-- `topup.failed`: the charge failed on every attempt; auto top-up is paused.
CREATE FUNCTION :"schema".top_up_failed_event(top_up :"schema".top_ups)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object('type', 'topup.failed', 'data',
    :"schema".top_up_event_data(top_up) || jsonb_build_object('attempts', top_up.attempts, 'reason', top_up.last_error))
$$;
