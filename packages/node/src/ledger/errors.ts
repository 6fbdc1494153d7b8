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
  | 'TOP_UP_NOT_FOUND'
  | 'SERVICE_UNAVAILABLE';

/**
 * Marks every {@link LedgerError}, so that the handler recognises one thrown by another copy of this
 * package. Next.js bundles `instrumentation.ts` and each route separately: a ledger created in one
 * bundle and kept on `globalThis` throws the other bundle's class, where `instanceof` fails and a
 * 402 became a 500.
 */
const BRAND = Symbol.for('aivah.credits.ledgerError');

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
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** Type guard for {@link LedgerError}, optionally for one code; works across copies of this package. */
export function isLedgerError(error: unknown, code?: LedgerErrorCode): error is LedgerError {
  const branded = error instanceof LedgerError || (typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true);
  return branded && (code === undefined || (error as LedgerError).code === code);
}

type Details = Record<string, unknown>;

/** The message of each code, from its details. The SQL functions return only code and details. */
const MESSAGES: Record<Exclude<LedgerErrorCode, 'VALIDATION_FAILED'>, (d: Details) => string> = {
  ACCOUNT_NOT_FOUND: () => 'The account has no credits yet.',
  INSUFFICIENT_CREDITS: (d) => `Insufficient credits: ${d.available} available, ${d.required} required.`,
  IDEMPOTENCY_KEY_REUSED: () => 'This idempotency key was used with a different request.',
  IDEMPOTENCY_KEY_IN_USE: () => 'A request with this idempotency key is still running.',
  HOLD_NOT_FOUND: () => 'No such hold on this account.',
  HOLD_NOT_ACTIVE: (d) => `The hold is ${d.status}.`,
  CAPTURE_EXCEEDS_HOLD: (d) => `Cannot capture ${d.requested} from a hold of ${d.held}.`,
  PURCHASE_NOT_FOUND: () => 'No purchase for this checkout session.',
  TOP_UP_NOT_FOUND: () => 'No such top-up on this account.',
  SERVICE_UNAVAILABLE: () => 'The database cannot be reached right now.',
};

/**
 * The {@link LedgerError} of an expected ledger failure, with its standard message. Validation
 * errors carry their own message (see `validate.ts`).
 * @internal
 */
export function ledgerError(code: Exclude<LedgerErrorCode, 'VALIDATION_FAILED'>, details: Details = {}): LedgerError {
  return new LedgerError(code, MESSAGES[code](details), details);
}
