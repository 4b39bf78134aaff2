/**
 * Ownership of an incident across instances. The instance that has an incident's actor in memory holds
 * its lease from restore to eviction, so no other instance rehydrates it meanwhile. A lease that cannot
 * be kept (its store is unreachable, it expired) aborts `lost`: the holder must drop the incident. The
 * version check on every write fences a holder that has not noticed yet.
 */
export interface Lease {
  readonly lost: AbortSignal;
  /** Idempotent; a lease already lost is released without error. */
  release(): Promise<void>;
}

export interface LeasePort {
  /** Waits up to `waitMs` for the holder to let go; undefined when it did not. */
  acquire(key: string, waitMs: number): Promise<Lease | undefined>;
}
