/**
 * Every operation of the spec, by operationId, one file per spec tag. The handler refuses to start
 * if the spec names an operation this table lacks, so the two cannot drift apart silently.
 * @module
 */
import type { Operation, OperationId } from '../context.js';
import { getAutoTopUp, updateAutoTopUp } from './auto-top-up.js';
import { getBalance, streamBalance } from './balance.js';
import { createBillingPortalSession } from './billing.js';
import { createCheckoutSession, getCheckoutSession } from './checkout.js';
import { captureHold, consumeCredits, createHold, releaseHold } from './consumption.js';
import { createGrant } from './grants.js';
import { getAlertSettings, getUsageSummary, updateAlertSettings } from './insights.js';
import { exportLedgerEntries, listLedgerEntries } from './ledger.js';
import { changePlan, getPlan, listPlans } from './plans.js';
import { listCreditPackages } from './packages.js';
import { deletePaymentMethod, listPaymentMethods } from './payment-methods.js';
import { createPayment, getPayment } from './payments.js';
import { listPurchases } from './purchases.js';
import { receiveStripeWebhook } from './webhooks.js';

/** The implementation of each operationId: one missing from this map is a compile error. */
export const operations: { readonly [K in OperationId]: Operation<K> } = {
  getBalance,
  streamBalance,
  listCreditPackages,
  createCheckoutSession,
  getCheckoutSession,
  consumeCredits,
  createHold,
  captureHold,
  releaseHold,
  listLedgerEntries,
  exportLedgerEntries,
  listPurchases,
  createGrant,
  getUsageSummary,
  getAlertSettings,
  updateAlertSettings,
  createBillingPortalSession,
  listPaymentMethods,
  deletePaymentMethod,
  createPayment,
  getPayment,
  getAutoTopUp,
  updateAutoTopUp,
  receiveStripeWebhook,
  listPlans,
  getPlan,
  changePlan,
};
