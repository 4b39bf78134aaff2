import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { LeasedLock, LockBusyError } from '../../src/locks/leased-lock';
import { RedisLeases } from '../../src/locks/redis-leases';

const logger = pino({ level: 'silent' });
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
const prefix = `test:lease:${process.pid}:${Date.now()}:`;
afterAll(() => {
  redis.disconnect();
});

describe('leases in Redis', () => {
  it('grants one holder at a time; a waiter gets it once the holder lets go', async () => {
    const a = new RedisLeases(redis, { ttlMs: 2_000, prefix, logger });
    const b = new RedisLeases(redis, { ttlMs: 2_000, prefix, logger });
    const held = await a.acquire('inc-1', 0);
    expect(held).toBeDefined();
    expect(await b.acquire('inc-1', 0)).toBeUndefined();
    const waiting = b.acquire('inc-1', 5_000);
    await held!.release();
    const next = await waiting;
    expect(next).toBeDefined();
    await next!.release();
  });

  it('keeps a lease past its TTL while held, by extending it', async () => {
    const a = new RedisLeases(redis, { ttlMs: 300, prefix, logger });
    const held = await a.acquire('inc-2', 0);
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(held!.lost.aborted).toBe(false);
    expect(await new RedisLeases(redis, { ttlMs: 300, prefix, logger }).acquire('inc-2', 0)).toBeUndefined();
    await held!.release();
  });

  it('reports the lease lost when someone else took the key, and frees an expired one for others', async () => {
    const a = new RedisLeases(redis, { ttlMs: 300, prefix, logger });
    const held = await a.acquire('inc-3', 0);
    // Another writer overwrote the key (as after an expiry and a takeover): extension must fail.
    await redis.set(`${prefix}inc-3`, 'someone-else', 'PX', 5_000);
    await new Promise<void>((resolve) => held!.lost.addEventListener('abort', () => resolve()));
    expect(held!.lost.aborted).toBe(true);
    await held!.release();
    expect(await redis.get(`${prefix}inc-3`)).toBe('someone-else');
  });

  it('fails loudly, not as "busy", when Redis cannot be reached', async () => {
    const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    down.on('error', () => undefined);
    const leases = new RedisLeases(down, { ttlMs: 1_000, prefix, logger });
    await expect(leases.acquire('inc-4', 0)).rejects.toThrow();
    down.disconnect();
  });

  it('as a lock across instances: one does the work, another gives up as busy, then gets its turn', async () => {
    const one = new LeasedLock(new RedisLeases(redis, { ttlMs: 2_000, prefix, logger }), 0);
    const two = new LeasedLock(new RedisLeases(redis, { ttlMs: 2_000, prefix, logger }), 0);
    let release!: () => void;
    const holding = one.withLock('lark-history:oc_1', () => new Promise<string>((resolve) => (release = () => resolve('read'))));
    await expect(two.withLock('lark-history:oc_1', () => Promise.resolve('read too'))).rejects.toBeInstanceOf(LockBusyError);
    release();
    expect(await holding).toBe('read');
    expect(await two.withLock('lark-history:oc_1', () => Promise.resolve('my turn'))).toBe('my turn');
  });
});
