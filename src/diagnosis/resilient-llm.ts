import { LlmError, LlmUnavailableError } from './llm-errors';
import type { ChatRequest, ChatResponse, LlmPort } from './llm-port';
import { CircuitBreaker } from './resilience/circuit-breaker';
import { untilAborted } from './resilience/clock';
import { withDefaults } from './resilience/options';
import type { ResilienceOptions, ResilienceSettings, ResilienceStats } from './resilience/options';
import { TokenBucket } from './resilience/rate-limiter';
import type { RateLimiter } from './resilience/rate-limiter';
import { ResponseCache, requestKey } from './resilience/response-cache';

export type { ResilienceOptions, ResilienceStats } from './resilience/options';

interface InFlight {
  promise: Promise<ChatResponse>;
  controller: AbortController;
  waiters: number;
}

/**
 * Wraps any LlmPort with what a paid, rate-limited, sometimes-overloaded API needs: a per-attempt timeout,
 * retries with backoff, a circuit breaker, a request-rate limit (this process's bucket, or `rateLimiter`:
 * one shared through Redis) and a response cache. Errors that reach the caller are LlmSpendLimitError,
 * non-retryable LlmError, LlmUnavailableError (RateLimitWaitError among them), or the caller's own abort.
 */
export class ResilientLlm implements LlmPort {
  readonly provider: string;
  readonly model: string;
  private readonly options: ResilienceSettings;
  private readonly breaker: CircuitBreaker;
  private readonly bucket: RateLimiter;
  /** Per instance on purpose: a miss costs one model call, and sharing answers would need them in Redis. */
  private readonly cache: ResponseCache;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly counters = { calls: 0, attempts: 0, retries: 0, cacheHits: 0, shared: 0, failures: 0 };

  constructor(
    private readonly inner: LlmPort,
    options: ResilienceOptions = {},
  ) {
    this.provider = inner.provider;
    this.model = inner.model;
    this.options = withDefaults(options);
    const { now, sleep, requestsPerMinute, rateLimitMaxWaitMs } = this.options;
    this.breaker = new CircuitBreaker(this.options.circuitFailures, this.options.circuitCooldownMs, now);
    this.bucket =
      this.options.rateLimiter ?? new TokenBucket({ requestsPerMinute, capacity: this.options.burst ?? requestsPerMinute, maxWaitMs: rateLimitMaxWaitMs }, now, sleep);
    this.cache = new ResponseCache(this.options.cacheTtlMs, this.options.cacheMaxEntries, now);
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    this.counters.calls += 1;
    request.signal?.throwIfAborted();
    const key = requestKey(this.provider, this.model, request);
    const cached = this.cache.get(key);
    if (cached) {
      this.counters.cacheHits += 1;
      return { ...cached, cached: true };
    }
    let flight = this.inFlight.get(key);
    if (flight) this.counters.shared += 1;
    else flight = this.start(key, request);
    flight.waiters += 1;
    const joined = flight;
    const onAbort = (): void => {
      joined.waiters -= 1;
      // Nobody is waiting any more: stop paying for the answer.
      if (joined.waiters === 0) {
        this.inFlight.delete(key);
        joined.controller.abort(request.signal?.reason);
      }
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await untilAborted(joined.promise, request.signal);
    } catch (error) {
      if (!request.signal?.aborted) this.counters.failures += 1;
      throw error;
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  stats(): ResilienceStats {
    return { ...this.counters, breaker: this.breaker.state, breakerOpens: this.breaker.opens };
  }

  private start(key: string, request: ChatRequest): InFlight {
    const controller = new AbortController();
    const promise = this.guarded({ ...request, signal: controller.signal });
    const flight: InFlight = { promise, controller, waiters: 0 };
    this.inFlight.set(key, flight);
    void promise.then(
      (response) => this.cache.set(key, response),
      () => undefined, // each waiter sees the rejection; this branch only keeps it from being unhandled
    ).finally(() => {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    });
    return flight;
  }

  /** One call through the breaker: only exhausted retries count against the provider's health. */
  private async guarded(request: ChatRequest & { signal: AbortSignal }): Promise<ChatResponse> {
    const permit = this.breaker.acquire();
    if ('reason' in permit) {
      const seconds = Math.max(1, Math.ceil(permit.retryAfterMs / 1_000));
      const why = permit.reason === 'open' ? `after ${this.breaker.consecutiveFailures} consecutive failures` : 'while a trial call is in flight';
      throw new LlmUnavailableError(`${this.provider} circuit open ${why}, retry after ${seconds}s`, { retryAfterMs: permit.retryAfterMs });
    }
    try {
      const response = await this.withRetries(request, permit.trial ? 0 : this.options.maxRetries);
      this.breaker.success();
      return response;
    } catch (error) {
      if (error instanceof Exhausted) {
        const opensBefore = this.breaker.opens;
        this.breaker.failure();
        if (this.breaker.opens > opensBefore) {
          this.options.logger?.warn({ provider: this.provider, cooldownMs: this.options.circuitCooldownMs }, 'LLM circuit opened');
        }
        throw error.unavailable;
      }
      this.breaker.release(permit);
      throw error;
    }
  }

  private async withRetries(request: ChatRequest & { signal: AbortSignal }, maxRetries: number): Promise<ChatResponse> {
    const { signal } = request;
    for (let attempt = 0; ; attempt += 1) {
      await this.bucket.acquire(signal);
      const failure = await this.attempt(request);
      if (!(failure instanceof LlmError)) return failure;
      if (!failure.retryable) throw failure;
      if (attempt >= maxRetries) {
        const attempts = attempt + 1;
        throw new Exhausted(
          new LlmUnavailableError(`${this.provider} unavailable after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${failure.message}`, failure.details),
        );
      }
      const delayMs = this.delay(attempt, failure.details.retryAfterMs);
      this.counters.retries += 1;
      this.options.logger?.warn({ provider: this.provider, attempt: attempt + 1, delayMs, error: failure.message }, 'LLM call failed, retrying');
      await this.options.sleep(delayMs, signal);
    }
  }

  /** The response, or the retry decision's input as an LlmError; the caller's abort and unknown errors are thrown. */
  private async attempt(request: ChatRequest & { signal: AbortSignal }): Promise<ChatResponse | LlmError> {
    this.counters.attempts += 1;
    const deadline = this.options.timeoutSignal(this.options.timeoutMs);
    try {
      return await this.inner.chat({ ...request, signal: AbortSignal.any([request.signal, deadline]) });
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      if (deadline.aborted) return new LlmError(`timed out after ${this.options.timeoutMs / 1_000}s`, true);
      if (error instanceof LlmError) return error;
      throw error;
    }
  }

  private delay(attempt: number, retryAfterMs: number | undefined): number {
    const { baseDelayMs, maxDelayMs, random } = this.options;
    if (retryAfterMs !== undefined) return Math.min(maxDelayMs, retryAfterMs);
    const step = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    return Math.round(step / 2 + (random() * step) / 2);
  }
}

/** Retries ran out on retryable failures: the one outcome the breaker counts. */
class Exhausted extends Error {
  constructor(readonly unavailable: LlmUnavailableError) {
    super(unavailable.message);
  }
}
