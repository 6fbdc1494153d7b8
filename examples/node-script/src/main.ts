/**
 * Server-side consumption with the Aivah Credits SDK and a server key: the whole life of credits
 * in an agent backend. Run it against the example server:
 *
 *   pnpm demo                                   # in another terminal
 *   pnpm --filter @aivah/example-node-script start
 *
 * Environment: BASE_URL (default http://localhost:8787), CREDITS_SECRET_KEY (default sk_local_dev),
 * ACCOUNT_ID (default a fresh `script-…` account, so runs never touch the demo user's balance).
 */
import { createCreditsClient, formatCredits, isInsufficientCreditsError } from '@aivah/credits';

const baseUrl = process.env.BASE_URL ?? 'http://localhost:8787';
const apiKey = process.env.CREDITS_SECRET_KEY ?? 'sk_local_dev';
const accountId = process.env.ACCOUNT_ID ?? `script-${Date.now().toString(36)}`;

// A server key acts for any account: keep it on the server, never in a browser bundle.
const credits = createCreditsClient({ baseUrl, apiKey });

async function main(): Promise<void> {
  console.log(`Aivah Credits at ${baseUrl}, account ${accountId}\n`);

  // 1. Grant if needed: an account exists from its first grant. The idempotency key makes a
  //    re-run (or a retry after a timeout) return the first grant instead of granting twice.
  const before = await credits.balance.get(accountId);
  if (before.available < 500) {
    const grant = await credits.grants.create(
      accountId,
      { amount: 1000, source: 'promo', priority: 50, description: 'Welcome credits' },
      { idempotencyKey: `welcome-${accountId}` },
    );
    console.log(`Granted ${formatCredits(grant.entry.amount)} → ${formatCredits(grant.balance.available)} available`);
  } else {
    console.log(`Already has ${formatCredits(before.available)}`);
  }

  // 2. Consume: one realtime conversation turn.
  const turn = await credits.consumptions.create(accountId, { amount: 5, feature: 'conversation', description: 'Agent reply' });
  console.log(`Consumed ${formatCredits(-turn.entry.amount)} for a conversation → ${formatCredits(turn.balance.available)} left`);

  // 3. The 402 path: asking for more than is available deducts nothing and says how much is missing.
  try {
    await credits.consumptions.create(accountId, { amount: turn.balance.available + 1, feature: 'media_generation' });
    throw new Error('expected 402 INSUFFICIENT_CREDITS');
  } catch (error) {
    if (!isInsufficientCreditsError(error)) throw error;
    console.log(`402 ${error.code}: available ${error.available}, required ${error.required} (nothing deducted)`);
  }

  // 4. A call: hold enough for the longest call, capture what the call used, release the rest.
  const ratePerSecond = 2;
  const hold = await credits.holds.create(accountId, { amount: 300, feature: 'call', ttlSeconds: 600 });
  const during = await credits.balance.get(accountId);
  console.log(`Held ${formatCredits(hold.amount)} for a call → ${formatCredits(during.available)} available, ${formatCredits(during.held)} held`);
  const durationSeconds = 42;
  const captured = await credits.holds.capture(accountId, hold.id, { amount: durationSeconds * ratePerSecond });
  const after = await credits.balance.get(accountId);
  console.log(
    `Call of ${durationSeconds}s: captured ${formatCredits(captured.captured)}, released ${formatCredits(captured.amount - captured.captured)}` +
      ` → ${formatCredits(after.available)} available, ${formatCredits(after.held)} held`,
  );

  // A hold that is not needed after all goes back in full.
  const spare = await credits.holds.create(accountId, { amount: 50, feature: 'call', ttlSeconds: 60 });
  const released = await credits.holds.release(accountId, spare.id);
  console.log(`Released an unused hold of ${formatCredits(released.amount)} (status ${released.status})`);

  // 5. The audit trail: every change is an immutable entry with the balance after it.
  console.log('\nLedger, newest first:');
  const page = await credits.ledger.page(accountId, { limit: 10 });
  for (const entry of page.data) {
    const amount = `${entry.amount > 0 ? '+' : ''}${entry.amount}`.padStart(6);
    console.log(`  #${String(entry.seq).padEnd(3)} ${entry.type.padEnd(13)} ${amount}  balance ${entry.balanceAfter}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
