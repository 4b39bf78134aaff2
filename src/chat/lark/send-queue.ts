/**
 * Outbound pacing for Lark. Each chat is a FIFO lane allowed 5 sends per second, each card a lane allowed
 * 5 updates per second (Lark's limits; a chat's limit is shared with other bots, so we stay under it
 * rather than probe it). Throttled answers are retried after the time Lark names, or an exponential
 * back-off with jitter; anything else fails at once. A lane waits for its head, so order holds.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RetryAdvice {
  retry: boolean;
  /** How long the server asked us to wait. */
  afterMs?: number;
}

export interface RetryNotice {
  lane: string;
  attempt: number;
  delayMs: number;
  error: unknown;
}

export interface SendQueueOptions {
  clock?: Clock;
  sendsPerSecondPerChat?: number;
  updatesPerSecondPerCard?: number;
  /** Attempts per operation, the first included. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  /** Decides whether a failure is worth retrying; by default, errors with `throttled: true`. */
  adviseRetry?: (error: unknown) => RetryAdvice;
  onRetry?: (notice: RetryNotice) => void;
  /** Hears each operation once it settled, retries done (metrics). */
  onSettled?: (notice: { lane: string; attempts: number; ok: boolean }) => void;
}

export class RetriesExhaustedError extends Error {
  override name = 'RetriesExhaustedError';

  constructor(
    readonly lane: string,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`still failing after ${attempts} attempts (${lane}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

interface Lane {
  limit: number;
  /** When recent attempts were answered, oldest first. */
  recent: number[];
  tail: Promise<void>;
  queued: number;
}

const WINDOW_MS = 1000;
/** Idle lanes are swept once there are this many, so per-card lanes do not pile up. */
const LANE_SWEEP_THRESHOLD = 256;

function defaultAdvice(error: unknown): RetryAdvice {
  const throttled = typeof error === 'object' && error !== null && (error as { throttled?: unknown }).throttled === true;
  const afterMs = throttled ? (error as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  return typeof afterMs === 'number' ? { retry: throttled, afterMs } : { retry: throttled };
}

export class SendQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly random: () => number;
  private readonly adviseRetry: (error: unknown) => RetryAdvice;

  constructor(private readonly options: SendQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.adviseRetry = options.adviseRetry ?? defaultAdvice;
  }

  /** A new message (create or reply) into `chatId`. */
  send<T>(chatId: string, operation: () => Promise<T>): Promise<T> {
    return this.enqueue(`chat:${chatId}`, this.options.sendsPerSecondPerChat ?? 5, operation);
  }

  /** An update (patch) of the card `messageId`. */
  update<T>(messageId: string, operation: () => Promise<T>): Promise<T> {
    return this.enqueue(`card:${messageId}`, this.options.updatesPerSecondPerCard ?? 5, operation);
  }

  /** Operations waiting or in flight, over all lanes. */
  get depth(): number {
    let queued = 0;
    for (const lane of this.lanes.values()) queued += lane.queued;
    return queued;
  }

  private enqueue<T>(key: string, limit: number, operation: () => Promise<T>): Promise<T> {
    const lane = this.laneFor(key, limit);
    lane.queued += 1;
    const result = lane.tail
      .then(() => this.run(key, lane, operation))
      .finally(() => {
        lane.queued -= 1;
      });
    // The next operation waits for this one to settle, whether it succeeded or not.
    lane.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async run<T>(key: string, lane: Lane, operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      await this.waitForSlot(lane);
      try {
        const value = await operation();
        this.countAttempt(lane);
        this.options.onSettled?.({ lane: key, attempts: attempt, ok: true });
        return value;
      } catch (error) {
        this.countAttempt(lane);
        const advice = this.adviseRetry(error);
        const retry = advice.retry && attempt < this.maxAttempts;
        if (!retry) this.options.onSettled?.({ lane: key, attempts: attempt, ok: false });
        if (!advice.retry) throw error;
        if (attempt >= this.maxAttempts) throw new RetriesExhaustedError(key, attempt, error);
        const delayMs = this.delayFor(attempt, advice.afterMs);
        this.options.onRetry?.({ lane: key, attempt, delayMs, error });
        await this.clock.sleep(delayMs);
      }
    }
  }

  /**
   * Lark counts a request when it arrives, somewhere between our start and its answer (the first send
   * of a process also waits for a token). Counting at the answer keeps every 1 s window under the limit
   * as Lark sees it; a lane has one request in flight, so nothing goes uncounted meanwhile.
   */
  private countAttempt(lane: Lane): void {
    lane.recent.push(this.clock.now());
  }

  /** Lark's reset time plus a little jitter, else exponential back-off with equal jitter. */
  private delayFor(attempt: number, afterMs: number | undefined): number {
    if (afterMs !== undefined) return Math.round(afterMs + this.random() * Math.min(afterMs * 0.1, 1000));
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private async waitForSlot(lane: Lane): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (lane.recent.length > 0 && (lane.recent[0] ?? 0) <= now - WINDOW_MS) lane.recent.shift();
      if (lane.recent.length < lane.limit) return;
      await this.clock.sleep((lane.recent[0] ?? now) + WINDOW_MS - now);
    }
  }

  private laneFor(key: string, limit: number): Lane {
    const existing = this.lanes.get(key);
    if (existing) return existing;
    if (this.lanes.size >= LANE_SWEEP_THRESHOLD) this.sweepIdleLanes();
    const lane: Lane = { limit, recent: [], tail: Promise.resolve(), queued: 0 };
    this.lanes.set(key, lane);
    return lane;
  }

  /** A lane with nothing queued and no attempt inside the window has no state worth keeping. */
  private sweepIdleLanes(): void {
    const cutoff = this.clock.now() - WINDOW_MS;
    for (const [key, lane] of this.lanes) {
      if (lane.queued === 0 && lane.recent.every((at) => at <= cutoff)) this.lanes.delete(key);
    }
  }
}
