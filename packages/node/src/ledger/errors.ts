/** Stable codes a ledger adapter may throw. They are the spec's problem `code`s. */
export type LedgerErrorCode =
  | 'VALIDATION_FAILED'
  | 'ACCOUNT_NOT_FOUND'
  | 'INSUFFICIENT_CREDITS'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'HOLD_NOT_FOUND'
  | 'HOLD_NOT_ACTIVE'
  | 'CAPTURE_EXCEEDS_HOLD'
  | 'PURCHASE_NOT_FOUND'
  | 'SERVICE_UNAVAILABLE';

/**
 * The one error type ledger adapters throw for expected failures. The HTTP handler maps `code`
 * 1:1 to a problem response; anything else thrown by an adapter is an internal error.
 */
export class LedgerError extends Error {
  /** Always `LedgerError`. */
  override readonly name = 'LedgerError';
  constructor(
    /** The spec's problem code. */
    readonly code: LedgerErrorCode,
    message: string,
    /** Extra problem members, e.g. `{ available, required }` for `INSUFFICIENT_CREDITS`. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Type guard for {@link LedgerError}, optionally for one code. */
export function isLedgerError(error: unknown, code?: LedgerErrorCode): error is LedgerError {
  return error instanceof LedgerError && (code === undefined || error.code === code);
}
