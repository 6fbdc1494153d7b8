-- Migration 12: purchase records.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.
--
-- One row per fulfilled purchase: what was bought and paid, its Stripe ids (a Checkout Session,
-- a PaymentIntent, or both), its receipt URL, and what refunds and disputes made of it. The
-- `purchase` grant writes it in the same transaction (functions/30_purchases.sql). `seq` is the
-- grant entry's sequence number: purchases are listed newest first by it, like the ledger.

CREATE TABLE :"schema".purchases (
  id uuid PRIMARY KEY,
  account_id text NOT NULL,
  seq bigint NOT NULL,
  grant_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('paid', 'partially_refunded', 'refunded', 'disputed')),
  package_id text NOT NULL,
  credits bigint NOT NULL CHECK (credits > 0),
  credits_reversed bigint NOT NULL DEFAULT 0 CHECK (credits_reversed >= 0),
  amount_total bigint NOT NULL CHECK (amount_total >= 0),
  currency text NOT NULL,
  checkout_session_id text,
  payment_intent_id text,
  invoice_id text,
  receipt_url text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX purchases_account_seq_uq ON :"schema".purchases (account_id, seq);
CREATE UNIQUE INDEX purchases_grant_uq ON :"schema".purchases (grant_id);
-- A payment is one purchase: the backstop if two triggers ever tried to record it twice.
CREATE UNIQUE INDEX purchases_checkout_uq ON :"schema".purchases (account_id, checkout_session_id)
  WHERE checkout_session_id IS NOT NULL;
CREATE UNIQUE INDEX purchases_payment_intent_uq ON :"schema".purchases (account_id, payment_intent_id)
  WHERE payment_intent_id IS NOT NULL;

-- Purchases credited before this migration, from their `credits.purchased` outbox event (it holds
-- the package, the amount and the Stripe ids). Events already pruned by retention cannot be
-- recovered: those purchases stay in the ledger as grants but are not listed.
INSERT INTO :"schema".purchases (
  id, account_id, seq, grant_id, status, package_id, credits, credits_reversed,
  amount_total, currency, checkout_session_id, payment_intent_id, created_at, updated_at
)
SELECT
  gen_random_uuid(),
  purchase_grant.account_id,
  purchase_grant.seq,
  purchase_grant.id,
  CASE
    WHEN EXISTS (
      SELECT 1
      FROM :"schema".entries AS reversal
      WHERE reversal.account_id = purchase_grant.account_id
        AND reversal.grant_id = purchase_grant.id
        AND reversal.type = 'reversal'
        AND reversal.metadata->>'reason' = 'dispute'
    ) THEN 'disputed'
    WHEN purchase_grant.reversed >= purchase_grant.amount THEN 'refunded'
    WHEN purchase_grant.reversed > 0 THEN 'partially_refunded'
    ELSE 'paid'
  END,
  purchased.data->>'packageId',
  purchase_grant.amount,
  purchase_grant.reversed,
  (purchased.data->>'amountTotal')::bigint,
  purchased.data->>'currency',
  purchase_grant.checkout_session_id,
  purchased.data->>'paymentIntentId',
  purchase_grant.created_at,
  purchase_grant.created_at
FROM :"schema".grants AS purchase_grant
JOIN :"schema".outbox AS purchased
  ON purchased.type = 'credits.purchased'
  AND purchased.account_id = purchase_grant.account_id
  AND purchased.data->>'grantId' = purchase_grant.id::text
WHERE purchase_grant.source = 'purchase'
  AND purchased.data->>'packageId' IS NOT NULL
  AND purchased.data->>'amountTotal' IS NOT NULL
  AND purchased.data->>'currency' IS NOT NULL;
