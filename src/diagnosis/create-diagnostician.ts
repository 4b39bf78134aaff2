import type { Logger } from 'pino';
import type { Config } from '../config';
import type { PluginRegistry } from '../plugins/registry';
import type { PluginRunner } from '../plugins/plugin-runner';
import type { Targets } from '../plugins/targets';
import type { StepJournal } from '../runtime/step-journal';
import type { AgentActivityStore } from '../store/agent-activity-store';
import type { Diagnostician } from './diagnostician';
import { LlmDiagnostician } from './llm-diagnostician';
import type { RecallFn } from './llm-diagnostician';
import type { LlmPort } from './llm-port';
import { PastFixDiagnostician } from './offline/past-fix-diagnostician';
import type { PastFixes } from './offline/past-fix-diagnostician';
import { RunbookDiagnostician } from './offline/runbook-diagnostician';
import type { RunbookSource } from './offline/runbook-diagnostician';
import { priceOf } from './pricing';

export interface DiagnosticianDeps {
  /** Undefined: the offline runbook engine. */
  llm?: LlmPort;
  plugins: PluginRegistry;
  targets: Targets;
  runner: PluginRunner;
  journal: StepJournal;
  activity: AgentActivityStore;
  logger: Logger;
  recall?: RecallFn;
  /** Past incidents by id (memory): the offline engine proposes a verified past fix again. */
  pastFixes?: PastFixes;
  runbooks?: RunbookSource;
  scrub?: (text: string) => string;
}

/** The agent loop when a model is configured, the offline runbook engine otherwise. */
export function createDiagnostician(config: Config, deps: DiagnosticianDeps): Diagnostician {
  const { llm, plugins, targets, runner, logger } = deps;
  if (!llm) {
    const engine = new RunbookDiagnostician(plugins, targets, runner, logger, deps.runbooks);
    if (!deps.recall) return engine;
    return new PastFixDiagnostician(engine, { recall: deps.recall, ...(deps.pastFixes && { pastFixes: deps.pastFixes }), plugins, logger });
  }
  return new LlmDiagnostician({
    ...deps,
    llm,
    limits: {
      maxTurns: config.LLM_MAX_TURNS,
      maxTotalTokens: config.LLM_MAX_TOKENS_PER_STEP,
      maxTokensPerTurn: config.LLM_MAX_OUTPUT_TOKENS,
      maxToolCallsPerTurn: config.LLM_MAX_TOOL_CALLS_PER_TURN,
      toolOutputLimit: config.LLM_TOOL_OUTPUT_LIMIT,
    },
    price: priceOf(llm.model, { input: config.LLM_PRICE_INPUT, output: config.LLM_PRICE_OUTPUT }),
  });
}
