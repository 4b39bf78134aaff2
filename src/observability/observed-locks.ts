import type { LockPort } from '../locks/lock-port';
import type { Metrics } from './metrics';

/** `lark-history:oc_…` → `lark-history`; bare keys are incident ids (the runtime locks one incident at a time). */
function kindOf(key: string): string {
  const colon = key.indexOf(':');
  return colon > 0 ? key.slice(0, colon) : 'incident';
}

/** A LockPort that measures how long callers wait for the lock, whichever backend holds it. */
export class ObservedLocks implements LockPort {
  constructor(
    private readonly inner: LockPort,
    private readonly metrics: Metrics,
  ) {}

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const stop = this.metrics.lockWait.startTimer({ lock: kindOf(key) });
    return this.inner.withLock(key, () => {
      stop();
      return fn();
    });
  }
}
