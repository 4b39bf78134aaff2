import type { LoadedAtStart } from './chat/terminal/startup-line';
import { DiagnosisSlots } from './alerts/diagnosis-slots';
import { GroupingIntake } from './alerts/grouping-intake';
import { StormStore } from './alerts/storm-store';
import { StormWatch } from './alerts/storm-watch';
import { IncidentAlertStore } from './store/incident-alert-store';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { ConsoleChat } from './chat/terminal/console-chat';
import { ChatRouter } from './chat/core/chat-router';
import { WEB_MESSAGE_PREFIX } from './chat/web/web-chat';
import { larkEnabled, timeoutsFrom } from './config';
import { connectLark } from './chat/lark/lark-integration';
import { createAlertIntake, HTTP_CHANNEL } from './intake/http-intake';
import type { AlertIntake } from './intake/http-intake';
import { DeliveryReplayer } from './intake/delivery-replayer';
import { InboundStore } from './store/inbound-store';
import type { Config } from './config';
import type { IncidentListener } from './runtime/incident-service';
import { provideIncidentMachine } from './implementations';
import { TerminalInbound } from './chat/terminal/terminal-inbound';
import { AlertDetector } from './chat/core/alert-detector';
import { loadAlertTemplates } from './chat/core/alert-detector/alert-templates';
import { createDiagnosisStack } from './app/diagnosis-stack';
import { RedactingIntake } from './intake/redacting-intake';
import { DeferringIntake } from './intake/deferring-intake';
import { SilencingIntake } from './intake/silencing-intake';
import { SilenceService } from './silences/silence-service';
import { SilenceStore } from './silences/silence-store';
import { DeferredAlertDrainer } from './intake/deferred-alert-drainer';
import { RedactingChat } from './chat/core/redacting-chat';
import { createScrubber, secretsIn } from './security';
import { createCipher } from './security/create-cipher';
import type { SecretScrubber } from './security';
import { MemoryLock } from './locks/memory-lock';
import { watchIncidents } from './observability/incident-metrics';
import { Metrics } from './observability/metrics';
import { metricsRoute } from './observability/metrics-route';
import { ObservedLocks } from './observability/observed-locks';
import { readinessChecks, registerReadinessGauge } from './observability/readiness';
import { letStepsFinish, runStages } from './shutdown';
import { createRedisClient } from './locks/redis-client';
import { RedisLeases } from './locks/redis-leases';
import { LeasedLock } from './locks/leased-lock';
import { loadTargets } from './plugins/load-targets';
import { createRegistry } from './plugins/discovery';
import { createPolicyRuntime } from './app/policy-runtime';
import { DeadlineSweeper } from './runtime/deadline-sweeper';
import { DurabilityGate } from './runtime/durability-gate';
import { IncidentRuntime } from './runtime/incident-runtime';
import { StepJournal } from './runtime/step-journal';
import { startHttpServer } from './server/http-server';
import { createWebChat, startWebConsole } from './server/console/web-console';
import { startSharedLiveFeed } from './server/console/shared-live-feed';
import { startEmbeddedPostgres } from './store/embedded-postgres';
import { ExecutionStore } from './store/execution-store';
import { DeferredAlertStore } from './store/deferred-alert-store';
import { IncidentStore } from './store/incident-store';
import { closeOrm, migrate, openOrm } from './store/orm';
import { RecordStore } from './store/record-store';
import { StepJournalStore } from './store/step-journal-store';

export interface AppIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

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

/** The composition root: config → adapters → machine.provide(implementations) → runtime → intake. */
export async function startApp(config: Config, logger: Logger, io: AppIo, scrubber: SecretScrubber = createScrubber(config)): Promise<App> {
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.DATA_DIR);
  const databaseUrl = config.DATABASE_URL ?? embedded!.databaseUrl;
  const orm = await openOrm({ databaseUrl, poolSize: embedded?.maxConnections ?? 10, logger });
  const applied = await migrate(orm);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const metrics = new Metrics();
  const incidentStore = new IncidentStore(orm);
  const gate = new DurabilityGate();
  const cipher = createCipher(config, logger);
  const journal = new StepJournal(new StepJournalStore(orm, cipher), gate);
  const targets = await loadTargets(config.TARGETS_FILE, config.env);
  // Secrets the targets reference (tokens, passwords in URLs) are redacted wherever they would show.
  scrubber.addSecrets(secretsIn(targets));
  const { registry: plugins, broken } = await createRegistry({ pluginsDir: config.PLUGINS_DIR, logger });
  const inboundStore = new InboundStore(orm, cipher);
  const locks = new ObservedLocks(new MemoryLock(), metrics);
  // Several instances share incidents through leases in Redis; one instance keeps them in memory.
  const leaseRedis = config.REDIS_URL ? createRedisClient(config.REDIS_URL, logger) : undefined;
  const leases = leaseRedis ? new RedisLeases(leaseRedis, { ttlMs: config.LEASE_TTL, logger }) : undefined;
  const lark = larkEnabled(config) ? await connectLark(config, logger, { observer: metrics.larkObserver() }) : undefined;
  const consoleChat = lark ? undefined : new ConsoleChat({ input: io.input, output: io.output, operator: { id: config.CONSOLE_OPERATOR } });
  const webChat = createWebChat(orm);
  // The web console is a chat too (the default one without Lark): posts go by chat id, updates and reactions by message id.
  const terminal = consoleChat ? [{ chat: consoleChat, chatId: consoleChat.chatId, messagePrefix: 'console-' }] : [];
  const router = new ChatRouter(lark?.chat ?? webChat, [{ chat: webChat, chatId: webChat.chatId, messagePrefix: WEB_MESSAGE_PREFIX }, ...terminal]);
  const chat = new RedactingChat(router, scrubber);
  const diagnosis = await createDiagnosisStack(config, { orm, plugins, targets, journal, logger, scrubber, metrics, redis: leaseRedis });
  const policy = await createPolicyRuntime(config, { plugins, targets, logger });

  const alertStore = new IncidentAlertStore(orm);
  // Work on one alert group or storm at a time, across instances with Redis: waits up to LEASE_WAIT for the holder.
  const groupLocks = leases ? new ObservedLocks(new LeasedLock(leases, config.LEASE_WAIT), metrics) : locks;
  // Live incidents only: a slot held by an incident that left memory (lease lost, stopped) is given back.
  let isLive: (incidentId: string) => boolean = () => true;
  const diagnosisSlots = new DiagnosisSlots(config.MAX_CONCURRENT_DIAGNOSES, (id) => isLive(id));
  // Alert storms: one card per storm in its chat, kept up to date, its incidents' cards in its thread (shared by instances).
  const stormWatch = new StormWatch({
    store: new StormStore(orm),
    chat,
    locks: groupLocks,
    logger,
    threshold: config.STORM_THRESHOLD,
    windowMs: config.STORM_WINDOW,
    sweepIntervalMs: config.DEADLINE_SWEEP_INTERVAL,
  });
  const runtime = new IncidentRuntime({
    leases,
    leaseWaitMs: config.LEASE_WAIT,
    store: incidentStore,
    locks,
    gate,
    logger,
    timeouts: timeoutsFrom(config),
    recovery: { resolveOnRecovery: config.RESOLVE_ON_RECOVERY, flapLimit: config.FLAP_LIMIT },
    machine: (incidents) =>
      provideIncidentMachine({
        journal,
        incidents,
        incidentStore,
        records: new RecordStore(orm),
        executions: new ExecutionStore(orm, cipher),
        chat,
        plugins,
        targets,
        diagnostician: diagnosis.diagnostician,
        scrubber,
        policy: policy.policy,
        logger,
        verification: { attempts: config.VERIFY_ATTEMPTS, intervalMs: config.VERIFY_INTERVAL },
        onPluginResult: (plugin, result) => metrics.observePlugin(plugin, result),
        alertStore,
        diagnosisSlots,
        stormThreads: stormWatch,
      }),
  });
  isLive = (id) => runtime.isLive(id);
  runtime.subscribe((change) => diagnosisSlots.onTransition(change.incidentId, change.toState));
  runtime.subscribe((change) => stormWatch.onTransition(change));
  watchIncidents(metrics, { runtime, orm, gate, larkQueueDepth: lark && (() => lark.chat.queueDepth) });

  diagnosis.attach((listener) => runtime.subscribe(listener));
  // Intake opens incidents with the alert's secrets redacted; a repeat for an incident busy on another instance waits in the database.
  const deferredAlerts = new DeferredAlertStore(orm);
  // One incident per problem: alerts of a group join its open incident (one group at a time, across instances with Redis).
  const grouping = new GroupingIntake(runtime, {
    alerts: alertStore,
    rules: { groupBy: config.GROUP_BY, windowMs: config.GROUP_WINDOW },
    locks: groupLocks,
    logger,
  });
  // An alert an active silence matches (checked on the redacted alert) opens nothing.
  const silences = new SilenceService(new SilenceStore(orm));
  const intake = new RedactingIntake(new SilencingIntake(new DeferringIntake(grouping, deferredAlerts, logger), silences, logger), scrubber);
  // Work one instance at a time does (reading a chat's history, recording deferred repeats).
  const clusterLocks = leases ? new ObservedLocks(new LeasedLock(leases, 0), metrics) : locks;

  const listPlugins = () => [
    ...plugins.list(),
    ...broken.map((b) => ({ id: b.file, category: 'broken', risk: '-', description: b.error })),
  ];
  // Lark's progress reactions and decided cards are for incidents in Lark chats, not the web console's.
  const larkChanges = (listener: IncidentListener) =>
    runtime.subscribe((change) => {
      if (router.owner(change.context.chatId) === lark?.chat) listener(change);
    });
  const larkIntake = lark?.listen({ service: intake, subscribe: larkChanges, inboundStore, locks: clusterLocks, plugins: listPlugins, access: policy.access, silences });
  // Behind one load balancer, a console also shows what the other instances persisted (Redis pub/sub).
  const liveFeed = leaseRedis
    ? startSharedLiveFeed({ redis: leaseRedis, local: { chat: (l) => webChat.subscribe(l), incidents: (l) => runtime.subscribe(l) }, logger })
    : undefined;
  const webConsole = await startWebConsole({
    orm,
    chat: webChat,
    ownsChat: (chatId) => router.owner(chatId) === webChat,
    service: intake,
    subscribe: (l) => runtime.subscribe(l),
    inboundStore,
    access: policy.access,
    silences,
    user: config.CONSOLE_USER ?? config.CONSOLE_OPERATOR,
    token: config.CONSOLE_TOKEN,
    trustLoopback: config.CONSOLE_TRUST_LOOPBACK,
    scrubber,
    alertTemplatesFile: config.ALERT_TEMPLATES_FILE,
    plugins: listPlugins,
    logger,
    cipher,
    live: liveFeed?.sources,
  });
  const routes = [...(larkIntake?.routes ?? []), ...webConsole.routes, metricsRoute(metrics, config.METRICS_TOKEN, config.CONSOLE_TRUST_LOOPBACK)];
  let alertIntake: AlertIntake | undefined;
  if (config.API_KEYS.length) {
    const chatId = lark ? config.LARK_DEFAULT_CHAT_ID : webChat.chatId;
    alertIntake = createAlertIntake({ service: intake, inbound: inboundStore, apiKeys: config.API_KEYS, chatId, routes: config.ALERT_ROUTES, logger, scrubber });
    routes.push(alertIntake.route);
  }
  // Payloads acknowledged by an instance that died before opening their incidents.
  const alertReplayer = alertIntake && new DeliveryReplayer({ channel: HTTP_CHANNEL, inbound: inboundStore, target: alertIntake, logger });

  const resumed = await runtime.recover();
  const sweeper = new DeadlineSweeper(incidentStore, runtime, logger, config.DEADLINE_SWEEP_INTERVAL, { adoptOrphans: !!leases });
  sweeper.start();
  stormWatch.start();
  const deferredDrainer = new DeferredAlertDrainer({ store: deferredAlerts, service: grouping, locks: clusterLocks, logger, intervalMs: config.DEADLINE_SWEEP_INTERVAL });
  deferredDrainer.start();
  alertReplayer?.start();
  const tls = config.TLS_CERT && config.TLS_KEY ? { cert: await readFile(config.TLS_CERT), key: await readFile(config.TLS_KEY) } : undefined;
  const checks = {
    database: async () => void (await orm.em.fork().getConnection().execute('select 1')),
    others: readinessChecks({ redis: leaseRedis, chat: larkIntake && (() => larkIntake.ready()) }),
  };
  registerReadinessGauge(metrics, { database: checks.database, ...checks.others });
  const server = await startHttpServer({
    port: config.PORT,
    checks,
    routes,
    logger,
    tls,
  });
  const consoleUrl = `${tls ? 'https' : 'http'}://localhost:${server.port}/`;
  logger.info({ resumed, port: server.port, embedded: !!embedded, chat: lark ? 'lark' : 'console', console: consoleUrl, llm: diagnosis.provider }, 'ai-fixer started');

  larkIntake?.start();
  webConsole.start();
  if (consoleChat) {
    // The terminal reads alerts with the same detector as the web console and Lark; its replies print through consoleChat.
    const detector = new AlertDetector({ templates: await loadAlertTemplates(config.ALERT_TEMPLATES_FILE) });
    const terminal = new TerminalInbound({ service: intake, chat: consoleChat, inbound: inboundStore, detector, access: policy.access, logger, plugins: listPlugins, silences });
    consoleChat.banner();
    consoleChat
      .start(terminal.handle)
      .catch((error: unknown) => logger.error({ err: error }, 'console chat stopped'));
  }

  return {
    runtime,
    httpPort: server.port,
    metrics,
    loaded: { targets, plugins: plugins.list().length, brokenPlugins: broken.length, runbooks: diagnosis.runbookCount },
    async stop() {
      // Readiness fails and POSTs (alerts, Lark webhooks, console) get 503 from here on.
      server.drain();
      await runStages(
        [
          ['console chat', () => consoleChat?.close()],
          ['lark intake', () => larkIntake?.stop()],
          ['deadline sweeper', () => sweeper.stop()],
          ['deferred repeats', () => deferredDrainer.stop()],
          ['alert replays', () => alertReplayer?.stop()],
          ['queued alerts', () => alertIntake?.close(config.SHUTDOWN_GRACE / 2)],
          ['running steps', () => letStepsFinish(runtime, config.SHUTDOWN_GRACE, logger)],
          ['alert storms', () => stormWatch.stop()],
          ['runtime', () => runtime.stop()],
          ['web console', () => webConsole.stop()],
          ['memory recorder', () => diagnosis.close()],
          ['policy', () => policy.close()],
          ['http server', () => server.close()],
          ['live feed', () => liveFeed?.close()],
          ['database', () => closeOrm(orm)],
          ['redis', () => leaseRedis?.quit()],
          ['embedded database', () => embedded?.close()],
        ],
        logger,
      );
    },
  };
}
