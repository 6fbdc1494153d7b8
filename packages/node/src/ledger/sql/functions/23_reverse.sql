-- reversePurchase(): takes back the credits of a purchase (refund or dispute), by `amount` or up
-- to a cumulative `totalReversed`. What is left of the grant goes at once; credits already spent
-- become `deficit` on the account (repaid first by later grants), never a negative balance.
CREATE FUNCTION :"schema".aivah_reverse(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  session_id text := request->>'checkoutSessionId';
  before record;
  purchase record;
  previous jsonb;
  requested bigint;
  taken_back bigint;
  owed bigint;
  reversal :"schema".entries;
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

  SELECT id, amount, remaining, held, reversed
  INTO purchase
  FROM :"schema".grants
  WHERE grants.account_id = account
    AND grants.checkout_session_id = session_id
    AND grants.source = 'purchase'
  ORDER BY grants.seq
  LIMIT 1;
  IF NOT FOUND THEN
    PERFORM :"schema".after_balance_change(account, before.available, before.version, as_of, :"schema".writer_instance(request));
    RETURN :"schema".ledger_error('PURCHASE_NOT_FOUND');
  END IF;

  -- Same rule as `reversalRequest` in domain.ts: a cumulative total takes back only what it adds
  -- to earlier reversals, so refund events may arrive in any order, any number of times.
  IF request ? 'totalReversed' THEN
    requested := greatest(0, least((request->>'totalReversed')::bigint, purchase.amount) - purchase.reversed);
  ELSE
    requested := least(coalesce((request->>'amount')::bigint, purchase.amount), purchase.amount - purchase.reversed);
  END IF;

  IF requested > 0 THEN
    taken_back := least(requested, purchase.remaining - purchase.held);
    owed := requested - taken_back;
    UPDATE :"schema".grants
    SET remaining = remaining - taken_back,
        reversed = reversed + requested
    WHERE id = purchase.id;
    PERFORM :"schema".purchase_reversed(purchase.id, request->>'reason', as_of);
    reversal := :"schema".append_entry(
      account => account,
      entry_type => 'reversal',
      as_of => as_of,
      entry_amount => -taken_back,
      available_delta => -taken_back,
      deficit_delta => owed,
      entry_grant_id => purchase.id,
      grant_source => 'purchase',
      entry_description => request->>'reason',
      entry_metadata => jsonb_build_object(
        'reason', request->>'reason',
        'checkoutSessionId', session_id,
        'deficitAdded', owed::text
      ),
      idempotency_key => request->>'idempotencyKey',
      requested_hash => request->>'requestHash',
      outcome => jsonb_build_object('reversed', taken_back, 'deficitAdded', owed)
    );
    outcome := jsonb_build_object('seq', reversal.seq, 'reversed', taken_back, 'deficitAdded', owed);
  ELSE
    PERFORM :"schema".remember_outcome(account, request->>'idempotencyKey', request->>'requestHash', outcome, as_of);
  END IF;

  PERFORM :"schema".after_balance_change(account, before.available, before.version, as_of, :"schema".writer_instance(request));
  RETURN :"schema".operation_result(account, outcome, as_of);
END
$$;
