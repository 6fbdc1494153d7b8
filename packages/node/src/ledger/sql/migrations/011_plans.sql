-- Migration 11: plans.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.
--
-- An account's plan assignment, and on each plan grant the key of the period it pays for and
-- what rolls over at its expiry. The unique index is what makes a period's grant exactly-once:
-- the idempotency record of the grant is pruned after a day, the key never is.

ALTER TABLE :"schema".grants
  ADD COLUMN plan_period_key text,
  ADD COLUMN rollover_cap bigint NOT NULL DEFAULT 0 CHECK (rollover_cap >= 0),
  ADD COLUMN rolled_over bigint NOT NULL DEFAULT 0 CHECK (rolled_over >= 0 AND rolled_over <= rollover_cap),
  ADD COLUMN rollover_expires_at timestamptz,
  ADD COLUMN carried_from uuid;
CREATE UNIQUE INDEX grants_plan_period_uq ON :"schema".grants (account_id, plan_period_key) WHERE plan_period_key IS NOT NULL;

CREATE TABLE :"schema".plan_assignments (
  account_id text PRIMARY KEY REFERENCES :"schema".accounts (id),
  plan_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'ended')),
  anchor_at timestamptz NOT NULL,
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL CHECK (period_end > period_start),
  pending_plan_id text,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  stripe_subscription_id text,
  updated_at timestamptz NOT NULL
);
-- The renewal scheduler's question: which server-renewed plans are due?
CREATE INDEX plan_assignments_due_idx ON :"schema".plan_assignments (period_end)
  WHERE status = 'active' AND stripe_subscription_id IS NULL;

-- Expiry warnings (`grant.expiring`): one row per grant and lead time warned about, so each
-- warning is sent once whatever the number of instances running the scheduler.
CREATE TABLE :"schema".grant_warnings (
  grant_id uuid NOT NULL REFERENCES :"schema".grants (id),
  lead_seconds integer NOT NULL CHECK (lead_seconds > 0),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (grant_id, lead_seconds)
);
-- The warning scheduler's question: which grants with credits left expire soon, on any account?
CREATE INDEX grants_expiring_idx ON :"schema".grants (expires_at) WHERE remaining > 0;
