import { fromPromise } from 'xstate';
import { proposalCard } from '../chat/cards';
import type { PolicyDecision, SentMessage } from '../domain';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';

/** Pure code over the proposal and the plugin registry; recorded beside the proposal for audit. */
export function evaluatePolicy({ policy, records }: ImplementationDeps) {
  return fromPromise<PolicyDecision, void>(async ({ system }) => {
    const ctx = incidentContext(system);
    if (!ctx.proposal) throw new Error('No proposal to evaluate.');
    const decision = policy.evaluate(ctx.proposal);
    await records.saveDecision(ctx.incidentId, ctx.attempt, decision);
    return decision;
  });
}

export function sendProposalCard({ journal, chat }: ImplementationDeps) {
  return fromPromise<SentMessage, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    return journal.run(stepKey(ctx, 'proposal-card'), signal, (key) => chat.postCard(ctx.chatId, proposalCard(ctx), key, { replyTo: ctx.alertMessageId }));
  });
}
