import type { Logger } from 'pino';
import { approvalsNeeded } from '../../domain';
import type { IncidentEvent } from '../../domain';
import type { DecisionAccess } from '../../policy/access';
import { PERSON_EVENT_TYPES } from '../../runtime/incident-events';
import { EventNotAcceptedError, InvalidInputError, UnknownIncidentError } from '../../domain/errors';
import type { IncidentService, IncidentView } from '../../runtime/incident-service';
import type { Card } from './card';
import { diagnosisCard, outcomeCard, proposalCard } from './cards';
import type { ChatPort } from './chat-port';
import { decidedCard } from './decided-card';
import type { CardClick, ClickAnswer } from './chat-message';
import { IncidentBusyError } from '../../domain/errors';
import { FinishesLater } from './claimed-work';
import { settleWithin } from '../../intake/settle-within';
import { CARD_LABELS, DECISION_LABELS } from '../../../machines/incident.labels';
import { cardDecidedBy, cardStanding } from '../../../machines/incident.view';
import { verbatim } from '../../i18n';

/**
 * A click on a card's button becomes the incident event it stands for. The runtime decides whether
 * it is accepted; the checks here only make a refusal fast and say why in words.
 */

type PersonEvent = Extract<IncidentEvent, { by: unknown }>;
type PersonEventType = PersonEvent['type'];

/** What the card shows once decided, e.g. "Fix approved". */
const doneText = (type: PersonEventType): string => DECISION_LABELS[type].done.en;

function isPersonEventType(action: string): action is PersonEventType {
  return (PERSON_EVENT_TYPES as string[]).includes(action);
}

export interface CardClickDeps {
  service: IncidentService;
  chat: ChatPort;
  /** Who may decide what: the same check typed commands get. */
  access: DecisionAccess;
  logger: Logger;
  /** Lark gives a callback 3 s; past this the click is answered and finished in the background. */
  answerBudgetMs: number;
  /** Runs `work` after the answer; resolves true once it succeeded. */
  inBackground(what: string, work: () => Promise<unknown>): Promise<boolean>;
}

const toast = (type: ClickAnswer['toast']['type'], content: string): ClickAnswer => ({ toast: { type, content: verbatim(content) } });

/** The card the person clicked, rebuilt from the incident; undefined when the incident lacks what it shows. */
function cardClicked(type: PersonEventType, view: IncidentView): Card | undefined {
  try {
    const card = cardDecidedBy(type);
    if (card === 'diagnosis') return diagnosisCard(view.context);
    if (card === 'proposal') return proposalCard(view.context);
    return outcomeCard(view.context, view.workflow.phase === 'resolved' ? 'resolved' : 'escalated');
  } catch {
    return undefined;
  }
}

/** Why the click cannot apply, judged from the incident before sending; null when the runtime should decide. */
function earlyRefusal(click: CardClick, type: PersonEventType, view: IncidentView): string | null {
  const card = cardDecidedBy(type);
  const standing = cardStanding(view.context, { card, messageId: click.messageId, attempt: click.attempt });
  if (standing === 'olderAttempt') {
    return `This card was made for attempt ${click.attempt} of ${view.id}, which is on attempt ${view.context.attempt} now; use the newest card.`;
  }
  if (card) {
    if (standing === 'replaced') return `This card is out of date: a newer ${CARD_LABELS[card].en} card was posted for ${view.id}.`;
    const approval = view.context.approvals[card];
    if (approval) return `The ${CARD_LABELS[card].en} of ${view.id} was already approved by ${approval.by.name ?? approval.by.id}.`;
  }
  if (view.status === 'done') return `${view.id} is closed (${view.workflow.label.en}); this button no longer applies.`;
  return null;
}

function refusalText(error: EventNotAcceptedError): string {
  return `${error.incidentId} has moved on (now: ${error.stateLabel}); this button no longer applies.`;
}

function answerForFailure(error: unknown): ClickAnswer {
  if (error instanceof EventNotAcceptedError) return toast('warning', refusalText(error));
  if (error instanceof UnknownIncidentError) return toast('warning', `No incident ${error.incidentId}.`);
  if (error instanceof InvalidInputError) return toast('error', `Not accepted: ${error.message}`);
  if (error instanceof IncidentBusyError) return toast('warning', error.message);
  throw error;
}

/**
 * Answers a click within the budget: decided card on success, a toast saying why on refusal. A click
 * still being applied when the budget runs out is answered with a toast and finishes later.
 */
export async function handleCardClick(deps: CardClickDeps, click: CardClick): Promise<ClickAnswer | FinishesLater<ClickAnswer>> {
  if (!isPersonEventType(click.action)) return toast('error', 'This button is not one I know. Use /status to see what the incident accepts.');
  const type = click.action;
  const before = await deps.service.get(click.incidentId);
  if (!before) return toast('warning', `No incident ${click.incidentId}.`);
  const verdict = deps.access.check(click.operatorId, type, before.context);
  if (!verdict.allowed) return toast('error', verdict.reason);
  const refusal = earlyRefusal(click, type, before);
  if (refusal) return toast('warning', refusal);

  const event: PersonEvent = { type, by: { id: click.operatorId }, source: { kind: 'card', messageId: click.messageId } };
  const decided = (after: IncidentView): Card | undefined => {
    // A fix short of approvers keeps its buttons and shows who approved so far.
    if (stillWaitingForApprovers(type, after)) return cardClicked(type, after);
    const card = type === 'proposal.approved' ? cardClicked(type, after) : (cardClicked(type, before) ?? cardClicked(type, after));
    return card && decidedCard(card, { verb: doneText(type), by: click.operatorId, at: new Date() });
  };
  const sending = deps.service.send(click.incidentId, event);
  const settled = await settleWithin(sending, deps.answerBudgetMs);

  if (settled.kind === 'late') {
    const done = deps.inBackground(`card click ${type} on ${click.incidentId}`, async () => {
      try {
        const card = decided(await sending);
        if (card) await deps.chat.updateCard(click.messageId, verbatim(card));
      } catch (error) {
        if (!(error instanceof EventNotAcceptedError)) throw error;
        deps.logger.info({ incidentId: click.incidentId, type, state: error.state }, 'late card click refused');
      }
    });
    return new FinishesLater(toast('info', `Received. ${click.incidentId} is busy with a step; the card will update when your click is applied.`), done);
  }
  if (settled.kind === 'failed') return answerForFailure(settled.error);
  deps.logger.info({ incidentId: click.incidentId, type, by: click.operatorId }, 'card click applied');
  const card = decided(settled.value);
  return { toast: { type: 'success', content: verbatim(appliedText(type, settled.value)) }, ...(card ? { card: verbatim(card) } : {}) };
}

/** An approval the chart counted while the fix still waits for more approvers (critical needs two). */
function stillWaitingForApprovers(type: PersonEventType, after: IncidentView): boolean {
  return type === 'proposal.approved' && after.workflow.awaiting === 'proposal';
}

function appliedText(type: PersonEventType, after: IncidentView): string {
  if (!stillWaitingForApprovers(type, after) || !after.context.decision) return `${doneText(type)}. ${after.id} now: ${after.workflow.label.en}.`;
  const given = after.context.approvals.proposalApprovers?.length ?? 0;
  return `Approval counted: ${given} of ${approvalsNeeded(after.context.decision)}. ${after.id} waits for another approver.`;
}
