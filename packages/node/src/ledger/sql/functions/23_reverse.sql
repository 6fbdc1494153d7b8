-- Reversals: a refund or dispute takes back the credits its payment bought. A purchase grant is
-- found by its Checkout Session (or PaymentIntent), a plan grant by the invoice that paid for it;
-- the same rule then decides what is taken back and what is owed (reversalSplit in domain.ts).

-- Credits of a grant of `credits` that a refund reverses: the payment's refunded share, rounded
-- half up (refundedCredits in domain.ts).
CREATE FUNCTION :"schema".refunded_credits(credits bigint, refunded bigint, paid bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE
AS $$
  SELECT CASE
    WHEN paid > 0 THEN floor((credits::numeric * greatest(0, least(refunded, paid)) * 2 + paid) / (paid * 2))::bigint
    ELSE 0
  END
$$;

-- Credits a reversal requests (reversalRequest in domain.ts): a cumulative total takes back only
-- what it adds to earlier reversals, so refund events may arrive in any order, any number of
-- times; otherwise `amount`, by default all, never more than is left to reverse.
CREATE FUNCTION :"schema".reversal_request(request jsonb, credits bigint, reversed bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE
AS $$
  SELECT CASE
    WHEN request ? 'totalReversed' THEN greatest(0, least((request->>'totalReversed')::bigint, credits) - reversed)
    ELSE least(coalesce((request->>'amount')::bigint, credits), credits - reversed)
  END
$$;

-- Takes back `requested` credits of a grant (reversalSplit in domain.ts): its unheld credits,
-- then the unheld credits of the grants it carried over, oldest first; then its credits that
-- lapsed unspent (counted: nothing to take back, nothing owed); the rest, credits spent or held,
-- becomes the account's deficit, never a negative balance. Appends one `reversal` entry and
-- remembers the outcome under the request's idempotency key. The caller holds the account lock.
CREATE FUNCTION :"schema".reverse_grant(account text, reversed_grant_id uuid, requested bigint, as_of timestamptz, request jsonb, payment jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  reversed_grant :"schema".grants;
  unheld bigint;
  taken_back bigint;
  counted_lapsed bigint;
  owed bigint;
  still_to_take bigint;
  pool record;
  taken bigint;
  reversal :"schema".entries;
BEGIN
  SELECT * INTO reversed_grant FROM :"schema".grants WHERE id = reversed_grant_id;
  SELECT coalesce(sum(remaining - held), 0)
  INTO unheld
  FROM :"schema".grants
  WHERE grants.account_id = account
    AND (grants.id = reversed_grant_id OR grants.carried_from = reversed_grant_id);

  taken_back := least(requested, unheld);
  counted_lapsed := least(requested - taken_back, reversed_grant.lapsed);
  owed := requested - taken_back - counted_lapsed;

  -- The grant itself first, then what it carried over, oldest first.
  still_to_take := taken_back;
  FOR pool IN
    SELECT id, remaining - held AS unheld
    FROM :"schema".grants
    WHERE grants.account_id = account
      AND (grants.id = reversed_grant_id OR grants.carried_from = reversed_grant_id)
      AND grants.remaining > grants.held
    ORDER BY grants.id <> reversed_grant_id, grants.seq
  LOOP
    EXIT WHEN still_to_take = 0;
    taken := least(still_to_take, pool.unheld);
    UPDATE :"schema".grants SET remaining = remaining - taken WHERE id = pool.id;
    still_to_take := still_to_take - taken;
  END LOOP;

  UPDATE :"schema".grants
  SET lapsed = lapsed - counted_lapsed,
      reversed = reversed + requested
  WHERE id = reversed_grant_id;

  reversal := :"schema".append_entry(
    account => account,
    entry_type => 'reversal',
    as_of => as_of,
    entry_amount => -taken_back,
    available_delta => -taken_back,
    deficit_delta => owed,
    entry_grant_id => reversed_grant_id,
    grant_source => reversed_grant.source,
    entry_description => request->>'reason',
    entry_metadata => jsonb_build_object('reason', request->>'reason')
      || payment
      || jsonb_build_object('lapsed', counted_lapsed::text, 'deficitAdded', owed::text),
    idempotency_key => request->>'idempotencyKey',
    requested_hash => request->>'requestHash',
    outcome => jsonb_build_object('reversed', taken_back, 'deficitAdded', owed)
  );
  RETURN jsonb_build_object('seq', reversal.seq, 'reversed', taken_back, 'deficitAdded', owed);
END
$$;

-- reversePurchase() and reversePlanGrant(): the reversal of the grant a payment bought. A
-- request naming `invoiceId` reverses the plan grant of that invoice, by its `refunded` share (a
-- refund) or in full (a dispute); otherwise the purchase of `checkoutSessionId`, by `amount` or
-- up to a cumulative `totalReversed`, and its purchase record follows.
CREATE FUNCTION :"schema".aivah_reverse(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  is_plan boolean := request ? 'invoiceId';
  before record;
  paid_for record;
  previous jsonb;
  requested bigint;
  outcome jsonb := '{"seq": null, "reversed": 0, "deficitAdded": 0}';
BEGIN
  SELECT available, version, next_expiry_at
  INTO before
  FROM :"schema".accounts
  WHERE id = account
  FOR UPDATE;
  IF NOT FOUND THEN
    RETURN :"schema".ledger_error('ACCOUNT_NOT_FOUND');
  END IF;

  previous := :"schema".previous_result(account, request->>'idempotencyKey', request->>'requestHash', as_of);
  IF previous IS NOT NULL THEN
    RETURN previous;
  END IF;

  IF before.next_expiry_at <= as_of THEN
    PERFORM :"schema".sweep_expired(account, as_of);
  END IF;

  IF is_plan THEN
    SELECT id, amount, reversed
    INTO paid_for
    FROM :"schema".grants
    WHERE grants.account_id = account
      AND grants.invoice_id = request->>'invoiceId'
      AND grants.source = 'plan'
    ORDER BY grants.seq
    LIMIT 1;
  ELSE
    SELECT id, amount, reversed
    INTO paid_for
    FROM :"schema".grants
    WHERE grants.account_id = account
      AND grants.checkout_session_id = request->>'checkoutSessionId'
      AND grants.source = 'purchase'
    ORDER BY grants.seq
    LIMIT 1;
  END IF;
  IF NOT FOUND THEN
    PERFORM :"schema".after_balance_change(account, before.available, before.version, as_of, :"schema".writer_instance(request));
    RETURN :"schema".ledger_error('PURCHASE_NOT_FOUND');
  END IF;

  requested := :"schema".reversal_request(
    CASE
      WHEN is_plan AND request ? 'refunded' THEN jsonb_build_object('totalReversed', :"schema".refunded_credits(
        paid_for.amount, (request->'refunded'->>'refunded')::bigint, (request->'refunded'->>'paid')::bigint
      ))
      WHEN is_plan THEN '{}'::jsonb
      ELSE request
    END,
    paid_for.amount,
    paid_for.reversed
  );

  IF requested > 0 THEN
    outcome := :"schema".reverse_grant(
      account, paid_for.id, requested, as_of, request,
      CASE
        WHEN is_plan THEN jsonb_build_object('invoiceId', request->>'invoiceId')
        ELSE jsonb_build_object('checkoutSessionId', request->>'checkoutSessionId')
      END
    );
    IF NOT is_plan THEN
      PERFORM :"schema".purchase_reversed(paid_for.id, request->>'reason', as_of);
    END IF;
  ELSE
    PERFORM :"schema".remember_outcome(account, request->>'idempotencyKey', request->>'requestHash', outcome, as_of);
  END IF;

  PERFORM :"schema".after_balance_change(account, before.available, before.version, as_of, :"schema".writer_instance(request));
  RETURN :"schema".operation_result(account, outcome, as_of);
END
$$;
