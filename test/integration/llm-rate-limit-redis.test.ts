import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createLlm } from '../../src/diagnosis/create-llm';
import type { Sleep } from '../../src/diagnosis/resilience/clock';
import { RateLimitWaitError, TokenBucket } from '../../src/diagnosis/resilience/rate-limiter';
import type { BucketShape, RateLimiter } from '../../src/diagnosis/resilience/rate-limiter';
import { RedisTokenBucket } from '../../src/diagnosis/resilience/redis-rate-limiter';
import { FakeOpenAiApi } from '../fakes/openai-api';
import { ask } from './llm-test-support';
import { RedisOutageProxy } from './redis-outage-proxy';

/** Instances, each with its own connection, sharing one real Redis (database 12, a key per test). */
const DB = 12;
const T0 = 1_000_000;
let now: number;
let key: string;
/** When each granted caller may send: the fixed clock plus what it was told to wait. */
let grants: number[];
let sleep: Sleep;
const clients: Redis[] = [];
const admin = new Redis(`redis://127.0.0.1:6379/${DB}`);

function client(url = `redis://127.0.0.1:6379/${DB}`): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  clients.push(redis);
  return redis;
}

/** Resolves at once, recording when the caller's slot is due: no real waiting, no timing asserts. */
const recordingSleep: Sleep = (ms, signal) => {
  signal?.throwIfAborted();
  grants.push(now + ms);
  return Promise.resolve();
};

/** Waits until the caller aborts. */
const hangingSleep: Sleep = (_ms, signal) =>
  new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));

beforeEach(() => {
  now = T0;
  key = `ai-fixer-test:llm-rate:${randomUUID()}`;
  grants = [];
  sleep = recordingSleep;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.quit().catch(() => undefined)));
  await admin.del(key);
});
afterAll(async () => {
  await admin.quit();
});

function redisBucket(shape: BucketShape, redis: Redis = client(), logger = pino({ level: 'silent' })): RedisTokenBucket {
  return new RedisTokenBucket({ ...shape, redis, key, now: () => now, sleep: (ms, signal) => sleep(ms, signal), logger, outageBackoffMs: 5_000 });
}

const granted = (from: number, to: number) => grants.filter((t) => t >= T0 + from && t < T0 + to).length;

describe('the LLM request rate shared by two instances through Redis', () => {
  it('grants 20 concurrent requests at 5/s with a burst of 5 from one budget, not one per instance', async () => {
    const shape = { requestsPerMinute: 300, capacity: 5, maxWaitMs: 60_000 };
    const [a, b] = [redisBucket(shape), redisBucket(shape)];
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquire()));
    expect(grants).toHaveLength(15); // the ones told to wait
    grants.push(...Array<number>(5).fill(T0)); // and the ones let through at once, on the fixed clock
    expect(granted(0, 1)).toBe(5); // the burst, shared: two in-process buckets would let 10 through
    expect(granted(0, 1_100)).toBe(10); // the burst, then one every 200 ms (separate buckets: all 20)
    expect(granted(1_100, 2_100)).toBe(5);
    expect(Math.max(...grants) - T0).toBeCloseTo(3_000); // 15 beyond the burst at 5/s
  });

  it("is what createLlm builds on the app's Redis connection: two apps, one budget", async () => {
    const fake = new FakeOpenAiApi();
    const { baseURL } = await fake.start();
    const model = `rate-test-${randomUUID()}`;
    key = `ai-fixer:llm-rate:openai:${model}`;
    const env = { OPENAI_BASE_URL: baseURL, LLM_MODEL: model, REDIS_URL: `redis://127.0.0.1:6379/${DB}`, LLM_REQUESTS_PER_MINUTE: '60' };
    const config = loadConfig(env);
    try {
      // Each app passes its own connection (REDIS_URL), as createDiagnosisStack does.
      const llms = [client(), client()].map((redis) => createLlm(config, undefined, { now: () => now, sleep, burst: 2, cacheTtlMs: 0 }, redis)!);
      await Promise.all(Array.from({ length: 6 }, (_, i) => llms[i % 2]!.chat(ask(`q${i}`))));
      expect(fake.requests).toHaveLength(6);
      expect(grants.map((t) => t - T0).sort((x, y) => x - y)).toEqual([1_000, 2_000, 3_000, 4_000]); // 2 at once, then 1/s
      expect(await admin.exists(key)).toBe(1);
    } finally {
      await fake.stop();
    }
  });
});

describe.each([
  ['in process', (shape: BucketShape): RateLimiter => new TokenBucket(shape, () => now, (ms, signal) => sleep(ms, signal))],
  ['in Redis', (shape: BucketShape): RateLimiter => redisBucket(shape)],
])('the token bucket %s', (_name, make) => {
  const shape = { requestsPerMinute: 60, capacity: 1, maxWaitMs: 1_500 };

  it('refuses a slot further off than the bound with a clear error, and does not take it', async () => {
    const bucket = make(shape);
    await bucket.acquire();
    await bucket.acquire(); // waits 1 s: within the bound
    const refused = bucket.acquire();
    await expect(refused).rejects.toBeInstanceOf(RateLimitWaitError);
    await expect(refused).rejects.toThrow(/rate limit: the next free slot is 2s away, longer than the 2s a call may wait/);
    now += 1_000;
    await bucket.acquire(); // had the refused call kept its token, this one would be 2 s away and refused too
    expect(grants.map((t) => t - T0)).toEqual([1_000, 2_000]);
  });

  it('gives a reservation back when its caller aborts while waiting', async () => {
    const bucket = make(shape);
    await bucket.acquire();
    sleep = hangingSleep;
    const controller = new AbortController();
    const waiting = bucket.acquire(controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    sleep = recordingSleep;
    await bucket.acquire();
    expect(grants.map((t) => t - T0)).toEqual([1_000]); // the aborted reservation's slot, not the one after it
  });
});

describe('the shared LLM rate limit while Redis is unreachable', () => {
  const proxy = new RedisOutageProxy();
  beforeAll(() => proxy.up());
  afterAll(() => proxy.down());

  it('limits each call in process (never failing it), warns once, and shares the budget again once Redis is back', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const bucket = redisBucket({ requestsPerMinute: 60, capacity: 2, maxWaitMs: 60_000 }, client(proxy.url(DB)), logger);
    await bucket.acquire();
    expect(await admin.hget(key, 'tokens')).toBe('1');

    await proxy.down();
    await bucket.acquire();
    await bucket.acquire();
    await bucket.acquire(); // the local bucket (2 back to back, 1/s) is what limits now
    expect(grants.map((t) => t - T0)).toEqual([1_000]);
    expect(lines.filter((l) => l.includes('Redis unreachable'))).toHaveLength(1);
    expect(await admin.hget(key, 'tokens')).toBe('1'); // nothing reached Redis

    await proxy.up();
    now += 5_000; // past the outage back-off: Redis is tried again
    await bucket.acquire();
    expect(lines.some((l) => l.includes('Redis reachable again'))).toBe(true);
    expect(Number(await admin.hget(key, 'tokens'))).toBe(1); // refilled to 2 over 5 s, one taken
    expect(await admin.hget(key, 'at')).toBe(String(T0 + 5_000));
  });
});
