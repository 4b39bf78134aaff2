import type { Logger } from 'pino';
import { z } from 'zod';
import { DECISION_LABELS, isPersonEventType } from '../../../machines/incident.labels';
import { awaitingIn, cardDecidedBy, phaseOf } from '../../../machines/incident.view';
import type { DecisionCard } from '../../../machines/incident.view';
import { ActorSchema, DecisionSourceSchema } from '../../domain';
import type { IncidentChange, IncidentListener } from '../../runtime/incident-service';
import type { ChatPort } from './chat-port';
import { diagnosisCard, proposalCard } from './cards';
import { decidedCard } from './decided-card';
import { verbatim } from '../../i18n';

/**
 * A decision typed as a command leaves its card with live buttons; this updates the card to show who
 * decided and drops the buttons. (A click is answered with the updated card in the callback itself.)
 */
export function updateCardsDecidedByCommand(subscribe: (listener: IncidentListener) => () => void, chat: ChatPort, logger: Logger) {
  return subscribe((change) => {
    const type = change.eventType;
    const card = cardDecidedBy(type);
    if (!card || !isPersonEventType(type)) return;
    const update = decidedCardFor(change, card, DECISION_LABELS[type].done.en);
    if (!update) return;
    chat.updateCard(update.messageId, verbatim(update.card)).catch((error: unknown) => {
      logger.warn({ err: error, incidentId: change.incidentId }, 'could not update the decided card');
    });
  });
}

function decidedCardFor(change: IncidentChange, subject: DecisionCard, verb: string) {
  const messageId = change.context.cards[subject];
  const parsed = DecisionSchema.safeParse(change.payload);
  // Card clicks were answered in place already; only typed decisions need the update.
  if (!messageId || !parsed.success || parsed.data.source.kind === 'card') return undefined;
  const card = subject === 'diagnosis' ? diagnosisCard(change.context) : proposalCard(change.context);
  // A fix still short of approvers keeps its buttons; the card shows who approved so far.
  if (awaitingIn(phaseOf(change.toState)) === 'proposal') return { messageId, card };
  const by = parsed.data.by.name ?? parsed.data.by.id;
  return { messageId, card: decidedCard(card, { verb, by, at: new Date() }) };
}

const DecisionSchema = z.object({ by: ActorSchema, source: DecisionSourceSchema });
