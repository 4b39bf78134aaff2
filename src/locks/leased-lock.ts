import type { LeasePort } from './lease-port';
import type { LockPort } from './lock-port';

/** Someone else holds the lock (another instance doing the same work right now). */
export class LockBusyError extends Error {
  override name = 'LockBusyError';
  constructor(readonly key: string) {
    super(`${key} is held by another instance.`);
  }
}

/**
 * A LockPort across instances, on leases: for work that one instance at a time should do (reading a
 * chat's history). It waits up to `waitMs`, then gives up with LockBusyError: the holder is doing it.
 */
export class LeasedLock implements LockPort {
  constructor(
    private readonly leases: LeasePort,
    private readonly waitMs: number,
  ) {}

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const lease = await this.leases.acquire(key, this.waitMs);
    if (!lease) throw new LockBusyError(key);
    try {
      return await fn();
    } finally {
      await lease.release();
    }
  }
}
