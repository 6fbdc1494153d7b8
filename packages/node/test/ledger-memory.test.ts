import { createMemoryLedger } from '../src/ledger/index.js';
import { runLedgerAdapterSuite } from '../src/testing/ledger-suite.js';

runLedgerAdapterSuite('memory', async ({ now }) => ({ ledger: createMemoryLedger({ now }), cleanup: async () => {} }));
