import type { AgentRun } from '../../../domain';
import type { Translator } from '../../../i18n';
import { escapeMarkdown } from './untrusted-text';

/** `claude-sonnet-4-5 · 3 turns · 5 checks · 4,210 tokens · $0.0123` */
export function agentRunLine(run: AgentRun, tr: Translator): string {
  const cost = run.costUsd === undefined ? '' : ` · $${run.costUsd.toFixed(4)}`;
  return tr.t('card.agentRun', {
    model: escapeMarkdown(run.model, 100),
    turns: run.turns,
    checks: run.toolCalls,
    tokens: run.inputTokens + run.outputTokens,
    cost,
  });
}
