/**
 * Shared rate limits: two handlers (two instances) over one store enforce one limit. The store is
 * a real `rate-limiter-flexible` limiter: in memory here, and on the local Redis when one answers.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { afterAll, describe, expect, it } from 'vitest';
import { createServerKeyIdentify } from '../src/http/auth.js';
import { rateLimitFrom } from '../src/http/rate-limit-shared.js';
import type { PointLimiter } from '../src/http/rate-limit-shared.js';
import { BASE, SERVER_KEY, makeHandler } from './http-helpers.js';

const identify = createServerKeyIdentify({
  secretKey: SERVER_KEY,
  browser: (request) => {
    const user = request.headers.get('x-test-user');
    return user ? { accountId: user } : null;
  },
});

/** Sends `n` browser reads for `user`, alternating between the handlers; returns the statuses. */
async function burst(handlers: Array<(r: Request) => Promise<Response>>, user: string, n: number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const res = await handlers[i % handlers.length]!(new Request(`${BASE}/v1/accounts/me/balance`, { headers: { 'x-test-user': user } }));
      return { status: res.status, retryAfter: res.headers.get('retry-after') };
    }),
  );
}

async function expectOneLimitForTwoInstances(limiter: PointLimiter, user: string) {
  const handlers = [makeHandler({ identify, rateLimit: rateLimitFrom(limiter) }).handler, makeHandler({ identify, rateLimit: rateLimitFrom(limiter) }).handler];
  const results = await burst(handlers, user, 30);
  // 10 points per minute in total, whichever instance answered.
  expect(results.filter((r) => r.status === 200)).toHaveLength(10);
  const limited = results.filter((r) => r.status === 429);
  expect(limited).toHaveLength(20);
  expect(Number(limited[0]!.retryAfter)).toBeGreaterThanOrEqual(1);
  // Server keys are the app's own backend: not limited.
  const server = await handlers[0]!(new Request(`${BASE}/v1/accounts/${user}/balance`, { headers: { authorization: `Bearer ${SERVER_KEY}` } }));
  expect(server.status).toBe(200);
}

describe('rateLimitFrom with rate-limiter-flexible', () => {
  it('two instances sharing one limiter enforce one limit (RateLimiterMemory)', async () => {
    await expectOneLimitForTwoInstances(new RateLimiterMemory({ points: 10, duration: 60 }), 'mem-user');
  });

  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  const redisUp = redis.connect().then(
    () => true,
    () => {
      console.warn('Redis rate-limit test skipped: no Redis answers on 127.0.0.1:6379');
      return false;
    },
  );
  afterAll(() => redis.disconnect());

  it('two instances sharing Redis enforce one limit (RateLimiterRedis)', async (context) => {
    if (!(await redisUp)) return context.skip();
    const keyPrefix = `aivah-test-${crypto.randomUUID()}`;
    await expectOneLimitForTwoInstances(new RateLimiterRedis({ storeClient: redis, points: 10, duration: 60, keyPrefix }), 'redis-user');
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });
});
