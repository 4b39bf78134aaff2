import { proposalCard, withMentions } from '../chat/core/cards';
import { deciderMentions, proposalDeciders } from '../policy/oncall-mentions';
import type { FixProposal, PolicyDecision, SentMessage } from '../domain';
import { SYSTEM_ACTOR } from '../domain';
import { ExecutionPolicy } from '../policy/execution-policy';
import type { EvaluationContext } from '../policy/execution-policy';
import { MemoryUsage, UsageUnavailableError } from '../policy/usage';
import type { IncidentStore } from '../store/incident-store';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';
import { incidentStep } from './incident-step';
import { threadOf } from './thread';
import { ENGLISH_UTC } from '../i18n';

/**
 * Policy over the proposal, the plugins and usage across instances. The decision and its reasons
 * land in the audit timeline (this step's output is the transition's payload) and beside the proposal.
 */
export function evaluatePolicy(deps: ImplementationDeps) {
  const { records, incidentStore, logger } = deps;
  return incidentStep<PolicyDecision, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    if (!ctx.proposal) throw new Error('No proposal to evaluate.');
    const context: EvaluationContext = {
      incidentId: ctx.incidentId,
      attempt: ctx.attempt,
      service: ctx.diagnosis?.affectedService ?? ctx.alert.service,
      requestedBy: await openedBy(incidentStore, ctx.incidentId),
      signal,
    };
    const decision = await evaluateOrAskPeople(deps, ctx.proposal, context);
    await records.saveDecision(ctx.incidentId, ctx.attempt, decision);
    logger.info({ incidentId: ctx.incidentId, action: decision.action, risk: decision.risk, reasons: decision.reasons }, 'policy decided');
    return decision;
  });
}

/**
 * The policy's decision; when the shared usage store stayed unreachable through its retries, the same
 * policy with automatic execution off. A Redis outage then neither escalates the incident nor lets a fix
 * run unchecked against its quotas: it goes to people for approval, as any fix outside the quotas does.
 */
async function evaluateOrAskPeople({ policy, plugins, targets, logger, i18n }: ImplementationDeps, proposal: FixProposal, context: EvaluationContext): Promise<PolicyDecision> {
  try {
    return await policy.evaluate(proposal, context);
  } catch (error) {
    if (!(error instanceof UsageUnavailableError)) throw error;
    logger.warn({ err: error, incidentId: context.incidentId }, 'usage quotas unavailable; a person decides on this fix');
    // A claim whose answer was lost may have counted this run in Redis: a quota a little tighter, never looser.
    const rules = policy.rules;
    const manual = { ...rules, autoExecute: { ...rules.autoExecute, upTo: 'none' as const } };
    const fallback = new ExecutionPolicy({ plugins, targets, rules: () => manual, usage: new MemoryUsage(), logger, i18n });
    // Quotas left are unknown: show none rather than the empty in-memory counts.
    const { quotas: _unknown, ...decision } = await fallback.evaluate(proposal, { ...context, claim: false });
    const why = (i18n ?? ENGLISH_UTC).text('policy.reason.quotasUnknown', { detail: error.message });
    return { ...decision, reasons: [why, ...decision.reasons] };
  }
}

/** Whoever brought the alert in (a /diag, a pasted alert): the first audit row's actor. */
async function openedBy(store: IncidentStore, incidentId: string): Promise<string | undefined> {
  const [opened] = await store.timeline(incidentId);
  return opened && opened.actor !== SYSTEM_ACTOR.id ? opened.actor : undefined;
}

export function sendProposalCard(deps: ImplementationDeps) {
  const { journal, chat, policy } = deps;
  return incidentStep<SentMessage, void>(async ({ system, signal }) => {
    const ctx = incidentContext(system);
    return journal.step(stepKey(ctx, 'proposal-card'), signal, async (key) => {
      const rules = policy.rules;
      const deciders = ctx.decision ? deciderMentions(rules, proposalDeciders(rules, ctx.decision), new Date()) : [];
      const card = (deps.i18n ?? ENGLISH_UTC).both((tr) => withMentions(proposalCard(ctx, tr), deciders));
      return chat.postCard(ctx.chatId, card, key, { replyTo: await threadOf(deps, ctx) });
    });
  });
}
