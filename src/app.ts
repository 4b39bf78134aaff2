import type { Logger } from 'pino';
import { ConsoleChat } from './chat/console/console-chat';
import { timeoutsFrom } from './config';
import type { Config } from './config';
import { provideIncidentMachine } from './implementations';
import { createInboundHandler } from './intake/inbound-handler';
import { RunbookDiagnostician } from './llm/offline/runbook-diagnostician';
import { MemoryLock } from './locks/memory-lock';
import { loadTargets } from './plugins/load-targets';
import { createBuiltinRegistry } from './plugins/registry';
import { ExecutionPolicy } from './policy/execution-policy';
import { DeadlineSweeper } from './runtime/deadline-sweeper';
import { DurabilityGate } from './runtime/durability-gate';
import { IncidentRuntime } from './runtime/incident-runtime';
import { StepJournal } from './runtime/step-journal';
import { startHttpServer } from './server/http-server';
import { startEmbeddedPostgres } from './store/embedded-postgres';
import { ExecutionStore } from './store/execution-store';
import { IncidentStore } from './store/incident-store';
import { migrate, openOrm } from './store/orm';
import { RecordStore } from './store/record-store';
import { StepJournalStore } from './store/step-journal-store';

export interface AppIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export interface App {
  runtime: IncidentRuntime;
  httpPort: number;
  stop(): Promise<void>;
}

/** The composition root: config → adapters → machine.provide(implementations) → runtime → intake. */
export async function startApp(config: Config, logger: Logger, io: AppIo): Promise<App> {
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.DATA_DIR);
  const databaseUrl = config.DATABASE_URL ?? embedded!.databaseUrl;
  const orm = await openOrm({ databaseUrl, poolSize: embedded?.maxConnections ?? 10, logger });
  const applied = await migrate(orm);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const incidentStore = new IncidentStore(orm);
  const gate = new DurabilityGate();
  const journal = new StepJournal(new StepJournalStore(orm), gate);
  const targets = await loadTargets(config.TARGETS_FILE);
  const plugins = createBuiltinRegistry();
  const chat = new ConsoleChat({ input: io.input, output: io.output, operator: { id: config.CONSOLE_OPERATOR } });

  const runtime = new IncidentRuntime({
    store: incidentStore,
    locks: new MemoryLock(),
    gate,
    logger,
    timeouts: timeoutsFrom(config),
    machine: (incidents) =>
      provideIncidentMachine({
        journal,
        incidents,
        incidentStore,
        records: new RecordStore(orm),
        executions: new ExecutionStore(orm),
        chat,
        plugins,
        targets,
        diagnostician: new RunbookDiagnostician(plugins, targets, logger),
        policy: new ExecutionPolicy(plugins, { autoExecuteLowRisk: config.AUTO_EXECUTE_LOW_RISK }),
        logger,
        verification: { attempts: config.VERIFY_ATTEMPTS, intervalMs: config.VERIFY_INTERVAL },
      }),
  });

  const resumed = await runtime.recover();
  const sweeper = new DeadlineSweeper(incidentStore, runtime, logger, config.DEADLINE_SWEEP_INTERVAL);
  sweeper.start();
  const server = await startHttpServer({
    port: config.PORT,
    checks: { database: async () => void (await orm.em.fork().getConnection().execute('select 1')) },
    logger,
  });
  logger.info({ resumed, port: server.port, embedded: !!embedded }, 'ai-fixer started');

  chat.banner();
  chat.start(createInboundHandler({ service: runtime, plugins: () => plugins.list() })).catch((error: unknown) => logger.error({ err: error }, 'console chat stopped'));

  return {
    runtime,
    httpPort: server.port,
    async stop() {
      chat.close();
      await sweeper.stop();
      await runtime.stop();
      await server.close();
      await orm.close();
      await embedded?.close();
    },
  };
}
