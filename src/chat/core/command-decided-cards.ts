import type { Logger } from 'pino';
import { z } from 'zod';
import { ActorSchema, DecisionSourceSchema } from '../../domain';
import type { IncidentChange, IncidentListener } from '../../runtime/incident-service';
import type { ChatPort } from './chat-port';
import { diagnosisCard, proposalCard } from './cards';
import { decidedCard } from './decided-card';

const DECISIONS: Record<string, { subject: 'diagnosis' | 'proposal'; verb: string }> = {
  'diagnosis.approved': { subject: 'diagnosis', verb: 'Approved' },
  'diagnosis.rejected': { subject: 'diagnosis', verb: 'Rejected' },
  'proposal.approved': { subject: 'proposal', verb: 'Approved' },
  'proposal.rejected': { subject: 'proposal', verb: 'Rejected' },
};

/**
 * A decision typed as a command leaves its card with live buttons; this updates the card to show who
 * decided and drops the buttons. (A click is answered with the updated card in the callback itself.)
 */
export function updateCardsDecidedByCommand(subscribe: (listener: IncidentListener) => () => void, chat: ChatPort, logger: Logger) {
  return subscribe((change) => {
    const decided = DECISIONS[change.eventType];
    if (!decided) return;
    const update = decidedCardFor(change, decided.subject, decided.verb);
    if (!update) return;
    chat.updateCard(update.messageId, update.card).catch((error: unknown) => {
      logger.warn({ err: error, incidentId: change.incidentId }, 'could not update the decided card');
    });
  });
}

function decidedCardFor(change: IncidentChange, subject: 'diagnosis' | 'proposal', verb: string) {
  const messageId = change.context.cards[subject];
  const parsed = DecisionSchema.safeParse(change.payload);
  // Card clicks were answered in place already; only typed decisions need the update.
  if (!messageId || !parsed.success || parsed.data.source.kind === 'card') return undefined;
  const card = subject === 'diagnosis' ? diagnosisCard(change.context) : proposalCard(change.context);
  // A fix still short of approvers keeps its buttons; the card shows who approved so far.
  if (change.toState === 'open.awaitingProposalApproval') return { messageId, card };
  const by = parsed.data.by.name ?? parsed.data.by.id;
  return { messageId, card: decidedCard(card, { verb, by, at: new Date() }) };
}

const DecisionSchema = z.object({ by: ActorSchema, source: DecisionSourceSchema });
