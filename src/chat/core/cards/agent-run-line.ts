import type { AgentRun } from '../../../domain';
import { escapeMarkdown } from './untrusted-text';

/** `claude-sonnet-4-5 · 3 turns · 5 checks · 4,210 tokens · $0.0123` */
export function agentRunLine(run: AgentRun): string {
  const tokens = (run.inputTokens + run.outputTokens).toLocaleString('en-US');
  const cost = run.costUsd === undefined ? '' : ` · $${run.costUsd.toFixed(4)}`;
  return `${escapeMarkdown(run.model, 100)} · ${run.turns} turn(s) · ${run.toolCalls} check(s) · ${tokens} tokens${cost}`;
}
