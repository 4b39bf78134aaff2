import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { LoadedAtStart } from '../chat/terminal/startup-line';
import type { Config } from '../config';
import type { Metrics } from '../observability/metrics';
import { readinessChecks, registerReadinessGauge } from '../observability/readiness';
import type { IncidentRuntime } from '../runtime/incident-runtime';
import { DeadlineSweeper } from '../runtime/deadline-sweeper';
import { createScrubber } from '../security';
import type { SecretScrubber } from '../security';
import { startHttpServer } from '../server/http-server';
import type { RunningServer } from '../server/http-server';
import { connectChats } from './chats';
import type { AppIo } from './chats';
import { openDoors } from './doors';
import type { AppParts, Doors } from './doors';
import { layFoundation } from './foundation';
import { buildIncidentCore } from './incidents';
import { buildIntakeChain } from './intake-chain';
import { stopApp } from './stop-app';

export type { AppIo } from './chats';

export interface App {
  runtime: IncidentRuntime;
  httpPort: number;
  /** This app's metrics (its own registry), as `/metrics` serves them. */
  metrics: Metrics;
  /** What start-up loaded, for the line a person reads (see startupLine). */
  loaded: LoadedAtStart;
  /**
   * Drains, then stops: readiness fails and intake stops first, running steps get SHUTDOWN_GRACE to
   * finish (what is still running then is aborted and re-run from the journal after a restart), then
   * the memory recorder and policy watchers flush, the server and the database close.
   */
  stop(): Promise<void>;
}

/** The composition root: config → storage, chats → machine.provide(implementations) → runtime → intake → doors → server. */
export async function startApp(config: Config, logger: Logger, io: AppIo, scrubber: SecretScrubber = createScrubber(config)): Promise<App> {
  const base = await layFoundation(config, logger, scrubber);
  const chats = await connectChats(config, logger, io, base);
  const core = await buildIncidentCore(config, logger, base, chats);
  const chain = buildIntakeChain(config, logger, base, core);
  const parts: AppParts = { config, logger, base, chats, core, chain };
  const doors = await openDoors(parts);

  const resumed = await core.runtime.recover();
  const sweeper = new DeadlineSweeper(core.incidentStore, core.runtime, logger, config.DEADLINE_SWEEP_INTERVAL, { adoptOrphans: !!base.leases });
  sweeper.start();
  core.stormWatch.start();
  chain.deferredDrainer.start();
  doors.alertReplayer?.start();
  const server = await serve(parts, doors);
  const consoleUrl = `${config.TLS_CERT && config.TLS_KEY ? 'https' : 'http'}://localhost:${server.port}/`;
  logger.info({ resumed, port: server.port, embedded: !!base.embedded, chat: chats.lark ? 'lark' : 'console', console: consoleUrl, llm: core.diagnosis.provider }, 'ai-fixer started');

  doors.lark?.start();
  doors.web.start();
  await startTerminal(parts, doors);
  return {
    runtime: core.runtime,
    httpPort: server.port,
    metrics: base.metrics,
    loaded: { targets: base.targets, plugins: base.plugins.list().length, brokenPlugins: base.brokenPlugins, runbooks: core.diagnosis.runbookCount },
    stop: () => stopApp(parts, { doors, sweeper, server }),
  };
}

/** `/healthz`, `/readyz`, `/metrics` and every door's routes, over HTTP or (TLS_CERT/TLS_KEY) HTTPS. */
async function serve({ config, logger, base }: AppParts, doors: Doors): Promise<RunningServer> {
  const tls = config.TLS_CERT && config.TLS_KEY ? { cert: await readFile(config.TLS_CERT), key: await readFile(config.TLS_KEY) } : undefined;
  const lark = doors.lark;
  const checks = { database: base.pingDatabase, others: readinessChecks({ redis: base.redis, chat: lark && (() => lark.ready()) }) };
  registerReadinessGauge(base.metrics, { database: checks.database, ...checks.others });
  return startHttpServer({ port: config.PORT, checks, routes: doors.routes, logger, tls });
}

async function startTerminal({ logger, chats }: AppParts, doors: Doors): Promise<void> {
  if (!chats.terminal || !doors.terminal) return;
  // The terminal prints synchronously in the language it knows: learn the chat's own (`/lang`) before the banner.
  await chats.languages.languageOf(chats.terminal.chatId).catch((error: unknown) => logger.warn({ err: error }, 'chat language unknown; LANGUAGE it is'));
  chats.terminal.banner();
  chats.terminal.start(doors.terminal.handle).catch((error: unknown) => logger.error({ err: error }, 'console chat stopped'));
}
