#!/usr/bin/env node
// Generates docs/errors.md from spec/openapi.yaml: every problem `code` of the `ErrorCode` enum, the
// statuses and operations that answer it (read from the spec's responses), the SDK error class it
// becomes, and what to do about it. `test/errors.test.ts` fails when the committed file drifts.
//
//   node scripts/generate-errors.mjs          write docs/errors.md
//   node scripts/generate-errors.mjs --check  exit 1 when docs/errors.md is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { docsDir } from './markdown.mjs';

export const specPath = join(docsDir, '..', 'spec', 'openapi.yaml');
export const errorsPath = join(docsDir, 'errors.md');

/** The class `@aivah/credits` throws for a status (packages/sdk/src/internal/error-mapping.ts). */
export function sdkErrorClass(status) {
  const byStatus = {
    400: 'BadRequestError', 401: 'AuthenticationError', 402: 'InsufficientCreditsError', 403: 'PermissionDeniedError',
    404: 'NotFoundError', 409: 'ConflictError', 422: 'UnprocessableEntityError', 429: 'RateLimitError',
    503: 'ServiceUnavailableError',
  };
  return byStatus[status] ?? (status >= 500 ? 'InternalServerError' : 'CreditsAPIError');
}

/**
 * What a code means for the caller and what to do about it. The spec says where a code can occur;
 * this says how to react. A code in the spec without an entry here fails generation.
 * Statuses for codes no operation lists (router-level answers) are given by `status`.
 */
const GUIDANCE = {
  VALIDATION_FAILED: { fix: 'The request does not match the schema. `errors` lists each field as a JSON pointer (`/amount`, `query/limit`, `header/Idempotency-Key`) with what is wrong. Fix the request; retrying it unchanged fails again.' },
  MALFORMED_JSON: { fix: 'The body is not valid JSON (for Stripe webhooks: not a Stripe event). Send `JSON.stringify(...)` of the body with `Content-Type: application/json`.' },
  UNAUTHENTICATED: { fix: 'No valid credentials: the `Authorization: Bearer …` header is missing, or the server key or session token is unknown or expired. Browser apps: refresh the session token returned by `getToken`.' },
  INSUFFICIENT_CREDITS: { fix: 'Too few available credits; nothing was deducted. The problem carries `available` and `required`. Offer a package (`useInsufficientCredits` shows the toast and resumes after a purchase), or reserve less. Retrying the same request does not help until credits are added.', see: 'concepts.md#credits-and-the-balance' },
  FORBIDDEN: { fix: 'The credentials lack a scope the operation needs (browser identities have `credits:read credits:purchase` only). Call consumption, hold and grant endpoints from your server with a server key.', see: 'security.md#scopes' },
  NOT_FOUND: { status: 404, fix: 'No route matches the path. Check the `/v1` prefix and the path against the spec.' },
  ACCOUNT_NOT_FOUND: { fix: 'The caller may not act for this account: a browser identity gets this for every account id but its own (or `me`), whether that account exists or not, so account ids cannot be probed. An account the caller may act for is never "not found": before its first grant it reads as a zero balance and an empty ledger, and spending from it answers `402 INSUFFICIENT_CREDITS`.', see: 'security.md#tenant-isolation' },
  HOLD_NOT_FOUND: { fix: 'No hold with this id on this account. Use the `id` returned by `createHold`, with the same account.', see: 'holds.md' },
  CHECKOUT_SESSION_NOT_FOUND: { fix: 'No checkout session with this id for this account. Pass the `session_id` from the `/payment?state=success&session_id=…` return URL, as the same account that started it.' },
  PACKAGE_NOT_FOUND: { fix: 'The `packageId` is not in the server catalogue. List the catalogue with `listCreditPackages` (default ids `credits_2000` … `credits_40000`).' },
  METHOD_NOT_ALLOWED: { status: 405, fix: 'The path exists but not with this method (the `Allow` header lists the methods it takes).' },
  IDEMPOTENCY_KEY_IN_USE: { fix: 'A request with the same `Idempotency-Key` is still running. Retry after `Retry-After` with the same key: you get the first request\'s result. The SDK does this for you.', see: 'concepts.md#idempotency' },
  HOLD_NOT_ACTIVE: { fix: 'The hold was already captured, released or expired (read its `status`). An expired hold released its credits by itself; create a new hold.', see: 'holds.md' },
  PAYLOAD_TOO_LARGE: { fix: 'The body is larger than 64 kB. Bodies here are small; check `metadata` and `description` sizes.' },
  UNSUPPORTED_MEDIA_TYPE: { fix: 'Send the body as `Content-Type: application/json`.' },
  IDEMPOTENCY_KEY_REUSED: { fix: 'The `Idempotency-Key` was already used for a different request on this account. Use a new key for each logical operation and reuse it only to retry that same operation.', see: 'concepts.md#idempotency' },
  CAPTURE_EXCEEDS_HOLD: { fix: 'A capture cannot spend more than the hold reserved. Capture at most the hold `amount`; reserve more next time (or consume the extra separately).', see: 'holds.md' },
  RATE_LIMITED: { fix: 'Too many requests. Wait `Retry-After` seconds; the SDK retries with jittered backoff before it throws `RateLimitError`.' },
  WEBHOOK_SIGNATURE_INVALID: { fix: 'The `Stripe-Signature` is missing, wrong or older than 300 seconds; nothing was credited. Use the signing secret of this endpoint (`whsec_…`, from the Dashboard or `stripe listen`) and verify the raw body, not parsed and re-serialised JSON.', see: 'stripe.md' },
  INTERNAL_ERROR: { fix: 'An unexpected server error. Safe to retry with the same `Idempotency-Key` (the SDK does); report the `requestId` if it persists.' },
  PAYMENT_PROVIDER_ERROR: { fix: 'Stripe answered with an error (the `detail` says which). Check the Stripe key and the Dashboard logs; retrying later is safe.', see: 'stripe.md' },
  PAYMENTS_NOT_CONFIGURED: { fix: 'The server has no payment provider. Configure Stripe, or use the checkout emulator for offline development. A configuration error: retrying does not help, and the SDK does not retry it.', see: 'stripe.md' },
  SERVICE_UNAVAILABLE: { fix: 'The server cannot reach its database right now (a restart, failover or network fault). Nothing was applied. Retry after `Retry-After` seconds with the same `Idempotency-Key` (the SDK does); the server resumes by itself when the database is back.', see: 'scaling.md' },
  IDEMPOTENCY_KEY_MISSING: { fix: 'This operation moves credits or money, so it needs an `Idempotency-Key` header: without one a retry after a lost answer could apply it twice. Send a fresh key per logical operation and reuse it on retries (the SDK does both).', see: 'concepts.md#idempotency' },
  PAYMENT_METHOD_NOT_FOUND: { fix: 'No such stored card on this account: it was removed, never saved, or belongs to another customer (which answers exactly like a missing one). List the cards with `listPaymentMethods`, or omit `paymentMethodId` to charge the newest.', see: 'stored-cards.md' },
  PAYMENT_METHOD_REQUIRED: { fix: 'The account has no stored card to charge. Buy once through `createCheckoutSession` (Checkout saves the card for later), then retry the one-click purchase or turn auto top-up on.', see: 'stored-cards.md' },
  PAYMENT_NOT_FOUND: { fix: 'No one-click payment with this id for this account (a Checkout\'s own PaymentIntent, an auto top-up\'s or another account\'s answers the same). Use the `id` that `createPayment` returned.', see: 'stored-cards.md' },
  TOO_MANY_STREAMS: { fix: 'This identity already holds the most live balance streams the server allows (default 8). Close a stream you no longer read (one `useBalance` per account is shared by every component), or poll `getBalance`.', see: 'react.md' },
  PLAN_NOT_FOUND: { fix: 'The `planId` is not in the server plan catalogue. List it with `listPlans` (default ids `free`, `starter`, `pro`). Nothing was granted.', see: 'plans.md' },
  PLAN_UNCHANGED: { fix: 'The account already has this plan and no change is pending, so there is nothing to do and nothing was granted. Read the plan with `getPlan` first; choosing the current plan only means something while a downgrade is pending (it cancels it).', see: 'plans.md' },
};

function codesOf(schema, spec) {
  if (!schema || typeof schema !== 'object') return [];
  if (schema.$ref) return codesOf(resolve(spec, schema.$ref), spec);
  const own = schema.properties?.code;
  const codes = [];
  if (own?.const) codes.push(own.const);
  if (own?.enum) codes.push(...own.enum);
  for (const part of schema.allOf ?? []) codes.push(...codesOf(part, spec));
  return codes;
}

function resolve(spec, ref) {
  return ref.replace(/^#\//, '').split('/').reduce((node, key) => node?.[key], spec);
}

/** `{ code → [{ status, operationId, method, path }] }` from every operation's error responses. */
export function codeUsage(spec) {
  const usage = new Map(spec.components.schemas.ErrorCode.enum.map((c) => [c, []]));
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      const op = item[method];
      if (!op) continue;
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const r = response.$ref ? resolve(spec, response.$ref) : response;
        for (const media of Object.values(r.content ?? {})) {
          for (const code of new Set(codesOf(media.schema, spec))) {
            if (!usage.has(code)) throw new Error(`${op.operationId} answers ${code}, which ErrorCode does not list`);
            usage.get(code).push({ status: Number(status), operationId: op.operationId, method: method.toUpperCase(), path });
          }
        }
      }
    }
  }
  return usage;
}

export function renderErrors(specText) {
  const spec = parse(specText);
  const usage = codeUsage(spec);
  const missing = [...usage.keys()].filter((c) => !GUIDANCE[c]);
  if (missing.length) throw new Error(`docs/scripts/generate-errors.mjs: no guidance for ${missing.join(', ')}; add it to GUIDANCE`);
  const stale = Object.keys(GUIDANCE).filter((c) => !usage.has(c));
  if (stale.length) throw new Error(`docs/scripts/generate-errors.mjs: GUIDANCE lists ${stale.join(', ')}, which the spec does not`);

  const rows = [];
  const sections = [];
  for (const [code, uses] of usage) {
    const g = GUIDANCE[code];
    const statuses = [...new Set(uses.map((u) => u.status))].sort();
    if (!statuses.length && g.status) statuses.push(g.status);
    const anchor = code.toLowerCase();
    const classes = [...new Set(statuses.map(sdkErrorClass))];
    rows.push(`| [\`${code}\`](#${anchor}) | ${statuses.join(', ')} | ${classes.map((c) => `\`${c}\``).join(', ')} |`);
    const ops = [...new Set(uses.map((u) => u.operationId))];
    sections.push([
      `### ${code}`,
      '',
      `HTTP ${statuses.join(', ')} · SDK ${classes.map((c) => `\`${c}\``).join(', ')} · \`type\`: \`https://docs.aivah.dev/errors/${anchor}\``,
      '',
      g.fix + (g.see ? ` See [${g.see.replace(/\.md.*/, '').replace(/^./, (c) => c.toUpperCase())}](${g.see}).` : ''),
      '',
      ops.length ? `Answered by: ${ops.map((o) => `\`${o}\``).join(', ')}.` : 'Answered by the router for any path; no operation lists it.',
      '',
    ].join('\n'));
  }

  return `<!-- GENERATED by docs/scripts/generate-errors.mjs from spec/openapi.yaml. Do not edit: run \`pnpm --filter @aivah/docs errors\`. -->
# Errors

Every error is an \`application/problem+json\` body ([RFC 9457](https://www.rfc-editor.org/rfc/rfc9457)) with a
stable \`code\` and the \`requestId\` of the request (also in the \`X-Request-Id\` header):

\`\`\`json
${JSON.stringify(spec.components.responses.InsufficientCredits.content['application/problem+json'].example, null, 2)}
\`\`\`

Branch on \`code\`, never on \`title\` or \`detail\` (they are for people and may change). New codes may be added;
existing ones never change meaning. \`@aivah/credits\` throws a subclass of \`CreditsAPIError\` chosen by the status
(\`error.code\`, \`error.status\`, \`error.requestId\`, \`error.problem\`); see [the SDK guide](sdk.md#errors).

| code | HTTP | SDK class |
| --- | --- | --- |
${rows.join('\n')}

## Codes

${sections.join('\n')}`;
}

export function readSpec() {
  return readFileSync(specPath, 'utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = renderErrors(readSpec());
  if (process.argv.includes('--check')) {
    const current = readFileSync(errorsPath, 'utf8');
    if (current !== out) {
      console.error('docs/errors.md is out of date with spec/openapi.yaml: run `pnpm --filter @aivah/docs errors`.');
      process.exit(1);
    }
  } else {
    writeFileSync(errorsPath, out);
    console.log('wrote docs/errors.md');
  }
}
