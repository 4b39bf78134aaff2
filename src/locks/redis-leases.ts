import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import Redlock, { ExecutionError, ResourceLockedError } from 'redlock';
import type { Lock } from 'redlock';
import type { Lease, LeasePort } from './lease-port';

export interface RedisLeaseOptions {
  /** How long a lease lives unless extended: the longest an incident stays stuck after its holder dies. */
  ttlMs: number;
  /** Key prefix, so several deployments (or tests) can share one Redis. */
  prefix?: string;
  logger: Logger;
}

const RETRY_DELAY_MS = 100;

/**
 * Leases in Redis (Redlock on one node): acquired with retries for up to `waitMs`, extended every
 * third of the TTL while held, aborted as `lost` when an extension fails.
 */
export class RedisLeases implements LeasePort {
  private readonly redlock: Redlock;
  private readonly prefix: string;

  constructor(
    redis: Redis,
    private readonly options: RedisLeaseOptions,
  ) {
    this.redlock = new Redlock([redis], { retryCount: 0, retryDelay: RETRY_DELAY_MS, retryJitter: 50, automaticExtensionThreshold: 500 });
    // Without a listener, Redlock's EventEmitter would throw on 'error'.
    this.redlock.on('error', () => undefined);
    this.prefix = options.prefix ?? 'aifixer:lease:';
  }

  async acquire(key: string, waitMs: number): Promise<Lease | undefined> {
    const retryCount = Math.max(0, Math.ceil(waitMs / RETRY_DELAY_MS));
    let lock: Lock;
    try {
      lock = await this.redlock.acquire([this.prefix + key], this.options.ttlMs, { retryCount });
    } catch (error) {
      if (await heldElsewhere(error)) return undefined;
      throw error;
    }
    return this.hold(key, lock);
  }

  private hold(key: string, first: Lock): Lease {
    const controller = new AbortController();
    let lock = first;
    let released = false;
    const extend = async () => {
      try {
        lock = await lock.extend(this.options.ttlMs);
      } catch (error) {
        if (released) return;
        clearInterval(timer);
        this.options.logger.warn({ err: error, key }, 'lease lost: could not extend it');
        controller.abort(new Error(`lease on ${key} lost`));
      }
    };
    const timer = setInterval(() => void extend(), Math.max(50, Math.floor(this.options.ttlMs / 3)));
    timer.unref();
    return {
      lost: controller.signal,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        if (controller.signal.aborted) return;
        await lock.release().catch((error: unknown) => this.options.logger.warn({ err: error, key }, 'could not release lease; it expires by itself'));
      },
    };
  }
}

/** Redlock reports a lock held elsewhere as votes against with ResourceLockedError; anything else (Redis down) is an error. */
async function heldElsewhere(error: unknown): Promise<boolean> {
  if (error instanceof ResourceLockedError) return true;
  if (!(error instanceof ExecutionError)) return false;
  const attempts = await Promise.all(error.attempts);
  return attempts.some((stats) => [...stats.votesAgainst.values()].some((vote) => vote instanceof ResourceLockedError));
}
