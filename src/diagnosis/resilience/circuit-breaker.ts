import type { Now } from './clock';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Why a call was refused without reaching the provider. */
export interface BreakerRefusal {
  reason: 'open' | 'trial-in-flight';
  retryAfterMs: number;
}

/**
 * Consecutive-failure circuit breaker. Closed: calls pass; `threshold` failed calls in a row open it.
 * Open: calls are refused until `cooldownMs` has passed. Half-open: exactly one trial call passes;
 * its success closes the breaker, its failure opens it for another cooldown.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private opened = false;
  private trialInFlight = false;
  opens = 0;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: Now,
  ) {}

  get state(): BreakerState {
    if (!this.opened) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** A permit to call, `{ trial: true }` when this call is the half-open probe; or why not. */
  acquire(): { trial: boolean } | BreakerRefusal {
    const state = this.state;
    if (state === 'closed') return { trial: false };
    if (state === 'open') return { reason: 'open', retryAfterMs: this.openedAt + this.cooldownMs - this.now() };
    if (this.trialInFlight) return { reason: 'trial-in-flight', retryAfterMs: 1_000 };
    this.trialInFlight = true;
    return { trial: true };
  }

  success(): void {
    this.failures = 0;
    this.opened = false;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures += 1;
    this.trialInFlight = false;
    if (this.opened || this.failures >= this.threshold) {
      if (!this.opened) this.opens += 1;
      this.opened = true;
      this.openedAt = this.now();
    }
  }

  /** The call ended without saying anything about the provider's health (caller abort, a 4xx). */
  release(permit: { trial: boolean }): void {
    if (permit.trial) this.trialInFlight = false;
  }
}
