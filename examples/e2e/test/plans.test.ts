/**
 * Plans in Chromium at 1366×850 (issue 16's "done means"): plan credits and one-off credits stack
 * in the pill and the Buy Credits dialog, the user changes plan, moves the emulator's clock past a
 * renewal and sees the allowance renew with rollover, then gets the expiry notice before credits
 * lapse. Paid plans go through the emulator's subscription Checkout. Every number on screen is
 * checked against the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CreditsClient } from '@aivah/credits';
import { browserUnavailable, openSignedInDemo, screenshot, type RunningServer } from './harness';

const skipReason = browserUnavailable();

describe.skipIf(skipReason !== null)('plans in the example app (1366×850)', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let credits: CreditsClient;
  const fmt = (n: number) => `${n.toLocaleString('en-US')} Credits`;
  const pillShows = (n: number) => page.locator('[data-testid=balance-pill] .ac-pill-value').filter({ hasText: new RegExp(`^${fmt(n)}$`) }).waitFor();
  const fact = (id: string) => page.getByTestId(id);
  const factShows = (id: string, text: string) => fact(id).filter({ hasText: text }).waitFor();

  beforeAll(async () => {
    ({ server, credits, browser, context, page } = await openSignedInDemo());
    await pillShows(2341);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    expect(await server?.stop()).toBe(0);
  });

  it('shows the Starter plan: 3,000 included, 2,341 left, the renewal date and what rolls over', async () => {
    await page.goto(`${server.url}/plans`);
    const plan = await credits.plans.get('demo');
    expect(plan).toMatchObject({ plan: { id: 'starter' }, allowance: { included: 3000, remaining: 2341, rollsOver: 1500 } });
    await factShows('plan-name', 'Starter');
    await factShows('plan-included', '3,000 Credits');
    await factShows('plan-credits', '2,341 Credits');
    await factShows('plan-rolls-over', '1,500 Credits (up to 1,500)');
    expect(await fact('plan-renews').textContent()).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}/);
    await screenshot(page, 'plans');
  });

  it('stacks one-off credits on top of plan credits in the pill and the Buy Credits dialog', async () => {
    await credits.grants.create('demo', { amount: 2000, source: 'promo', description: 'Welcome pack' });
    await pillShows(4341);
    await factShows('one-off-credits', '2,000 Credits');
    expect(await page.getByTestId('balance-pill').getAttribute('title')).toContain('2,341 plan + 2,000 one-off credits');
    await page.getByRole('button', { name: 'Buy 2,000 Credits' }).click();
    const dialog = page.getByRole('dialog', { name: 'Buy Credits' });
    await dialog.locator('.ac-buy-plan').filter({ hasText: '2,341 Credits' }).waitFor();
    await dialog.locator('.ac-buy-oneOff').filter({ hasText: '2,000 Credits' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('buys Pro through the emulator\'s subscription Checkout: Pro starts at once with its whole allowance', async () => {
    const before = (await credits.balance.get('demo')).available;
    await page.getByRole('button', { name: 'Switch to Pro' }).click();
    await page.waitForURL(/\/emulator\/checkout\//);
    await page.getByRole('button', { name: 'Pay $40.00' }).click();
    await page.waitForURL((url) => url.pathname === '/plans');
    await fact('plan-message').filter({ hasText: 'Payment received' }).waitFor();
    const plan = await credits.plans.get('demo');
    expect(plan).toMatchObject({ plan: { id: 'pro' }, billing: 'stripe', allowance: { included: 10000, remaining: 10000 } });
    // The server-renewed Starter credits stay until their period ends; Pro's 10,000 stack on top.
    await pillShows(before + 10000);
    await factShows('plan-name', 'Pro');
    await factShows('plan-included', '10,000 Credits');
  });

  it('moves the emulator clock past the renewal: the subscription renews once and unspent credits roll over up to the caps', async () => {
    const before = await credits.plans.get('demo');
    await page.getByRole('button', { name: '+1 month' }).click();
    await fact('plan-message').filter({ hasText: /: 1 renewal,/ }).waitFor();
    const after = await credits.plans.get('demo');
    expect(Date.parse(after.periodStart!)).toBe(Date.parse(before.periodEnd!));
    // Pro's first period carried 5,000 of its 10,000 (its cap), and Starter's carried 1,500 of its
    // 2,341 (its cap); the rest of each expired.
    expect(after.allowance).toMatchObject({ included: 10000, remaining: 10000, carriedOver: 6500 });
    await factShows('plan-carried', '6,500 Credits');
    await factShows('plan-credits', '16,500 Credits');
    const balance = await credits.balance.get('demo');
    expect(balance.available).toBe(10000 + 6500 + 2000);
    await pillShows(balance.available);
    const ledger = await credits.ledger.page('demo', { limit: 20 });
    expect(ledger.data.filter((e) => e.type === 'rollover').map((e) => e.metadata.credits).sort()).toEqual(['1500', '5000']);
    expect(ledger.data.filter((e) => e.type === 'grant' && e.source === 'plan').map((e) => e.amount)).toContain(10000);
  });

  it('warns in the app a week before unspent credits expire, and writes the grant.expiring warnings', async () => {
    const DAY = 86_400_000;
    const serverNow = async () => Date.parse((await page.evaluate(() => fetch('/demo/clock').then((r) => r.json()))).now as string);
    const next = (await credits.balance.get('demo')).expiringNext!;
    const left = Date.parse(next.expiresAt) - (await serverNow());
    expect(left).toBeGreaterThan(7 * DAY);
    expect(await page.getByTestId('expiry-notice').count()).toBe(0);
    // Just inside the seven days before the next credits expire.
    const days = Math.floor((left - 7 * DAY) / DAY) + 1;
    const run = await page.evaluate(
      (d) => fetch('/demo/clock/advance', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: d }) }).then((r) => r.json()),
      days,
    );
    expect(run.renewed).toBe(0);
    expect(run.warned).toBeGreaterThanOrEqual(1);
    await page.reload();
    expect((await credits.balance.get('demo')).expiringNext).toEqual(next);
    await page.getByTestId('expiry-notice').filter({ hasText: `${fmt(next.amount)} expire on` }).waitFor();
    await screenshot(page, 'plans-expiry-notice');
  });
});
