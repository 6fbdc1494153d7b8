-- Migration 7: retention pruning; one purchase grant per checkout session.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.

      CREATE UNIQUE INDEX grants_purchase_session_uq ON :"schema".grants (account_id, checkout_session_id)
        WHERE source = 'purchase' AND checkout_session_id IS NOT NULL;
      CREATE INDEX idempotency_created_brin ON :"schema".idempotency USING brin (created_at);
      CREATE INDEX outbox_created_brin ON :"schema".outbox USING brin (created_at);
      
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

      CREATE OR REPLACE FUNCTION :"schema".aivah_prune(p_before timestamptz, p_limit integer) RETURNS jsonb
      LANGUAGE plpgsql AS $f$
      DECLARE n_idem integer; n_out integer;
      BEGIN
        DELETE FROM :"schema".idempotency WHERE ctid = ANY (ARRAY(
          SELECT ctid FROM :"schema".idempotency WHERE created_at < p_before LIMIT p_limit));
        GET DIAGNOSTICS n_idem = ROW_COUNT;
        DELETE FROM :"schema".outbox WHERE ctid = ANY (ARRAY(
          SELECT ctid FROM :"schema".outbox WHERE created_at < p_before AND delivered_at IS NOT NULL LIMIT p_limit));
        GET DIAGNOSTICS n_out = ROW_COUNT;
        RETURN jsonb_build_object('idempotency', n_idem, 'outbox', n_out);
      END $f$;