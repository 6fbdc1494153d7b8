-- consume(): spends credits now, from the open grants in consumption order. The only consume
-- there is: when an expiry is due it sweeps first and then takes the same path.
--
-- Where its server time goes (variants without one part, 4 alternating rounds of 1,000 server-side
-- consumes each, same run): the balance with its grants list 22 %, the credits.consumed outbox row
-- 12 %, the idempotency record 12 %. The record is what makes a retry safe and the balance is
-- part of the HTTP response, so both stay; the event is skipped by a ledger built with
-- `consumedEvents: false` (no webhooks deliver it). At concurrency 1 the round trip and the
-- commit's WAL flush cost more than all three together.

-- The start every spend shares (consume(), createHold()): lock the account row, which serialises
-- the writes of one account (other accounts are not blocked); answer a key seen before with its
-- first result; apply the expiries that are due; refuse, and remember the refusal, when fewer
-- credits are available than asked for. `answer` is set when the spend ends there; otherwise
-- the caller goes on with the balance as it was and what is available now.
CREATE FUNCTION :"schema".start_spend(
  request jsonb,
  OUT answer jsonb,
  OUT available_before bigint,
  OUT version_before bigint,
  OUT available_now bigint
)
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  next_expiry timestamptz;
BEGIN
  SELECT available, version, next_expiry_at
  INTO available_before, version_before, next_expiry
  FROM :"schema".accounts
  WHERE id = account
  FOR UPDATE;
  IF NOT FOUND THEN
    answer := :"schema".ledger_error('ACCOUNT_NOT_FOUND');
    RETURN;
  END IF;

  answer := :"schema".previous_result(account, request->>'idempotencyKey', request->>'requestHash', as_of);
  IF answer IS NOT NULL THEN
    RETURN;
  END IF;

  available_now := available_before;
  IF next_expiry <= as_of THEN
    PERFORM :"schema".sweep_expired(account, as_of);
    SELECT available INTO available_now FROM :"schema".accounts WHERE id = account;
  END IF;

  IF available_now < (request->>'amount')::bigint THEN
    answer := :"schema".refuse_insufficient(request, available_now);
    PERFORM :"schema".after_balance_change(account, available_before, version_before, as_of, :"schema".writer_instance(request));
  END IF;
END
$$;

CREATE FUNCTION :"schema".aivah_consume(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  credits bigint := (request->>'amount')::bigint;
  feature_name text := request->>'feature';
  started record;
  allocations jsonb;
  new_entry_id uuid := gen_random_uuid();
  consumed :"schema".entries;
BEGIN
  started := :"schema".start_spend(request);
  IF started.answer IS NOT NULL THEN
    RETURN started.answer;
  END IF;

  allocations := :"schema".take_from_grants(account, credits, as_of, reserve => false);
  consumed := :"schema".append_entry(
    account => account,
    entry_type => 'consume',
    as_of => as_of,
    entry_amount => -credits,
    available_delta => -credits,
    usage_delta => credits,
    feature_name => feature_name,
    entry_grant_id => (allocations->0->>'grantId')::uuid,
    entry_description => request->>'description',
    entry_metadata => request->'metadata',
    entry_id => new_entry_id,
    outbox_event => CASE WHEN :"schema".wants_consumed_event(request)
      THEN :"schema".credits_consumed_event(new_entry_id, credits, feature_name, NULL, started.available_now - credits)
    END,
    idempotency_key => request->>'idempotencyKey',
    requested_hash => request->>'requestHash'
  );
  RETURN jsonb_build_object(
    'seq', consumed.seq,
    'entry', :"schema".entry_json(consumed),
    'balance', :"schema".after_balance_change(
      account, started.available_before, started.version_before, as_of, :"schema".writer_instance(request), return_balance => true
    )
  );
END
$$;

-- Group commit: consumes queued together by the adapter (see batcher.ts), applied in one
-- transaction, each with its own result (failures are values, not exceptions). Sorted by
-- account so that two batches lock shared accounts in the same order and cannot deadlock;
-- consumes of one account keep their arrival order. Results come back in request order.
CREATE FUNCTION :"schema".aivah_consume_batch(requests jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  queued record;
  results jsonb[] := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(requests)]);
BEGIN
  FOR queued IN
    SELECT request, position
    FROM jsonb_array_elements(requests) WITH ORDINALITY AS listed(request, position)
    ORDER BY request->>'accountId', position
  LOOP
    results[queued.position] := :"schema".aivah_consume(queued.request);
  END LOOP;
  RETURN to_jsonb(results);
END
$$;
