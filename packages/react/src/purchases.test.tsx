// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { Purchase } from '@aivah/credits';
import { addPaidSession, useFakeApi } from '../test/fake-api.js';
import { setup } from '../test/render.js';
import { openBalanceStreams } from './internal/balance-streams.js';
import { useCheckoutResult, useLedgerExport, usePurchases } from './index.js';

const api = useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });

const purchase = (n: number): Purchase => ({
  id: `p${n}`, accountId: 'acct_test', status: 'paid', packageId: 'credits_2000', credits: 2000, creditsReversed: 0, amountTotal: 1000, currency: 'usd',
  grantId: `g${n}`, checkoutSessionId: `cs_${n}`, paymentIntentId: null, invoiceId: null, receiptUrl: `https://receipt.test/${n}`,
  createdAt: '2026-11-25T10:00:00.000Z', updatedAt: '2026-11-25T10:00:00.000Z',
});

describe('usePurchases', () => {
  it('pages through the purchases with the cursor, newest first, until hasMore is false', async () => {
    api.state.purchases = [3, 2, 1].map(purchase);
    const { wrapper } = setup();
    const { result } = renderHook(() => usePurchases({ limit: 2 }), { wrapper });
    await waitFor(() => expect(result.current.purchases.map((p) => p.id)).toEqual(['p3', 'p2']));
    expect(result.current.hasNextPage).toBe(true);
    await act(() => result.current.fetchNextPage());
    await waitFor(() => expect(result.current.purchases.map((p) => p.receiptUrl)).toEqual([3, 2, 1].map((n) => `https://receipt.test/${n}`)));
    expect(result.current.hasNextPage).toBe(false);
    expect(api.state.requests.filter((r) => r.endsWith('/purchases'))).toHaveLength(2);
  });

  it('shows a new purchase once the checkout return page sees it fulfilled', async () => {
    const sessionId = addPaidSession(api, 5000);
    api.state.fulfilAfterGets = 2;
    const { wrapper } = setup();
    const { result } = renderHook(
      () => ({ purchases: usePurchases(), checkout: useCheckoutResult({ search: `?state=success&session_id=${sessionId}` }) }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.purchases.status).toBe('success'));
    expect(result.current.purchases.purchases).toEqual([]);
    await waitFor(() => expect(result.current.checkout.status).toBe('fulfilled'), { timeout: 5000 });
    await waitFor(() => expect(result.current.purchases.purchases.map((p) => p.checkoutSessionId)).toEqual([sessionId]));
    expect(result.current.purchases.purchases[0]).toMatchObject({ credits: 5000, receiptUrl: `https://invoice.stripe.test/i/${sessionId}` });
  });
});

describe('useLedgerExport', () => {
  it('downloads the range as the file the server names', async () => {
    const clicked: Array<{ download: string; text: string }> = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      const link = this;
      clicked.push({ download: link.download, text: link.href });
    };
    try {
      const { wrapper } = setup();
      const { result } = renderHook(() => useLedgerExport(), { wrapper });
      await act(() => result.current.download({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }));
      expect(api.state.exports).toEqual(['?from=2026-11-01T00%3A00%3A00.000Z&to=2026-12-01T00%3A00%3A00.000Z']);
      expect(clicked).toHaveLength(1);
      expect(clicked[0]!.download).toBe('ledger-acct_test-start-2026-11-25.csv');
      expect(clicked[0]!.text).toMatch(/^blob:/);
      expect(result.current).toMatchObject({ pending: false, error: null });
      // The link is gone once the browser has the file.
      expect(document.querySelectorAll('a[download]')).toHaveLength(0);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
  });

  it('rejects a bad range and exposes the typed error, downloading nothing', async () => {
    const { wrapper } = setup();
    const { result } = renderHook(() => useLedgerExport(), { wrapper });
    let thrown: unknown;
    await act(() => result.current.download({ from: '2026-12-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }).catch((e: unknown) => void (thrown = e)));
    expect(thrown).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    await waitFor(() => expect(result.current.error).toBe(thrown));
    expect(result.current.pending).toBe(false);
  });
});
