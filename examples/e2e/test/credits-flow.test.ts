/**
 * The example apps end to end, in Chromium: the seed's whole story from the live balance pill to
 * buying credits through the checkout emulator, running out mid-conversation, analytics, the
 * ledger, accessibility, and the Node script against the same server.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createCreditsClient, type CreditsClient } from '@aivah/credits';
import { browserUnavailable, examplesDir, launchBrowser, run, screenshot, SECRET_KEY, startServer, type RunningServer } from './harness';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
const skipReason = browserUnavailable();

describe.skipIf(skipReason !== null)('example web app in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let credits: CreditsClient;

  /** The balance the pill must show, tracked alongside the UI and checked against the API. */
  let expected = 2341;
  const fmt = (n: number) => `${n.toLocaleString('en-US')} Credits`;
  const pill = (p: Page = page) => p.getByTestId('balance-pill');
  const pillShows = (n: number, p: Page = page) => pill(p).filter({ hasText: new RegExp(`^\\s*${fmt(n)}\\s*$`) }).waitFor();
  const apiAvailable = async () => (await credits.balance.get('demo')).available;

  async function send(message: string, p: Page = page) {
    await p.getByLabel('Message Ava').fill(message);
    await p.getByRole('button', { name: 'Send' }).click();
  }

  /** Other agents spend on the same account through the server key, leaving `left`. */
  async function drainTo(left: number) {
    const available = await apiAvailable();
    if (available > left) await credits.consumptions.create('demo', { amount: available - left, feature: 'conversation', description: 'Other agents' });
    expected = left;
  }

  /** axe-core in the page: serious or critical violations, by rule and target. */
  async function axeViolations(p: Page = page): Promise<string[]> {
    await p.addScriptTag({ content: axeSource });
    const results = await p.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx?: unknown, opts?: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
      return axe.run(document, { resultTypes: ['violations'] });
    });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }

  beforeAll(async () => {
    server = await startServer();
    credits = createCreditsClient({ baseUrl: server.url, apiKey: SECRET_KEY });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 820 }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    const code = await server?.stop();
    // The server stops cleanly on SIGTERM (closes the HTTP server and the ledger).
    expect(code).toBe(0);
  });

  it('signs in with the demo credentials and the pill shows the seeded 2,341 Credits', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to Aivah' }).waitFor();
    await page.getByLabel('Password').fill('demo');
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await pillShows(2341);
    expect(await pill().textContent()).toContain('2,341 Credits');
    await expect(apiAvailable()).resolves.toBe(2341);
    await screenshot(page, 'avatar-chat');
  });

  it('the browser holds no key: its cookie session can read and buy for its own account only', async () => {
    const result = await page.evaluate(async () => {
      const post = (path: string) =>
        fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 1, feature: 'conversation' }) });
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

  it('a chat message consumes 5 credits and the pill updates live', async () => {
    await send('Hello Ava, what can you do?');
    await page.locator('.message.agent .bubble-meta').filter({ hasText: '5 Credits' }).first().waitFor();
    expected -= 5;
    await pillShows(expected);
    await expect(apiAvailable()).resolves.toBe(expected);
  });

  it('two tabs see the same live balance', async () => {
    const second = await context.newPage();
    await second.goto(`${server.url}/insights/analytics`);
    await pillShows(expected, second);
    await send('Tell me about credits');
    expected -= 5;
    await pillShows(expected);
    // The second tab does nothing: the change arrives over its balance stream.
    await pillShows(expected, second);
    // And a change made by a server elsewhere reaches both tabs too.
    await credits.consumptions.create('demo', { amount: 1, feature: 'conversation' });
    expected -= 1;
    await Promise.all([pillShows(expected), pillShows(expected, second)]);
    await second.close();
  });

  it('generating an image costs 100 credits; a call holds 300 and captures by duration', async () => {
    await page.getByRole('button', { name: /Generate image/ }).click();
    await page.getByRole('img', { name: /Generated image/ }).waitFor();
    expected -= 100;
    await pillShows(expected);

    await page.getByRole('button', { name: /Start call/ }).click();
    await page.getByTestId('call-banner').waitFor();
    await pillShows(expected - 300); // held credits are not available
    await page.waitForTimeout(2_200);
    await screenshot(page, 'call-in-progress');
    await page.getByRole('button', { name: 'End call' }).click();
    const ended = page.locator('.message.system').filter({ hasText: 'Call ended' });
    await ended.waitFor();
    const captured = Number(/— ([\d,]+) Credits? used/.exec((await ended.textContent()) ?? '')?.[1]?.replace(/,/g, ''));
    expect(captured).toBeGreaterThanOrEqual(4); // at least 2 s at 2 credits per second
    expect(captured).toBeLessThanOrEqual(20);
    expected -= captured;
    await pillShows(expected);
    await expect(apiAvailable()).resolves.toBe(expected);
    const balance = await credits.balance.get('demo');
    expect(balance.held).toBe(0);
  });

  it('out of credits: each action shows the toast and nothing is deducted', async () => {
    await drainTo(3);
    await pillShows(3);

    await send('Can you summarise my last order?');
    const toast = page.getByRole('alert').filter({ hasText: 'You’re out of credits' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain('This needs 5 Credits but only 3 Credits are available');
    await screenshot(page, 'out-of-credits-toast');
    // The unsent message stays in the composer, ready to send again.
    expect(await page.getByLabel('Message Ava').inputValue()).toBe('Can you summarise my last order?');
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await toast.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: /Generate image/ }).click();
    await toast.filter({ hasText: '100 Credits' }).waitFor();
    await toast.getByRole('button', { name: 'Dismiss' }).click();

    await page.getByRole('button', { name: /Start call/ }).click();
    await toast.filter({ hasText: '300 Credits' }).waitFor();
    await expect(apiAvailable()).resolves.toBe(3);
  });

  it('buys 2,000 from the toast: dialog maths, emulator checkout, /payment success, +2,000 exactly, next message goes through', async () => {
    const toast = page.getByRole('alert').filter({ hasText: 'You’re out of credits' });
    await toast.getByRole('button', { name: 'Add credit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Buy Credits' });
    await dialog.waitFor();
    // All six packages of the seed, with their prices.
    for (const [credits, price] of <Array<[string, string]>>[['2,000', '$10'], ['5,000', '$20'], ['10,000', '$30'], ['20,000', '$40'], ['30,000', '$50'], ['40,000', '$60']]) {
      await dialog.getByText(`${credits} Credits`, { exact: true }).waitFor();
      await dialog.getByText(price, { exact: true }).waitFor();
    }
    await dialog.getByText('credit buys are typically non-refundable', { exact: false }).waitFor();
    await dialog.getByLabel(/5,000 Credits/).check();
    expect(await dialog.getByTestId('projected-balance').textContent()).toBe('5,003 Credits');
    await dialog.getByLabel(/2,000 Credits/).check();
    expect(await dialog.getByTestId('current-balance').textContent()).toBe('3 Credits');
    expect(await dialog.getByTestId('projected-balance').textContent()).toBe('2,003 Credits');
    expect(await dialog.getByTestId('payable-amount').textContent()).toBe('$10.00');
    await screenshot(page, 'buy-credits-dialog');

    await dialog.getByRole('button', { name: 'Buy credits' }).click();
    await page.waitForURL(/\/emulator\/checkout\//);
    await screenshot(page, 'emulator-checkout');
    await page.getByRole('button', { name: /^Pay/ }).click();

    await page.waitForURL(/\/payment\?state=success&session_id=/);
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('payment-result').textContent()).toContain('2,000 Credits were added');
    await screenshot(page, 'payment-success');
    await page.getByRole('link', { name: 'Home' }).click();
    await page.waitForURL(`${server.url}/`);

    expected = 3 + 2000;
    await pillShows(expected);
    await expect(apiAvailable()).resolves.toBe(2003);

    await send('Can you summarise my last order?');
    await page.locator('.message.agent').last().filter({ hasText: '−5 Credits' }).waitFor();
    expected -= 5;
    await pillShows(expected);
    expect(await page.getByRole('alert').filter({ hasText: 'out of credits' }).count()).toBe(0);
  });

  it('credits that arrive while the toast is up apply at once, and Retry resends the blocked message', async () => {
    await drainTo(2);
    await pillShows(2);
    await send('Are you still there?');
    const toast = page.getByRole('alert').filter({ hasText: 'You’re out of credits' });
    await toast.waitFor();
    // Someone tops the account up elsewhere (another tab, an admin): the toast follows the live balance.
    await credits.grants.create('demo', { amount: 10, source: 'promo', priority: 50, description: 'Goodwill credits' });
    const added = page.getByRole('alert').filter({ hasText: 'Credits added' });
    await added.waitFor();
    await pillShows(12);
    await added.getByRole('button', { name: 'Retry' }).click();
    await added.waitFor({ state: 'detached' });
    expected = 12 - 5;
    await pillShows(expected);
    expect(await page.getByLabel('Message Ava').inputValue()).toBe('');
    await expect(apiAvailable()).resolves.toBe(expected);
  });

  it('cancelling checkout returns to /payment?state=cancel and leaves the balance unchanged', async () => {
    // This time through the user menu at the bottom of the side navigation.
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('menu-available-credits').filter({ hasText: fmt(expected) }).waitFor();
    await screenshot(page, 'user-menu');
    await page.getByRole('menuitem', { name: /Add credit/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Buy Credits' });
    await dialog.getByLabel(/10,000 Credits/).check();
    expect(await dialog.getByTestId('projected-balance').textContent()).toBe(fmt(expected + 10_000));
    await dialog.getByRole('button', { name: 'Buy credits' }).click();
    await page.waitForURL(/\/emulator\/checkout\//);
    await page.getByRole('button', { name: /Cancel/ }).first().click();
    await page.waitForURL(/\/payment\?state=cancel/);
    await page.getByRole('heading', { name: 'Payment cancelled' }).waitFor();
    await screenshot(page, 'payment-cancelled');
    await page.getByRole('link', { name: 'View plans' }).click();
    await page.getByRole('heading', { name: 'Plans', exact: true }).waitFor();
    await screenshot(page, 'plans');
    await pillShows(expected);
    await expect(apiAvailable()).resolves.toBe(expected);
  });

  it('the dialog is keyboard operable: opens from the menu by keyboard, traps focus, closes on Escape', async () => {
    await page.goto(server.url);
    await pillShows(expected);
    await page.getByTestId('user-menu-button').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: /Add credit/ }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Add credit');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Buy Credits' });
    await dialog.waitFor();
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('user-menu-button');
  });

  it('Agent Analytics shows usage by day and feature, the forecast and a pre-purchase suggestion', async () => {
    await page.getByRole('link', { name: 'Agent Analytics' }).click();
    const byFeature = page.getByTestId('usage-by-feature');
    await byFeature.getByText('Conversations').waitFor();
    await byFeature.getByText('Media generation').waitFor();
    await byFeature.getByText('Calls').waitFor();
    const summary = await credits.usage.get('demo', { days: 30 });
    // The demo account comes with two weeks of history; today holds exactly what this run spent.
    expect(summary.byDay.filter((d) => d.total > 0)).toHaveLength(15);
    expect(summary.byDay.at(-1)?.byFeature.media_generation).toBe(100);
    await page.getByTestId('usage-total').filter({ hasText: summary.total.toLocaleString('en-US') }).waitFor();
    await page.getByTestId('usage-chart').locator('.recharts-bar-rectangle').first().waitFor();
    expect(await page.getByTestId('days-left').textContent()).toMatch(/^\d+$/);

    await page.getByLabel('Expected extra traffic (%)').fill('400');
    await page.getByLabel('Plus extra credits per day').fill('1000');
    const suggestion = page.getByTestId('campaign-suggestion');
    await suggestion.getByText('Suggested:').waitFor();
    await screenshot(page, 'agent-analytics');
    await suggestion.getByRole('button', { name: /^Buy/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Buy Credits' });
    await dialog.waitFor();
    expect(await dialog.locator('input[type=radio]:checked').count()).toBe(1);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('the ledger lists every entry: plan grant, purchase, consumptions and the call hold', async () => {
    await page.getByRole('link', { name: 'Credit ledger' }).click();
    const table = page.getByTestId('ledger-table');
    await table.locator('tbody tr[data-type]').first().waitFor();
    const rows = table.locator('tbody tr[data-type]');
    const entries = await credits.ledger.page('demo', { limit: 100 });
    expect(await rows.count()).toBe(Math.min(25, entries.data.length));
    const purchase = table.locator('tr[data-type=grant]').filter({ hasText: 'purchase' });
    expect(await purchase.count()).toBe(1);
    expect(await purchase.textContent()).toContain('+2,000');
    // The plan grant is the oldest entry, pages behind the demo history: load until it shows.
    const plan = table.locator('tr[data-type=grant]').filter({ hasText: 'plan' });
    for (let pages = 1; (await plan.count()) === 0; pages++) {
      expect(pages).toBeLessThan(10);
      const shown = await rows.count();
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(() => rows.count()).toBeGreaterThan(shown);
    }
    expect(await table.locator('tr[data-type=consume]').count()).toBeGreaterThan(3);
    await table.locator('tr[data-type=hold_capture]').first().waitFor();
    await screenshot(page, 'ledger');
  });

  it('threshold alerts default to 25% of monthly usage and can be set to an absolute amount', async () => {
    await page.getByRole('link', { name: 'Threshold alerts' }).click();
    await page.getByLabel('Percent of trailing 30-day usage').waitFor();
    expect(await page.getByLabel('Percent of trailing 30-day usage').inputValue()).toBe('25');
    await page.getByLabel('A fixed number of credits').check();
    await page.getByLabel('Credits', { exact: true }).fill('750');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByTestId('effective-threshold').filter({ hasText: '750 Credits' }).waitFor();
    const settings = await credits.alerts.get('demo');
    expect(settings).toMatchObject({ mode: 'absolute', threshold: 750 });
    await screenshot(page, 'threshold-alerts');
  });

  it('Billing opens the billing portal (the emulator page offline)', async () => {
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.waitForURL(/\/emulator\/billing/);
    await screenshot(page, 'billing-portal');
    await page.goBack();
  });

  it('has no serious or critical axe-core violations on any screen', async () => {
    const found: Record<string, string[]> = {};
    const check = async (name: string) => {
      const v = await axeViolations();
      if (v.length) found[name] = v;
    };
    for (const path of ['/', '/insights/analytics', '/ledger', '/settings/alerts', '/plans', '/payment?state=cancel']) {
      await page.goto(`${server.url}${path}`);
      await pillShows(expected);
      await page.locator('main#main h2, main#main h3, main#main table').first().waitFor();
      await check(path);
    }
    await page.goto(server.url);
    await page.getByTestId('user-menu-button').click();
    await check('user menu');
    await page.getByRole('menuitem', { name: /Add credit/ }).click();
    await page.getByRole('dialog', { name: 'Buy Credits' }).waitFor();
    await check('buy credits dialog');
    await page.keyboard.press('Escape');
    await drainTo(0);
    await send('One more thing');
    await page.getByRole('alert').filter({ hasText: 'out of credits' }).waitFor();
    await check('out-of-credits toast');
    const signedOut = await browser.newPage();
    await signedOut.goto(server.url);
    await signedOut.getByRole('heading', { name: 'Sign in to Aivah' }).waitFor();
    const v = await axeViolations(signedOut);
    if (v.length) found['sign-in'] = v;
    await signedOut.close();
    expect(found).toEqual({});
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
