import type { Logger } from 'pino';
import { z } from 'zod';
import { DECISION_LABELS, isPersonEventType } from '../../../machines/incident.labels';
import { awaitingIn, cardDecidedBy, phaseOf } from '../../../machines/incident.view';
import type { DecisionCard } from '../../../machines/incident.view';
import { ActorSchema, DecisionSourceSchema } from '../../domain';
import type { I18n, Localized } from '../../i18n';
import type { IncidentChange, IncidentListener } from '../../runtime/incident-service';
import type { Card } from './card';
import type { ChatPort } from './chat-port';
import { diagnosisCard, proposalCard } from './cards';
import { decidedCard } from './decided-card';

/**
 * A decision typed as a command leaves its card with live buttons; this updates the card to show who
 * decided and drops the buttons. (A click is answered with the updated card in the callback itself.)
 */
export function updateCardsDecidedByCommand(subscribe: (listener: IncidentListener) => () => void, chat: ChatPort, logger: Logger, i18n: I18n) {
  return subscribe((change) => {
    const type = change.eventType;
    const card = cardDecidedBy(type);
    if (!card || !isPersonEventType(type)) return;
    const update = decidedCardFor(change, card, i18n);
    if (!update) return;
    chat.updateCard(update.messageId, update.card).catch((error: unknown) => {
      logger.warn({ err: error, incidentId: change.incidentId }, 'could not update the decided card');
    });
  });
}

function decidedCardFor(change: IncidentChange, subject: DecisionCard, i18n: I18n): { messageId: string; card: Localized<Card> } | undefined {
  const messageId = change.context.cards[subject];
  const parsed = DecisionSchema.safeParse(change.payload);
  // Card clicks were answered in place already; only typed decisions need the update.
  if (!messageId || !parsed.success || parsed.data.source.kind === 'card' || !isPersonEventType(change.eventType)) return undefined;
  const verb = DECISION_LABELS[change.eventType].done;
  // A fix still short of approvers keeps its buttons; the card shows who approved so far.
  const stillAsking = awaitingIn(phaseOf(change.toState)) === 'proposal';
  const by = parsed.data.by.name ?? parsed.data.by.id;
  const at = new Date();
  const card = i18n.both((tr) => {
    const current = subject === 'diagnosis' ? diagnosisCard(change.context, tr) : proposalCard(change.context, tr);
    return stillAsking ? current : decidedCard(current, { verb: tr.label(verb), by, at }, tr);
  });
  return { messageId, card };
}

const DecisionSchema = z.object({ by: ActorSchema, source: DecisionSourceSchema });
