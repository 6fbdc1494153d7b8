-- Holds: credits reserved for a realtime session or call. Reserved credits stay in their grants
-- (`held`), so they are not available to anyone else, and the hold remembers where they came
-- from so that capture spends exactly those.

-- createHold(): reserves credits until `ttlSeconds` from now.
CREATE FUNCTION :"schema".aivah_create_hold(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  credits bigint := (request->>'amount')::bigint;
  hold_expires_at timestamptz := as_of + make_interval(secs => (request->>'ttlSeconds')::integer);
  new_hold_id uuid := gen_random_uuid();
  started record;
  allocations jsonb;
  reserved :"schema".entries;
BEGIN
  started := :"schema".start_spend(request);
  IF started.answer IS NOT NULL THEN
    RETURN started.answer;
  END IF;

  allocations := :"schema".take_from_grants(account, credits, as_of, reserve => true);
  reserved := :"schema".append_entry(
    account => account,
    entry_type => 'hold',
    as_of => as_of,
    available_delta => -credits,
    held_delta => credits,
    feature_name => request->>'feature',
    entry_hold_id => new_hold_id,
    entry_description => request->>'description',
    entry_metadata => request->'metadata',
    idempotency_key => request->>'idempotencyKey',
    requested_hash => request->>'requestHash',
    outcome => jsonb_build_object('holdId', new_hold_id)
  );
  INSERT INTO :"schema".holds (
    id, account_id, seq, amount, feature, status, expires_at, description, metadata, allocations, created_at, updated_at
  )
  VALUES (
    new_hold_id, account, reserved.seq, credits, request->>'feature', 'active', hold_expires_at,
    request->>'description', coalesce(request->'metadata', '{}'), allocations, as_of, as_of
  );
  UPDATE :"schema".accounts
  SET next_expiry_at = least(next_expiry_at, hold_expires_at)
  WHERE id = account;
  PERFORM :"schema".after_balance_change(account, started.available_before, started.version_before, as_of, :"schema".writer_instance(request));
  RETURN :"schema".operation_result(account, jsonb_build_object('seq', reserved.seq, 'holdId', new_hold_id), as_of);
END
$$;

-- captureHold() and releaseHold(): spends `amount` of an active hold (0 for a release) and
-- gives the rest back, in one step. Capture spends the reserved credits in the order they were
-- reserved, so the soonest-expiring grant pays first, as a consume would have.
CREATE FUNCTION :"schema".aivah_settle_hold(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  credits bigint := (request->>'amount')::bigint;
  capturing boolean := request->>'action' = 'capture';
  before record;
  settled_hold record;
  allocation jsonb;
  still_to_spend bigint;
  spent bigint;
  refusal jsonb;
  previous jsonb;
  new_entry_id uuid := gen_random_uuid();
  before_settle record;
  settled :"schema".entries;
BEGIN
  SELECT available, version, next_expiry_at
  INTO before
  FROM :"schema".accounts
  WHERE id = account
  FOR UPDATE;
  IF NOT FOUND THEN
    RETURN :"schema".ledger_error('HOLD_NOT_FOUND');
  END IF;

  previous := :"schema".previous_result(account, request->>'idempotencyKey', request->>'requestHash', as_of);
  IF previous IS NOT NULL THEN
    RETURN previous;
  END IF;

  IF before.next_expiry_at <= as_of THEN
    PERFORM :"schema".sweep_expired(account, as_of);
  END IF;

  SELECT id, amount, feature, status, allocations
  INTO settled_hold
  FROM :"schema".holds
  WHERE id = (request->>'holdId')::uuid
    AND account_id = account;
  IF NOT FOUND THEN
    refusal := :"schema".ledger_error('HOLD_NOT_FOUND');
  ELSIF settled_hold.status <> 'active' THEN
    refusal := :"schema".ledger_error('HOLD_NOT_ACTIVE', jsonb_build_object('status', settled_hold.status));
  ELSIF credits > settled_hold.amount THEN
    refusal := :"schema".ledger_error('CAPTURE_EXCEEDS_HOLD', jsonb_build_object('held', settled_hold.amount, 'requested', credits));
  END IF;
  IF refusal IS NOT NULL THEN
    -- Not remembered: the hold may still change (a wrong amount can be retried with a right one).
    PERFORM :"schema".after_balance_change(account, before.available, before.version, as_of, :"schema".writer_instance(request));
    RETURN refusal;
  END IF;

  SELECT available INTO before_settle FROM :"schema".accounts WHERE id = account;
  still_to_spend := credits;
  FOR allocation IN
    SELECT listed.allocation
    FROM jsonb_array_elements(settled_hold.allocations) WITH ORDINALITY AS listed(allocation, position)
    ORDER BY listed.position
  LOOP
    spent := least((allocation->>'amount')::bigint, still_to_spend);
    UPDATE :"schema".grants
    SET held = held - (allocation->>'amount')::bigint,
        remaining = remaining - spent
    WHERE id = (allocation->>'grantId')::uuid;
    still_to_spend := still_to_spend - spent;
  END LOOP;
  UPDATE :"schema".holds
  SET status = CASE WHEN capturing THEN 'captured' ELSE 'released' END,
      captured = credits,
      updated_at = as_of
  WHERE id = settled_hold.id;
  settled := :"schema".append_entry(
    account => account,
    entry_type => CASE WHEN capturing THEN 'hold_capture' ELSE 'hold_release' END,
    as_of => as_of,
    entry_amount => -credits,
    available_delta => settled_hold.amount - credits,
    held_delta => -settled_hold.amount,
    usage_delta => credits,
    feature_name => settled_hold.feature,
    entry_hold_id => settled_hold.id,
    entry_description => request->>'description',
    entry_id => new_entry_id,
    outbox_event => CASE WHEN credits > 0 AND :"schema".wants_consumed_event(request)
      THEN :"schema".credits_consumed_event(new_entry_id, credits, settled_hold.feature, settled_hold.id, before_settle.available + settled_hold.amount - credits)
    END,
    idempotency_key => request->>'idempotencyKey',
    requested_hash => request->>'requestHash',
    outcome => jsonb_build_object('holdId', settled_hold.id)
  );
  -- Credits given back to a grant that expired while they were held expire now.
  PERFORM :"schema".expire_grants(account, as_of);
  PERFORM :"schema".after_balance_change(account, before.available, before.version, as_of, :"schema".writer_instance(request));
  RETURN :"schema".operation_result(account, jsonb_build_object('seq', settled.seq, 'holdId', settled_hold.id), as_of);
END
$$;
