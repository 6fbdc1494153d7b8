-- Takes `credits` from the unheld credits of the open grants, in consumption order: spends them
-- (remaining goes down) or, for a hold, reserves them (held goes up). The caller holds the
-- account row lock and has checked that enough credits are available.
-- Returns where the credits came from, in order: [{"grantId", "amount"}].
CREATE FUNCTION :"schema".take_from_grants(account text, credits bigint, as_of timestamptz, reserve boolean)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  source_grant record;
  covering_grant_id uuid;
  still_needed bigint := credits;
  taken bigint;
  allocations jsonb := '[]';
BEGIN
  -- Usually the first open grant covers it all: one statement instead of a loop.
  IF reserve THEN
    UPDATE :"schema".grants
    SET held = held + credits
    WHERE id = (SELECT id FROM :"schema".open_grants(account, as_of) WHERE remaining > held LIMIT 1)
      AND remaining - held >= credits
    RETURNING id INTO covering_grant_id;
  ELSE
    UPDATE :"schema".grants
    SET remaining = remaining - credits
    WHERE id = (SELECT id FROM :"schema".open_grants(account, as_of) WHERE remaining > held LIMIT 1)
      AND remaining - held >= credits
    RETURNING id INTO covering_grant_id;
  END IF;
  IF covering_grant_id IS NOT NULL THEN
    RETURN jsonb_build_array(jsonb_build_object('grantId', covering_grant_id, 'amount', credits));
  END IF;

  FOR source_grant IN
    SELECT id, remaining - held AS unheld
    FROM :"schema".open_grants(account, as_of)
    WHERE remaining > held
  LOOP
    taken := least(source_grant.unheld, still_needed);
    IF reserve THEN
      UPDATE :"schema".grants SET held = held + taken WHERE id = source_grant.id;
    ELSE
      UPDATE :"schema".grants SET remaining = remaining - taken WHERE id = source_grant.id;
    END IF;
    allocations := allocations || jsonb_build_object('grantId', source_grant.id, 'amount', taken);
    still_needed := still_needed - taken;
    EXIT WHEN still_needed = 0;
  END LOOP;
  RETURN allocations;
END
$$;
