import type { IncidentChange, IncidentListener } from '../src/runtime/incident-service';

export interface PersistedChange {
  eventType: string;
  toState: string;
  /** performance.now() when the runtime reported the transition persisted. */
  at: number;
}

const REACH_TIMEOUT_MS = 60_000;

/**
 * Every persisted transition per incident, from `runtime.subscribe`. Kept (not just awaited) because a
 * state may be reached before the caller learns the incident's id, e.g. while create() is still returning.
 */
export class IncidentTimeline {
  private readonly changes = new Map<string, PersistedChange[]>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(subscribe: (listener: IncidentListener) => () => void) {
    subscribe((change) => this.record(change));
  }

  of(incidentId: string): readonly PersistedChange[] {
    return this.changes.get(incidentId) ?? [];
  }

  /** Resolves with the persisted transition into `state`; rejects after a minute. */
  async reached(incidentId: string, state: string): Promise<PersistedChange> {
    const until = performance.now() + REACH_TIMEOUT_MS;
    for (;;) {
      const found = this.of(incidentId).find((c) => c.toState === state);
      if (found) return found;
      const remaining = until - performance.now();
      if (remaining <= 0) {
        const last = this.of(incidentId).at(-1)?.toState ?? 'nothing persisted';
        throw new Error(`${incidentId} did not reach ${state} within ${REACH_TIMEOUT_MS} ms (last: ${last}).`);
      }
      await this.nextChange(incidentId, remaining);
    }
  }

  forget(incidentId: string): void {
    this.changes.delete(incidentId);
  }

  private record(change: IncidentChange): void {
    const list = this.changes.get(change.incidentId) ?? [];
    list.push({ eventType: change.eventType, toState: change.toState, at: performance.now() });
    this.changes.set(change.incidentId, list);
    for (const wake of this.waiters.get(change.incidentId) ?? []) wake();
  }

  private nextChange(incidentId: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.waiters.get(incidentId) ?? new Set();
      this.waiters.set(incidentId, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0 && this.waiters.get(incidentId) === waiters) this.waiters.delete(incidentId);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      waiters.add(done);
    });
  }
}
