-- Migration 1: ledger tables.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.

CREATE TABLE :"schema".accounts (
  id text PRIMARY KEY,
  available bigint NOT NULL DEFAULT 0 CHECK (available >= 0),
  held bigint NOT NULL DEFAULT 0 CHECK (held >= 0),
  deficit bigint NOT NULL DEFAULT 0 CHECK (deficit >= 0),
  version bigint NOT NULL DEFAULT 0,
  next_expiry_at timestamptz,
  alert_enabled boolean NOT NULL DEFAULT true,
  alert_mode text NOT NULL DEFAULT 'usage_percent' CHECK (alert_mode IN ('absolute', 'usage_percent')),
  alert_threshold bigint,
  alert_percent numeric NOT NULL DEFAULT 25,
  alert_low boolean NOT NULL DEFAULT false,
  alert_updated_at timestamptz,
  usage_window bigint NOT NULL DEFAULT 0,
  threshold_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE TABLE :"schema".grants (
  id uuid PRIMARY KEY,
  account_id text NOT NULL REFERENCES :"schema".accounts (id),
  seq bigint NOT NULL,
  source text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  remaining bigint NOT NULL CHECK (remaining >= 0),
  held bigint NOT NULL DEFAULT 0 CHECK (held >= 0 AND held <= remaining),
  reversed bigint NOT NULL DEFAULT 0,
  expires_at timestamptz,
  priority integer NOT NULL,
  checkout_session_id text,
  created_at timestamptz NOT NULL
);
CREATE INDEX grants_open_idx ON :"schema".grants (account_id, expires_at) WHERE remaining > 0;
CREATE INDEX grants_checkout_idx ON :"schema".grants (account_id, checkout_session_id) WHERE checkout_session_id IS NOT NULL;
CREATE TABLE :"schema".entries (
  account_id text NOT NULL,
  seq bigint NOT NULL,
  id uuid NOT NULL,
  type text NOT NULL,
  amount bigint NOT NULL,
  balance_after bigint NOT NULL,
  feature text,
  grant_id uuid,
  hold_id uuid,
  source text,
  description text,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, seq)
);
CREATE TABLE :"schema".holds (
  id uuid PRIMARY KEY,
  account_id text NOT NULL,
  seq bigint NOT NULL,
  amount bigint NOT NULL,
  captured bigint NOT NULL DEFAULT 0,
  feature text NOT NULL,
  status text NOT NULL,
  expires_at timestamptz NOT NULL,
  description text,
  metadata jsonb NOT NULL DEFAULT '{}',
  allocations jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX holds_active_idx ON :"schema".holds (account_id, expires_at) WHERE status = 'active';
CREATE TABLE :"schema".usage_daily (
  account_id text NOT NULL,
  day date NOT NULL,
  feature text NOT NULL,
  total bigint NOT NULL,
  PRIMARY KEY (account_id, day, feature)
);
CREATE TABLE :"schema".idempotency (
  account_id text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  state text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, key)
);
CREATE TABLE :"schema".outbox (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL,
  type text NOT NULL,
  account_id text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  locked_until timestamptz,
  delivered_at timestamptz,
  last_error text
);
CREATE INDEX outbox_due_idx ON :"schema".outbox (next_attempt_at, seq) WHERE delivered_at IS NULL;
