import { LlmUnavailableError } from '../llm-errors';
import type { Now, Sleep } from './clock';

/** Grants request slots: resolves when the caller may send one request. */
export interface RateLimiter {
  /** Rejects with the signal's reason if it aborts first, or RateLimitWaitError when the slot is too far off. */
  acquire(signal?: AbortSignal): Promise<void>;
}

/** The next slot is further away than a caller may wait: the call fails now instead of hanging. */
export class RateLimitWaitError extends LlmUnavailableError {
  override name = 'RateLimitWaitError';
  constructor(waitMs: number, maxWaitMs: number) {
    const s = (ms: number) => `${Math.ceil(ms / 1_000)}s`;
    super(`LLM request rate limit: the next free slot is ${s(waitMs)} away, longer than the ${s(maxWaitMs)} a call may wait (LLM_REQUESTS_PER_MINUTE)`, {
      retryAfterMs: Math.ceil(waitMs),
    });
  }
}

/** The bucket's arithmetic, shared by the in-process and the Redis bucket (whose Lua script mirrors it). */
export interface BucketShape {
  requestsPerMinute: number;
  /** Requests allowed back to back before the rate applies. */
  capacity: number;
  /** A reservation further off than this is refused (RateLimitWaitError) and not taken. */
  maxWaitMs: number;
}

/**
 * Token bucket for requests per minute, in this process. A request that finds the bucket empty reserves
 * the next token and waits for it (abortably) instead of failing: callers queue in arrival order.
 */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private updatedAt: number;
  private readonly perMs: number;

  constructor(
    private readonly shape: BucketShape,
    private readonly now: Now,
    private readonly sleep: Sleep,
  ) {
    this.perMs = shape.requestsPerMinute / 60_000;
    this.tokens = shape.capacity;
    this.updatedAt = now();
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.refill();
    const waitMs = (1 - this.tokens) / this.perMs;
    if (this.tokens < 1 && waitMs > this.shape.maxWaitMs) throw new RateLimitWaitError(waitMs, this.shape.maxWaitMs);
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    try {
      await this.sleep(waitMs, signal);
    } catch (error) {
      this.tokens += 1; // give the reservation back: nobody will use it
      throw error;
    }
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.shape.capacity, this.tokens + Math.max(0, now - this.updatedAt) * this.perMs);
    this.updatedAt = Math.max(this.updatedAt, now);
  }
}
