import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { Balance } from '@aivah/credits';
import { creditsKeys, writeBalance } from './query-keys.js';

const balance = (available: number, version: number, accountId = 'acct_1') => ({ accountId, available, version }) as Balance;

describe('writeBalance', () => {
  it('never replaces a balance with an older version (a late poll or event)', () => {
    const qc = new QueryClient();
    writeBalance(qc, 'me', balance(100, 5));
    writeBalance(qc, 'me', balance(200, 4));
    expect(qc.getQueryData<Balance>(creditsKeys.balance('me'))?.available).toBe(100);
    writeBalance(qc, 'me', balance(90, 6));
    expect(qc.getQueryData<Balance>(creditsKeys.balance('me'))?.available).toBe(90);
  });

  it('also updates the real account id when something reads it besides `me`', () => {
    const qc = new QueryClient();
    qc.setQueryData(creditsKeys.balance('acct_1'), balance(100, 1));
    writeBalance(qc, 'me', balance(50, 2));
    expect(qc.getQueryData<Balance>(creditsKeys.balance('acct_1'))?.available).toBe(50);
    writeBalance(qc, 'me', balance(40, 3, 'acct_2'));
    expect(qc.getQueryData(creditsKeys.balance('acct_2'))).toBeUndefined();
  });
});
