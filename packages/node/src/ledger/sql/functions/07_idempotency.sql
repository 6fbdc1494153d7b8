-- Idempotency records of ledger writes, one per (account, key), kept at least 24 hours. A record
-- stores the outcome only (the entry's seq, the grant or hold id, or the error), not the whole
-- response, which keeps the table small: a replay re-reads the balance as it is now.

-- Stores the outcome of a write, in the write's transaction.
CREATE FUNCTION :"schema".remember_outcome(account text, idempotency_key text, requested_hash text, outcome jsonb, as_of timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO :"schema".idempotency (account_id, key, request_hash, state, response, created_at)
  VALUES (account, idempotency_key, requested_hash, 'done', outcome, as_of);
END
$$;

-- Stores INSUFFICIENT_CREDITS as the outcome (a retry with the same key gets the same answer,
-- even after credits arrived) and returns it.
CREATE FUNCTION :"schema".refuse_insufficient(request jsonb, available_now bigint)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  refusal jsonb := :"schema".ledger_error('INSUFFICIENT_CREDITS', jsonb_build_object(
    'available', available_now,
    'required', (request->>'amount')::bigint
  ));
BEGIN
  PERFORM :"schema".remember_outcome(
    request->>'accountId', request->>'idempotencyKey', request->>'requestHash', refusal, (request->>'now')::timestamptz
  );
  RETURN refusal;
END
$$;

-- The result of an earlier call with this key, marked `replayed`; an error when the key was
-- used for another request or is still claimed; NULL when the key is new.
CREATE FUNCTION :"schema".previous_result(account text, idempotency_key text, requested_hash text, as_of timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  previous record;
BEGIN
  SELECT request_hash, state, response
  INTO previous
  FROM :"schema".idempotency
  WHERE account_id = account
    AND key = idempotency_key;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF previous.request_hash <> requested_hash THEN
    RETURN :"schema".ledger_error('IDEMPOTENCY_KEY_REUSED');
  END IF;
  IF previous.state <> 'done' THEN
    RETURN :"schema".ledger_error('IDEMPOTENCY_KEY_IN_USE');
  END IF;
  RETURN :"schema".operation_result(account, previous.response, as_of) || '{"replayed": true}';
END
$$;
