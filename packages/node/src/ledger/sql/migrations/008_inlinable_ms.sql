-- Migration 8: inlinable _ms.
-- Released and frozen: never edit this file (checksums.txt holds its checksum); add a new migration instead.
ALTER FUNCTION :"schema"._ms(timestamptz) STABLE;