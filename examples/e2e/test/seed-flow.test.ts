/**
 * The seed's whole story in Chromium, at a laptop size and at a phone size: sign in, the live pill,
 * user menu → Add credit → the Buy Credits dialog's maths → checkout → /payment → the pill rises;
 * a cancelled checkout; spending by message, image and call until the toast; buying from the toast;
 * the message going through after. Then a purchase with the keyboard alone, and axe on every screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createCreditsClient, type CreditsClient } from '@aivah/credits';
import { axeViolations, browserUnavailable, launchBrowser, screenshot, SECRET_KEY, startServer, VIEWPORTS, type RunningServer } from './harness';

const skipReason = browserUnavailable();
const fmt = (n: number) => `${n.toLocaleString('en-US')} Credits`;

let server: RunningServer;
let browser: Browser;
let credits: CreditsClient;

beforeAll(async () => {
  if (skipReason) return;
  server = await startServer();
  credits = createCreditsClient({ baseUrl: server.url, apiKey: SECRET_KEY });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  const code = await server?.stop();
  if (server) expect(code).toBe(0); // stops cleanly on SIGTERM
});

const apiAvailable = async () => (await credits.balance.get('demo')).available;

/** Other agents or an admin move the demo account to exactly `n` available credits. */
async function setBalance(n: number): Promise<void> {
  const available = await apiAvailable();
  if (available > n) await credits.consumptions.create('demo', { amount: available - n, feature: 'conversation', description: 'Other agents' });
  if (available < n) await credits.grants.create('demo', { amount: n - available, source: 'adjustment', description: 'Test set-up' });
}

describe.skipIf(skipReason !== null).each(VIEWPORTS)('the seed flow at $width×$height ($name)', (viewport) => {
  let context: BrowserContext;
  let page: Page;
  let expected = 2341;

  const pillValue = () => page.locator('[data-testid=balance-pill] .ac-pill-value');
  const pillShows = (n: number) => pillValue().filter({ hasText: new RegExp(`^${fmt(n)}$`) }).waitFor();
  const dialog = () => page.getByRole('dialog', { name: 'Buy Credits' });
  const toast = () => page.getByRole('alert').filter({ hasText: 'You’re out of credits' });
  const shot = (name: string, fullPage = false) => screenshot(page, name, { fullPage });

  /** On a phone the side navigation is a drawer behind the Menu button. */
  async function openNavigation() {
    if (!viewport.mobile) return;
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.locator('#sidebar nav a').first().waitFor({ state: 'visible' });
  }

  async function openBuyCreditsFromUserMenu() {
    await openNavigation();
    await page.getByTestId('user-menu-button').click();
    await page.getByTestId('menu-available-credits').filter({ hasText: fmt(expected) }).waitFor();
    await page.getByRole('menuitem', { name: /Add credit/ }).click();
    await dialog().waitFor();
  }

  async function send(message: string) {
    await page.getByLabel('Message Ava').fill(message);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  /** Pays the open emulator checkout and waits for /payment to confirm `credits` were added. */
  async function payAndReturn(added: number) {
    await page.waitForURL(/\/emulator\/checkout\//);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(/\/payment\?state=success&session_id=/);
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('payment-result').textContent()).toContain(`${fmt(added)} were added to your balance.`);
  }

  async function box(locator: Locator) {
    const b = await locator.boundingBox();
    if (!b) throw new Error('not visible');
    return b;
  }

  beforeAll(async () => {
    await setBalance(2341);
    context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
  });

  it('signs in; the pill shows 2,341 Credits in the top-right corner', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to Aivah' }).waitFor();
    await page.getByLabel('Password').fill('demo');
    await shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await pillShows(2341);
    const pill = await box(page.getByTestId('balance-pill'));
    expect(pill.y).toBeLessThan(60);
    expect(viewport.width - (pill.x + pill.width)).toBeLessThan(40);
    // The agent's header keeps its title on one line, whatever the width.
    const title = await box(page.getByRole('heading', { name: 'Ava · Support agent' }));
    expect(title.height).toBeLessThan(30);
    await page.getByTestId('agent-status').filter({ hasText: 'Online' }).waitFor();
    await shot('avatar-chat');
  });

  it('user menu → Add credit: six packages, current and projected balance, payable amount; checkout adds exactly 2,000', async () => {
    await openBuyCreditsFromUserMenu();
    await shot('user-menu-dialog');
    for (const [amount, price] of [['2,000', '$10'], ['5,000', '$20'], ['10,000', '$30'], ['20,000', '$40'], ['30,000', '$50'], ['40,000', '$60']]) {
      await dialog().getByRole('radio', { name: `${amount} Credits ${price}` }).waitFor({ state: 'attached' });
    }
    await dialog().getByText('credit buys are typically non-refundable', { exact: false }).waitFor();
    await dialog().getByRole('radio', { name: /^5,000 Credits/ }).check();
    expect(await dialog().locator('.ac-buy-projected').textContent()).toBe('7,341 Credits');
    expect(await dialog().locator('.ac-buy-payable').textContent()).toBe('$20');
    await dialog().getByRole('radio', { name: /^2,000 Credits/ }).check();
    expect(await dialog().locator('.ac-buy-current').textContent()).toBe('2,341 Credits');
    expect(await dialog().locator('.ac-buy-projected').textContent()).toBe('4,341 Credits');
    expect(await dialog().locator('.ac-buy-payable').textContent()).toBe('$10');
    // The dialog fits the screen: its Buy button is on screen without scrolling the page.
    const buy = await box(dialog().getByRole('button', { name: 'Buy credits' }));
    expect(buy.y + buy.height).toBeLessThanOrEqual(viewport.height);
    await shot('buy-credits-dialog');

    await dialog().getByRole('button', { name: 'Buy credits' }).click();
    await page.waitForURL(/\/emulator\/checkout\//);
    await shot('emulator-checkout');
    await payAndReturn(2000);
    expect(await page.getByTestId('payment-result').textContent()).toContain(`New balance: ${fmt(4341)}`);
    await shot('payment-success');
    await page.getByRole('link', { name: 'Home' }).click();
    await page.waitForURL(`${server.url}/`);
    expected = 4341;
    await pillShows(expected);
    await expect(apiAvailable()).resolves.toBe(4341);
  });

  it('a cancelled checkout returns to /payment?state=cancel, changes nothing, and View plans leads to a real action', async () => {
    await openBuyCreditsFromUserMenu();
    await dialog().getByRole('radio', { name: /^10,000 Credits/ }).check();
    expect(await dialog().locator('.ac-buy-projected').textContent()).toBe(fmt(expected + 10_000));
    await dialog().getByRole('button', { name: 'Buy credits' }).click();
    await page.waitForURL(/\/emulator\/checkout\//);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/\/payment\?state=cancel/);
    await page.getByRole('heading', { name: 'Payment cancelled' }).waitFor();
    await shot('payment-cancelled');
    await page.getByRole('link', { name: 'View plans' }).click();
    await page.getByRole('heading', { name: 'Plans', exact: true, level: 1 }).waitFor();
    await page.getByTestId('purchased-credits').filter({ hasText: fmt(2000) }).waitFor();
    // Each package is one click from the dialog, with that package selected.
    await page.getByRole('button', { name: 'Buy 20,000 Credits' }).click();
    await dialog().waitFor();
    expect(await dialog().getByRole('radio', { name: /^20,000 Credits/ }).isChecked()).toBe(true);
    await shot('plans-buy');
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    await shot('plans', true);
    await pillShows(expected);
    await expect(apiAvailable()).resolves.toBe(expected);
  });

  it('a message costs 5, an image 100; a call holds 300 (shown in the pill) and captures by duration', async () => {
    await page.goto(server.url);
    await pillShows(expected);
    await send('Hello Ava, what can you do?');
    await page.locator('.message.agent .bubble-meta').filter({ hasText: '−5 Credits' }).first().waitFor();
    expected -= 5;
    await pillShows(expected);

    await page.getByRole('button', { name: /Generate image/ }).click();
    await page.getByRole('img', { name: /Generated image/ }).waitFor();
    expected -= 100;
    await pillShows(expected);

    await page.getByRole('button', { name: /Start call/ }).click();
    const banner = page.getByTestId('call-banner');
    await banner.waitFor();
    await pillShows(expected - 300); // held credits are not available…
    expect(await page.locator('[data-testid=balance-pill] .ac-pill-held').textContent()).toBe('300 held'); // …and are shown
    await banner.filter({ hasText: '0:02' }).waitFor();
    await shot('call-in-progress');
    await page.getByRole('button', { name: 'End call' }).click();
    const ended = page.locator('.message.system').filter({ hasText: 'Call ended' });
    await ended.waitFor();
    const captured = Number(/— ([\d,]+) Credits? used/.exec((await ended.textContent()) ?? '')?.[1]?.replace(/,/g, ''));
    expect(captured).toBeGreaterThanOrEqual(4); // at least 2 s at 2 credits per second
    expect(captured).toBeLessThanOrEqual(40);
    expected -= captured;
    await pillShows(expected);
    expect(await page.locator('[data-testid=balance-pill] .ac-pill-held').count()).toBe(0);
    await expect(apiAvailable()).resolves.toBe(expected);
  });

  it('out of credits: message, image and call each show the toast, clear of the composer, and nothing is deducted', async () => {
    await setBalance(3);
    expected = 3;
    await pillShows(3);
    // Below the alert threshold (25% of monthly usage): the in-app notice says so.
    await page.getByRole('status').filter({ hasText: 'Your credits are running low' }).waitFor();

    await send('Can you summarise my last order?');
    await toast().waitFor();
    expect(await toast().textContent()).toContain('This needs 5 Credits but only 3 Credits are available');
    // The composer stays on screen, and the toast never covers it (it used to sit over Send).
    const t = await box(toast());
    for (const part of [page.getByLabel('Message Ava'), page.getByRole('button', { name: 'Send' })]) {
      const b = await box(part);
      expect(b.y + b.height).toBeLessThanOrEqual(viewport.height);
      const overlaps = t.x < b.x + b.width && b.x < t.x + t.width && t.y < b.y + b.height && b.y < t.y + t.height;
      expect(overlaps).toBe(false);
    }
    await shot('out-of-credits-toast');
    expect(await page.getByLabel('Message Ava').inputValue()).toBe('Can you summarise my last order?');
    await toast().getByRole('button', { name: 'Dismiss' }).click();
    await toast().waitFor({ state: 'detached' });

    await page.getByRole('button', { name: /Generate image/ }).click();
    await toast().filter({ hasText: '100 Credits' }).waitFor();
    await toast().getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('button', { name: /Start call/ }).click();
    await toast().filter({ hasText: '300 Credits' }).waitFor();
    await toast().getByRole('button', { name: 'Dismiss' }).click();
    await expect(apiAvailable()).resolves.toBe(3);
  });

  it('buys from the toast (the package that covers it is selected), and the message then goes through', async () => {
    await send('Can you summarise my last order?');
    await toast().getByRole('button', { name: 'Add credit' }).click();
    await dialog().waitFor();
    expect(await dialog().getByRole('radio', { name: /^2,000 Credits/ }).isChecked()).toBe(true);
    expect(await dialog().locator('.ac-buy-projected').textContent()).toBe(fmt(2003));
    await dialog().getByRole('button', { name: 'Buy credits' }).click();
    await payAndReturn(2000);
    await page.getByRole('link', { name: 'Home' }).click();
    expected = 2003;
    await pillShows(expected);

    await send('Can you summarise my last order?');
    await page.locator('.message.agent').last().filter({ hasText: '−5 Credits' }).waitFor();
    expected -= 5;
    await pillShows(expected);
    expect(await toast().count()).toBe(0);
    await expect(apiAvailable()).resolves.toBe(expected);
  });

  it('buys with the keyboard alone: menu, Add credit, a package by arrow keys, Buy credits, Pay', async () => {
    await page.goto(server.url);
    await pillShows(expected);
    /** Presses Tab until the focused element matches (at most 40 times). */
    const tabTo = async (matches: (el: { testId: string | null; text: string; role: string | null }) => boolean) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const el = await page.evaluate(() => {
          const a = document.activeElement;
          return { testId: a?.getAttribute('data-testid') ?? null, text: a?.textContent?.trim() ?? '', role: a?.getAttribute('role') ?? null };
        });
        if (matches(el)) return;
      }
      throw new Error('Tab never reached the element');
    };
    if (viewport.mobile) {
      await tabTo((el) => el.text === 'Menu');
      await page.keyboard.press('Enter');
    }
    await tabTo((el) => el.testId === 'user-menu-button');
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: /Add credit/ }).waitFor();
    await page.keyboard.press('Enter'); // the menu opens on its first item, Add credit
    await dialog().waitFor();
    // Focus starts on the selected package; arrow keys move through the radio group.
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('credits_2000');
    await page.keyboard.press('ArrowRight');
    expect(await dialog().getByRole('radio', { name: /^5,000 Credits/ }).isChecked()).toBe(true);
    expect(await dialog().locator('.ac-buy-projected').textContent()).toBe(fmt(expected + 5000));
    await tabTo((el) => el.text === 'Buy credits');
    await shot('keyboard-buy-credits');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/emulator\/checkout\//);
    await tabTo((el) => el.text.startsWith('Pay'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/payment\?state=success/);
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor({ timeout: 30_000 });
    expected += 5000;
    await pillShows(expected);
    await tabTo((el) => el.text === 'Home');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/`);
    await expect(apiAvailable()).resolves.toBe(expected);
  });

  it('has no serious or critical axe violations on any screen', async () => {
    const found: Record<string, string[]> = {};
    const check = async (name: string) => {
      const v = await axeViolations(page);
      if (v.length) found[name] = v;
      await shot(`axe-${name === '/' ? 'chat' : name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`, true);
    };
    const pages: Array<[string, string]> = [
      ['/', 'Avatar chat'],
      ['/insights/analytics', 'Agent Analytics'],
      ['/ledger', 'Credit ledger'],
      ['/settings/alerts', 'Threshold alerts'],
      ['/billing', 'Billing'],
      ['/plans', 'Plans'],
      ['/payment?state=cancel', 'Payment'],
      ['/payment?state=success&session_id=cs_test_unknown', 'Payment'],
    ];
    for (const [path, title] of pages) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await pillShows(expected);
      await page.locator('main#main h2, main#main h3, main#main table, main#main form').first().waitFor();
      if (path === '/ledger') await page.locator('tbody tr[data-type]').first().waitFor();
      if (path.includes('unknown')) await page.getByRole('heading', { name: 'We can’t find this payment' }).waitFor();
      await check(path);
    }
    await page.goto(server.url);
    await pillShows(expected);
    if (viewport.mobile) {
      await openNavigation();
      await check('navigation drawer');
    }
    await page.getByTestId('user-menu-button').click();
    await page.getByRole('menuitem', { name: /Add credit/ }).waitFor();
    await check('user menu');
    await page.getByRole('menuitem', { name: /Add credit/ }).click();
    await dialog().waitFor();
    await check('buy credits dialog');
    await page.keyboard.press('Escape');
    await setBalance(0);
    expected = 0;
    await pillShows(0);
    await send('One more thing');
    await toast().waitFor();
    await check('out-of-credits toast');

    const signedOut = await browser.newPage({ viewport: { width: viewport.width, height: viewport.height } });
    await signedOut.goto(server.url);
    await signedOut.getByRole('heading', { name: 'Sign in to Aivah' }).waitFor();
    const v = await axeViolations(signedOut);
    if (v.length) found['sign-in'] = v;
    await signedOut.close();
    expect(found).toEqual({});
  });
});
