-- Entry points of the previous release, kept so that a rolling upgrade never breaks the instances
-- still running it: they call these names while the new instances have already migrated.

-- The previous release's balance read. Same result: the balance after due expiries, NULL for an
-- unknown account.
CREATE FUNCTION :"schema".aivah_touch(p_acct text, p_now timestamptz, p_notify text)
RETURNS jsonb
LANGUAGE sql
AS $$
  SELECT :"schema".aivah_sweep_then_read_balance(p_acct, p_now, p_notify)
$$;

-- The instance that sent a write, which its NOTIFY names so that the instance skips it. The
-- previous release's adapter sent it as `notify`; instances of both releases write side by side
-- during a rolling upgrade.
CREATE FUNCTION :"schema".writer_instance(request jsonb)
RETURNS text
LANGUAGE sql STABLE
AS $$
  SELECT coalesce(request->>'instanceId', request->>'notify')
$$;
