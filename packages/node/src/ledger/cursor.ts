import { LedgerError } from './errors.js';

const PREFIX = 'v1:';

/** Encodes a keyset cursor: the page continues with entries older than `seq`. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`${PREFIX}${seq}`, 'utf8').toString('base64url');
}

/**
 * Decodes a cursor from {@link encodeCursor}. Throws `VALIDATION_FAILED` on anything else, so a
 * tampered cursor is a client error rather than an internal one.
 */
export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new LedgerError('VALIDATION_FAILED', 'Invalid cursor.', { field: 'cursor' });
  }
  return seq;
}
