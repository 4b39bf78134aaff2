import type { Logger } from 'pino';
import { DiagnosisSlots } from '../alerts/diagnosis-slots';
import { StormStore } from '../alerts/storm-store';
import { StormWatch } from '../alerts/storm-watch';
import { timeoutsFrom } from '../config';
import type { Config } from '../config';
import { provideIncidentMachine } from '../implementations';
import { watchIncidents } from '../observability/incident-metrics';
import { DurabilityGate } from '../runtime/durability-gate';
import { IncidentRuntime } from '../runtime/incident-runtime';
import { StepJournal } from '../runtime/step-journal';
import { ExecutionStore } from '../store/execution-store';
import { IncidentAlertStore } from '../store/incident-alert-store';
import { IncidentStore } from '../store/incident-store';
import { RecordStore } from '../store/record-store';
import { StepJournalStore } from '../store/step-journal-store';
import type { Chats } from './chats';
import { createDiagnosisStack } from './diagnosis-stack';
import type { DiagnosisStack } from './diagnosis-stack';
import type { Foundation } from './foundation';
import { createPolicyRuntime } from './policy-runtime';
import type { PolicyRuntime } from './policy-runtime';

/** The incidents themselves: the runtime running the chart, with what its steps call. */
export interface IncidentCore {
  runtime: IncidentRuntime;
  incidentStore: IncidentStore;
  alertStore: IncidentAlertStore;
  diagnosis: DiagnosisStack;
  policy: PolicyRuntime;
  stormWatch: StormWatch;
}

/** Outcomes whose transition never came (the actor stopped) and whose own write failed: those steps may run again. */
function lostOutcomes(logger: Logger) {
  return (error: unknown, outcomes: { key: string }[]) =>
    logger.error({ err: error, steps: outcomes.map((outcome) => outcome.key) }, 'could not record step outcomes whose transition never came; those steps may run again');
}

export async function buildIncidentCore(config: Config, logger: Logger, base: Foundation, chats: Chats): Promise<IncidentCore> {
  const { orm, cipher, plugins, targets, scrubber, metrics } = base;
  const gate = new DurabilityGate();
  const journal = new StepJournal(new StepJournalStore(orm, cipher), gate, lostOutcomes(logger));
  const diagnosis = await createDiagnosisStack(config, { orm, plugins, targets, journal, logger, scrubber, metrics, redis: base.redis });
  const policy = await createPolicyRuntime(config, { plugins, targets, logger, i18n: chats.languages.i18n });
  const incidentStore = new IncidentStore(orm);
  const alertStore = new IncidentAlertStore(orm);
  // Live incidents only: a slot held by an incident that left memory (lease lost, stopped) is given back.
  let isLive: (incidentId: string) => boolean = () => true;
  const diagnosisSlots = new DiagnosisSlots(config.MAX_CONCURRENT_DIAGNOSES, (id) => isLive(id));
  // Alert storms: one card per storm in its chat, kept up to date, its incidents' cards in its thread (shared by instances).
  const stormWatch = new StormWatch({
    store: new StormStore(orm),
    chat: chats.chat,
    i18n: chats.languages.i18n,
    locks: base.groupLocks,
    logger,
    threshold: config.STORM_THRESHOLD,
    windowMs: config.STORM_WINDOW,
    sweepIntervalMs: config.DEADLINE_SWEEP_INTERVAL,
  });
  const runtime = new IncidentRuntime({
    leases: base.leases,
    leaseWaitMs: config.LEASE_WAIT,
    store: incidentStore,
    locks: base.locks,
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
        chat: chats.chat,
        plugins,
        targets,
        diagnostician: diagnosis.diagnostician, summaries: diagnosis.summaries,
        scrubber,
        policy: policy.policy,
        logger,
        verification: { attempts: config.VERIFY_ATTEMPTS, intervalMs: config.VERIFY_INTERVAL },
        onPluginResult: (plugin, result) => metrics.observePlugin(plugin, result),
        alertStore,
        diagnosisSlots,
        stormThreads: stormWatch,
        escalationChain: config.ESCALATION_CHAIN,
        // Cards and reminders in every language, times in TIMEZONE: the chats' LANGUAGE and TIMEZONE.
        i18n: chats.languages.i18n,
      }),
  });
  isLive = (id) => runtime.isLive(id);
  runtime.subscribe((change) => diagnosisSlots.onTransition(change.incidentId, change.toState));
  runtime.subscribe((change) => stormWatch.onTransition(change));
  const lark = chats.lark;
  watchIncidents(metrics, { runtime, orm, gate, larkQueueDepth: lark && (() => lark.chat.queueDepth) });
  diagnosis.attach((listener) => runtime.subscribe(listener));
  return { runtime, incidentStore, alertStore, diagnosis, policy, stormWatch };
}
