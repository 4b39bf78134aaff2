import type { Logger } from 'pino';

interface Due {
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  /** Touched while a flush ran: flush once more after it. */
  again: boolean;
  lastAt: number;
  failures: number;
}

/** What a flush found: `ended` when its storm is over, so nothing more will be asked of it. */
export type FlushResult = 'updated' | 'ended';

const MAX_RETRIES = 3;

/**
 * Coalesces storm card updates: however often a storm is touched, its card is rewritten at most once per
 * interval (Lark takes 5 updates/s per card and 5 messages/s per chat), always from the latest state.
 */
export class StormCardUpdates {
  private readonly due = new Map<string, Due>();
  private stopped = false;

  constructor(
    private readonly options: { intervalMs: number; flush: (stormId: string) => Promise<FlushResult>; logger: Logger },
  ) {}

  touch(stormId: string): void {
    if (this.stopped) return;
    const due = this.entry(stormId);
    if (due.running) {
      due.again = true;
      return;
    }
    if (due.timer) return;
    const wait = Math.max(0, due.lastAt + this.options.intervalMs - Date.now());
    due.timer = setTimeout(() => this.run(stormId, due), wait);
  }

  /** The card was just posted with the latest state: the next update waits a whole interval. */
  posted(stormId: string): void {
    const due = this.entry(stormId);
    clearTimeout(due.timer);
    due.timer = undefined;
    due.lastAt = Date.now();
    this.touch(stormId);
  }

  /** Cancels waiting updates and waits for running ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const due of this.due.values()) if (due.timer) clearTimeout(due.timer);
    await Promise.allSettled([...this.due.values()].flatMap((due) => (due.running ? [due.running] : [])));
  }

  private entry(stormId: string): Due {
    const due = this.due.get(stormId) ?? { again: false, lastAt: Number.NEGATIVE_INFINITY, failures: 0 };
    this.due.set(stormId, due);
    return due;
  }

  private run(stormId: string, due: Due): void {
    due.timer = undefined;
    due.running = this.options.flush(stormId).then(
      (result) => {
        due.failures = 0;
        if (result === 'ended' && !due.again) this.due.delete(stormId);
      },
      (error: unknown) => {
        due.failures += 1;
        due.again ||= due.failures <= MAX_RETRIES;
        this.options.logger.warn({ err: error, stormId }, 'could not update the storm card');
      },
    );
    void due.running.finally(() => {
      due.running = undefined;
      due.lastAt = Date.now();
      if (!due.again) return;
      due.again = false;
      if (this.due.get(stormId) === due) this.touch(stormId);
    });
  }
}
