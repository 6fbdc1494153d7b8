-- Runs before the function files are applied again: drops every function of the ledger schema,
-- so that a renamed function or a changed signature leaves nothing stale behind (CREATE OR
-- REPLACE can change neither a parameter name nor a return type). Versioned migrations never
-- call these functions, so nothing else depends on them.
DO $drop$
DECLARE
  stale_function regprocedure;
BEGIN
  FOR stale_function IN
    SELECT listed.oid::regprocedure
    FROM pg_proc AS listed
    WHERE listed.pronamespace = :'schema'::regnamespace
      AND listed.prokind = 'f'
  LOOP
    EXECUTE 'DROP FUNCTION ' || stale_function::text;
  END LOOP;
END
$drop$;
