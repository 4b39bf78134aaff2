import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

const IDLE_POLL_MS = 100;

/** Resolves true once `isIdle()` holds, or false when `graceMs` ran out first. */
export async function waitUntilIdle(isIdle: () => boolean, graceMs: number): Promise<boolean> {
  const until = Date.now() + graceMs;
  while (!isIdle()) {
    if (Date.now() >= until) return false;
    await sleep(Math.min(IDLE_POLL_MS, Math.max(0, until - Date.now())));
  }
  return true;
}

/** Running steps get `graceMs` to finish; the ones still running after it are stopped by the runtime and re-run from the journal. */
export async function letStepsFinish(runtime: { readonly liveCount: number }, graceMs: number, logger: Logger): Promise<void> {
  logger.info({ live: runtime.liveCount, graceMs }, 'intake stopped; letting running steps finish');
  if (await waitUntilIdle(() => runtime.liveCount === 0, graceMs)) return;
  logger.warn({ live: runtime.liveCount }, 'steps still running after the grace period; stopping them (they re-run from the journal after a restart)');
}

/**
 * Runs shutdown stages in order. A stage that fails is logged and the rest still run (the ORM must
 * close even if the Lark connection would not); the first failure is rethrown at the end.
 */
export async function runStages(stages: [name: string, stop: () => unknown][], logger: Logger): Promise<void> {
  let failure: Error | undefined;
  for (const [name, stop] of stages) {
    try {
      await stop();
    } catch (error) {
      logger.error({ err: error, stage: name }, 'a shutdown stage failed; carrying on');
      failure ??= error instanceof Error ? error : new Error(String(error));
    }
  }
  if (failure !== undefined) throw failure;
}

/**
 * SIGTERM / SIGINT: stop once, exit 0 when stopped cleanly and 1 when stopping failed or took longer
 * than `timeoutMs`. A second SIGINT (Ctrl-C again) exits at once.
 */
export function exitOnSignals(stop: () => Promise<void>, logger: Logger, timeoutMs: number): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      if (signal !== 'SIGINT') return;
      logger.warn({ signal }, 'second interrupt; exiting without finishing the shutdown');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, timeoutMs }, 'shutting down');
    // Unref'd: a clean stop must not wait for it.
    setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting (unfinished steps re-run from the journal after restart)');
      process.exit(1);
    }, timeoutMs).unref();
    stop().then(
      () => {
        logger.info('shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
