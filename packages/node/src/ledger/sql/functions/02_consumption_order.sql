-- Consumption order, stated once for SQL (`compareConsumptionOrder` in domain.ts is the same
-- rule for the reference model): the grant that expires soonest first (never-expiring grants
-- last: an ascending sort puts NULL last), then the lower priority number, then the oldest.
--
-- Lists the grants that still count at `as_of`: credits left and not expired. Callers read the
-- rows as they come (a loop, or an aggregate with no join or grouping in between), so the order
-- holds. An inlinable SQL function: a caller's `LIMIT` or filter reaches the index scan.
CREATE FUNCTION :"schema".open_grants(account text, as_of timestamptz)
RETURNS SETOF :"schema".grants
LANGUAGE sql STABLE
AS $$
  SELECT *
  FROM :"schema".grants AS open_grant
  WHERE open_grant.account_id = account
    AND open_grant.remaining > 0
    AND (open_grant.expires_at IS NULL OR open_grant.expires_at > as_of)
  ORDER BY open_grant.expires_at, open_grant.priority, open_grant.seq
$$;
