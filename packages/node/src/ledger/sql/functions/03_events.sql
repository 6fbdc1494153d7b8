-- The outbox. Every event is written in the transaction of the change that caused it, so an
-- event exists if and only if its cause committed. One function per event type, so that each
-- payload is built in one place (`events.ts` builds the same payloads for the reference model).

CREATE FUNCTION :"schema".emit_event(account text, event_type text, payload jsonb, as_of timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO :"schema".outbox (id, type, account_id, data, created_at, next_attempt_at)
  VALUES (gen_random_uuid(), event_type, account, payload, as_of, as_of);
END
$$;

-- A consumption or a hold capture spent credits.
CREATE FUNCTION :"schema".emit_credits_consumed(
  account text,
  entry_id uuid,
  credits bigint,
  feature_name text,
  hold_id uuid,
  available_after bigint,
  as_of timestamptz
)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM :"schema".emit_event(account, 'credits.consumed', jsonb_build_object(
    'entryId', entry_id,
    'amount', credits,
    'feature', feature_name,
    'holdId', hold_id,
    'available', available_after
  ), as_of);
END
$$;

-- A purchase grant: what was bought, and the payment that paid for it.
CREATE FUNCTION :"schema".emit_credits_purchased(
  account text,
  grant_id uuid,
  entry_id uuid,
  credits bigint,
  purchase jsonb,
  as_of timestamptz
)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM :"schema".emit_event(account, 'credits.purchased', jsonb_build_object(
    'grantId', grant_id,
    'entryId', entry_id,
    'amount', credits,
    'checkoutSessionId', coalesce(purchase->'checkoutSessionId', 'null'),
    'paymentIntentId', coalesce(purchase->'paymentIntentId', 'null'),
    'packageId', coalesce(purchase->'packageId', 'null'),
    'amountTotal', coalesce(purchase->'amountTotal', 'null'),
    'currency', coalesce(purchase->'currency', 'null')
  ), as_of);
END
$$;

CREATE FUNCTION :"schema".emit_balance_low(account text, available_now bigint, threshold bigint, as_of timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM :"schema".emit_event(account, 'balance.low', jsonb_build_object(
    'available', available_now,
    'threshold', threshold
  ), as_of);
END
$$;

CREATE FUNCTION :"schema".emit_balance_depleted(account text, as_of timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM :"schema".emit_event(account, 'balance.depleted', jsonb_build_object('available', 0), as_of);
END
$$;

CREATE FUNCTION :"schema".emit_grant_expired(
  account text,
  grant_id uuid,
  credits bigint,
  grant_source text,
  expired_at timestamptz,
  as_of timestamptz
)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM :"schema".emit_event(account, 'grant.expired', jsonb_build_object(
    'grantId', grant_id,
    'amount', credits,
    'source', grant_source,
    'expiresAt', :"schema".iso_instant(expired_at)
  ), as_of);
END
$$;
