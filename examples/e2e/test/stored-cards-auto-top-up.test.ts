/**
 * Stored cards and auto top-up in Chromium, offline with the emulator: a card saved at checkout
 * buys again in one click; auto top-up turned on, credits drained, and the top-up lands live; then
 * the two ways a bank says no — authentication (the notice links to a checkout that completes the
 * payment) and declines (retried, then paused with a notice; a purchase with a good card resumes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createCreditsClient, type CreditsClient } from '@aivah/credits';
import { browserUnavailable, launchBrowser, screenshot, SECRET_KEY, startServer, type RunningServer } from './harness';

const skipReason = browserUnavailable();
const fmt = (n: number) => `${n.toLocaleString('en-US')} Credits`;

let server: RunningServer;
let browser: Browser;
let credits: CreditsClient;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (skipReason) return;
  server = await startServer();
  credits = createCreditsClient({ baseUrl: server.url, apiKey: SECRET_KEY });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 850 }, reducedMotion: 'reduce' });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  const code = await server?.stop();
  if (server) expect(code).toBe(0);
});

const available = async () => (await credits.balance.get('demo')).available;
/** Other agents spend the demo account down to exactly `n` available credits. */
async function drainTo(n: number) {
  const now = await available();
  if (now > n) await credits.consumptions.create('demo', { amount: now - n, feature: 'conversation', description: 'Other agents' });
}
const pillShows = (n: number, timeout?: number) =>
  page.locator('[data-testid=balance-pill] .ac-pill-value').filter({ hasText: new RegExp(`^${fmt(n)}$`) }).waitFor({ timeout });
const dialog = () => page.getByRole('dialog', { name: 'Buy Credits' });
const notice = () => page.getByTestId('topup-notice');

async function openBuyCredits() {
  await page.getByTestId('user-menu-button').click();
  await page.getByRole('menuitem', { name: /Add credit/ }).click();
  await dialog().waitFor();
}

/** Pays the open emulator checkout with `card` (saved on the account) and waits for /payment. */
async function payWith(card: string) {
  await page.waitForURL(/\/emulator\/checkout\//);
  await page.getByLabel('Card number').fill(card);
  await page.getByRole('button', { name: /^Pay/ }).click();
  await page.waitForURL(/\/payment\?state=success&session_id=/);
  await page.getByRole('heading', { name: 'Payment successful' }).waitFor({ timeout: 30_000 });
}

/** Buys 2,000 credits through checkout, saving `card`. */
async function buyThroughCheckout(card: string) {
  await page.goto(server.url);
  await openBuyCredits();
  await dialog().getByRole('radio', { name: /^2,000 Credits/ }).check();
  await dialog().getByRole('button', { name: 'Buy credits' }).click();
  await payWith(card);
}

describe.skipIf(skipReason !== null)('stored cards and auto top-up', () => {
  it('checkout saves the card; the dialog then buys in one click with "Buy with Visa •••• 4242"', async () => {
    await page.goto(server.url);
    await page.getByLabel('Password').fill('demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await pillShows(2341);
    await openBuyCredits();
    // No card stored yet: only checkout is offered.
    expect(await dialog().getByRole('button', { name: /Buy with/ }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await buyThroughCheckout('4242 4242 4242 4242');
    expect(await available()).toBe(4341);

    await page.goto(server.url);
    await pillShows(4341);
    await openBuyCredits();
    await dialog().getByRole('radio', { name: /^5,000 Credits/ }).check();
    const oneClick = dialog().getByRole('button', { name: 'Buy with Visa •••• 4242' });
    await oneClick.click();
    await dialog().getByRole('status').filter({ hasText: '5,000 Credits added to your balance.' }).waitFor();
    await pillShows(9341);
    await screenshot(page, 'one-click-purchase');
    expect(page.url()).toBe(`${server.url}/`); // no redirect: one click
    expect(await available()).toBe(9341);
    await page.keyboard.press('Escape');
  });

  it('auto top-up: turned on, credits drained by other agents, and the top-up lands live in the pill', async () => {
    await page.getByRole('link', { name: 'Auto top-up' }).click();
    await page.getByTestId('stored-cards').filter({ hasText: 'Visa •••• 4242' }).waitFor();
    await page.getByLabel('Turn on auto top-up').check();
    await page.getByLabel('Threshold (credits)').fill('1000');
    await page.getByLabel('Package to buy').selectOption('credits_2000');
    await page.getByLabel('Most top-ups a month').fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByTestId('topup-state').filter({ hasText: 'Active' }).waitFor();

    await drainTo(600);
    // The crossing recorded a top-up in the consume's transaction; the worker charges the card.
    await pillShows(2600, 30_000);
    await page.getByTestId('topup-latest').filter({ hasText: 'succeeded' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('topup-used').filter({ hasText: '1 top-up' }).waitFor();
    await screenshot(page, 'auto-top-up-landed', { fullPage: true });
    expect(await available()).toBe(2600);
  });

  it('authentication required: a notice with a link; confirming through checkout credits once and clears it', async () => {
    // The newest card is what auto top-up charges: save one that always needs authentication.
    await buyThroughCheckout('4000 0027 6000 3184');
    await page.goto(`${server.url}/settings/auto-top-up`);
    await page.getByTestId('stored-cards').filter({ hasText: 'Visa •••• 3184' }).waitFor();
    const before = await available();
    await drainTo(500);
    await notice().filter({ hasText: 'Confirm your automatic top-up' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('topup-state').filter({ hasText: 'Needs your confirmation' }).waitFor();
    expect(await available()).toBe(500); // nothing credited while the bank waits for the buyer
    expect(before).toBeGreaterThan(500);
    await screenshot(page, 'auto-top-up-action-required', { fullPage: true });
    await notice().getByRole('link', { name: 'Confirm payment' }).click();
    await payWith('4242 4242 4242 4242');
    expect(await available()).toBe(2500);
    await page.goto(`${server.url}/settings/auto-top-up`);
    await page.getByTestId('topup-state').filter({ hasText: 'Active' }).waitFor();
    expect(await notice().count()).toBe(0);
  });

  it('declined: one click shows the decline; auto top-up retries, pauses with a notice, and a purchase with a good card resumes it', async () => {
    await buyThroughCheckout('4000 0000 0000 0002');
    await page.goto(server.url);
    await openBuyCredits();
    await dialog().getByRole('button', { name: 'Buy with Visa •••• 0002' }).click();
    await dialog().getByRole('alert').filter({ hasText: 'Your card was declined.' }).waitFor();
    const afterDecline = await available();
    expect(afterDecline).toBe(4500); // the one-click decline credited nothing
    await page.keyboard.press('Escape');

    await page.goto(`${server.url}/settings/auto-top-up`);
    await drainTo(400);
    // Three attempts, 5 s and 15 s apart in the example server, then paused.
    await notice().filter({ hasText: 'Auto top-up paused' }).waitFor({ timeout: 45_000 });
    await page.getByTestId('topup-state').filter({ hasText: 'Paused' }).waitFor();
    await page.getByTestId('topup-latest').filter({ hasText: 'card_declined' }).waitFor();
    expect(await available()).toBe(400);
    await screenshot(page, 'auto-top-up-paused', { fullPage: true });

    await notice().getByRole('button', { name: 'Buy credits' }).click();
    await dialog().getByRole('radio', { name: /^2,000 Credits/ }).check();
    await dialog().getByRole('button', { name: 'Buy credits' }).click();
    await payWith('4242 4242 4242 4242');
    expect(await available()).toBe(2400);
    await page.goto(`${server.url}/settings/auto-top-up`);
    await page.getByTestId('topup-state').filter({ hasText: 'Active' }).waitFor();
    expect(await notice().count()).toBe(0);
    // Resumed with the good card: the next crossing tops up again.
    await drainTo(300);
    await pillShows(2300, 30_000);
  });
});
