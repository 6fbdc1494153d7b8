-- Purchase records: written by the `purchase` grant, updated by reversals and receipts.
-- The same rules in TypeScript: ledger/purchases.ts and the memory adapter.

CREATE FUNCTION :"schema".purchase_json(purchase :"schema".purchases)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object(
    'id', purchase.id,
    'accountId', purchase.account_id,
    'seq', purchase.seq,
    'status', purchase.status,
    'packageId', purchase.package_id,
    'credits', purchase.credits,
    'creditsReversed', purchase.credits_reversed,
    'amountTotal', purchase.amount_total,
    'currency', purchase.currency,
    'grantId', purchase.grant_id,
    'checkoutSessionId', purchase.checkout_session_id,
    'paymentIntentId', purchase.payment_intent_id,
    'invoiceId', purchase.invoice_id,
    'receiptUrl', purchase.receipt_url,
    'createdAt', :"schema".epoch_ms(purchase.created_at),
    'updatedAt', :"schema".epoch_ms(purchase.updated_at)
  )
$$;

-- Called by aivah_grant for a new `purchase` grant, in its transaction: one record per grant
-- (a replayed or duplicate grant returns before it gets here).
CREATE FUNCTION :"schema".record_purchase(
  account text,
  purchase_grant_id uuid,
  grant_seq bigint,
  credits bigint,
  purchase jsonb,
  as_of timestamptz
)
RETURNS void
LANGUAGE sql
AS $$
  INSERT INTO :"schema".purchases (
    id, account_id, seq, grant_id, status, package_id, credits, amount_total, currency,
    checkout_session_id, payment_intent_id, invoice_id, receipt_url, created_at, updated_at
  )
  VALUES (
    gen_random_uuid(), account, grant_seq, purchase_grant_id, 'paid', purchase->>'packageId', credits,
    (purchase->>'amountTotal')::bigint, purchase->>'currency',
    purchase->>'checkoutSessionId', purchase->>'paymentIntentId', purchase->>'invoiceId', purchase->>'receiptUrl',
    as_of, as_of
  )
$$;

-- Called by aivah_reverse after it moved the grant's reversed credits, in its transaction. The
-- status rule is `statusAfterReversal` in ledger/purchases.ts: a dispute is final, refunds count
-- the credits taken back.
CREATE FUNCTION :"schema".purchase_reversed(purchase_grant_id uuid, reason text, as_of timestamptz)
RETURNS void
LANGUAGE sql
AS $$
  UPDATE :"schema".purchases AS purchase
  SET credits_reversed = reversed_grant.reversed,
      status = CASE
        WHEN reason = 'dispute' OR purchase.status = 'disputed' THEN 'disputed'
        WHEN reversed_grant.reversed >= purchase.credits THEN 'refunded'
        WHEN reversed_grant.reversed > 0 THEN 'partially_refunded'
        ELSE purchase.status
      END,
      updated_at = as_of
  FROM :"schema".grants AS reversed_grant
  WHERE reversed_grant.id = purchase_grant_id
    AND purchase.grant_id = purchase_grant_id
$$;

-- recordPurchaseReceipt(): stores the receipt URL (and invoice) of the purchase of a Checkout
-- Session, or else of a PaymentIntent. NULL when there is no such purchase. Writing what is
-- already stored changes nothing, not even updated_at.
CREATE FUNCTION :"schema".aivah_record_purchase_receipt(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  account text := request->>'accountId';
  session_id text := nullif(request->>'checkoutSessionId', '');
  intent_id text := nullif(request->>'paymentIntentId', '');
  receipt text := request->>'receiptUrl';
  listed :"schema".purchases;
  updated :"schema".purchases;
BEGIN
  SELECT *
  INTO listed
  FROM :"schema".purchases AS purchase
  WHERE purchase.account_id = account
    AND CASE
      WHEN session_id IS NOT NULL THEN purchase.checkout_session_id = session_id
      ELSE purchase.payment_intent_id = intent_id
    END
  FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF listed.receipt_url IS NOT DISTINCT FROM receipt
    AND listed.invoice_id IS NOT DISTINCT FROM coalesce(request->>'invoiceId', listed.invoice_id) THEN
    RETURN :"schema".purchase_json(listed);
  END IF;
  UPDATE :"schema".purchases AS purchase
  SET receipt_url = receipt,
      invoice_id = coalesce(request->>'invoiceId', purchase.invoice_id),
      updated_at = (request->>'now')::timestamptz
  WHERE purchase.id = listed.id
  RETURNING * INTO updated;
  RETURN :"schema".purchase_json(updated);
END
$$;

-- The first seq of an account whose entry was created at or after `instant`, found by binary
-- search over the primary key (about 20 probes for a million entries) instead of a scan: the
-- CSV export reads ranges of the ledger this way without an index on created_at, which would
-- cost every consume an index write. Seqs are dense (1 to the account's version) and created_at
-- rises with seq up to the time a write waited for the account lock or clocks of instances differ,
-- so callers widen the instant by a margin and then filter on created_at exactly.
CREATE FUNCTION :"schema".entry_seq_from(account text, instant timestamptz)
RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  low bigint := 1;
  high bigint;
  middle bigint;
  middle_created_at timestamptz;
BEGIN
  SELECT version + 1
  INTO high
  FROM :"schema".accounts
  WHERE id = account;
  IF NOT FOUND THEN
    RETURN 1;
  END IF;
  -- Every seq below `low` was created before the instant; `high` and above at or after it.
  WHILE low < high LOOP
    middle := (low + high) / 2;
    SELECT created_at
    INTO middle_created_at
    FROM :"schema".entries
    WHERE account_id = account
      AND seq = middle;
    IF middle_created_at < instant THEN
      low := middle + 1;
    ELSE
      high := middle;
    END IF;
  END LOOP;
  RETURN low;
END
$$;
