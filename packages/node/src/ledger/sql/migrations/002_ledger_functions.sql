-- Migration 2: ledger functions.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.

CREATE FUNCTION :"schema"._ms(t timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$
  SELECT round(extract(epoch FROM t) * 1000)::bigint
$f$;

CREATE FUNCTION :"schema"._append(p_acct text, p_type text, p_amount bigint, p_davail bigint, p_dheld bigint, p_ddef bigint,
  p_feature text, p_grant uuid, p_hold uuid, p_source text, p_desc text, p_meta jsonb, p_now timestamptz, p_id uuid DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE v_seq bigint; v_bal bigint;
BEGIN
  UPDATE :"schema".accounts SET available = available + p_davail, held = held + p_dheld, deficit = deficit + p_ddef,
    version = version + 1, updated_at = p_now
  WHERE id = p_acct RETURNING version, available + held INTO v_seq, v_bal;
  INSERT INTO :"schema".entries (account_id, seq, id, type, amount, balance_after, feature, grant_id, hold_id, source, description, metadata, created_at)
  VALUES (p_acct, v_seq, coalesce(p_id, gen_random_uuid()), p_type, p_amount, v_bal, p_feature, p_grant, p_hold, p_source, p_desc, coalesce(p_meta, '{}'), p_now);
  RETURN v_seq;
END $f$;

CREATE FUNCTION :"schema"._emit(p_acct text, p_type text, p_data jsonb, p_now timestamptz) RETURNS void LANGUAGE sql AS $f$
  INSERT INTO :"schema".outbox (id, type, account_id, data, created_at, next_attempt_at) VALUES (gen_random_uuid(), p_type, p_acct, p_data, p_now, p_now)
$f$;

CREATE FUNCTION :"schema"._usage(p_acct text, p_feature text, p_amount bigint, p_now timestamptz) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO :"schema".usage_daily AS u (account_id, day, feature, total) VALUES (p_acct, (p_now AT TIME ZONE 'UTC')::date, p_feature, p_amount)
  ON CONFLICT (account_id, day, feature) DO UPDATE SET total = u.total + excluded.total;
  UPDATE :"schema".accounts SET usage_window = usage_window + p_amount WHERE id = p_acct;
END $f$;

CREATE FUNCTION :"schema"._usage30(p_acct text, p_now timestamptz) RETURNS bigint LANGUAGE sql STABLE AS $f$
  SELECT coalesce(sum(total), 0)::bigint FROM :"schema".usage_daily
  WHERE account_id = p_acct AND day BETWEEN (p_now AT TIME ZONE 'UTC')::date - 29 AND (p_now AT TIME ZONE 'UTC')::date
$f$;

CREATE FUNCTION :"schema"._expire_grants(p_acct text, p_now timestamptz) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE g record;
BEGIN
  FOR g IN SELECT id, remaining - held AS rest, source, expires_at FROM :"schema".grants
    WHERE account_id = p_acct AND remaining > 0 AND expires_at <= p_now AND remaining > held ORDER BY expires_at, seq
  LOOP
    UPDATE :"schema".grants SET remaining = held WHERE id = g.id;
    PERFORM :"schema"._append(p_acct, 'grant_expired', -g.rest, -g.rest, 0, 0, NULL, g.id, NULL, g.source, NULL, NULL, p_now);
    PERFORM :"schema"._emit(p_acct, 'grant.expired', jsonb_build_object('grantId', g.id, 'amount', g.rest, 'source', g.source,
      'expiresAt', to_char(g.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), p_now);
  END LOOP;
END $f$;

CREATE FUNCTION :"schema"._sweep(p_acct text, p_now timestamptz) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE h record; al jsonb;
BEGIN
  FOR h IN SELECT id, amount, feature, allocations FROM :"schema".holds
    WHERE account_id = p_acct AND status = 'active' AND expires_at <= p_now ORDER BY expires_at, seq
  LOOP
    FOR al IN SELECT x FROM jsonb_array_elements(h.allocations) AS t(x) LOOP
      UPDATE :"schema".grants SET held = held - (al->>'a')::bigint WHERE id = (al->>'g')::uuid;
    END LOOP;
    UPDATE :"schema".holds SET status = 'expired', updated_at = p_now WHERE id = h.id;
    PERFORM :"schema"._append(p_acct, 'hold_expire', 0, h.amount, -h.amount, 0, h.feature, NULL, h.id, NULL, NULL, NULL, p_now);
  END LOOP;
  PERFORM :"schema"._expire_grants(p_acct, p_now);
  UPDATE :"schema".accounts SET next_expiry_at = least(
    (SELECT min(expires_at) FROM :"schema".grants WHERE account_id = p_acct AND remaining > 0 AND expires_at > p_now),
    (SELECT min(expires_at) FROM :"schema".holds WHERE account_id = p_acct AND status = 'active'))
  WHERE id = p_acct;
END $f$;

CREATE FUNCTION :"schema"._finish(p_acct text, p_before bigint, p_version bigint, p_now timestamptz, p_notify text)
RETURNS void LANGUAGE plpgsql AS $f$
DECLARE a record; v_t bigint; v_u bigint; v_low boolean;
BEGIN
  SELECT available, version, alert_enabled, alert_mode, alert_threshold, alert_percent, alert_low, usage_window, threshold_at
    INTO a FROM :"schema".accounts WHERE id = p_acct;
  IF a.available <> p_before THEN
    IF a.alert_mode = 'absolute' THEN
      v_t := coalesce(a.alert_threshold, 0);
    ELSE
      v_u := a.usage_window;
      IF a.threshold_at IS NULL OR p_now - a.threshold_at >= interval '1 hour' THEN
        v_u := :"schema"._usage30(p_acct, p_now);
        UPDATE :"schema".accounts SET usage_window = v_u, threshold_at = p_now WHERE id = p_acct;
      END IF;
      v_t := ceil(a.alert_percent * v_u / 100)::bigint;
    END IF;
    v_low := a.alert_low;
    IF a.available < p_before THEN
      IF p_before > 0 AND a.available = 0 THEN
        PERFORM :"schema"._emit(p_acct, 'balance.depleted', jsonb_build_object('available', 0), p_now);
      END IF;
      IF a.alert_enabled AND NOT v_low AND a.available < v_t THEN
        v_low := true;
        PERFORM :"schema"._emit(p_acct, 'balance.low', jsonb_build_object('available', a.available, 'threshold', v_t), p_now);
      END IF;
    END IF;
    IF v_low AND a.available >= v_t THEN v_low := false; END IF;
    IF v_low <> a.alert_low THEN UPDATE :"schema".accounts SET alert_low = v_low WHERE id = p_acct; END IF;
  END IF;
  IF p_notify IS NOT NULL AND a.version <> p_version THEN
    PERFORM pg_notify('aivah_credits_balance', json_build_object('s', :'schema', 'a', p_acct, 'i', p_notify, 'v', a.version)::text);
  END IF;
END $f$;

CREATE FUNCTION :"schema"._entry_json(e :"schema".entries) RETURNS jsonb LANGUAGE sql STABLE AS $f$
  SELECT jsonb_build_object('id', e.id, 'accountId', e.account_id, 'seq', e.seq, 'type', e.type, 'amount', e.amount,
    'balanceAfter', e.balance_after, 'feature', e.feature, 'grantId', e.grant_id, 'holdId', e.hold_id, 'source', e.source,
    'description', e.description, 'metadata', e.metadata, 'createdAt', :"schema"._ms(e.created_at))
$f$;

CREATE FUNCTION :"schema"._balance(p_acct text, p_now timestamptz) RETURNS jsonb LANGUAGE sql STABLE AS $f$
  SELECT jsonb_build_object('accountId', a.id, 'available', a.available, 'held', a.held, 'deficit', a.deficit,
    'version', a.version, 'updatedAt', :"schema"._ms(a.updated_at), 'grants', coalesce((
      SELECT jsonb_agg(jsonb_build_object('id', g.id, 'source', g.source, 'amount', g.amount, 'remaining', g.remaining,
        'expiresAt', :"schema"._ms(g.expires_at), 'priority', g.priority, 'createdAt', :"schema"._ms(g.created_at))
        ORDER BY g.expires_at, g.priority, g.seq)
      FROM :"schema".grants g WHERE g.account_id = a.id AND g.remaining > 0 AND (g.expires_at IS NULL OR g.expires_at > p_now)), '[]'::jsonb))
  FROM :"schema".accounts a WHERE a.id = p_acct
$f$;

CREATE FUNCTION :"schema"._hold_json(p_id uuid) RETURNS jsonb LANGUAGE sql STABLE AS $f$
  SELECT jsonb_build_object('id', h.id, 'accountId', h.account_id, 'amount', h.amount, 'captured', h.captured, 'feature', h.feature,
    'status', h.status, 'expiresAt', :"schema"._ms(h.expires_at), 'createdAt', :"schema"._ms(h.created_at), 'updatedAt', :"schema"._ms(h.updated_at),
    'description', h.description, 'metadata', h.metadata)
  FROM :"schema".holds h WHERE h.id = p_id
$f$;

CREATE FUNCTION :"schema"._result(p_acct text, p_resp jsonb, p_now timestamptz) RETURNS jsonb LANGUAGE plpgsql STABLE AS $f$
DECLARE r jsonb := p_resp;
BEGIN
  IF p_resp ? 'error' THEN RETURN p_resp; END IF;
  IF p_resp->>'seq' IS NOT NULL THEN
    r := r || jsonb_build_object('entry', (SELECT :"schema"._entry_json(e) FROM :"schema".entries e WHERE e.account_id = p_acct AND e.seq = (p_resp->>'seq')::bigint));
  END IF;
  IF p_resp ? 'holdId' THEN r := r || jsonb_build_object('hold', :"schema"._hold_json((p_resp->>'holdId')::uuid)); END IF;
  RETURN r || jsonb_build_object('balance', :"schema"._balance(p_acct, p_now));
END $f$;

CREATE FUNCTION :"schema"._replay(p_acct text, p_key text, p_hash text, p_now timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE i record;
BEGIN
  SELECT request_hash, state, response INTO i FROM :"schema".idempotency WHERE account_id = p_acct AND key = p_key;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF i.request_hash <> p_hash THEN RETURN '{"error":{"code":"IDEMPOTENCY_KEY_REUSED"}}'; END IF;
  IF i.state <> 'done' THEN RETURN '{"error":{"code":"IDEMPOTENCY_KEY_IN_USE"}}'; END IF;
  RETURN :"schema"._result(p_acct, i.response, p_now) || '{"replayed":true}';
END $f$;

CREATE FUNCTION :"schema"._store(p_acct text, p_key text, p_hash text, p_resp jsonb, p_now timestamptz) RETURNS void LANGUAGE sql AS $f$
  INSERT INTO :"schema".idempotency (account_id, key, request_hash, state, response, created_at) VALUES (p_acct, p_key, p_hash, 'done', p_resp, p_now)
$f$;

-- Takes p_amount from unheld grant credits in consumption order. Spends them (p_hold = false) or
-- reserves them (p_hold = true). Returns the allocations [{g, a}] in order.
CREATE FUNCTION :"schema"._allocate(p_acct text, p_amount bigint, p_hold boolean) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE g record; v_left bigint := p_amount; v_take bigint; v_out jsonb := '[]';
BEGIN
  FOR g IN SELECT id, remaining - held AS free FROM :"schema".grants
    WHERE account_id = p_acct AND remaining > 0 AND remaining > held ORDER BY expires_at, priority, seq
  LOOP
    v_take := least(g.free, v_left);
    IF p_hold THEN UPDATE :"schema".grants SET held = held + v_take WHERE id = g.id;
    ELSE UPDATE :"schema".grants SET remaining = remaining - v_take WHERE id = g.id; END IF;
    v_out := v_out || jsonb_build_array(jsonb_build_object('g', g.id, 'a', v_take));
    v_left := v_left - v_take;
    EXIT WHEN v_left = 0;
  END LOOP;
  RETURN v_out;
END $f$;

CREATE FUNCTION :"schema"._insufficient(p_acct text, p jsonb, p_available bigint, p_now timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE v jsonb := jsonb_build_object('error', jsonb_build_object('code', 'INSUFFICIENT_CREDITS',
  'details', jsonb_build_object('available', p_available, 'required', (p->>'amount')::bigint)));
BEGIN
  PERFORM :"schema"._store(p_acct, p->>'idempotencyKey', p->>'requestHash', v, p_now);
  RETURN v;
END $f$;

CREATE FUNCTION :"schema"._consume_slow(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE
  v_now timestamptz := (p->>'now')::timestamptz; v_acct text := p->>'accountId'; v_amount bigint := (p->>'amount')::bigint;
  a record; v_r jsonb; v_alloc jsonb; v_seq bigint; v_avail bigint; v_eid uuid := gen_random_uuid();
BEGIN
  SELECT available, version, next_expiry_at INTO a FROM :"schema".accounts WHERE id = v_acct FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":{"code":"ACCOUNT_NOT_FOUND"}}'; END IF;
  v_r := :"schema"._replay(v_acct, p->>'idempotencyKey', p->>'requestHash', v_now);
  IF v_r IS NOT NULL THEN RETURN v_r; END IF;
  v_avail := a.available;
  IF a.next_expiry_at <= v_now THEN
    PERFORM :"schema"._sweep(v_acct, v_now);
    SELECT available INTO v_avail FROM :"schema".accounts WHERE id = v_acct;
  END IF;
  IF v_avail < v_amount THEN
    v_r := :"schema"._insufficient(v_acct, p, v_avail, v_now);
    PERFORM :"schema"._finish(v_acct, a.available, a.version, v_now, p->>'notify');
    RETURN v_r;
  END IF;
  v_alloc := :"schema"._allocate(v_acct, v_amount, false);
  v_seq := :"schema"._append(v_acct, 'consume', -v_amount, -v_amount, 0, 0, p->>'feature', (v_alloc->0->>'g')::uuid, NULL, NULL,
    p->>'description', p->'metadata', v_now, v_eid);
  PERFORM :"schema"._usage(v_acct, p->>'feature', v_amount, v_now);
  PERFORM :"schema"._emit(v_acct, 'credits.consumed', jsonb_build_object('entryId', v_eid, 'amount', v_amount, 'feature', p->>'feature',
    'holdId', NULL, 'available', v_avail - v_amount), v_now);
  v_r := jsonb_build_object('seq', v_seq);
  PERFORM :"schema"._store(v_acct, p->>'idempotencyKey', p->>'requestHash', v_r, v_now);
  PERFORM :"schema"._finish(v_acct, a.available, a.version, v_now, p->>'notify');
  RETURN :"schema"._result(v_acct, v_r, v_now);
END $f$;

CREATE FUNCTION :"schema".aivah_consume(p jsonb) RETURNS jsonb LANGUAGE sql AS $f$ SELECT :"schema"._consume_slow(p) $f$;

CREATE FUNCTION :"schema".aivah_consume_batch(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE x jsonb; v_out jsonb := '[]';
BEGIN
  FOR x IN SELECT t.x FROM jsonb_array_elements(p) WITH ORDINALITY AS t(x, i) ORDER BY t.i LOOP
    v_out := v_out || jsonb_build_array(:"schema".aivah_consume(x));
  END LOOP;
  RETURN v_out;
END $f$;


CREATE OR REPLACE FUNCTION :"schema".aivah_grant(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE
  v_now timestamptz := (p->>'now')::timestamptz; v_acct text := p->>'accountId'; v_amount bigint := (p->>'amount')::bigint;
  v_exp timestamptz := (p->>'expiresAt')::timestamptz; v_src text := p->>'source';
  a record; v_prev record; v_r jsonb; v_gid uuid := gen_random_uuid(); v_seq bigint; v_repay bigint; v_eid uuid := gen_random_uuid();
BEGIN
  INSERT INTO :"schema".accounts (id, created_at, updated_at) VALUES (v_acct, v_now, v_now) ON CONFLICT (id) DO NOTHING;
  SELECT available, version, next_expiry_at INTO a FROM :"schema".accounts WHERE id = v_acct FOR UPDATE;
  v_r := :"schema"._replay(v_acct, p->>'idempotencyKey', p->>'requestHash', v_now);
  IF v_r IS NOT NULL THEN RETURN v_r; END IF;
  -- A checkout session is credited once, even after its idempotency record was pruned.
  IF v_src = 'purchase' AND p->'purchase'->>'checkoutSessionId' IS NOT NULL THEN
    SELECT id, seq INTO v_prev FROM :"schema".grants
      WHERE account_id = v_acct AND source = 'purchase' AND checkout_session_id = p->'purchase'->>'checkoutSessionId';
    IF FOUND THEN
      RETURN :"schema"._result(v_acct, jsonb_build_object('seq', v_prev.seq, 'grantId', v_prev.id), v_now) || '{"replayed":true}';
    END IF;
  END IF;
  IF a.next_expiry_at <= v_now THEN PERFORM :"schema"._sweep(v_acct, v_now); END IF;
  SELECT least(v_amount, deficit), version INTO v_repay, v_seq FROM :"schema".accounts WHERE id = v_acct;
  INSERT INTO :"schema".grants (id, account_id, seq, source, amount, remaining, expires_at, priority, checkout_session_id, created_at)
  VALUES (v_gid, v_acct, v_seq + 1, v_src, v_amount, v_amount - v_repay, v_exp, (p->>'priority')::integer, p->'purchase'->>'checkoutSessionId', v_now);
  v_seq := :"schema"._append(v_acct, 'grant', v_amount, v_amount, 0, 0, NULL, v_gid, NULL, v_src, p->>'description', p->'metadata', v_now, v_eid);
  IF v_repay > 0 THEN
    PERFORM :"schema"._append(v_acct, 'reversal', -v_repay, -v_repay, 0, -v_repay, NULL, v_gid, NULL, v_src, 'Deficit repayment',
      jsonb_build_object('deficitRepaid', v_repay::text), v_now);
  END IF;
  IF v_exp IS NOT NULL THEN
    UPDATE :"schema".accounts SET next_expiry_at = least(next_expiry_at, v_exp) WHERE id = v_acct;
  END IF;
  IF v_src = 'purchase' THEN
    PERFORM :"schema"._emit(v_acct, 'credits.purchased', jsonb_build_object('grantId', v_gid, 'entryId', v_eid, 'amount', v_amount,
      'checkoutSessionId', p->'purchase'->'checkoutSessionId', 'paymentIntentId', coalesce(p->'purchase'->'paymentIntentId', 'null'),
      'packageId', p->'purchase'->'packageId', 'amountTotal', p->'purchase'->'amountTotal', 'currency', p->'purchase'->'currency'), v_now);
  END IF;
  v_r := jsonb_build_object('seq', v_seq, 'grantId', v_gid);
  PERFORM :"schema"._store(v_acct, p->>'idempotencyKey', p->>'requestHash', v_r, v_now);
  PERFORM :"schema"._finish(v_acct, a.available, a.version, v_now, p->>'notify');
  RETURN :"schema"._result(v_acct, v_r, v_now);
END $f$;

CREATE FUNCTION :"schema".aivah_create_hold(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE
  v_now timestamptz := (p->>'now')::timestamptz; v_acct text := p->>'accountId'; v_amount bigint := (p->>'amount')::bigint;
  v_exp timestamptz := v_now + make_interval(secs => (p->>'ttlSeconds')::integer);
  a record; v_r jsonb; v_alloc jsonb; v_hid uuid := gen_random_uuid(); v_seq bigint; v_avail bigint;
BEGIN
  SELECT available, version, next_expiry_at INTO a FROM :"schema".accounts WHERE id = v_acct FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":{"code":"ACCOUNT_NOT_FOUND"}}'; END IF;
  v_r := :"schema"._replay(v_acct, p->>'idempotencyKey', p->>'requestHash', v_now);
  IF v_r IS NOT NULL THEN RETURN v_r; END IF;
  IF a.next_expiry_at <= v_now THEN PERFORM :"schema"._sweep(v_acct, v_now); END IF;
  SELECT available INTO v_avail FROM :"schema".accounts WHERE id = v_acct;
  IF v_avail < v_amount THEN
    v_r := :"schema"._insufficient(v_acct, p, v_avail, v_now);
    PERFORM :"schema"._finish(v_acct, a.available, a.version, v_now, p->>'notify');
    RETURN v_r;
  END IF;
  v_alloc := :"schema"._allocate(v_acct, v_amount, true);
  v_seq := :"schema"._append(v_acct, 'hold', 0, -v_amount, v_amount, 0, p->>'feature', NULL, v_hid, NULL, p->>'description', p->'metadata', v_now);
  INSERT INTO :"schema".holds (id, account_id, seq, amount, feature, status, expires_at, description, metadata, allocations, created_at, updated_at)
  VALUES (v_hid, v_acct, v_seq, v_amount, p->>'feature', 'active', v_exp, p->>'description', coalesce(p->'metadata', '{}'), v_alloc, v_now, v_now);
  UPDATE :"schema".accounts SET next_expiry_at = least(next_expiry_at, v_exp) WHERE id = v_acct;
  v_r := jsonb_build_object('seq', v_seq, 'holdId', v_hid);
  PERFORM :"schema"._store(v_acct, p->>'idempotencyKey', p->>'requestHash', v_r, v_now);
  PERFORM :"schema"._finish(v_acct, a.available, a.version, v_now, p->>'notify');
  RETURN :"schema"._result(v_acct, v_r, v_now);
END $f$;

CREATE FUNCTION :"schema".aivah_settle_hold(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE
  v_now timestamptz := (p->>'now')::timestamptz; v_acct text := p->>'accountId'; v_amount bigint := (p->>'amount')::bigint;
  v_capture boolean := p->>'action' = 'capture'; a record; h record; al jsonb; v_r jsonb; v_left bigint; v_spend bigint; v_seq bigint; v_err jsonb; v_eid uuid := gen_random_uuid();
BEGIN
  SELECT available, version, next_expiry_at INTO a FROM :"schema".accounts WHERE id = v_acct FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":{"code":"HOLD_NOT_FOUND"}}'; END IF;
  v_r := :"schema"._replay(v_acct, p->>'idempotencyKey', p->>'requestHash', v_now);
  IF v_r IS NOT NULL THEN RETURN v_r; END IF;
  IF a.next_expiry_at <= v_now THEN PERFORM :"schema"._sweep(v_acct, v_now); END IF;
  SELECT id, amount, feature, status, allocations INTO h FROM :"schema".holds WHERE id = (p->>'holdId')::uuid AND account_id = v_acct;
  IF NOT FOUND THEN v_err := '{"code":"HOLD_NOT_FOUND"}';
  ELSIF h.status <> 'active' THEN v_err := jsonb_build_object('code', 'HOLD_NOT_ACTIVE', 'details', jsonb_build_object('status', h.status));
  ELSIF v_amount > h.amount THEN v_err := jsonb_build_object('code', 'CAPTURE_EXCEEDS_HOLD', 'details', jsonb_build_object('held', h.amount, 'requested', v_amount));
  END IF;
  IF v_err IS NOT NULL THEN
    PERFORM :"schema"._finish(v_acct, a.available, a.version, v_now, p->>'notify');
    RETURN jsonb_build_object('error', v_err);
  END IF;
  v_left := v_amount;
  FOR al IN SELECT x FROM jsonb_array_elements(h.allocations) WITH ORDINALITY AS t(x, i) ORDER BY t.i LOOP
    v_spend := least((al->>'a')::bigint, v_left);
    UPDATE :"schema".grants SET held = held - (al->>'a')::bigint, remaining = remaining - v_spend WHERE id = (al->>'g')::uuid;
    v_left := v_left - v_spend;
  END LOOP;
  UPDATE :"schema".holds SET status = CASE WHEN v_capture THEN 'captured' ELSE 'released' END, captured = v_amount, updated_at = v_now WHERE id = h.id;
  v_seq := :"schema"._append(v_acct, CASE WHEN v_capture THEN 'hold_capture' ELSE 'hold_release' END, -v_amount, h.amount - v_amount, -h.amount, 0,
    h.feature, NULL, h.id, NULL, p->>'description', NULL, v_now, v_eid);
  IF v_amount > 0 THEN
    PERFORM :"schema"._usage(v_acct, h.feature, v_amount, v_now);
    PERFORM :"schema"._emit(v_acct, 'credits.consumed', jsonb_build_object('entryId', v_eid, 'amount', v_amount, 'feature', h.feature,
      'holdId', h.id, 'available', (SELECT available FROM :"schema".accounts WHERE id = v_acct)), v_now);
  END IF;
  PERFORM :"schema"._expire_grants(v_acct, v_now);
  v_r := jsonb_build_object('seq', v_seq, 'holdId', h.id);
  PERFORM :"schema"._store(v_acct, p->>'idempotencyKey', p->>'requestHash', v_r, v_now);
  PERFORM :"schema"._finish(v_acct, a.available, a.version, v_now, p->>'notify');
  RETURN :"schema"._result(v_acct, v_r, v_now);
END $f$;


CREATE OR REPLACE FUNCTION :"schema".aivah_reverse(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE
  v_now timestamptz := (p->>'now')::timestamptz; v_acct text := p->>'accountId'; v_cs text := p->>'checkoutSessionId';
  a record; g record; v_r jsonb; v_req bigint; v_take bigint; v_def bigint; v_seq bigint;
BEGIN
  SELECT available, version, next_expiry_at INTO a FROM :"schema".accounts WHERE id = v_acct FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":{"code":"ACCOUNT_NOT_FOUND"}}'; END IF;
  v_r := :"schema"._replay(v_acct, p->>'idempotencyKey', p->>'requestHash', v_now);
  IF v_r IS NOT NULL THEN RETURN v_r; END IF;
  IF a.next_expiry_at <= v_now THEN PERFORM :"schema"._sweep(v_acct, v_now); END IF;
  SELECT id, amount, remaining, held, reversed INTO g FROM :"schema".grants
    WHERE account_id = v_acct AND checkout_session_id = v_cs AND source = 'purchase' ORDER BY seq LIMIT 1;
  IF NOT FOUND THEN
    PERFORM :"schema"._finish(v_acct, a.available, a.version, v_now, p->>'notify');
    RETURN '{"error":{"code":"PURCHASE_NOT_FOUND"}}';
  END IF;
  IF p ? 'totalReversed' THEN
    v_req := greatest(0, least((p->>'totalReversed')::bigint, g.amount) - g.reversed);
  ELSE
    v_req := least(coalesce((p->>'amount')::bigint, g.amount), g.amount - g.reversed);
  END IF;
  v_r := '{"seq":null,"reversed":0,"deficitAdded":0}';
  IF v_req > 0 THEN
    v_take := least(v_req, g.remaining - g.held);
    v_def := v_req - v_take;
    UPDATE :"schema".grants SET remaining = remaining - v_take, reversed = reversed + v_req WHERE id = g.id;
    v_seq := :"schema"._append(v_acct, 'reversal', -v_take, -v_take, 0, v_def, NULL, g.id, NULL, 'purchase', p->>'reason',
      jsonb_build_object('reason', p->>'reason', 'checkoutSessionId', v_cs, 'deficitAdded', v_def::text), v_now);
    v_r := jsonb_build_object('seq', v_seq, 'reversed', v_take, 'deficitAdded', v_def);
  END IF;
  PERFORM :"schema"._store(v_acct, p->>'idempotencyKey', p->>'requestHash', v_r, v_now);
  PERFORM :"schema"._finish(v_acct, a.available, a.version, v_now, p->>'notify');
  RETURN :"schema"._result(v_acct, v_r, v_now);
END $f$;


-- Applies due expiries (if any) and returns the balance, or NULL for an unknown account.
CREATE FUNCTION :"schema".aivah_touch(p_acct text, p_now timestamptz, p_notify text) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE a record;
BEGIN
  SELECT next_expiry_at INTO a FROM :"schema".accounts WHERE id = p_acct;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF a.next_expiry_at <= p_now THEN
    SELECT available, version, next_expiry_at INTO a FROM :"schema".accounts WHERE id = p_acct FOR UPDATE;
    IF a.next_expiry_at <= p_now THEN
      PERFORM :"schema"._sweep(p_acct, p_now);
      PERFORM :"schema"._finish(p_acct, a.available, a.version, p_now, p_notify);
      RETURN :"schema"._balance(p_acct, p_now) || jsonb_build_object('changed', (SELECT version FROM :"schema".accounts WHERE id = p_acct) <> a.version);
    END IF;
  END IF;
  RETURN :"schema"._balance(p_acct, p_now);
END $f$;

CREATE FUNCTION :"schema".aivah_update_alerts(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE v_now timestamptz := (p->>'now')::timestamptz; v_acct text := p->>'accountId'; a record; v_t bigint;
BEGIN
  UPDATE :"schema".accounts SET alert_enabled = (p->>'enabled')::boolean, alert_mode = p->>'mode', alert_threshold = (p->>'threshold')::bigint,
    alert_percent = (p->>'percent')::numeric, alert_updated_at = v_now, usage_window = :"schema"._usage30(v_acct, v_now), threshold_at = v_now
  WHERE id = v_acct RETURNING * INTO a;
  IF NOT FOUND THEN RETURN '{"error":{"code":"ACCOUNT_NOT_FOUND"}}'; END IF;
  v_t := CASE WHEN a.alert_mode = 'absolute' THEN coalesce(a.alert_threshold, 0) ELSE ceil(a.alert_percent * a.usage_window / 100)::bigint END;
  IF a.available >= v_t THEN
    UPDATE :"schema".accounts SET alert_low = false WHERE id = v_acct;
  ELSIF a.alert_enabled AND NOT a.alert_low THEN
    UPDATE :"schema".accounts SET alert_low = true WHERE id = v_acct;
    PERFORM :"schema"._emit(v_acct, 'balance.low', jsonb_build_object('available', a.available, 'threshold', v_t), v_now);
  END IF;
  RETURN '{}';
END $f$;
