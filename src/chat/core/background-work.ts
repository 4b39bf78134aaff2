import type { Logger } from 'pino';

/** Work that goes on after a delivery is answered (replies, reactions, late clicks): tracked so close() can wait for it. */
export class BackgroundWork {
  private readonly running = new Set<Promise<boolean>>();

  constructor(private readonly logger: Logger) {}

  /** Resolves true when the work succeeded; a failure is logged, never thrown. */
  run(what: string, work: () => Promise<unknown>): Promise<boolean> {
    const task = work().then(
      () => true,
      (error: unknown) => {
        this.logger.error({ err: error }, `${what} failed`);
        return false;
      },
    );
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
    return task;
  }

  /** Resolves once nothing runs, including work started by work that was running. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
