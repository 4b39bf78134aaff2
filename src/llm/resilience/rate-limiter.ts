import type { Now, Sleep } from './clock';

/**
 * Token bucket for requests per minute. A request that finds the bucket empty reserves the next token
 * and waits for it (abortably) instead of failing: callers queue in arrival order.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly perMs: number;

  constructor(
    requestsPerMinute: number,
    private readonly capacity: number,
    private readonly now: Now,
    private readonly sleep: Sleep,
  ) {
    this.perMs = requestsPerMinute / 60_000;
    this.tokens = capacity;
    this.updatedAt = now();
  }

  /** Resolves when the caller may send one request; rejects with the signal's reason if it aborts first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    try {
      await this.sleep(-this.tokens / this.perMs, signal);
    } catch (error) {
      this.tokens += 1; // give the reservation back: nobody will use it
      throw error;
    }
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.perMs);
    this.updatedAt = now;
  }
}
