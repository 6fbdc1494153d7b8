-- grant(): adds credits as a new grant. The deficit left by refunds of spent credits is repaid
-- first, with a second entry, so the grant's remaining credits are what is left after repaying.
CREATE FUNCTION :"schema".aivah_grant(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  credits bigint := (request->>'amount')::bigint;
  grant_source text := request->>'source';
  grant_expires_at timestamptz := (request->>'expiresAt')::timestamptz;
  -- The payment a purchase is credited once for: its Checkout Session, or its PaymentIntent when
  -- it was paid without Checkout (a stored card, an auto top-up).
  session_id text := coalesce(request->'purchase'->>'checkoutSessionId', request->'purchase'->>'paymentIntentId');
  new_grant_id uuid := gen_random_uuid();
  new_entry_id uuid := gen_random_uuid();
  before record;
  earlier_purchase record;
  previous jsonb;
  repayment bigint;
  granted :"schema".entries;
BEGIN
  INSERT INTO :"schema".accounts (id, created_at, updated_at)
  VALUES (account, as_of, as_of)
  ON CONFLICT (id) DO NOTHING;
  SELECT available, version, deficit, next_expiry_at
  INTO before
  FROM :"schema".accounts
  WHERE id = account
  FOR UPDATE;

  previous := :"schema".previous_result(account, request->>'idempotencyKey', request->>'requestHash', as_of);
  IF previous IS NOT NULL THEN
    RETURN previous;
  END IF;

  -- A payment is credited once, even after its idempotency record was pruned (the
  -- unique index grants_purchase_session_uq is the backstop).
  IF grant_source = 'purchase' AND session_id IS NOT NULL THEN
    SELECT id, seq
    INTO earlier_purchase
    FROM :"schema".grants
    WHERE grants.account_id = account
      AND grants.source = 'purchase'
      AND grants.checkout_session_id = session_id;
    IF FOUND THEN
      RETURN :"schema".operation_result(
        account, jsonb_build_object('seq', earlier_purchase.seq, 'grantId', earlier_purchase.id), as_of
      ) || '{"replayed": true}';
    END IF;
  END IF;

  IF before.next_expiry_at <= as_of THEN
    PERFORM :"schema".sweep_expired(account, as_of);
    SELECT deficit INTO before.deficit FROM :"schema".accounts WHERE id = account;
  END IF;

  repayment := least(credits, before.deficit);
  INSERT INTO :"schema".grants (
    id, account_id, seq, source, amount, remaining, expires_at, priority, checkout_session_id, created_at
  )
  SELECT
    new_grant_id, account, accounts.version + 1, grant_source, credits, credits - repayment,
    grant_expires_at, (request->>'priority')::integer, session_id, as_of
  FROM :"schema".accounts
  WHERE accounts.id = account;
  granted := :"schema".append_entry(
    account => account,
    entry_type => 'grant',
    as_of => as_of,
    entry_amount => credits,
    available_delta => credits,
    entry_grant_id => new_grant_id,
    grant_source => grant_source,
    entry_description => request->>'description',
    entry_metadata => request->'metadata',
    entry_id => new_entry_id,
    outbox_event => CASE WHEN grant_source = 'purchase'
      THEN :"schema".credits_purchased_event(new_grant_id, new_entry_id, credits, request->'purchase')
    END,
    idempotency_key => request->>'idempotencyKey',
    requested_hash => request->>'requestHash',
    outcome => jsonb_build_object('grantId', new_grant_id)
  );
  IF grant_source = 'purchase' AND jsonb_typeof(request->'purchase') = 'object' THEN
    PERFORM :"schema".record_purchase(account, new_grant_id, granted.seq, credits, request->'purchase', as_of);
  END IF;
  IF repayment > 0 THEN
    PERFORM :"schema".append_entry(
      account => account,
      entry_type => 'reversal',
      as_of => as_of,
      entry_amount => -repayment,
      available_delta => -repayment,
      deficit_delta => -repayment,
      entry_grant_id => new_grant_id,
      grant_source => grant_source,
      entry_description => 'Deficit repayment',
      entry_metadata => jsonb_build_object('deficitRepaid', repayment::text)
    );
  END IF;
  IF grant_expires_at IS NOT NULL THEN
    UPDATE :"schema".accounts
    SET next_expiry_at = least(next_expiry_at, grant_expires_at)
    WHERE id = account;
  END IF;
  PERFORM :"schema".after_balance_change(account, before.available, before.version, as_of, :"schema".writer_instance(request));
  RETURN :"schema".operation_result(account, jsonb_build_object('seq', granted.seq, 'grantId', new_grant_id), as_of);
END
$$;
