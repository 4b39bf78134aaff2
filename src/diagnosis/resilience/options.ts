import type { Logger } from 'pino';
import type { BreakerState } from './circuit-breaker';
import { realSleep } from './clock';
import type { Now, Sleep } from './clock';
import type { RateLimiter } from './rate-limiter';

export interface ResilienceOptions {
  /** Per attempt; a timeout is a retryable failure. Default 60 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** First backoff step; doubles per retry, with jitter. Default 1 s. */
  baseDelayMs?: number;
  /** Longest wait between attempts, for backoff and for a provider's retry-after alike. Default 60 s. */
  maxDelayMs?: number;
  /** Consecutive failed calls that open the circuit. Default 5. */
  circuitFailures?: number;
  /** How long the circuit stays open before one trial call. Default 60 s. */
  circuitCooldownMs?: number;
  /** Requests per minute; excess requests wait for a slot. Default 60. */
  requestsPerMinute?: number;
  /** Requests allowed back to back before the rate applies. Default: requestsPerMinute. */
  burst?: number;
  /** A call whose rate-limit slot is further off fails at once (RateLimitWaitError). Default 5 min. */
  rateLimitMaxWaitMs?: number;
  /** Grants the request slots instead of this process's own bucket (e.g. a RedisTokenBucket shared by every instance). */
  rateLimiter?: RateLimiter;
  /** How long identical requests are answered from memory; 0 turns the cache off. Default 10 min. */
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  logger?: Pick<Logger, 'warn'>;
  now?: Now;
  sleep?: Sleep;
  /** In [0, 1): the backoff jitter. */
  random?: () => number;
  /** The per-attempt deadline; tests pass a signal they abort themselves. */
  timeoutSignal?: (ms: number) => AbortSignal;
}

export interface ResilienceStats {
  calls: number;
  attempts: number;
  retries: number;
  cacheHits: number;
  /** Calls that joined an identical call already in flight. */
  shared: number;
  failures: number;
  breaker: BreakerState;
  breakerOpens: number;
}

type Optional = 'logger' | 'burst' | 'rateLimiter';
export type ResilienceSettings = Required<Omit<ResilienceOptions, Optional>> & Pick<ResilienceOptions, Optional>;

/** `{ timeoutMs: undefined }` means "the default", not "no timeout". */
export function withDefaults(options: ResilienceOptions): ResilienceSettings {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as ResilienceOptions;
  return {
    timeoutMs: 60_000,
    maxRetries: 3,
    baseDelayMs: 1_000,
    maxDelayMs: 60_000,
    circuitFailures: 5,
    circuitCooldownMs: 60_000,
    requestsPerMinute: 60,
    rateLimitMaxWaitMs: 5 * 60_000,
    cacheTtlMs: 10 * 60_000,
    cacheMaxEntries: 500,
    now: Date.now,
    sleep: realSleep,
    random: Math.random,
    timeoutSignal: (ms) => AbortSignal.timeout(ms),
    ...given,
  };
}
