-- The outbox. Every event is written in the transaction of the change that caused it, so an
-- event exists if and only if its cause committed. One function per event type builds its
-- `{type, data}`, so that each payload is stated in one place (`events.ts` builds the same
-- payloads for the reference model). The builders are expressions, inlined by the planner as
-- long as they are labelled STABLE like jsonb_build_object (labelled IMMUTABLE they were not,
-- and each cost the consume ~35 µs through the SQL function executor);
-- `emit_event` writes one, and `append_entry` writes the event of an entry in the entry's own
-- statement.

CREATE FUNCTION :"schema".emit_event(account text, event jsonb, as_of timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO :"schema".outbox (id, type, account_id, data, created_at, next_attempt_at)
  VALUES (gen_random_uuid(), event->>'type', account, event->'data', as_of, as_of);
END
$$;

-- A consumption or a hold capture spent credits.
CREATE FUNCTION :"schema".credits_consumed_event(
  entry_id uuid,
  credits bigint,
  feature_name text,
  hold_id uuid,
  available_after bigint
)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object('type', 'credits.consumed', 'data', jsonb_build_object(
    'entryId', entry_id,
    'amount', credits,
    'feature', feature_name,
    'holdId', hold_id,
    'available', available_after
  ))
$$;

-- Whether a write records its `credits.consumed` event: yes, unless the adapter was built with
-- `consumedEvents: false` (nothing delivers the outbox, so the event would only be kept).
CREATE FUNCTION :"schema".wants_consumed_event(request jsonb)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT (request->'consumedEvents') IS DISTINCT FROM 'false'::jsonb
$$;

-- A purchase grant: what was bought, and the payment that paid for it.
CREATE FUNCTION :"schema".credits_purchased_event(grant_id uuid, entry_id uuid, credits bigint, purchase jsonb)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object('type', 'credits.purchased', 'data', jsonb_build_object(
    'grantId', grant_id,
    'entryId', entry_id,
    'amount', credits,
    'checkoutSessionId', coalesce(purchase->'checkoutSessionId', 'null'),
    'paymentIntentId', coalesce(purchase->'paymentIntentId', 'null'),
    'packageId', coalesce(purchase->'packageId', 'null'),
    'amountTotal', coalesce(purchase->'amountTotal', 'null'),
    'currency', coalesce(purchase->'currency', 'null'),
    'trigger', CASE
      WHEN purchase IS NULL OR jsonb_typeof(purchase) = 'null' THEN 'null'::jsonb
      ELSE coalesce(purchase->'trigger', '"checkout"')
    END
  ))
$$;

CREATE FUNCTION :"schema".balance_low_event(available_now bigint, threshold bigint)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object('type', 'balance.low', 'data', jsonb_build_object(
    'available', available_now,
    'threshold', threshold
  ))
$$;

CREATE FUNCTION :"schema".balance_depleted_event()
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object('type', 'balance.depleted', 'data', jsonb_build_object('available', 0))
$$;

-- The unheld rest of a grant expired.
CREATE FUNCTION :"schema".grant_expired_event(grant_id uuid, credits bigint, grant_source text, expired_at timestamptz)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object('type', 'grant.expired', 'data', jsonb_build_object(
    'grantId', grant_id,
    'amount', credits,
    'source', grant_source,
    'expiresAt', :"schema".iso_instant(expired_at)
  ))
$$;
