import { describe, expect, it, vi } from 'vitest';
import { InsufficientCreditsError } from '@aivah/credits';
import { createCreditsStore } from './credits-store.js';

const insufficient = (available: number, required: number) =>
  new InsufficientCreditsError(
    402,
    { type: 'about:blank', title: 'Insufficient credits', status: 402, code: 'INSUFFICIENT_CREDITS', requestId: 'req_1', available, required },
    new Headers(),
  );

describe('createCreditsStore', () => {
  it('opens the toast for a 402 and ignores every other error', () => {
    const store = createCreditsStore();
    expect(store.report(new Error('network'))).toBe(false);
    expect(store.getState().toastOpen).toBe(false);
    const e = insufficient(3, 10);
    expect(store.report(e)).toBe(true);
    expect(store.getState()).toMatchObject({ error: e, toastOpen: true });
  });

  it('keeps the first retry when the same 402 is reported twice', async () => {
    const store = createCreditsStore();
    const e = insufficient(3, 10);
    const first = vi.fn(async () => 'first');
    store.report(e, first);
    store.report(e, async () => 'second');
    await expect(store.retry()).resolves.toBe('first');
    expect(store.getState()).toMatchObject({ error: null, toastOpen: false });
  });

  it('openBuyCredits closes the toast, opens the dialog, calls onBuyCredits and keeps the blocked action', async () => {
    const onBuy = vi.fn();
    const store = createCreditsStore(() => onBuy);
    const action = vi.fn(async () => 'ok');
    store.report(insufficient(0, 5), action);
    store.openBuyCredits();
    expect(onBuy).toHaveBeenCalledTimes(1);
    expect(store.getState()).toMatchObject({ toastOpen: false, buyDialogOpen: true });
    await expect(store.retry()).resolves.toBe('ok');
    expect(store.getState().buyDialogOpen).toBe(false);
  });

  it('dismiss forgets the blocked action', async () => {
    const store = createCreditsStore();
    const action = vi.fn(async () => 'ok');
    store.report(insufficient(0, 5), action);
    store.dismiss();
    await expect(store.retry()).resolves.toBeUndefined();
    expect(action).not.toHaveBeenCalled();
  });

  it('run reports a 402 with the action as its retry and still rejects', async () => {
    const store = createCreditsStore();
    let credits = 0;
    const action = vi.fn(async () => {
      if (credits < 5) throw insufficient(credits, 5);
      return 'sent';
    });
    await expect(store.run(action)).rejects.toBeInstanceOf(InsufficientCreditsError);
    expect(store.getState().toastOpen).toBe(true);
    credits = 10;
    await expect(store.retry()).resolves.toBe('sent');
    expect(action).toHaveBeenCalledTimes(2);
  });

  it('notifies subscribers of every change until they unsubscribe', () => {
    const store = createCreditsStore();
    const listener = vi.fn();
    const off = store.subscribe(listener);
    store.setBuyDialogOpen(true);
    off();
    store.setBuyDialogOpen(false);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
