import type { AlertInput } from '../../src/domain';
import { AlertSchema } from '../../src/domain';
import type { Diagnostician } from '../../src/diagnosis/diagnostician';
import { LlmDiagnostician } from '../../src/diagnosis/llm-diagnostician';
import type { RecallFn } from '../../src/diagnosis/llm-diagnostician';
import type { LoopLimits } from '../../src/diagnosis/agent/agent-loop';
import { AnthropicLlm } from '../../src/diagnosis/providers/anthropic';
import { OpenAiLlm } from '../../src/diagnosis/providers/openai';
import { ResilientLlm } from '../../src/diagnosis/resilient-llm';
import type { ResilienceOptions } from '../../src/diagnosis/resilient-llm';
import { AgentActivityStore } from '../../src/store/agent-activity-store';
import type { DiagnosticianFactoryDeps } from './workflow-harness';

export const TEST_LIMITS: LoopLimits = { maxTurns: 6, maxTotalTokens: 200_000, maxTokensPerTurn: 2_048, maxToolCallsPerTurn: 4, toolOutputLimit: 4_000 };

/** Retries without waiting, no response cache (each scripted reply is meant to be requested). */
const FAST: ResilienceOptions = { sleep: () => Promise.resolve(), cacheTtlMs: 0, maxRetries: 2 };

export function anthropicLlm(baseURL: string, options: ResilienceOptions = {}): ResilientLlm {
  return new ResilientLlm(new AnthropicLlm({ apiKey: 'sk-ant-test', baseURL, model: 'claude-sonnet-5-5', timeoutMs: 5_000 }), { ...FAST, ...options });
}

export function openAiLlm(baseURL: string, options: ResilienceOptions = {}): ResilientLlm {
  return new ResilientLlm(new OpenAiLlm({ apiKey: 'sk-test', baseURL, model: 'gpt-4o-mini', timeoutMs: 5_000 }), { ...FAST, ...options });
}

/** The LLM agent loop as the app builds it, against whatever provider `llm` reaches. */
export function llmDiagnostician(llm: ResilientLlm, extra: { recall?: RecallFn; limits?: Partial<LoopLimits> } = {}) {
  return (deps: DiagnosticianFactoryDeps): Diagnostician =>
    new LlmDiagnostician({
      llm,
      plugins: deps.plugins,
      runner: deps.runner,
      journal: deps.journal,
      activity: new AgentActivityStore(deps.orm),
      logger: deps.logger,
      limits: { ...TEST_LIMITS, ...extra.limits },
      recall: extra.recall,
      price: { input: 3, output: 15 },
    });
}

export function alertFor(service: string, extra: Partial<AlertInput> = {}) {
  return AlertSchema.parse({ source: 'test', fingerprint: `fp-${service}-${Math.random()}`, title: `${service} health check failing`, severity: 'high', service, ...extra });
}
