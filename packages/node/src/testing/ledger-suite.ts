/**
 * The conformance suite of the {@link LedgerAdapter} contract, exported for third-party adapters.
 * One file per concern under `ledger-suite/`; `runLedgerAdapterSuite` registers them all, in an
 * order where the tests that move the clock a day forward come last.
 * @module
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { LedgerAdapter } from '../ledger/adapter.js';
import { accountsTests } from './ledger-suite/accounts.js';
import { alertsTests } from './ledger-suite/alerts.js';
import { autoTopUpTests } from './ledger-suite/auto-top-up.js';
import { balanceEventsTests } from './ledger-suite/balance-events.js';
import { concurrencyTests } from './ledger-suite/concurrency.js';
import { consumptionOrderTests } from './ledger-suite/consumption-order.js';
import { entriesTests } from './ledger-suite/entries.js';
import { expiryTests } from './ledger-suite/expiry.js';
import { createHarness, type LedgerSuiteContext, type LedgerSuiteFixture } from './ledger-suite/harness.js';
import { holdsTests } from './ledger-suite/holds.js';
import { idempotencyTests } from './ledger-suite/idempotency.js';
import { plansTests } from './ledger-suite/plans.js';
import { outboxTests } from './ledger-suite/outbox.js';
import { paymentCustomersTests } from './ledger-suite/payment-customers.js';
import { purchasesTests } from './ledger-suite/purchases.js';
import { retentionTests } from './ledger-suite/retention.js';
import { reversalsTests } from './ledger-suite/reversals.js';
import { usageTests } from './ledger-suite/usage.js';

export { allEntries, expectLedgerInvariants, type LedgerSuiteContext, type LedgerSuiteFixture } from './ledger-suite/harness.js';

/** Options of {@link runLedgerAdapterSuite}. */
export interface LedgerSuiteOptions {
  /** The adapter uses `ctx.now` from the factory, so the suite can move time. Default true. */
  timeTravel?: boolean;
  /** Whether balance events from a `second` instance reach the first one. Default: true when `second` exists. */
  crossInstanceEvents?: boolean;
}

/** The concerns, in the order they run. Retention moves the clock a day forward, plans by days: keep them last. */
const CONCERNS = [
  accountsTests,
  idempotencyTests,
  concurrencyTests,
  consumptionOrderTests,
  holdsTests,
  expiryTests,
  reversalsTests,
  purchasesTests,
  entriesTests,
  outboxTests,
  alertsTests,
  paymentCustomersTests,
  autoTopUpTests,
  usageTests,
  balanceEventsTests,
  retentionTests,
  plansTests,
];

/**
 * Registers the conformance tests of the ledger contract for one adapter.
 *
 * @example
 * runLedgerAdapterSuite('memory', async ({ now }) => ({ ledger: createMemoryLedger({ now }), cleanup: async () => {} }));
 */
export function runLedgerAdapterSuite(
  name: string,
  factory: (ctx: LedgerSuiteContext) => Promise<LedgerSuiteFixture>,
  options: LedgerSuiteOptions = {},
): void {
  const h = createHarness({ timeTravel: options.timeTravel ?? true, crossInstanceEvents: options.crossInstanceEvents ?? true });
  let fixture: LedgerSuiteFixture | undefined;

  describe(`LedgerAdapter conformance: ${name}`, () => {
    beforeAll(async () => {
      fixture = await factory({ now: () => h.now() });
      h.setFixture(fixture);
      await fixture.ledger.migrate();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('migrate is a no-op when current and safe to call concurrently', async () => {
      const ledger: LedgerAdapter = h.ledger;
      await Promise.all([ledger.migrate(), ledger.migrate()]);
    });

    for (const register of CONCERNS) register(h);
  });
}
