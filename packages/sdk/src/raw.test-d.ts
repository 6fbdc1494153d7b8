import createClient from 'openapi-fetch';
import { describe, expectTypeOf, it } from 'vitest';
import type { operations, paths } from './generated/openapi.js';
import type { Consumption, Hold } from './index.js';
import type { RawClient } from './raw.js';

declare const raw: RawClient;

describe('the raw client', () => {
  it('does not make the caller pass the Idempotency-Key the spec requires: the transport adds one', () => {
    // What the spec says: consumeCredits requires the header…
    expectTypeOf<operations['consumeCredits']['parameters']['header']>().toEqualTypeOf<{ 'Idempotency-Key': string }>();
    // …so a plain openapi-fetch client over `paths` demands it.
    const plain = createClient<paths>({ baseUrl: 'https://api.test' });
    // @ts-expect-error header is required by the spec
    void plain.POST('/v1/accounts/{accountId}/consumptions', { params: { path: { accountId: 'me' } }, body: { amount: 1, feature: 'call' } });

    // The raw client does not, and still takes one.
    void raw.POST('/v1/accounts/{accountId}/consumptions', { params: { path: { accountId: 'me' } }, body: { amount: 1, feature: 'call' } });
    void raw.POST('/v1/accounts/{accountId}/holds/{holdId}/release', { params: { path: { accountId: 'me', holdId: 'hold_1' } } });
    void raw.POST('/v1/accounts/{accountId}/grants', {
      params: { path: { accountId: 'acct_1' }, header: { 'Idempotency-Key': 'grant-1' } },
      body: { amount: 10, source: 'promo' },
    });
  });

  it('keeps every other part of the spec: bodies, path parameters, results', async () => {
    // @ts-expect-error amount is a number
    void raw.POST('/v1/accounts/{accountId}/consumptions', { params: { path: { accountId: 'me' } }, body: { amount: '1', feature: 'call' } });
    // @ts-expect-error the path parameters are still required
    void raw.POST('/v1/accounts/{accountId}/holds/{holdId}/capture', { params: { path: { accountId: 'me' } }, body: { amount: 1 } });
    // @ts-expect-error the key is a string
    void raw.POST('/v1/accounts/{accountId}/holds/{holdId}/release', { params: { path: { accountId: 'me', holdId: 'h' }, header: { 'Idempotency-Key': 1 } } });

    const { data } = await raw.POST('/v1/accounts/{accountId}/consumptions', { params: { path: { accountId: 'me' } }, body: { amount: 1, feature: 'call' } });
    expectTypeOf(data).toEqualTypeOf<Consumption | undefined>();
    const released = await raw.POST('/v1/accounts/{accountId}/holds/{holdId}/release', { params: { path: { accountId: 'me', holdId: 'hold_1' } } });
    expectTypeOf(released.data).toEqualTypeOf<Hold | undefined>();
  });
});
