-- Migration 9: readable hold allocations.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.
--
-- A hold remembers which grants its credits were reserved from. Migrations 2–8 stored that as
-- [{"g": grant id, "a": credits}]; the functions now read [{"grantId": …, "amount": …}], the
-- names used everywhere else. Existing holds are rewritten in place, keeping their order
-- (capture spends the allocations in the order they were reserved).

UPDATE :"schema".holds
SET allocations = (
  SELECT coalesce(
    jsonb_agg(
      jsonb_build_object('grantId', allocation->'g', 'amount', allocation->'a')
      ORDER BY position
    ),
    '[]'::jsonb
  )
  FROM jsonb_array_elements(holds.allocations) WITH ORDINALITY AS listed(allocation, position)
)
WHERE jsonb_typeof(allocations) = 'array'
  AND allocations->0 ? 'g';
