import { PGlite } from '@electric-sql/pglite';
import { createPgliteLedger } from '../src/pglite.js';
import { runLedgerAdapterSuite } from '../src/testing/ledger-suite.js';

runLedgerAdapterSuite('pglite', async ({ now }) => {
  const db = new PGlite();
  return {
    ledger: createPgliteLedger({ db, now, schema: 'ledger_test' }),
    cleanup: () => db.close(),
  };
});
