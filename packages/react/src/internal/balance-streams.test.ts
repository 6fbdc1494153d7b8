import { describe, expect, it, vi } from 'vitest';
import type { Balance, CreditsClient } from '@aivah/credits';
import { balanceStream, openBalanceStreams } from './balance-streams.js';

function fakeClient() {
  const unsubscribe = vi.fn();
  let push: (b: Balance) => void = () => {};
  const subscribe = vi.fn((_id: string, onUpdate: (b: Balance) => void) => {
    push = onUpdate;
    return unsubscribe;
  });
  const client = { balance: { subscribe } } as unknown as CreditsClient;
  return { client, subscribe, unsubscribe, push: (b: Balance) => push(b) };
}

const tick = () => new Promise((r) => setTimeout(r, 1));
const balance = { available: 7, version: 3 } as Balance;

describe('balanceStream', () => {
  it('opens one SDK subscription for every reader of a client and account', () => {
    const { client, subscribe } = fakeClient();
    const a = balanceStream(client, 'me').connect(() => {}, {}, () => {});
    const b = balanceStream(client, 'me').connect(() => {}, {}, () => {});
    expect(subscribe).toHaveBeenCalledTimes(1);
    balanceStream(client, 'acct_other').connect(() => {}, {}, () => {})();
    expect(subscribe).toHaveBeenCalledTimes(2);
    a();
    b();
  });

  it('closes the subscription after the last reader releases it', async () => {
    await tick(); // let earlier tests' streams close
    const { client, unsubscribe } = fakeClient();
    const before = openBalanceStreams();
    const release1 = balanceStream(client, 'me').connect(() => {}, {}, () => {});
    const release2 = balanceStream(client, 'me').connect(() => {}, {}, () => {});
    expect(openBalanceStreams()).toBe(before + 1);
    release1();
    release1(); // releasing twice must not steal the other reader's reference
    await tick();
    expect(unsubscribe).not.toHaveBeenCalled();
    release2();
    await tick();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(openBalanceStreams()).toBe(before);
    expect(balanceStream(client, 'me').getStatus()).toBe('idle');
  });

  it('keeps the subscription when a reader remounts in the same tick (StrictMode, route changes)', async () => {
    const { client, subscribe, unsubscribe } = fakeClient();
    const stream = balanceStream(client, 'me');
    stream.connect(() => {}, {}, () => {})();
    const release = stream.connect(() => {}, {}, () => {});
    await tick();
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(unsubscribe).not.toHaveBeenCalled();
    release();
  });

  it('writes each balance once per sink key however many readers share it', () => {
    const { client, push } = fakeClient();
    const cache = {};
    const write = vi.fn();
    const other = vi.fn();
    const releases = [
      balanceStream(client, 'me').connect(() => {}, cache, write),
      balanceStream(client, 'me').connect(() => {}, cache, write),
      balanceStream(client, 'me').connect(() => {}, {}, other),
    ];
    push(balance);
    expect(write).toHaveBeenCalledTimes(1);
    expect(other).toHaveBeenCalledWith(balance);
    releases.forEach((r) => r());
  });

  it('tells readers when the SDK reports a new connection state', () => {
    const client = {
      balance: {
        subscribe: (_id: string, _on: unknown, opts: { onStatus: (s: string) => void }) => {
          queueMicrotask(() => opts.onStatus('open'));
          return () => {};
        },
      },
    } as unknown as CreditsClient;
    const onStatus = vi.fn();
    const stream = balanceStream(client, 'me');
    const release = stream.connect(onStatus, {}, () => {});
    expect(stream.getStatus()).toBe('connecting');
    return Promise.resolve().then(() => {
      expect(stream.getStatus()).toBe('open');
      expect(onStatus).toHaveBeenCalled();
      release();
    });
  });
});
