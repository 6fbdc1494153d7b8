-- Expiry. Grants and holds stop counting at their `expires_at` instant. The ledger applies that
-- lazily: the account row keeps the next instant anything expires (`next_expiry_at`), and every
-- write and balance read sweeps first when that instant has passed, so each behaves as if
-- expiry had happened on time.

-- The unheld rest of every grant past its expiry leaves with one entry and one event, and is
-- counted as lapsed. Credits held from it stay until their hold is captured, released or expires. A plan grant with a
-- rollover cap first carries up to the cap into a new grant (`roll_over_grant`, 26_plans.sql).
CREATE FUNCTION :"schema".expire_grants(account text, as_of timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  expired record;
  rest bigint;
BEGIN
  FOR expired IN
    SELECT id, remaining - held AS unheld, source, expires_at, rollover_cap > rolled_over AS rolls_over, carried_from
    FROM :"schema".grants
    WHERE account_id = account
      AND expires_at <= as_of
      AND remaining > held
    ORDER BY expires_at, seq
  LOOP
    rest := expired.unheld;
    IF expired.rolls_over THEN
      PERFORM :"schema".roll_over_grant(expired.id, as_of);
      SELECT remaining - held INTO rest FROM :"schema".grants WHERE id = expired.id;
      CONTINUE WHEN rest = 0;
    END IF;
    -- Lapsed credits count on the grant they came from: a reversal of it owes nothing for them.
    IF expired.carried_from IS NULL THEN
      UPDATE :"schema".grants SET remaining = held, lapsed = lapsed + rest WHERE id = expired.id;
    ELSE
      UPDATE :"schema".grants SET remaining = held WHERE id = expired.id;
      UPDATE :"schema".grants SET lapsed = lapsed + rest WHERE id = expired.carried_from;
    END IF;
    PERFORM :"schema".append_entry(
      account => account,
      entry_type => 'grant_expired',
      as_of => as_of,
      entry_amount => -rest,
      available_delta => -rest,
      entry_grant_id => expired.id,
      grant_source => expired.source,
      outbox_event => :"schema".grant_expired_event(expired.id, rest, expired.source, expired.expires_at)
    );
  END LOOP;
END
$$;

-- Applies every expiry due at `as_of`: holds first (their credits go back to their grants),
-- then grants; then records when the next one is due. Writes entries and events: callers name
-- it (`sweep`) and hold the account row lock.
CREATE FUNCTION :"schema".sweep_expired(account text, as_of timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  expired_hold record;
  allocation jsonb;
BEGIN
  FOR expired_hold IN
    SELECT id, amount, feature, allocations
    FROM :"schema".holds
    WHERE account_id = account
      AND status = 'active'
      AND expires_at <= as_of
    ORDER BY expires_at, seq
  LOOP
    FOR allocation IN SELECT jsonb_array_elements(expired_hold.allocations) LOOP
      UPDATE :"schema".grants
      SET held = held - (allocation->>'amount')::bigint
      WHERE id = (allocation->>'grantId')::uuid;
    END LOOP;
    UPDATE :"schema".holds SET status = 'expired', updated_at = as_of WHERE id = expired_hold.id;
    PERFORM :"schema".append_entry(
      account => account,
      entry_type => 'hold_expire',
      as_of => as_of,
      available_delta => expired_hold.amount,
      held_delta => -expired_hold.amount,
      feature_name => expired_hold.feature,
      entry_hold_id => expired_hold.id
    );
  END LOOP;
  PERFORM :"schema".expire_grants(account, as_of);
  UPDATE :"schema".accounts
  SET next_expiry_at = least(
    (SELECT min(expires_at) FROM :"schema".grants
     WHERE account_id = account AND remaining > 0 AND expires_at > as_of),
    (SELECT min(expires_at) FROM :"schema".holds
     WHERE account_id = account AND status = 'active')
  )
  WHERE id = account;
END
$$;
