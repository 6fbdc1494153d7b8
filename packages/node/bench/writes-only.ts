/** The floor under any consume, for the benchmarks (see {@link writesOnlySql}). */

/**
 * The floor under any consume on this machine: the rows a consume must write (the grant it takes
 * from, the account, the entry, the day's usage and the idempotency record) and the answer it must
 * give (the entry and the balance with its open grants), in one statement after the account lock,
 * with none of the ledger's rules (no replay answers, expiry sweep, refusal record, alert rule,
 * auto top-up or NOTIFY check). Benchmark-only: it serves the common case and nothing else. The gap
 * between it and the raw UPDATE is the price of the data model; the gap between it and the consume
 * is the price of the rules. Used by `bench:ledger` (from the pool, through the same group
 * commit as the ledger) and `bench:server` (behind the bare endpoint, at concurrency 1).
 */
export function writesOnlySql(s: string): string {
  return `CREATE FUNCTION ${s}.bench_consume_writes_only(request jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  account text := request->>'accountId';
  credits bigint := (request->>'amount')::bigint;
  as_of timestamptz := now();
  answer jsonb;
BEGIN
  PERFORM 1 FROM ${s}.accounts WHERE id = account FOR UPDATE;
  WITH taken AS (
    UPDATE ${s}.grants
    SET remaining = remaining - credits
    WHERE id = (SELECT id FROM ${s}.open_grants(account, as_of) WHERE remaining > held LIMIT 1)
      AND remaining - held >= credits
    RETURNING grants.id
  ), moved AS (
    UPDATE ${s}.accounts
    SET available = available - credits, usage_window = usage_window + credits, version = version + 1, updated_at = as_of
    FROM taken
    WHERE accounts.id = account
    RETURNING accounts.*
  ), inserted AS (
    INSERT INTO ${s}.entries (account_id, seq, id, type, amount, balance_after, feature, grant_id, created_at)
    SELECT account, moved.version, gen_random_uuid(), 'consume', -credits, moved.available + moved.held, request->>'feature', taken.id, as_of
    FROM moved, taken
    RETURNING *
  ), used AS (
    INSERT INTO ${s}.usage_daily AS existing (account_id, day, feature, total)
    SELECT account, ${s}.utc_day(as_of), request->>'feature', credits
    FROM moved
    ON CONFLICT (account_id, day, feature) DO UPDATE
    SET total = existing.total + excluded.total
  ), remembered AS (
    INSERT INTO ${s}.idempotency (account_id, key, request_hash, state, response, created_at)
    SELECT account, request->>'idempotencyKey', request->>'requestHash', 'done', jsonb_build_object('seq', moved.version), as_of
    FROM moved
  )
  SELECT jsonb_build_object('entry', ${s}.entry_json(inserted), 'balance', ${s}.balance_object(moved, (
    SELECT coalesce(jsonb_agg(${s}.grant_json(open_grant)), '[]'::jsonb)
    FROM ${s}.open_grants(account, as_of) AS open_grant
  )))
  INTO answer
  FROM inserted, moved;
  RETURN answer;
END
$$;

-- The group-commit form, as aivah_consume_batch: in account order, results in request order.
CREATE FUNCTION ${s}.bench_consume_writes_only_batch(requests jsonb)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  queued record;
  results jsonb[] := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(requests)]);
BEGIN
  FOR queued IN
    SELECT request, position
    FROM jsonb_array_elements(requests) WITH ORDINALITY AS listed(request, position)
    ORDER BY request->>'accountId', position
  LOOP
    results[queued.position] := ${s}.bench_consume_writes_only(queued.request);
  END LOOP;
  RETURN to_jsonb(results);
END
$$`;
}
