-- Plans: the account's plan assignment and its period grants.

-- The assignment as the API returns it.
CREATE FUNCTION :"schema".plan_assignment_json(assignment :"schema".plan_assignments)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object(
    'accountId', assignment.account_id,
    'planId', assignment.plan_id,
    'status', assignment.status,
    'anchorAt', :"schema".epoch_ms(assignment.anchor_at),
    'periodStart', :"schema".epoch_ms(assignment.period_start),
    'periodEnd', :"schema".epoch_ms(assignment.period_end),
    'pendingPlanId', assignment.pending_plan_id,
    'cancelAtPeriodEnd', assignment.cancel_at_period_end,
    'stripeSubscriptionId', assignment.stripe_subscription_id,
    'updatedAt', :"schema".epoch_ms(assignment.updated_at)
  )
$$;

-- applyPlan(): stores the plan assignment and makes the plan grant it brings, in one
-- transaction. A period key that was granted before changes nothing: the unique index
-- grants_plan_period_uq backs this check, so two instances renewing the same period at once
-- grant it once (the second waits for the account row lock, then finds the key).
CREATE FUNCTION :"schema".aivah_apply_plan(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  as_of timestamptz := (request->>'now')::timestamptz;
  account text := request->>'accountId';
  assignment jsonb := request->'assignment';
  plan_grant jsonb := nullif(request->'grant', 'null'::jsonb);
  earlier record;
  granting record;
  granted jsonb;
  stored :"schema".plan_assignments;
BEGIN
  INSERT INTO :"schema".accounts (id, created_at, updated_at)
  VALUES (account, as_of, as_of)
  ON CONFLICT (id) DO NOTHING;
  PERFORM 1 FROM :"schema".accounts WHERE id = account FOR UPDATE;

  IF plan_grant IS NOT NULL THEN
    SELECT id, seq
    INTO earlier
    FROM :"schema".grants
    WHERE grants.account_id = account
      AND grants.plan_period_key = plan_grant->>'periodKey';
    IF FOUND THEN
      SELECT * INTO stored FROM :"schema".plan_assignments WHERE account_id = account;
      RETURN jsonb_build_object(
        'assignment', :"schema".plan_assignment_json(stored),
        'grant', :"schema".operation_result(account, jsonb_build_object('seq', earlier.seq, 'grantId', earlier.id), as_of),
        'replayed', true
      );
    END IF;
  END IF;

  -- A late or reordered change never moves the plan back to an earlier period.
  INSERT INTO :"schema".plan_assignments AS current (
    account_id, plan_id, status, anchor_at, period_start, period_end,
    pending_plan_id, cancel_at_period_end, stripe_subscription_id, updated_at
  )
  VALUES (
    account,
    assignment->>'planId',
    assignment->>'status',
    (assignment->>'anchorAt')::timestamptz,
    (assignment->>'periodStart')::timestamptz,
    (assignment->>'periodEnd')::timestamptz,
    assignment->>'pendingPlanId',
    (assignment->>'cancelAtPeriodEnd')::boolean,
    assignment->>'stripeSubscriptionId',
    as_of
  )
  ON CONFLICT (account_id) DO UPDATE
  SET plan_id = excluded.plan_id,
      status = excluded.status,
      anchor_at = excluded.anchor_at,
      period_start = excluded.period_start,
      period_end = excluded.period_end,
      pending_plan_id = excluded.pending_plan_id,
      cancel_at_period_end = excluded.cancel_at_period_end,
      stripe_subscription_id = excluded.stripe_subscription_id,
      updated_at = excluded.updated_at
  WHERE excluded.period_start >= current.period_start;

  IF plan_grant IS NOT NULL THEN
    -- The grant itself is an ordinary grant (deficit repayment, alerts, balance fan-out); its
    -- idempotency key is derived from the period key.
    granted := :"schema".aivah_grant(jsonb_build_object(
      'now', request->'now',
      'instanceId', request->'instanceId',
      'accountId', account,
      'amount', plan_grant->'amount',
      'source', 'plan',
      'expiresAt', plan_grant->'expiresAt',
      'priority', plan_grant->'priority',
      'description', plan_grant->'description',
      'metadata', plan_grant->'metadata',
      'idempotencyKey', 'plan-period:' || (plan_grant->>'periodKey'),
      'requestHash', 'plan-period'
    ));
    UPDATE :"schema".grants
    SET plan_period_key = plan_grant->>'periodKey',
        rollover_cap = (plan_grant->>'rolloverCap')::bigint,
        rollover_expires_at = (plan_grant->>'rolloverExpiresAt')::timestamptz,
        invoice_id = plan_grant->>'invoiceId'
    WHERE id = (granted->>'grantId')::uuid;

    -- A period granted after it ended (a missed renewal) expires at once, rolling over what its
    -- rollover allows; the alert rule sees the expiry as its own step, as in the memory model.
    IF (plan_grant->>'expiresAt')::timestamptz <= as_of THEN
      SELECT available, version INTO granting FROM :"schema".accounts WHERE id = account;
      PERFORM :"schema".sweep_expired(account, as_of);
      PERFORM :"schema".after_balance_change(account, granting.available, granting.version, as_of, request->>'instanceId');
      granted := :"schema".operation_result(account, jsonb_build_object('seq', granted->'seq', 'grantId', granted->'grantId'), as_of);
    END IF;
  END IF;

  SELECT * INTO stored FROM :"schema".plan_assignments WHERE account_id = account;
  RETURN jsonb_build_object(
    'assignment', :"schema".plan_assignment_json(stored),
    'grant', granted,
    'replayed', false
  );
END
$$;

-- Rollover: at the expiry of a plan grant with a rollover cap, up to the cap of its unheld rest
-- moves into a new plan grant that expires at the grant's rollover_expires_at, with one
-- `rollover` entry of amount 0 (the balance does not change, only which grant holds the
-- credits). Carried credits never roll over again (their rollover_cap is 0). Called by
-- expire_grants, under the account row lock.
CREATE FUNCTION :"schema".roll_over_grant(expired_grant_id uuid, as_of timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  expired :"schema".grants;
  carry bigint;
  carried_id uuid := gen_random_uuid();
BEGIN
  SELECT * INTO expired FROM :"schema".grants WHERE id = expired_grant_id;
  IF expired.rollover_expires_at IS NULL OR expired.rollover_expires_at <= as_of THEN
    RETURN;
  END IF;
  carry := least(expired.rollover_cap - expired.rolled_over, expired.remaining - expired.held);
  IF carry <= 0 THEN
    RETURN;
  END IF;
  UPDATE :"schema".grants
  SET remaining = remaining - carry,
      rolled_over = rolled_over + carry
  WHERE id = expired.id;
  INSERT INTO :"schema".grants (
    id, account_id, seq, source, amount, remaining, expires_at, priority, carried_from, created_at
  )
  SELECT
    carried_id, expired.account_id, accounts.version + 1, 'plan', carry, carry,
    expired.rollover_expires_at, expired.priority, expired.id, as_of
  FROM :"schema".accounts
  WHERE accounts.id = expired.account_id;
  PERFORM :"schema".append_entry(
    account => expired.account_id,
    entry_type => 'rollover',
    as_of => as_of,
    entry_grant_id => carried_id,
    grant_source => 'plan',
    entry_description => 'Rollover',
    entry_metadata => jsonb_build_object('fromGrantId', expired.id, 'credits', carry::text)
  );
  UPDATE :"schema".accounts
  SET next_expiry_at = least(next_expiry_at, expired.rollover_expires_at)
  WHERE id = expired.account_id;
END
$$;

-- Expiry warnings: for each grant with unspent, unheld credits that expires within the longest
-- lead time, the shortest lead time it is already within is warned about once (grant_warnings
-- is the once). A grant made a day before its expiry gets the 1-day warning, not also the 7-day
-- one. Returns the number of warnings written.
CREATE FUNCTION :"schema".aivah_warn_expiring(as_of timestamptz, lead_times integer[], max_warnings integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  written integer;
BEGIN
  WITH candidates AS (
    SELECT
      expiring.id,
      expiring.account_id,
      expiring.source,
      expiring.remaining,
      expiring.expires_at,
      (
        SELECT min(lead_time)
        FROM unnest(lead_times) AS lead_time
        WHERE expiring.expires_at - make_interval(secs => lead_time) <= as_of
      ) AS lead_seconds
    FROM :"schema".grants AS expiring
    WHERE expiring.remaining > expiring.held
      AND expiring.expires_at > as_of
      AND expiring.expires_at <= as_of + make_interval(secs => (SELECT max(lead_time) FROM unnest(lead_times) AS lead_time))
  ), unwarned AS (
    SELECT *
    FROM candidates
    WHERE NOT EXISTS (
      SELECT 1
      FROM :"schema".grant_warnings AS warned
      WHERE warned.grant_id = candidates.id
        AND warned.lead_seconds = candidates.lead_seconds
    )
    ORDER BY expires_at
    LIMIT max_warnings
  ), recorded AS (
    INSERT INTO :"schema".grant_warnings (grant_id, lead_seconds, created_at)
    SELECT id, lead_seconds, as_of
    FROM unwarned
    -- Another instance warned about it meanwhile: its row wins, and no second event is written.
    ON CONFLICT DO NOTHING
    RETURNING grant_id, lead_seconds
  ), emitted AS (
    INSERT INTO :"schema".outbox (id, type, account_id, data, created_at, next_attempt_at)
    SELECT gen_random_uuid(), event->>'type', unwarned.account_id, event->'data', as_of, as_of
    FROM recorded
    JOIN unwarned ON unwarned.id = recorded.grant_id
    CROSS JOIN LATERAL (
      SELECT :"schema".grant_expiring_event(unwarned.id, unwarned.remaining, unwarned.source, unwarned.expires_at, unwarned.lead_seconds) AS event
    ) AS built
    RETURNING 1
  )
  SELECT count(*) INTO written FROM emitted;
  RETURN written;
END
$$;

-- A grant's unspent credits expire within a lead time.
CREATE FUNCTION :"schema".grant_expiring_event(grant_id uuid, credits bigint, grant_source text, expires_at timestamptz, lead_seconds integer)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object('type', 'grant.expiring', 'data', jsonb_build_object(
    'grantId', grant_id,
    'source', grant_source,
    'amount', credits,
    'expiresAt', :"schema".iso_instant(expires_at),
    'leadTimeSeconds', lead_seconds
  ))
$$;
