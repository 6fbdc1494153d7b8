/**
 * Receipts and the audit trail in Chromium, offline: buy a package in the checkout emulator, find
 * it on the Billing page with a receipt link that opens the emulator's receipt page, download the
 * ledger as CSV from the Credit ledger page, and reach the billing portal from Billing.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CreditsClient } from '@aivah/credits';
import { axeViolations, browserUnavailable, openSignedInDemo, screenshot, type RunningServer } from './harness';

const skipReason = browserUnavailable();

describe.skipIf(skipReason !== null)('purchases, receipts and the CSV export (1366×850)', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let credits: CreditsClient;
  const shot = (name: string) => screenshot(page, name, { fullPage: true });
  const dialog = () => page.getByRole('dialog', { name: 'Buy Credits' });

  beforeAll(async () => {
    ({ server, credits, browser, context, page } = await openSignedInDemo({ acceptDownloads: true }));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    const code = await server?.stop();
    expect(code).toBe(0);
  });

  it('Billing starts empty and offers to buy credits', async () => {
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    await page.getByText('No purchases yet.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('a package bought in the emulator is listed on Billing with a receipt that opens', async () => {
    await page.getByRole('button', { name: 'Buy credits' }).click();
    await dialog().waitFor();
    await dialog().getByRole('radio', { name: /^5,000 Credits/ }).check();
    await dialog().getByRole('button', { name: 'Buy credits' }).click();
    await page.waitForURL(/\/emulator\/checkout\//);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(/\/payment\?state=success&session_id=/);
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor({ timeout: 30_000 });

    await page.getByRole('link', { name: 'Billing' }).click();
    const row = page.getByTestId('purchases').locator('tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const cells = (await row.first().locator('td').allInnerTexts()).map((t) => t.trim());
    const today = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date());
    expect(cells.slice(0, 4)).toEqual([today, '5,000 Credits', '5,000', '$20']);
    const receipt = row.first().getByRole('link', { name: /^Receipt/ });
    expect(await receipt.getAttribute('href')).toMatch(new RegExp(`^${server.url}/emulator/receipts/in_`));
    expect(await receipt.getAttribute('target')).toBe('_blank');
    await shot('billing-purchases');
    expect(await axeViolations(page)).toEqual([]);

    const [tab] = await Promise.all([context.waitForEvent('page'), receipt.click()]);
    await tab.waitForLoadState();
    await tab.getByRole('heading', { name: 'Invoice from Aivah' }).waitFor();
    expect(await tab.getByLabel('Amount paid').textContent()).toBe('$20.00');
    expect(await tab.getByTestId('receipt-status').textContent()).toBe('Paid');
    expect(await tab.getByText('5,000 Credits').count()).toBeGreaterThan(0);
    await screenshot(tab, 'emulator-receipt');
    await tab.close();

    // The API agrees with the page: one purchase, with the same receipt.
    const purchases = await credits.purchases.page('demo');
    expect(purchases.data).toHaveLength(1);
    expect(purchases.data[0]).toMatchObject({ packageId: 'credits_5000', credits: 5000, amountTotal: 2000, status: 'paid', receiptUrl: await receipt.getAttribute('href') });
  });

  it('the Credit ledger page downloads the ledger as CSV, the purchase included', async () => {
    await page.getByRole('link', { name: 'Credit ledger' }).click();
    await page.locator('tbody tr[data-type]').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^ledger-demo-start-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await download.path())!, 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('created_at,seq,entry_id,type,amount,balance_after,feature,source,grant_id,hold_id,description,metadata');
    expect(lines.at(-1)).toBe('');
    const entries = [];
    for await (const e of credits.ledger.list('demo')) entries.push(e);
    expect(lines).toHaveLength(entries.length + 2);
    const purchase = lines.find((l) => l.includes(',grant,5000,') && l.includes(',purchase,'));
    expect(purchase).toContain('5,000 Credits purchase');

    // A range of days that ends before today exports the header alone.
    await page.getByLabel('From (UTC)').fill('2020-01-01');
    await page.getByLabel('To (UTC, inclusive)').fill('2020-01-31');
    const [old] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(old.suggestedFilename()).toBe('ledger-demo-2020-01-01-2020-02-01.csv');
    expect((await readFile((await old.path())!, 'utf8')).split('\r\n')).toHaveLength(2);
  });

  it('on a phone the purchases table scrolls inside its card, not the whole page sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${server.url}/billing`);
      await page.getByTestId('purchases').waitFor();
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        table: document.querySelector('.table-scroll')!.scrollWidth,
        scroller: document.querySelector('.table-scroll')!.clientWidth,
      }));
      expect(widths.page).toBeLessThanOrEqual(widths.viewport);
      expect(widths.table).toBeGreaterThan(widths.scroller);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1366, height: 850 });
    }
  });

  it('Billing keeps the way to the billing portal, which returns to Billing', async () => {
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('button', { name: 'Payment methods and invoices' }).click();
    await page.waitForURL(/\/emulator\/billing/);
    await page.getByRole('link', { name: 'Return to the app' }).click();
    await page.waitForURL(`${server.url}/billing`);
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
  });
});
