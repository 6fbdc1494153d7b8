-- Migration 6: cumulative purchase reversals.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.

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
