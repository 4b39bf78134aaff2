import type { Logger } from 'pino';
import type { DueIncident, IncidentStore } from '../store/incident-store';
import type { IncidentRuntime } from './incident-runtime';

const BATCH = 100;

/**
 * Wakes parked incidents whose persisted deadline has passed — including deadlines that passed while
 * the bot was down, which fire on the first sweep after start-up.
 */
export class DeadlineSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly store: IncidentStore,
    private readonly runtime: IncidentRuntime,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.sweep()
        .catch((error: unknown) => this.logger.error({ err: error }, 'deadline sweep failed'))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Wakes every incident due now; returns how many were woken. */
  async sweep(now = new Date()): Promise<number> {
    let woken = 0;
    let after: DueIncident | undefined;
    for (;;) {
      const due = await this.store.due(now, BATCH, after);
      await Promise.all(due.map(({ id }) => this.runtime.wake(id)));
      woken += due.length;
      after = due.at(-1);
      if (due.length < BATCH) return woken;
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
