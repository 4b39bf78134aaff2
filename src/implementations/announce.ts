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
import { postSummary } from './summary';
import { ENGLISH_UTC } from '../i18n';
import type { Localized, Translator } from '../i18n';

export function announce(deps: ImplementationDeps) {
  const { journal, chat } = deps;
  return incidentStep<SentMessage, AnnouncementInput>(async ({ system, signal, input }) => {
    const ctx = incidentContext(system);
    if (input.outcome === 'recovered') await settleOpenCard(deps, ctx);
    const sent = await journal.step(stepKey(ctx, `announce-${input.outcome}`), signal, async (key) =>
      chat.postCard(ctx.chatId, announcement(deps, ctx, input.outcome), key, { replyTo: await threadOf(deps, ctx) }),
    );
    if (input.outcome === 'escalated') await sendUrgent(deps, ctx, sent.messageId, signal);
    await postSummary(deps, ctx, input.outcome, signal);
    return sent;
  });
}

/** An escalation @-mentions whoever is on call to take it over. */
function announcement({ policy, i18n = ENGLISH_UTC }: ImplementationDeps, ctx: ReadyContext, outcome: AnnouncementInput['outcome']): Localized<Card> {
  const rules = policy.rules;
  const mentions = outcome === 'escalated' ? onCallPeople(rules, escalationDeciders(rules), new Date()) : [];
  return i18n.both((tr) => withMentions(outcomeCard(ctx, outcome, tr), mentions));
}

/**
 * A card still asking a question (confirm the diagnosis, approve the fix) loses its buttons and says the
 * alerts recovered. Updating a card to the same content is harmless, so a re-run may do it again.
 */
async function settleOpenCard({ chat, logger, i18n = ENGLISH_UTC }: ImplementationDeps, ctx: ReadyContext): Promise<void> {
  const messageId = openCardId(ctx);
  if (!messageId) return;
  const at = new Date();
  const card = i18n.both((tr) => {
    const recovered = { verb: tr.t('card.decided.recovered'), by: tr.t('card.decided.monitoring'), at };
    return decidedCard(openCard(ctx, tr), recovered, tr);
  });
  try {
    await chat.updateCard(messageId, card);
  } catch (error) {
    // The announcement below still tells the chat; a stale card is not worth failing the recovery for.
    logger.warn({ err: error, incidentId: ctx.incidentId }, 'could not update the open card after recovery');
  }
}

/** The card still asking a question: the fix's, else the diagnosis's. */
function openCardId(ctx: ReadyContext): string | undefined {
  if (ctx.cards.proposal && ctx.proposal && ctx.decision && !ctx.approvals.proposal) return ctx.cards.proposal;
  if (ctx.cards.diagnosis && ctx.diagnosis && !ctx.approvals.diagnosis) return ctx.cards.diagnosis;
  return undefined;
}

function openCard(ctx: ReadyContext, tr: Translator): Card {
  return openCardId(ctx) === ctx.cards.proposal ? proposalCard(ctx, tr) : diagnosisCard(ctx, tr);
}
