import { proposalCard } from '../chat/cards';
import type { PolicyDecision, SentMessage } from '../domain';
import { SYSTEM_ACTOR } from '../domain';
import type { IncidentStore } from '../store/incident-store';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';
import { incidentStep } from './incident-step';

/**
 * Policy over the proposal, the plugins and usage across instances. The decision and its reasons
 * land in the audit timeline (this step's output is the transition's payload) and beside the proposal.
 */
export function evaluatePolicy({ policy, records, incidentStore, logger }: ImplementationDeps) {
  return incidentStep<PolicyDecision, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    if (!ctx.proposal) throw new Error('No proposal to evaluate.');
    const decision = await policy.evaluate(ctx.proposal, {
      incidentId: ctx.incidentId,
      attempt: ctx.attempt,
      service: ctx.diagnosis?.affectedService ?? ctx.alert.service,
      requestedBy: await openedBy(incidentStore, ctx.incidentId),
      signal,
    });
    await records.saveDecision(ctx.incidentId, ctx.attempt, decision);
    logger.info({ incidentId: ctx.incidentId, action: decision.action, risk: decision.risk, reasons: decision.reasons }, 'policy decided');
    return decision;
  });
}

/** Whoever brought the alert in (a /diag, a pasted alert): the first audit row's actor. */
async function openedBy(store: IncidentStore, incidentId: string): Promise<string | undefined> {
  const [opened] = await store.timeline(incidentId);
  return opened && opened.actor !== SYSTEM_ACTOR.id ? opened.actor : undefined;
}

export function sendProposalCard({ journal, chat }: ImplementationDeps) {
  return incidentStep<SentMessage, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    return journal.run(stepKey(ctx, 'proposal-card'), signal, (key) => chat.postCard(ctx.chatId, proposalCard(ctx), key, { replyTo: ctx.alertMessageId }));
  });
}
