import type { Logger } from 'pino';

export interface AlertQueueOptions {
  /** Payloads being turned into incidents at once. */
  concurrency: number;
  /** Alerts waiting or in work beyond which new payloads are refused (the sender retries later). */
  maxBacklog: number;
  /** Keeps the claims of everything waiting or in work from looking abandoned; one statement for all. */
  heartbeat(keys: string[]): Promise<void>;
  heartbeatMs: number;
  logger: Logger;
}

interface Job {
  run(): void;
}

/**
 * Acknowledged alert payloads waiting to become incidents, first in first out, a few at a time: an
 * alert storm is taken in at the rate the database can claim payloads, and worked off at the rate the
 * runtime can open incidents, with a bounded backlog in between. Every payload here is claimed in
 * Postgres with its content kept, so a crash loses nothing: another instance replays the claims.
 */
export class AlertQueue {
  private readonly waiting: Job[] = [];
  private readonly pending = new Map<string, number>();
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly idleWaiters = new Set<() => void>();

  constructor(private readonly options: AlertQueueOptions) {}

  /** Alerts waiting or in work. */
  get backlog(): number {
    let alerts = 0;
    for (const count of this.pending.values()) alerts += count;
    return alerts;
  }

  /** True when a new payload would wait behind others instead of starting at once. */
  get saturated(): boolean {
    return this.running >= this.options.concurrency;
  }

  hasRoom(alerts: number): boolean {
    return this.backlog + alerts <= this.options.maxBacklog;
  }

  /** Runs `work` for the payload claimed as `key` when its turn comes. */
  submit<T>(key: string, alerts: number, work: () => Promise<T>): Promise<T> {
    this.pending.set(key, alerts);
    this.startHeartbeat();
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        run: () => {
          this.running++;
          work()
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              this.pending.delete(key);
              this.next();
            });
        },
      });
      this.next();
    });
  }

  /** Resolves once nothing waits or runs, or after `timeoutMs` (what is left is replayed from its claim). */
  async idle(timeoutMs: number): Promise<void> {
    if (this.pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    let done: (() => void) | undefined;
    await new Promise<void>((resolve) => {
      done = resolve;
      this.idleWaiters.add(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    if (done) this.idleWaiters.delete(done);
  }

  private next(): void {
    while (this.running < this.options.concurrency) {
      const job = this.waiting.shift();
      if (!job) break;
      job.run();
    }
    if (this.pending.size > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const wake of this.idleWaiters) wake();
  }

  private startHeartbeat(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const keys = [...this.pending.keys()];
      if (keys.length === 0) return;
      this.options.heartbeat(keys).catch((error: unknown) => this.options.logger.warn({ err: error, payloads: keys.length }, 'alert queue heartbeat failed'));
    }, this.options.heartbeatMs);
    this.timer.unref();
  }
}
