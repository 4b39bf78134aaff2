import type { Logger } from 'pino';
import type { IncidentRuntime } from './incident-runtime';
import type { DueIncident, IncidentStorePort } from './incident-store-port';

const BATCH = 100;

/**
 * Wakes parked incidents whose persisted deadline has passed — including deadlines that passed while
 * the bot was down, which fire on the first sweep after start-up. With several instances it also
 * adopts orphans: incidents left mid-step by an instance that died (their lease expired).
 */
export class DeadlineSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly store: Pick<IncidentStorePort, 'due'>,
    private readonly runtime: IncidentRuntime,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly options: { adoptOrphans?: boolean } = {},
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.sweep()
        .catch((error: unknown) => this.logger.error({ err: error }, 'deadline sweep failed'))
        .then(() => (this.options.adoptOrphans ? this.adoptOrphans() : 0))
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

  /** Resumes active incidents no instance holds a lease on; returns how many. */
  async adoptOrphans(): Promise<number> {
    try {
      const adopted = await this.runtime.recover();
      if (adopted > 0) this.logger.warn({ adopted }, 'resumed incidents another instance left mid-step');
      return adopted;
    } catch (error) {
      this.logger.error({ err: error }, 'orphan scan failed');
      return 0;
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
