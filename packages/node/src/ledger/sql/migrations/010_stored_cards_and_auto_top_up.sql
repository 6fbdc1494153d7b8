-- Migration 10: stored cards and auto top-up.
-- Released and frozen once merged: never edit this file after that (checksums.txt holds its
-- checksum); add a new migration instead.
--
-- Each account's Stripe Customer is kept with the account, so the server never has to find it
-- by a (slow, eventually consistent) metadata search. A purchase paid without Checkout (a stored
-- card, an auto top-up) is keyed by its PaymentIntent id in grants.checkout_session_id, which the
-- grant function reads as "the payment this purchase was credited for".

CREATE TABLE :"schema".payment_customers (
  account_id text PRIMARY KEY,
  customer_id text NOT NULL,
  created_at timestamptz NOT NULL
);

-- Auto top-up. The settings row holds the trigger's state (`armed` until a downward crossing,
-- again once available is at or above the threshold) and the account's state (`ok`,
-- `action_required` after the bank asked for authentication, `paused` after the retries of a
-- declined charge ran out). The flag on the account row lets every balance change skip the
-- settings lookup when auto top-up was never turned on.
ALTER TABLE :"schema".accounts ADD COLUMN auto_top_up boolean NOT NULL DEFAULT false;

CREATE TABLE :"schema".auto_top_up_settings (
  account_id text PRIMARY KEY REFERENCES :"schema".accounts (id),
  enabled boolean NOT NULL,
  mode text NOT NULL CHECK (mode IN ('absolute', 'usage_percent')),
  threshold bigint CHECK (threshold >= 0),
  percent numeric NOT NULL,
  package_id text NOT NULL,
  -- The package as the catalogue priced it when the settings were stored: the ledger does not
  -- know the catalogue, and the monthly amount cap needs the price in the consume's transaction.
  credits bigint NOT NULL CHECK (credits > 0),
  amount bigint NOT NULL CHECK (amount >= 0),
  currency text NOT NULL,
  monthly_count_cap integer CHECK (monthly_count_cap >= 0),
  monthly_amount_cap bigint CHECK (monthly_amount_cap >= 0),
  armed boolean NOT NULL DEFAULT true,
  state text NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'action_required', 'paused')),
  updated_at timestamptz NOT NULL
);

-- One row per downward crossing that started a top-up: the outbox of the auto top-up worker.
CREATE TABLE :"schema".top_ups (
  id uuid PRIMARY KEY,
  account_id text NOT NULL REFERENCES :"schema".accounts (id),
  -- The ledger entry whose write crossed the threshold: the charge's idempotency key derives from it.
  crossing_seq bigint NOT NULL,
  package_id text NOT NULL,
  credits bigint NOT NULL,
  amount bigint NOT NULL,
  currency text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'action_required', 'failed', 'canceled')),
  -- Declined charges so far; the next charge's idempotency key carries it.
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  locked_until timestamptz,
  payment_intent_id text,
  action_url text,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (account_id, crossing_seq)
);
-- At most one top-up in flight per account, whatever the number of instances.
CREATE UNIQUE INDEX top_ups_in_flight_uq ON :"schema".top_ups (account_id) WHERE status IN ('pending', 'action_required');
CREATE INDEX top_ups_due_idx ON :"schema".top_ups (next_attempt_at) WHERE status = 'pending';
CREATE INDEX top_ups_month_idx ON :"schema".top_ups (account_id, created_at);
