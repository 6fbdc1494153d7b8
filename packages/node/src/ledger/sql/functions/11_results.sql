-- What writes and reads answer.

-- The balance as the API returns it, from an account row and its open grants (as JSON, in
-- consumption order). An expression, so the planner inlines it.
CREATE FUNCTION :"schema".balance_object(listed :"schema".accounts, open_grants jsonb)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object(
    'accountId', listed.id,
    'available', listed.available,
    'held', listed.held,
    'deficit', listed.deficit,
    'version', listed.version,
    'updatedAt', :"schema".epoch_ms(listed.updated_at),
    'grants', open_grants
  )
$$;

-- The balance of an account: its row (O(1) in the number of entries) and its open grants.
-- NULL for an unknown account.
CREATE FUNCTION :"schema".balance_json(account text, as_of timestamptz)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  balance jsonb;
BEGIN
  SELECT :"schema".balance_object(listed, (
    SELECT coalesce(jsonb_agg(:"schema".grant_json(open_grant)), '[]'::jsonb)
    FROM :"schema".open_grants(account, as_of) AS open_grant
  ))
  INTO balance
  FROM :"schema".accounts AS listed
  WHERE listed.id = account;
  RETURN balance;
END
$$;

-- Expands a stored outcome ({seq, grantId?, holdId?, reversed?, deficitAdded?} or an error)
-- into the full result: the entry, the hold and the balance now.
CREATE FUNCTION :"schema".operation_result(account text, outcome jsonb, as_of timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  result jsonb := outcome;
BEGIN
  IF outcome ? 'error' THEN
    RETURN outcome;
  END IF;
  IF outcome->>'seq' IS NOT NULL THEN
    result := result || jsonb_build_object('entry', (
      SELECT :"schema".entry_json(entry)
      FROM :"schema".entries AS entry
      WHERE entry.account_id = account
        AND entry.seq = (outcome->>'seq')::bigint
    ));
  END IF;
  IF outcome ? 'holdId' THEN
    result := result || jsonb_build_object('hold', (
      SELECT :"schema".hold_json(hold)
      FROM :"schema".holds AS hold
      WHERE hold.id = (outcome->>'holdId')::uuid
    ));
  END IF;
  RETURN result || jsonb_build_object('balance', :"schema".balance_json(account, as_of));
END
$$;
