-- Migration 3: flattened consume hot path.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.

CREATE OR REPLACE FUNCTION :"schema".aivah_consume(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE
  v_now timestamptz := (p->>'now')::timestamptz; v_acct text := p->>'accountId'; v_amount bigint := (p->>'amount')::bigint;
  v_feature text := p->>'feature'; v_key text := p->>'idempotencyKey'; v_hash text := p->>'requestHash';
  a record; g record; v_r jsonb; v_first uuid; v_left bigint; v_take bigint; v_seq bigint; v_avail bigint;
  v_eid uuid := gen_random_uuid(); v_u bigint; v_tat timestamptz; v_t bigint; v_low boolean; v_meta jsonb := coalesce(p->'metadata', '{}');
BEGIN
  SELECT available, held, deficit, version, next_expiry_at, alert_enabled, alert_mode, alert_threshold, alert_percent, alert_low, usage_window, threshold_at
    INTO a FROM :"schema".accounts WHERE id = v_acct FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":{"code":"ACCOUNT_NOT_FOUND"}}'; END IF;
  IF EXISTS (SELECT 1 FROM :"schema".idempotency WHERE account_id = v_acct AND key = v_key) THEN
    RETURN :"schema"._replay(v_acct, v_key, v_hash, v_now);
  END IF;
  IF a.next_expiry_at <= v_now THEN
    -- Rare: let the general version sweep and finish the job.
    RETURN :"schema"._consume_slow(p);
  END IF;
  IF a.available < v_amount THEN
    v_r := :"schema"._insufficient(v_acct, p, a.available, v_now);
    RETURN v_r;
  END IF;
  -- Common case: the first grant in consumption order covers the whole amount (one statement).
  UPDATE :"schema".grants SET remaining = remaining - v_amount
    WHERE id = (SELECT id FROM :"schema".grants WHERE account_id = v_acct AND remaining > held ORDER BY expires_at, priority, seq LIMIT 1)
      AND remaining - held >= v_amount
    RETURNING id INTO v_first;
  IF v_first IS NULL THEN
    v_left := v_amount;
    FOR g IN SELECT id, remaining - held AS free FROM :"schema".grants
      WHERE account_id = v_acct AND remaining > held ORDER BY expires_at, priority, seq
    LOOP
      v_take := least(g.free, v_left);
      UPDATE :"schema".grants SET remaining = remaining - v_take WHERE id = g.id;
      IF v_first IS NULL THEN v_first := g.id; END IF;
      v_left := v_left - v_take;
      EXIT WHEN v_left = 0;
    END LOOP;
  END IF;
  v_seq := a.version + 1;
  v_avail := a.available - v_amount;
  -- Alerts (same rules as domain.ts evaluateAlerts), evaluated before the single account UPDATE.
  v_u := a.usage_window + v_amount;
  v_tat := a.threshold_at;
  v_low := a.alert_low;
  IF a.alert_mode = 'absolute' THEN
    v_t := coalesce(a.alert_threshold, 0);
  ELSE
    IF v_tat IS NULL OR v_now - v_tat >= interval '1 hour' THEN
      v_u := NULL;  -- recomputed after the usage row is written
    ELSE
      v_t := ceil(a.alert_percent * v_u / 100)::bigint;
    END IF;
  END IF;
  UPDATE :"schema".usage_daily SET total = total + v_amount
    WHERE account_id = v_acct AND day = (v_now AT TIME ZONE 'UTC')::date AND feature = v_feature;
  IF NOT FOUND THEN
    INSERT INTO :"schema".usage_daily AS u (account_id, day, feature, total) VALUES (v_acct, (v_now AT TIME ZONE 'UTC')::date, v_feature, v_amount)
    ON CONFLICT (account_id, day, feature) DO UPDATE SET total = u.total + excluded.total;
  END IF;
  IF v_u IS NULL THEN
    v_u := :"schema"._usage30(v_acct, v_now);
    v_tat := v_now;
    v_t := ceil(a.alert_percent * v_u / 100)::bigint;
  END IF;
  IF a.available > 0 AND v_avail = 0 THEN
    INSERT INTO :"schema".outbox (id, type, account_id, data, created_at, next_attempt_at)
    VALUES (gen_random_uuid(), 'balance.depleted', v_acct, '{"available":0}', v_now, v_now);
  END IF;
  IF a.alert_enabled AND NOT v_low AND v_avail < v_t THEN
    v_low := true;
    INSERT INTO :"schema".outbox (id, type, account_id, data, created_at, next_attempt_at)
    VALUES (gen_random_uuid(), 'balance.low', v_acct, jsonb_build_object('available', v_avail, 'threshold', v_t), v_now, v_now);
  END IF;
  IF v_low AND v_avail >= v_t THEN v_low := false; END IF;
  -- One statement for the account row, the entry, the outbox event and the idempotency record.
  WITH acc AS (
    UPDATE :"schema".accounts SET available = v_avail, version = v_seq, usage_window = v_u, threshold_at = v_tat, alert_low = v_low, updated_at = v_now
    WHERE id = v_acct
  ), ent AS (
    INSERT INTO :"schema".entries (account_id, seq, id, type, amount, balance_after, feature, grant_id, description, metadata, created_at)
    VALUES (v_acct, v_seq, v_eid, 'consume', -v_amount, v_avail + a.held, v_feature, v_first, p->>'description', v_meta, v_now)
  ), obx AS (
    INSERT INTO :"schema".outbox (id, type, account_id, data, created_at, next_attempt_at)
    VALUES (gen_random_uuid(), 'credits.consumed', v_acct,
      jsonb_build_object('entryId', v_eid, 'amount', v_amount, 'feature', v_feature, 'holdId', NULL, 'available', v_avail), v_now, v_now)
  )
  INSERT INTO :"schema".idempotency (account_id, key, request_hash, state, response, created_at)
  VALUES (v_acct, v_key, v_hash, 'done', jsonb_build_object('seq', v_seq), v_now);
  IF p->>'notify' IS NOT NULL THEN
    PERFORM pg_notify('aivah_credits_balance', json_build_object('s', :'schema', 'a', v_acct, 'i', p->>'notify', 'v', v_seq)::text);
  END IF;
  RETURN jsonb_build_object('seq', v_seq,
    'entry', jsonb_build_object('id', v_eid, 'accountId', v_acct, 'seq', v_seq, 'type', 'consume', 'amount', -v_amount,
      'balanceAfter', v_avail + a.held, 'feature', v_feature, 'grantId', v_first, 'holdId', NULL, 'source', NULL,
      'description', p->>'description', 'metadata', v_meta, 'createdAt', :"schema"._ms(v_now)),
    'balance', jsonb_build_object('accountId', v_acct, 'available', v_avail, 'held', a.held, 'deficit', a.deficit,
      'version', v_seq, 'updatedAt', :"schema"._ms(v_now), 'grants', coalesce((
        SELECT jsonb_agg(jsonb_build_object('id', gr.id, 'source', gr.source, 'amount', gr.amount, 'remaining', gr.remaining,
          'expiresAt', :"schema"._ms(gr.expires_at), 'priority', gr.priority, 'createdAt', :"schema"._ms(gr.created_at))
          ORDER BY gr.expires_at, gr.priority, gr.seq)
        FROM :"schema".grants gr WHERE gr.account_id = v_acct AND gr.remaining > 0 AND (gr.expires_at IS NULL OR gr.expires_at > v_now)), '[]'::jsonb)));
END $f$;
