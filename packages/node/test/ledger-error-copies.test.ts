import { describe, expect, it, vi } from 'vitest';
import { createCreditsHandler, createMemoryLedger, createServerKeyIdentify, isLedgerError, type LedgerAdapter } from '../src/index.js';

/** A LedgerError class from a second, separately evaluated copy of the module (another bundle's). */
async function foreignLedgerError() {
  vi.resetModules();
  const copy = await import('../src/ledger/errors.js');
  vi.resetModules();
  return copy.LedgerError;
}

describe('a LedgerError from another copy of the package', () => {
  it('is still a LedgerError to isLedgerError, with its code', async () => {
    const Foreign = await foreignLedgerError();
    const error = new Foreign('INSUFFICIENT_CREDITS', 'no', { available: 1, required: 2 });
    expect(error).not.toBeInstanceOf((await import('../src/index.js')).LedgerError);
    expect(isLedgerError(error)).toBe(true);
    expect(isLedgerError(error, 'INSUFFICIENT_CREDITS')).toBe(true);
    expect(isLedgerError(error, 'ACCOUNT_NOT_FOUND')).toBe(false);
    expect(isLedgerError(Object.assign(new Error('x'), { name: 'LedgerError', code: 'INSUFFICIENT_CREDITS' }))).toBe(false);
  });

  it('answers its problem, not a 500, when a ledger from another bundle throws it', async () => {
    const Foreign = await foreignLedgerError();
    const ledger: LedgerAdapter = {
      ...createMemoryLedger(),
      consume: async () => {
        throw new Foreign('INSUFFICIENT_CREDITS', 'Insufficient credits: 1 available, 5 required.', { available: 1, required: 5 });
      },
    };
    const handler = createCreditsHandler({ ledger, identify: createServerKeyIdentify({ secretKey: 'sk' }), logger: { info() {}, warn() {}, error() {} } });
    const response = await handler(
      new Request('http://localhost/v1/accounts/a1/consumptions', {
        method: 'POST',
        headers: { authorization: 'Bearer sk', 'content-type': 'application/json', 'idempotency-key': 'k1' },
        body: JSON.stringify({ amount: 5, feature: 'conversation' }),
      }),
    );
    expect(response.status).toBe(402);
    expect(await response.json()).toMatchObject({ code: 'INSUFFICIENT_CREDITS', available: 1, required: 5 });
  });
});
