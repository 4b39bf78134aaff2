import type { AnyPlugin } from '../../plugins/plugin';
import { answered } from '../../plugins/run-plugin';
import type { PluginRunResult } from '../../plugins/run-plugin';
import type { ChatMessage, ChatResponse, LlmPort, ToolCall, ToolResult, ToolSpec } from '../llm-port';
import type { ToolCatalog } from './tool-catalog';
import { truncate } from './untrusted';

/** What one tool call of the loop produced, under the reference the model cites it by. */
export interface ToolFact {
  ref: string;
  pluginId: string;
  args: Record<string, unknown>;
  status: PluginRunResult['status'];
  summary: string;
  /** The plugin looked and answered (see `answered`). */
  observed: boolean;
}

/** The tool that ends the loop: its input is the loop's answer, checked by code before it is accepted. */
export interface FinishTool<T> {
  spec: ToolSpec;
  /** An error message goes back to the model so it can correct itself. */
  accept(input: Record<string, unknown>, facts: ReadonlyMap<string, ToolFact>): { ok: true; value: T } | { ok: false; error: string };
}

export interface LoopLimits {
  maxTurns: number;
  /** Input plus output tokens over all turns. */
  maxTotalTokens: number;
  maxTokensPerTurn: number;
  maxToolCallsPerTurn: number;
  /** Characters of one tool result the model sees. */
  toolOutputLimit: number;
}

/** Runs an action at most once per name across restarts (the step journal in production). */
export interface LoopJournal {
  once<T>(name: string, act: () => Promise<T>): Promise<T>;
}

export interface ModelTurn {
  turn: number;
  response: ChatResponse;
  durationMs: number;
}

export interface LoopHooks {
  /** Inside the journaled action: recorded once, with the call it describes. */
  onModelTurn?(turn: ModelTurn): Promise<void>;
  onToolCall?(fact: ToolFact, call: ToolCall, elapsedMs: number): Promise<void>;
}

export interface AgentLoopInput<T> {
  llm: LlmPort;
  system: string;
  prompt: string;
  tools: ToolCatalog;
  finish: FinishTool<T>;
  limits: LoopLimits;
  journal: LoopJournal;
  runTool(plugin: AnyPlugin, args: Record<string, unknown>, signal: AbortSignal): Promise<PluginRunResult>;
  /** Applied to every tool output before the model sees it (secret redaction). */
  scrub(text: string): string;
  hooks?: LoopHooks;
  signal: AbortSignal;
}

export interface AgentLoopResult<T> {
  value?: T;
  /** Why the loop stopped without an accepted answer. */
  stoppedBecause?: string;
  /** Rejected answers, newest last: what the model tried that code refused. */
  rejections: string[];
  facts: ReadonlyMap<string, ToolFact>;
  turns: number;
  /** Tokens of every turn, cached answers included (they cost nothing: see `paidUsage`). */
  usage: { inputTokens: number; outputTokens: number };
  /** Tokens of turns the provider really answered, for cost. */
  paidUsage: { inputTokens: number; outputTokens: number };
  /** The model that answered the last turn. */
  model?: string;
}

/**
 * The agent loop: the model gathers evidence with tools (a turn's calls run in parallel) until it
 * answers through the finish tool. Every model turn and tool run is journaled, so a restart mid-loop
 * replays what was paid for and run instead of repeating it; replay is deterministic because each
 * request is built only from journaled answers.
 */
export async function runAgentLoop<T>(input: AgentLoopInput<T>): Promise<AgentLoopResult<T>> {
  const { limits } = input;
  const messages: ChatMessage[] = [{ role: 'user', content: input.prompt }];
  const facts = new Map<string, ToolFact>();
  const rejections: string[] = [];
  const usage = { inputTokens: 0, outputTokens: 0 };
  const paidUsage = { inputTokens: 0, outputTokens: 0 };
  let model: string | undefined;
  const ended = (turns: number, outcome: { value: T } | { stoppedBecause: string }): AgentLoopResult<T> => ({
    ...outcome,
    rejections,
    facts,
    turns,
    usage,
    paidUsage,
    ...(model && { model }),
  });
  const allTools = [...input.tools.specs, input.finish.spec];

  for (let turn = 1; turn <= limits.maxTurns; turn++) {
    // On the last turn only the finish tool is offered: the model must answer now.
    const response = await askModel(input, turn, messages, turn === limits.maxTurns ? [input.finish.spec] : allTools);
    usage.inputTokens += response.usage.inputTokens;
    usage.outputTokens += response.usage.outputTokens;
    if (!response.cached) {
      paidUsage.inputTokens += response.usage.inputTokens;
      paidUsage.outputTokens += response.usage.outputTokens;
    }
    model = response.model;
    messages.push({ role: 'assistant', text: response.text, toolCalls: response.toolCalls });

    if (response.toolCalls.length === 0) {
      messages.push({ role: 'user', content: `Answer by calling ${input.finish.spec.name}; plain text is not read.` });
      continue;
    }
    const finishCall = response.toolCalls.find((call) => call.name === input.finish.spec.name);
    const results: ToolResult[] = [];
    if (finishCall) {
      const verdict = input.finish.accept(finishCall.input, facts);
      if (verdict.ok) return ended(turn, { value: verdict.value });
      rejections.push(verdict.error);
      results.push({ callId: finishCall.id, content: `Not accepted: ${verdict.error}`, isError: true });
    }
    const calls = response.toolCalls.filter((call) => call !== finishCall);
    results.push(...(await runCalls(input, turn, calls, facts)));
    messages.push({ role: 'tool', results });

    if (usage.inputTokens + usage.outputTokens >= limits.maxTotalTokens) {
      return ended(turn, { stoppedBecause: `the token budget (${limits.maxTotalTokens}) ran out after ${turn} turn(s)` });
    }
  }
  return ended(limits.maxTurns, { stoppedBecause: `no accepted answer within ${limits.maxTurns} turns` });
}

/** One model turn, journaled: a replay returns the recorded answer instead of asking (and paying) again. */
function askModel<T>(input: AgentLoopInput<T>, turn: number, messages: ChatMessage[], tools: ToolSpec[]): Promise<ChatResponse> {
  return input.journal.once(`turn-${turn}`, async () => {
    const startedAt = performance.now();
    const answer = await input.llm.chat({
      system: input.system,
      messages,
      tools,
      maxTokens: input.limits.maxTokensPerTurn,
      signal: input.signal,
    });
    await input.hooks?.onModelTurn?.({ turn, response: answer, durationMs: Math.round(performance.now() - startedAt) });
    return answer;
  });
}

async function runCalls<T>(input: AgentLoopInput<T>, turn: number, calls: ToolCall[], facts: Map<string, ToolFact>): Promise<ToolResult[]> {
  const allowed = calls.slice(0, input.limits.maxToolCallsPerTurn);
  const refused = calls.slice(input.limits.maxToolCallsPerTurn).map((call) => ({
    callId: call.id,
    content: `Not run: at most ${input.limits.maxToolCallsPerTurn} tool calls per turn.`,
    isError: true,
  }));
  // References are assigned in call order before anything runs, so a replay numbers them the same way.
  const numbered = allowed.map((call, index) => ({ call, ref: `E${facts.size + index + 1}` }));
  const results = await Promise.all(numbered.map(({ call, ref }) => runCall(input, turn, call, ref)));
  for (const { fact } of results) if (fact) facts.set(fact.ref, fact);
  return [...results.map(({ result }) => result), ...refused];
}

async function runCall<T>(input: AgentLoopInput<T>, turn: number, call: ToolCall, ref: string): Promise<{ result: ToolResult; fact?: ToolFact }> {
  const plugin = input.tools.plugin(call.name);
  if (!plugin) return { result: { callId: call.id, content: `Unknown tool ${call.name}: nothing was run.`, isError: true } };
  if (call.inputError) return { result: { callId: call.id, content: `Not run: the arguments were not valid JSON (${call.inputError}).`, isError: true } };
  const outcome = await input.journal.once(`turn-${turn}/${ref}`, async () => {
    const result = await input.runTool(plugin, call.input, input.signal);
    const fact: ToolFact = { ref, pluginId: plugin.id, args: call.input, status: result.status, summary: input.scrub(result.summary), observed: answered(result) };
    const content = input.scrub(JSON.stringify({ ref, status: result.status, summary: result.summary, data: result.data ?? null }));
    await input.hooks?.onToolCall?.(fact, call, result.elapsedMs);
    return { fact, content };
  });
  const content = truncate(outcome.content, input.limits.toolOutputLimit);
  return { result: { callId: call.id, content, isError: outcome.fact.status === 'error' }, fact: outcome.fact };
}
