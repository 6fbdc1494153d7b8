-- Migration 15: refunds and disputes of plan invoices.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.
--
-- A plan grant paid by an invoice (a Stripe subscription's period, or an upgrade's prorated
-- difference) records the invoice, so that a refund or dispute of the invoice finds its grant
-- (`reversePlanGrant`, functions/23_reverse.sql). And every grant counts its credits that expired
-- unspent (`lapsed`; the credits a grant carried over count on the grant they came from): a
-- reversal takes those as already gone, so credits nobody spent never become deficit.

ALTER TABLE :"schema".grants
  ADD COLUMN invoice_id text,
  ADD COLUMN lapsed bigint NOT NULL DEFAULT 0 CHECK (lapsed >= 0);
CREATE INDEX grants_invoice_idx ON :"schema".grants (account_id, invoice_id) WHERE invoice_id IS NOT NULL;

-- Plan grants made before: `invoice.paid` wrote the invoice into the grant entry's metadata
-- (the grant entry has the grant's own sequence number).
UPDATE :"schema".grants AS plan_grant
SET invoice_id = granted.metadata->>'invoiceId'
FROM :"schema".entries AS granted
WHERE plan_grant.source = 'plan'
  AND granted.account_id = plan_grant.account_id
  AND granted.seq = plan_grant.seq
  AND granted.type = 'grant'
  AND granted.metadata ? 'invoiceId';

-- Credits of plan grants (and of what they carried over) that lapsed before, from their
-- `grant_expired` entries. Plan grants were never reversed before this migration, so none of
-- them was counted yet. Only accounts with plan grants are read.
UPDATE :"schema".grants AS origin
SET lapsed = expired.credits
FROM (
  SELECT coalesce(expired_grant.carried_from, expired_grant.id) AS grant_id, sum(-expiry.amount) AS credits
  FROM :"schema".entries AS expiry
  JOIN :"schema".grants AS expired_grant ON expired_grant.id = expiry.grant_id
  WHERE expiry.type = 'grant_expired'
    AND expired_grant.source = 'plan'
    AND expiry.account_id IN (SELECT account_id FROM :"schema".grants WHERE source = 'plan' AND plan_period_key IS NOT NULL)
  GROUP BY 1
) AS expired
WHERE origin.id = expired.grant_id
  AND origin.source = 'plan';
