-- Retention: deletes idempotency records and delivered outbox events created before `cutoff`,
-- at most `batch_size` of each per call, so that pruning never holds locks for long. The caller
-- clamps `cutoff` to keep idempotency records at least 24 hours, and loops until a call deletes
-- less than a full batch. Old rows are found through BRIN indexes on created_at.
CREATE FUNCTION :"schema".aivah_prune(cutoff timestamptz, batch_size integer)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  idempotency_deleted integer;
  outbox_deleted integer;
BEGIN
  DELETE FROM :"schema".idempotency
  WHERE ctid = ANY (ARRAY(
    SELECT ctid
    FROM :"schema".idempotency
    WHERE created_at < cutoff
    LIMIT batch_size
  ));
  GET DIAGNOSTICS idempotency_deleted = ROW_COUNT;

  DELETE FROM :"schema".outbox
  WHERE ctid = ANY (ARRAY(
    SELECT ctid
    FROM :"schema".outbox
    WHERE created_at < cutoff
      AND delivered_at IS NOT NULL
    LIMIT batch_size
  ));
  GET DIAGNOSTICS outbox_deleted = ROW_COUNT;

  RETURN jsonb_build_object('idempotency', idempotency_deleted, 'outbox', outbox_deleted);
END
$$;
