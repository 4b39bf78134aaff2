import type { Logger } from 'pino';
import type { AgentRun, Alert, Diagnosis, ProposalOutcome } from '../domain';
import type { PluginRegistry } from '../plugins/registry';
import type { PluginRunner } from '../plugins/plugin-runner';
import type { StepJournal } from '../runtime/step-journal';
import type { AgentActivityStore } from '../store/agent-activity-store';
import { runAgentLoop } from './agent/agent-loop';
import type { AgentLoopResult, FinishTool, LoopHooks, LoopJournal, LoopLimits } from './agent/agent-loop';
import { confidenceFrom, diagnosisFinishTool } from './agent/diagnosis-submission';
import { diagnosisPrompt, diagnosisSystemPrompt, proposalPrompt, proposalSystemPrompt } from './agent/prompts';
import type { Recollection } from './agent/prompts';
import { proposalFinishTool } from './agent/proposal-submission';
import { ToolCatalog } from './agent/tool-catalog';
import type { Diagnostician, StepContext } from './diagnostician';
import type { LlmPort } from './llm-port';
import { costOf } from './pricing';
import type { Price } from './pricing';

/** Similar past incidents and runbooks for an alert (vector memory), the recalling incident left out; empty when memory is off. */
export type RecallFn = (alert: Alert, signal: AbortSignal, options: { exceptIncidentId: string }) => Promise<Recollection>;

export interface LlmDiagnosticianDeps {
  llm: LlmPort;
  plugins: PluginRegistry;
  runner: PluginRunner;
  journal: StepJournal;
  activity: AgentActivityStore;
  logger: Logger;
  limits: LoopLimits;
  recall?: RecallFn;
  /** Secret redaction applied to everything the model reads. */
  scrub?: (text: string) => string;
  price?: Price;
}

/**
 * Diagnosis and fix proposals by a model in an agent loop, with the diagnostic plugins as its tools.
 * The model proposes; code validates every choice and computes confidence; policy and people decide.
 */
export class LlmDiagnostician implements Diagnostician {
  private readonly scrub: (text: string) => string;

  constructor(private readonly deps: LlmDiagnosticianDeps) {
    this.scrub = deps.scrub ?? ((text) => text);
  }

  async diagnose(alert: Alert, ctx: StepContext): Promise<Diagnosis> {
    const recollection = await this.recall(alert, ctx);
    const result = await this.loop(ctx, 'diagnose', ToolCatalog.of(this.deps.plugins, 'diagnostic'), {
      system: diagnosisSystemPrompt(this.deps.limits.maxTurns),
      prompt: diagnosisPrompt(alert, recollection, this.scrub),
      finish: diagnosisFinishTool,
    });
    const { seenBefore } = recollection;
    return { ...(result.value ?? inconclusive(alert, result)), agent: this.agentRun(result), ...(seenBefore && { seenBefore }) };
  }

  async propose(alert: Alert, diagnosis: Diagnosis, ctx: StepContext): Promise<ProposalOutcome> {
    const remediation = ToolCatalog.of(this.deps.plugins, 'remediation');
    const diagnostic = ToolCatalog.of(this.deps.plugins, 'diagnostic');
    if (remediation.plugins().length === 0) return { fixable: false, reason: 'No remediation plugins are registered.' };
    const recollection = await this.recall(alert, ctx);
    const result = await this.loop(ctx, 'propose', diagnostic, {
      system: proposalSystemPrompt(this.deps.limits.maxTurns),
      prompt: proposalPrompt(alert, diagnosis, remediation.plugins(), recollection, this.scrub),
      finish: proposalFinishTool({ remediation, diagnostic }),
    });
    if (result.value?.fixable) return { fixable: true, proposal: { ...result.value.proposal, agent: this.agentRun(result) } };
    if (result.value) return result.value;
    const refused = result.rejections.at(-1);
    return { fixable: false, reason: `No valid fix was proposed (${result.stoppedBecause ?? 'stopped'})${refused ? `. Last proposal refused: ${refused}` : '.'}` };
  }

  private async loop<T>(ctx: StepContext, step: string, tools: ToolCatalog, task: { system: string; prompt: string; finish: FinishTool<T> }): Promise<AgentLoopResult<T>> {
    const { llm, runner, limits, logger } = this.deps;
    const result = await runAgentLoop({
      llm,
      ...task,
      tools,
      limits,
      journal: this.journalFor(ctx, step),
      runTool: (plugin, args, signal) => runner.run(plugin, args, signal, { logger: logger.child({ incidentId: ctx.incidentId }) }),
      scrub: this.scrub,
      hooks: this.auditHooks(ctx, step),
      signal: ctx.signal,
    });
    logger.info({ incidentId: ctx.incidentId, step, turns: result.turns, tools: result.facts.size, ...result.usage, stopped: result.stoppedBecause }, 'agent loop finished');
    return result;
  }

  private agentRun(result: AgentLoopResult<unknown>): AgentRun {
    const costUsd = costOf(result.paidUsage, this.deps.price);
    return {
      provider: this.deps.llm.provider,
      model: result.model ?? this.deps.llm.model,
      turns: result.turns,
      toolCalls: result.facts.size,
      ...result.usage,
      ...(costUsd !== undefined && { costUsd }),
    };
  }

  private journalFor(ctx: StepContext, step: string): LoopJournal {
    const { journal } = this.deps;
    return { once: (name, act) => journal.run({ incidentId: ctx.incidentId, attempt: ctx.attempt, step: `${step}/${name}` }, ctx.signal, act) };
  }

  /** Each turn and tool call lands in the audit timeline, once, from inside its journaled action. */
  private auditHooks(ctx: StepContext, step: string): LoopHooks {
    const { activity, llm, price } = this.deps;
    const base = { incidentId: ctx.incidentId, attempt: ctx.attempt, step };
    const key = (name: string) => `${ctx.incidentId}/${ctx.attempt}/${step}/${name}`;
    return {
      onModelTurn: ({ turn, response, durationMs }) =>
        activity.record({
          ...base,
          activityKey: key(`turn-${turn}`),
          kind: 'model_turn',
          provider: llm.provider,
          model: response.model,
          ...response.usage,
          costUsd: response.cached ? 0 : costOf(response.usage, price),
          durationMs,
          cached: response.cached ?? false,
          detail: { turn, stopReason: response.stopReason, toolCalls: response.toolCalls.map((c) => ({ id: c.id, name: c.name })) },
        }),
      onToolCall: (fact, call, elapsedMs) =>
        activity.record({
          ...base,
          activityKey: key(`tool-${fact.ref}`),
          kind: 'tool_call',
          durationMs: elapsedMs,
          detail: { ref: fact.ref, callId: call.id, pluginId: fact.pluginId, args: fact.args, status: fact.status, summary: fact.summary },
        }),
    };
  }

  private async recall(alert: Alert, ctx: StepContext): Promise<Recollection> {
    if (!this.deps.recall) return { incidents: [], knowledge: [] };
    try {
      return await this.deps.recall(alert, ctx.signal, { exceptIncidentId: ctx.incidentId });
    } catch (error) {
      ctx.signal.throwIfAborted();
      this.deps.logger.warn({ incidentId: ctx.incidentId, err: error }, 'memory recall failed; diagnosing without it');
      return { incidents: [], knowledge: [] };
    }
  }
}

/** The loop ended without an accepted diagnosis: say so, and keep what the tools found for people. */
function inconclusive(alert: Alert, result: AgentLoopResult<Diagnosis>): Diagnosis {
  const evidence = [...result.facts.values()].map((fact) => ({
    source: fact.pluginId,
    summary: fact.summary,
    status: fact.status,
    citation: { ref: fact.ref, toolSummary: fact.summary, observed: fact.observed },
  }));
  const { note } = confidenceFrom([], 0);
  return {
    summary: `No diagnosis was reached: ${result.stoppedBecause ?? 'the model stopped'}.`,
    rootCause: 'Unknown. The checks that ran are listed as evidence; a person should look.',
    category: 'unknown',
    severity: alert.severity,
    confidence: 0.1,
    confidenceNote: note,
    evidence,
  };
}
