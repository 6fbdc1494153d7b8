/**
 * Auto top-up: the worker that charges the top-ups the ledger's trigger records.
 * @module
 */
export { createAutoTopUpWorker, topUpChargeKey, type AutoTopUpRun, type AutoTopUpWorker, type AutoTopUpWorkerOptions } from './worker.js';
