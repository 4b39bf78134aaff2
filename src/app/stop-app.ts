import { letStepsFinish, runStages } from '../shutdown';
import type { DeadlineSweeper } from '../runtime/deadline-sweeper';
import type { RunningServer } from '../server/http-server';
import type { AppParts, Doors } from './doors';

/** Readiness fails and POSTs (alerts, Lark webhooks, console) get 503 first; then each part stops, in this order. */
export async function stopApp({ config, logger, base, chats, core, chain }: AppParts, running: { doors: Doors; sweeper: DeadlineSweeper; server: RunningServer }): Promise<void> {
  const { doors, sweeper, server } = running;
  server.drain();
  await runStages(
    [
      ['console chat', () => chats.terminal?.close()],
      ['terminal intake', () => doors.terminal?.close()],
      ['lark intake', () => doors.lark?.stop()],
      ['deadline sweeper', () => sweeper.stop()],
      ['deferred repeats', () => chain.deferredDrainer.stop()],
      ['alert replays', () => doors.alertReplayer?.stop()],
      ['queued alerts', () => doors.alerts?.close(config.SHUTDOWN_GRACE / 2)],
      ['running steps', () => letStepsFinish(core.runtime, config.SHUTDOWN_GRACE, logger)],
      ['alert storms', () => core.stormWatch.stop()],
      ['runtime', () => core.runtime.stop()],
      ['web console', () => doors.web.stop()],
      ['memory recorder', () => core.diagnosis.close()],
      ['policy', () => core.policy.close()],
      ['http server', () => server.close()],
      ['live feed', () => doors.liveFeed?.close()],
      ['database', () => base.closeStorage()],
      ['redis', () => base.redis?.quit()],
    ],
    logger,
  );
}
