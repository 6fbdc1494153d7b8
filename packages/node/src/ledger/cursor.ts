import { LedgerError } from './errors.js';

const PREFIX = 'v1:';

// btoa/atob rather than Buffer: the handler runs on edge runtimes, which have no Buffer. The
// cursor's text is ASCII, so their Latin-1 strings are its bytes.

/** Encodes a keyset cursor: the page continues with entries older than `seq`. */
export function encodeCursor(seq: number): string {
  return btoa(`${PREFIX}${seq}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(cursor: string): string {
  try {
    return atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return ''; // not base64: refused below like any other foreign cursor
  }
}

/**
 * Decodes a cursor from {@link encodeCursor}. Throws `VALIDATION_FAILED` on anything else, so a
 * tampered cursor is a client error rather than an internal one.
 */
export function decodeCursor(cursor: string): number {
  const text = fromBase64Url(cursor);
  const seq = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new LedgerError('VALIDATION_FAILED', 'Invalid cursor.', { field: 'cursor' });
  }
  return seq;
}
