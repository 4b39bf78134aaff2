import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { abortReason } from './clock';
import type { Now, Sleep } from './clock';
import { RateLimitWaitError, TokenBucket } from './rate-limiter';
import type { BucketShape, RateLimiter } from './rate-limiter';

/*
 * The token bucket of rate-limiter.ts as one Redis hash { tokens, at }, so every instance draws on one
 * budget. Same arithmetic: refill, reserve a token (possibly going negative), the caller sleeps until
 * its token is due. Times come from the callers' clocks (NTP keeps them within milliseconds; a clock
 * behind never refills early, `at` only moves forward), which also lets tests inject one.
 */

// ARGV: now, perMs, capacity, maxWaitMs. Returns { reserved (1|0), waitMs }.
const ACQUIRE = `
local now, perMs, capacity, maxWait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]) or capacity, tonumber(state[2]) or now
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * perMs)
  at = now
end
local wait = 0
if tokens < 1 then wait = (1 - tokens) / perMs end
if wait > maxWait then return { 0, tostring(wait) } end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / perMs) + 1000)
return { 1, tostring(wait) }
`;

// A reservation nobody will use (the caller aborted): give its token back. ARGV: now, perMs, capacity.
const RELEASE = `
local now, perMs, capacity = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
if not state[1] then return 0 end
local tokens, at = tonumber(state[1]), tonumber(state[2])
if now > at then
  tokens = tokens + (now - at) * perMs
  at = now
end
tokens = math.min(capacity, tokens + 1)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / perMs) + 1000)
return 1
`;

export interface RedisBucketOptions extends BucketShape {
  redis: Redis;
  /** One budget per key: every instance that should share the rate uses the same one. */
  key: string;
  now: Now;
  sleep: Sleep;
  logger?: Pick<Logger, 'warn'>;
  /** One Redis round trip may take this long; then this call is limited in process. Default 1 s. */
  redisTimeoutMs?: number;
  /** After Redis failed, calls are limited in process for this long before Redis is tried again. Default 5 s. */
  outageBackoffMs?: number;
}

/**
 * The request-rate limit shared by every instance on one Redis. While Redis is unreachable, calls are
 * limited by this process's own bucket at the same rate (a model call is never failed for want of Redis;
 * for that spell the fleet may exceed the rate and the provider's 429s, retried, are the backstop).
 */
export class RedisTokenBucket implements RateLimiter {
  private readonly local: TokenBucket;
  private readonly perMs: number;
  private retryRedisAt = 0;
  private down = false;

  constructor(private readonly options: RedisBucketOptions) {
    this.perMs = options.requestsPerMinute / 60_000;
    this.local = new TokenBucket(options, options.now, options.sleep);
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.down && this.options.now() < this.retryRedisAt) return this.local.acquire(signal);
    let reply: unknown;
    try {
      reply = await this.eval(ACQUIRE, this.options.maxWaitMs);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      this.wentDown(error);
      return this.local.acquire(signal);
    }
    this.cameBack();
    const [reserved, wait] = reply as [number, string];
    const waitMs = Number(wait);
    if (!reserved) throw new RateLimitWaitError(waitMs, this.options.maxWaitMs);
    try {
      signal?.throwIfAborted();
      if (waitMs > 0) await this.options.sleep(waitMs, signal);
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  private async release(): Promise<void> {
    try {
      await this.eval(RELEASE);
    } catch {
      // The token stays spent: the shared rate is a little slower for a moment, never faster.
    }
  }

  /** One script on the bucket, given up on after `redisTimeoutMs` (a blackholed Redis never answers). */
  private async eval(script: string, ...extra: number[]): Promise<unknown> {
    const { redis, key, now, capacity, redisTimeoutMs = 1_000 } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${redisTimeoutMs} ms`)), redisTimeoutMs);
    });
    try {
      return await Promise.race([redis.eval(script, 1, key, now(), this.perMs, capacity, ...extra), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private wentDown(error: unknown): void {
    this.retryRedisAt = this.options.now() + (this.options.outageBackoffMs ?? 5_000);
    if (this.down) return;
    this.down = true;
    this.options.logger?.warn({ err: error, key: this.options.key }, 'Redis unreachable: the LLM request rate is limited per instance until it is back');
  }

  private cameBack(): void {
    if (!this.down) return;
    this.down = false;
    this.options.logger?.warn({ key: this.options.key }, 'Redis reachable again: the LLM request rate is shared across instances again');
  }
}
