/**
 * Outbound webhooks: the dispatcher (server side) and the verifier (for receivers).
 * @module
 */
export { createWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions } from './dispatcher.js';
export { verifyWebhook, signWebhook, WebhookVerificationError, type CreditsWebhookEvent, type CreditsWebhookEventOf } from './signature.js';
