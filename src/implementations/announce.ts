import type { Card } from '../chat/core/card';
import { diagnosisCard, outcomeCard, proposalCard, withMentions } from '../chat/core/cards';
import { decidedCard } from '../chat/core/decided-card';
import type { AnnouncementInput, SentMessage } from '../domain';
import type { ImplementationDeps } from './deps';
import { incidentContext, stepKey } from './incident-context';
import type { ReadyContext } from './incident-context';
import { incidentStep } from './incident-step';
import { escalationDeciders, onCallPeople } from '../policy/oncall-mentions';
import { threadOf } from './thread';
import { sendUrgent } from './urgent';

export function announce(deps: ImplementationDeps) {
  const { journal, chat } = deps;
  return incidentStep<SentMessage, AnnouncementInput>(async ({ system, signal, input }) => {
    const ctx = incidentContext(system);
    if (input.outcome === 'recovered') await settleOpenCard(deps, ctx);
    const sent = await journal.step(stepKey(ctx, `announce-${input.outcome}`), signal, async (key) =>
      chat.postCard(ctx.chatId, announcement(deps, ctx, input.outcome), key, { replyTo: await threadOf(deps, ctx) }),
    );
    if (input.outcome === 'escalated') await sendUrgent(deps, ctx, sent.messageId, signal);
    return sent;
  });
}

/** An escalation @-mentions whoever is on call to take it over. */
function announcement({ policy }: ImplementationDeps, ctx: ReadyContext, outcome: AnnouncementInput['outcome']): Card {
  const card = outcomeCard(ctx, outcome);
  if (outcome !== 'escalated') return card;
  const rules = policy.rules;
  return withMentions(card, onCallPeople(rules, escalationDeciders(rules), new Date()));
}

/**
 * A card still asking a question (confirm the diagnosis, approve the fix) loses its buttons and says the
 * alerts recovered. Updating a card to the same content is harmless, so a re-run may do it again.
 */
async function settleOpenCard({ chat, logger }: ImplementationDeps, ctx: ReadyContext): Promise<void> {
  const open = openCard(ctx);
  if (!open) return;
  try {
    await chat.updateCard(open.messageId, decidedCard(open.card, { verb: 'Recovered at source', by: 'monitoring', at: new Date() }));
  } catch (error) {
    // The announcement below still tells the chat; a stale card is not worth failing the recovery for.
    logger.warn({ err: error, incidentId: ctx.incidentId }, 'could not update the open card after recovery');
  }
}

function openCard(ctx: ReadyContext): { messageId: string; card: Card } | undefined {
  if (ctx.cards.proposal && ctx.proposal && ctx.decision && !ctx.approvals.proposal) return { messageId: ctx.cards.proposal, card: proposalCard(ctx) };
  if (ctx.cards.diagnosis && ctx.diagnosis && !ctx.approvals.diagnosis) return { messageId: ctx.cards.diagnosis, card: diagnosisCard(ctx) };
  return undefined;
}
