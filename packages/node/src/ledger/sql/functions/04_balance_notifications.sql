-- Balance changes fan out to other server instances through NOTIFY. The channel name lives here
-- and nowhere else in SQL (`BALANCE_CHANNEL` in postgres.ts is the TypeScript side). The payload
-- names the schema, so several ledgers can share a database, and the instance that made the
-- change, so that instance can skip its own notification: it told its listeners already.
CREATE FUNCTION :"schema".notify_balance_change(account text, instance_id text, version bigint)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  IF instance_id IS NULL THEN
    RETURN; -- nobody listens across instances (PGlite, or a ledger without fan-out)
  END IF;
  PERFORM pg_notify(
    'aivah_credits_balance',
    json_build_object('s', :'schema', 'a', account, 'i', instance_id, 'v', version)::text
  );
END
$$;
