/**
 * The example app beyond the seed flow, in Chromium at 1366×850: no key in the browser, live balance
 * across tabs, Agent Analytics, the ledger with a call's hold, threshold alerts that say where they
 * go, the billing portal round trip, an honest offline state, and the Node script against the same
 * server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CreditsClient } from '@aivah/credits';
import { axeViolations, browserUnavailable, examplesDir, openSignedInDemo, run, screenshot, SECRET_KEY, type RunningServer } from './harness';

const skipReason = browserUnavailable();

describe.skipIf(skipReason !== null)('the example app in detail (1366×850)', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let credits: CreditsClient;

  /** The balance the pill must show, tracked alongside the UI and checked against the API. */
  let expected = 2341;
  const fmt = (n: number) => `${n.toLocaleString('en-US')} Credits`;
  const pillShows = (n: number, p: Page = page) =>
    p.locator('[data-testid=balance-pill] .ac-pill-value').filter({ hasText: new RegExp(`^${fmt(n)}$`) }).waitFor();
  const apiAvailable = async () => (await credits.balance.get('demo')).available;
  const shot = (name: string, fullPage = false) => screenshot(page, name, { fullPage });

  async function send(message: string, p: Page = page) {
    await p.getByLabel('Message Ava').fill(message);
    await p.getByRole('button', { name: 'Send' }).click();
  }

  beforeAll(async () => {
    ({ server, credits, browser, context, page } = await openSignedInDemo());
    await pillShows(2341);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    const code = await server?.stop();
    // The server stops cleanly on SIGTERM (closes the HTTP server and the ledger).
    expect(code).toBe(0);
  });

  it('the browser holds no key: its cookie session can read and buy for its own account only', async () => {
    const result = await page.evaluate(async () => {
      const post = (path: string) =>
        fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
          body: JSON.stringify({ amount: 1, feature: 'conversation' }),
        });
      const scripts = await Promise.all([...document.scripts].filter((s) => s.src).map((s) => fetch(s.src).then((r) => r.text())));
      return {
        own: (await fetch('/v1/accounts/me/balance')).status,
        consume: (await post('/v1/accounts/me/consumptions')).status,
        other: (await fetch('/v1/accounts/someone-else/balance')).status,
        cookieVisible: document.cookie.includes('aivah_session'),
        bundle: scripts.join('\n'),
      };
    });
    expect(result.own).toBe(200);
    expect(result.consume).toBe(403); // browser scopes: credits:read credits:purchase
    expect(result.other).toBe(404); // other accounts look like accounts that do not exist
    expect(result.cookieVisible).toBe(false); // HttpOnly
    expect(result.bundle).not.toContain(SECRET_KEY);
    expect(result.bundle).not.toContain('sk_local_dev');
    await expect(apiAvailable()).resolves.toBe(2341);
  });

  it('two tabs see the same live balance, and a change made elsewhere reaches both', async () => {
    const second = await context.newPage();
    await second.goto(`${server.url}/insights/analytics`);
    await pillShows(expected, second);
    await send('Tell me about credits');
    expected -= 5;
    await Promise.all([pillShows(expected), pillShows(expected, second)]);
    await credits.consumptions.create('demo', { amount: 1, feature: 'conversation' });
    expected -= 1;
    await Promise.all([pillShows(expected), pillShows(expected, second)]);
    await second.close();
  });

  it('the ledger shows a call’s hold with the credits it reserved and how it ended', async () => {
    await page.getByRole('button', { name: /Start call/ }).click();
    const banner = page.getByTestId('call-banner');
    await banner.filter({ hasText: '0:01' }).waitFor();
    await page.getByRole('link', { name: 'Credit ledger' }).click();
    // While the call runs: the hold row says 300 held and that it is active.
    const hold = page.locator('tr[data-type=hold]').first();
    await hold.filter({ hasText: '300 held' }).filter({ hasText: 'Active' }).waitFor();
    await page.getByRole('link', { name: 'Avatar chat' }).click();
    await page.getByRole('button', { name: 'End call' }).click();
    const ended = page.locator('.message.system').filter({ hasText: 'Call ended' });
    await ended.waitFor();
    const captured = Number(/— ([\d,]+) Credits? used/.exec((await ended.textContent()) ?? '')?.[1]?.replace(/,/g, ''));
    expected -= captured;
    await pillShows(expected);

    await page.getByRole('link', { name: 'Credit ledger' }).click();
    await hold.filter({ hasText: `Captured ${fmt(captured)}, ${fmt(300 - captured)} released` }).waitFor();
    expect(await page.locator('tr[data-type=hold_capture]').first().textContent()).toContain(`−${captured}`);
    const rows = page.locator('tbody tr[data-type]');
    expect(await rows.count()).toBe(25);
    // The Starter plan's grants (its first period's and the renewal's) are the oldest entries,
    // pages behind the demo history: load until one shows.
    const plan = page.locator('tr[data-type=grant]').filter({ hasText: 'Starter plan' }).first();
    for (let pages = 1; (await plan.count()) === 0; pages++) {
      expect(pages).toBeLessThan(10);
      const shown = await rows.count();
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(() => rows.count()).toBeGreaterThan(shown);
    }
    // Dates read like every other date in the app.
    expect(await plan.locator('.ac-ledger-date').textContent()).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M$/);
    await page.getByLabel('Type').selectOption('hold');
    await expect.poll(() => rows.evaluateAll((trs) => [...new Set(trs.map((tr) => tr.getAttribute('data-type')))])).toEqual(['hold']);
    await page.getByLabel('Type').selectOption('');
    await shot('ledger');
  });

  it('Agent Analytics shows usage by day and feature, the forecast with a formatted date, and a pre-purchase suggestion', async () => {
    await page.getByRole('link', { name: 'Agent Analytics' }).click();
    const byFeature = page.getByTestId('usage-by-feature');
    for (const name of ['Conversations', 'Media generation', 'Calls']) await byFeature.getByText(name).waitFor();
    const summary = await credits.usage.get('demo', { days: 30 });
    // The demo account comes with two weeks of history, and this run spent today.
    expect(summary.byDay.filter((d) => d.total > 0)).toHaveLength(15);
    await page.getByTestId('usage-total').filter({ hasText: summary.total.toLocaleString('en-US') }).waitFor();
    await page.getByTestId('usage-chart').locator('.recharts-bar-rectangle').first().waitFor();
    expect(await page.getByTestId('days-left').textContent()).toMatch(/^\d+$/);
    expect(await page.getByText(/^Runs out around /).textContent()).toMatch(/^Runs out around [A-Z][a-z]{2} \d{1,2}, \d{4}$/);

    await page.getByLabel('Expected extra traffic (%)').fill('400');
    await page.getByLabel('Plus extra credits per day').fill('1000');
    const suggestion = page.getByTestId('campaign-suggestion');
    await suggestion.getByText('Suggested:').waitFor();
    await shot('agent-analytics', true);
    const buy = suggestion.getByRole('button', { name: /^Buy/ });
    const suggested = /^Buy ([\d,]+) Credits$/.exec((await buy.textContent()) ?? '')?.[1];
    await buy.click();
    const dialog = page.getByRole('dialog', { name: 'Buy Credits' });
    await dialog.waitFor();
    expect(await dialog.getByRole('radio', { name: new RegExp(`^${suggested} Credits`) }).isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('threshold alerts say where an alert goes: in the app, and no webhook while the server has none', async () => {
    await page.getByRole('link', { name: 'Threshold alerts' }).click();
    await page.getByLabel('Percent of trailing 30-day usage').waitFor();
    expect(await page.getByLabel('Percent of trailing 30-day usage').inputValue()).toBe('25');
    const delivery = page.getByTestId('alert-delivery');
    await delivery.getByText('not sent — this server has no WEBHOOK_URL', { exact: false }).waitFor();
    await delivery.getByText('In the app', { exact: false }).waitFor();

    await page.getByLabel('A fixed number of credits').check();
    await page.getByLabel('Credits', { exact: true }).fill(String(expected + 100));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByTestId('effective-threshold').filter({ hasText: fmt(expected + 100) }).waitFor();
    // Now below the threshold: the notice shows on every page, with Add credit.
    const notice = page.getByRole('status').filter({ hasText: 'Your credits are running low' });
    await notice.waitFor();
    await shot('threshold-alerts');
    await page.getByRole('link', { name: 'Avatar chat' }).click();
    await notice.waitFor();
    expect(await credits.alerts.get('demo')).toMatchObject({ mode: 'absolute', threshold: expected + 100 });
    await page.getByRole('link', { name: 'Threshold alerts' }).click();
    await page.getByLabel('A share of monthly usage').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await notice.waitFor({ state: 'detached' });
  });

  it('Billing opens the styled billing portal, which returns to the page the user came from', async () => {
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Payment methods and invoices' }).click();
    await page.waitForURL(/\/emulator\/billing/);
    await page.getByRole('heading', { name: 'Billing portal' }).waitFor();
    await shot('billing-portal');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Return to the app' }).click();
    await page.waitForURL(`${server.url}/billing`);
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
  });

  it('an unknown checkout session is answered at once and plainly', async () => {
    await page.goto(`${server.url}/payment?state=success&session_id=cs_test_does_not_exist`);
    await page.getByRole('heading', { name: 'We can’t find this payment' }).waitFor({ timeout: 3_000 });
    expect(await page.getByTestId('payment-result').getAttribute('data-state')).toBe('not_found');
  });

  it('offline, the agent says so and a failed message reads as a connection problem; back online it recovers', async () => {
    await page.goto(server.url);
    await pillShows(expected);
    await page.getByTestId('agent-status').filter({ hasText: 'Online' }).waitFor();
    await context.setOffline(true);
    try {
      await page.getByTestId('agent-status').filter({ hasText: 'Offline' }).waitFor();
      expect(await page.getByTestId('balance-pill').getAttribute('data-connection')).toBe('offline');
      await send('Are you there?');
      await page.locator('.message.system').filter({ hasText: 'Message not sent: can’t reach Aivah right now' }).waitFor();
      expect(await page.getByText('Failed to fetch').count()).toBe(0);
      expect(await page.getByLabel('Message Ava').inputValue()).toBe('Are you there?');
      await shot('offline');
    } finally {
      await context.setOffline(false);
    }
    await page.getByTestId('agent-status').filter({ hasText: 'Online' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.message.agent').last().filter({ hasText: '−5 Credits' }).waitFor();
    expected -= 5;
    await pillShows(expected);
    await expect(apiAvailable()).resolves.toBe(expected);
  });

  it('the node script runs against the server and exits 0', async () => {
    const { code, output } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
      cwd: join(examplesDir, 'node-script'),
      env: { ...process.env, BASE_URL: server.url, CREDITS_SECRET_KEY: SECRET_KEY },
    });
    expect(output).toContain('402 INSUFFICIENT_CREDITS');
    expect(output).toMatch(/captured 84 Credits, released 216 Credits/);
    expect(code, output).toBe(0);
  });
});
