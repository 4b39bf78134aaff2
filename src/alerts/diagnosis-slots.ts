import { holdsDiagnosisSlotIn, phaseOf } from '../../machines/incident.view';
import { SEVERITIES } from '../domain';
import type { Severity } from '../domain';

interface Waiter {
  incidentId: string;
  rank: number;
  seq: number;
  grant: () => void;
}

/**
 * At most `max` diagnoses at once on this instance (MAX_CONCURRENT_DIAGNOSES); the rest wait, visibly,
 * in the chart's waiting-for-a-slot state, and are let in most severe first, then in arrival order. A slot
 * is given back when its incident leaves the phases that hold one, or is no longer in this instance's memory.
 */
export class DiagnosisSlots {
  private readonly holders = new Set<string>();
  private waiting: Waiter[] = [];
  private seq = 0;

  constructor(
    private readonly max: number,
    /** Is the incident's actor still in this instance's memory? A holder that is not gives its slot back. */
    private readonly isLive: (incidentId: string) => boolean = () => true,
  ) {}

  /** Resolves when the incident may diagnose; rejects if `signal` aborts first (the incident moved on or stopped). */
  acquire(incidentId: string, severity: Severity, signal: AbortSignal): Promise<void> {
    if (this.holders.has(incidentId)) return Promise.resolve();
    this.prune();
    if (this.holders.size < this.max && this.waiting.length === 0) {
      this.holders.add(incidentId);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { incidentId, rank: SEVERITIES.indexOf(severity), seq: this.seq++, grant: resolve };
      this.waiting.push(waiter);
      this.waiting.sort((a, b) => b.rank - a.rank || a.seq - b.seq);
      signal.addEventListener(
        'abort',
        () => {
          this.waiting = this.waiting.filter((w) => w !== waiter);
          reject(signal.reason instanceof Error ? signal.reason : new Error('Stopped waiting for a diagnosis slot.'));
        },
        { once: true },
      );
      this.grantFree();
    });
  }

  /** Hears a persisted transition: an incident leaving the diagnosis states gives its slot back. */
  onTransition(incidentId: string, toState: string): void {
    if (!holdsDiagnosisSlotIn(phaseOf(toState))) this.release(incidentId);
  }

  release(incidentId: string): void {
    if (this.holders.delete(incidentId)) this.grantFree();
  }

  get running(): number {
    return this.holders.size;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private grantFree(): void {
    this.prune();
    while (this.holders.size < this.max) {
      const next = this.waiting.shift();
      if (!next) return;
      this.holders.add(next.incidentId);
      next.grant();
    }
  }

  private prune(): void {
    for (const id of this.holders) if (!this.isLive(id)) this.holders.delete(id);
  }
}
