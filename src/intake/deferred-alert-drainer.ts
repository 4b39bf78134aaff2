import type { Logger } from 'pino';
import { IncidentBusyError } from '../domain/errors';
import { LockBusyError } from '../locks/leased-lock';
import type { LockPort } from '../locks/lock-port';
import { InvalidInputError } from '../domain/errors';
import type { IncidentService } from '../runtime/incident-service';
import type { DeferredAlertStore } from '../store/deferred-alert-store';

const BATCH = 100;

export interface DeferredAlertDrainerOptions {
  store: DeferredAlertStore;
  /** The runtime itself: a repeat still busy stays deferred rather than being deferred again. */
  service: IncidentService;
  /** One drainer at a time across instances. */
  locks: LockPort;
  logger: Logger;
  intervalMs: number;
}

/**
 * Records deferred repeats on their incidents once those are free (parked, or done: a repeat of an
 * incident that closed meanwhile opens a new one, as any alert would). At least once: a crash between
 * recording and forgetting a repeat counts it twice, which changes a counter, not a system.
 */
export class DeferredAlertDrainer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: DeferredAlertDrainerOptions) {}

  start(): void {
    const tick = () => {
      this.running = this.drain()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'recording deferred repeats failed'))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; returns how many repeats were recorded. */
  async drain(): Promise<number> {
    try {
      return await this.options.locks.withLock('deferred-alerts', () => this.recordFree());
    } catch (error) {
      if (error instanceof LockBusyError) return 0; // another instance is draining
      throw error;
    }
  }

  private async recordFree(): Promise<number> {
    const { store, service, logger } = this.options;
    const busy = new Set<string>();
    let recorded = 0;
    for (const deferred of await store.waiting(BATCH)) {
      if (busy.has(deferred.incidentId)) continue;
      try {
        await service.create(deferred.request);
        await store.remove(deferred.id);
        recorded++;
      } catch (error) {
        if (error instanceof IncidentBusyError) {
          busy.add(deferred.incidentId);
          await store.countAttempt(deferred.id);
        } else if (error instanceof InvalidInputError) {
          logger.error({ err: error, incidentId: deferred.incidentId }, 'a deferred repeat is not a valid alert; dropped');
          await store.remove(deferred.id);
        } else {
          throw error;
        }
      }
    }
    return recorded;
  }
}
