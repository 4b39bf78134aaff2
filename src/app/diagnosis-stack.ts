import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { alertText, createMemory, LocalEmbedder, memoryAlertOf, runbookPluginProblems } from '../memory';
import type { Memory, Runbook } from '../memory';
import type { Metrics } from '../observability/metrics';
import { observeLlm } from '../diagnosis/observed-llm';
import { PluginRunner } from '../plugins/plugin-runner';
import type { PluginRegistry } from '../plugins/registry';
import type { Targets } from '../plugins/targets';
import type { IncidentListener } from '../runtime/incident-service';
import type { StepJournal } from '../runtime/step-journal';
import type { Scrubber } from '../security';
import { AgentActivityStore } from '../store/agent-activity-store';
import { SummaryStore } from '../store/summary-store';
import { createDiagnostician } from '../diagnosis/create-diagnostician';
import { createEmbedder, createLlm } from '../diagnosis/create-llm';
import type { Diagnostician } from '../diagnosis/diagnostician';
import { SummaryWriter } from '../diagnosis/summary-writer';

export interface DiagnosisStack {
  diagnostician: Diagnostician;
  /** Post-incident summaries: kept in the database, written by the model when there is one (else the template). */
  summaries: { store: SummaryStore; writer?: SummaryWriter };
  memory: Memory;
  /** `anthropic`, `openai` or `offline`. */
  provider: string;
  /** Runbooks loaded at start-up. */
  runbookCount: number;
  /** Starts remembering incidents as they end. */
  attach(subscribe: (listener: IncidentListener) => () => void): void;
  /** Lets the last memories be written; before the ORM closes. */
  close(): Promise<void>;
}

export interface DiagnosisStackDeps {
  orm: MikroORM;
  plugins: PluginRegistry;
  targets: Targets;
  journal: StepJournal;
  logger: Logger;
  scrubber: Scrubber;
  /** Model calls and plugin runs are measured here when given. */
  metrics?: Metrics;
  /** The app's shared-state connection (REDIS_URL): the model's request rate is shared by every instance. */
  redis?: Redis;
}

/**
 * The model (or the offline engine), vector memory, and the runbooks both of them read. Runbooks are
 * loaded and embedded at start-up; a missing folder or an unreachable embeddings endpoint is logged and
 * the bot diagnoses without them rather than not starting.
 */
export async function createDiagnosisStack(config: Config, deps: DiagnosisStackDeps): Promise<DiagnosisStack> {
  const { orm, plugins, targets, journal, logger, scrubber, metrics } = deps;
  const llm = observeLlm(createLlm(config, logger, {}, deps.redis), metrics, { input: config.LLM_PRICE_INPUT, output: config.LLM_PRICE_OUTPUT });
  const memory = createMemory({ orm, embedder: createEmbedder(config) ?? new LocalEmbedder(), logger, defaultK: config.MEMORY_RECALL_K });
  const runbooks = await loadShippedRunbooks(config, memory, plugins, logger);
  const diagnostician = createDiagnostician(config, {
    llm,
    plugins,
    targets,
    runner: new PluginRunner({ targets, logger, cacheTtlMs: config.PLUGIN_CACHE_TTL, scrubber, onResult: metrics && ((plugin, result) => metrics.observePlugin(plugin, result)) }),
    journal,
    activity: new AgentActivityStore(orm),
    logger,
    recall: (alert, signal, options) => memory.recollect(alert, signal, options),
    pastFixes: memory.incidents,
    runbooks: {
      list: () => runbooks,
      similar: async (alert, signal) => (await memory.incidents.searchKnowledge(alertText(memoryAlertOf(alert)), 3, signal)).map(({ path, similarity }) => ({ path, similarity })),
    },
    scrub: (text) => scrubber.scrubText(text),
  });
  let detach: (() => void) | undefined;
  return {
    diagnostician,
    summaries: { store: new SummaryStore(orm), writer: llm && new SummaryWriter(llm, { scrub: (text) => scrubber.scrubText(text), logger }) },
    memory,
    provider: llm?.provider ?? 'offline',
    runbookCount: runbooks.length,
    attach(subscribe) {
      detach = memory.attach(subscribe);
    },
    async close() {
      detach?.();
      await memory.recorder.idle();
    },
  };
}

async function loadShippedRunbooks(config: Config, memory: Memory, plugins: PluginRegistry, logger: Logger): Promise<Runbook[]> {
  try {
    const { runbooks } = await memory.syncRunbooks(config.RUNBOOKS_DIR);
    for (const runbook of runbooks) {
      const problems = runbookPluginProblems(runbook, plugins);
      if (problems.length > 0) logger.warn({ runbook: runbook.path, problems }, 'runbook refers to plugins it cannot use');
    }
    return runbooks;
  } catch (error) {
    logger.warn({ err: error, dir: config.RUNBOOKS_DIR }, 'runbooks not loaded; diagnosing without them');
    return [];
  }
}
