import type { Logger } from 'pino';
import { approvalsNeeded } from '../../domain';
import type { IncidentEvent } from '../../domain';
import type { DecisionAccess } from '../../policy/access';
import { policyText } from '../../policy/policy-text';
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
import { cardDecidedBy, cardStanding, phaseLabel, phaseOf } from '../../../machines/incident.view';
import type { I18n, Localized, Translator } from '../../i18n';

/**
 * A click on a card's button becomes the incident event it stands for. The runtime decides whether
 * it is accepted; the checks here only make a refusal fast and say why in words, in every language
 * (Lark shows the clicker the toast in their client's).
 */

type PersonEvent = Extract<IncidentEvent, { by: unknown }>;
type PersonEventType = PersonEvent['type'];
/** A toast's words, written once per language. */
type Words = (tr: Translator) => string;

function isPersonEventType(action: string): action is PersonEventType {
  return (PERSON_EVENT_TYPES as string[]).includes(action);
}

export interface CardClickDeps {
  service: IncidentService;
  chat: ChatPort;
  /** Who may decide what: the same check typed commands get. */
  access: DecisionAccess;
  /** The languages toasts and cards are written in (TIMEZONE for the decided line). */
  i18n: I18n;
  logger: Logger;
  /** Lark gives a callback 3 s; past this the click is answered and finished in the background. */
  answerBudgetMs: number;
  /** Runs `work` after the answer; resolves true once it succeeded. */
  inBackground(what: string, work: () => Promise<unknown>): Promise<boolean>;
}

/** The card the person clicked, rebuilt from the incident; undefined when the incident lacks what it shows. */
function cardClicked(type: PersonEventType, view: IncidentView, tr: Translator): Card | undefined {
  try {
    const card = cardDecidedBy(type);
    if (card === 'diagnosis') return diagnosisCard(view.context, tr);
    if (card === 'proposal') return proposalCard(view.context, tr);
    return outcomeCard(view.context, view.workflow.phase === 'resolved' ? 'resolved' : 'escalated', tr);
  } catch {
    return undefined;
  }
}

/** Why the click cannot apply, judged from the incident before sending; null when the runtime should decide. */
function earlyRefusal(click: CardClick, type: PersonEventType, view: IncidentView): Words | null {
  const card = cardDecidedBy(type);
  const incidentId = view.id;
  const standing = cardStanding(view.context, { card, messageId: click.messageId, attempt: click.attempt });
  if (standing === 'olderAttempt') {
    return (tr) => tr.t('card.click.olderAttempt', { attempt: click.attempt ?? 0, incidentId, current: view.context.attempt });
  }
  if (card) {
    if (standing === 'replaced') return (tr) => tr.t('card.click.replaced', { card: tr.label(CARD_LABELS[card]), incidentId });
    const approval = view.context.approvals[card];
    if (approval) return (tr) => tr.t('card.click.alreadyApproved', { card: tr.label(CARD_LABELS[card]), incidentId, by: approval.by.name ?? approval.by.id });
  }
  if (view.status === 'done') return (tr) => tr.t('card.click.closed', { incidentId, state: tr.label(view.workflow.label) });
  return null;
}

function answerForFailure(error: unknown): { type: ClickAnswer['toast']['type']; words: Words } {
  if (error instanceof EventNotAcceptedError) {
    const state = phaseLabel(phaseOf(error.state));
    return { type: 'warning', words: (tr) => tr.t('card.click.movedOn', { incidentId: error.incidentId, state: tr.label(state) }) };
  }
  if (error instanceof UnknownIncidentError) return { type: 'warning', words: (tr) => tr.t('card.click.noIncident', { incidentId: error.incidentId }) };
  if (error instanceof InvalidInputError) return { type: 'error', words: (tr) => tr.t('card.click.notAccepted', { reason: error.message }) };
  if (error instanceof IncidentBusyError) return { type: 'warning', words: (tr) => tr.t('card.click.busy', { incidentId: error.incidentId }) };
  throw error;
}

/**
 * Answers a click within the budget: decided card on success, a toast saying why on refusal. A click
 * still being applied when the budget runs out is answered with a toast and finishes later.
 */
export async function handleCardClick(deps: CardClickDeps, click: CardClick): Promise<ClickAnswer | FinishesLater<ClickAnswer>> {
  const toast = (type: ClickAnswer['toast']['type'], words: Words): ClickAnswer => ({ toast: { type, content: deps.i18n.both(words) } });
  if (!isPersonEventType(click.action)) return toast('error', (tr) => tr.t('card.click.unknownButton'));
  const type = click.action;
  const incidentId = click.incidentId;
  const before = await deps.service.get(incidentId);
  if (!before) return toast('warning', (tr) => tr.t('card.click.noIncident', { incidentId }));
  const verdict = deps.access.check(click.operatorId, type, before.context);
  if (!verdict.allowed) return toast('error', (tr) => policyText(tr, verdict.reason));
  const refusal = earlyRefusal(click, type, before);
  if (refusal) return toast('warning', refusal);

  const event: PersonEvent = { type, by: { id: click.operatorId }, source: { kind: 'card', messageId: click.messageId } };
  const sending = deps.service.send(incidentId, event);
  const settled = await settleWithin(sending, deps.answerBudgetMs);
  const decidedAt = new Date();

  if (settled.kind === 'late') {
    const done = deps.inBackground(`card click ${type} on ${incidentId}`, async () => {
      try {
        const card = decidedCards(deps.i18n, click, before, await sending, decidedAt);
        if (card) await deps.chat.updateCard(click.messageId, card);
      } catch (error) {
        if (!(error instanceof EventNotAcceptedError)) throw error;
        deps.logger.info({ incidentId, type, state: error.state }, 'late card click refused');
      }
    });
    return new FinishesLater(toast('info', (tr) => tr.t('card.click.received', { incidentId })), done);
  }
  if (settled.kind === 'failed') {
    const failure = answerForFailure(settled.error);
    return toast(failure.type, failure.words);
  }
  deps.logger.info({ incidentId, type, by: click.operatorId }, 'card click applied');
  const card = decidedCards(deps.i18n, click, before, settled.value, decidedAt);
  return { ...toast('success', (tr) => appliedText(type, settled.value, tr)), ...(card ? { card } : {}) };
}

/** The clicked card as it stands after the click, in every language; undefined when it cannot be rebuilt. */
function decidedCards(i18n: I18n, click: CardClick, before: IncidentView, after: IncidentView, at: Date): Localized<Card> | undefined {
  const type = click.action as PersonEventType;
  const build = (tr: Translator): Card | undefined => {
    // A fix short of approvers keeps its buttons and shows who approved so far.
    if (stillWaitingForApprovers(type, after)) return cardClicked(type, after, tr);
    const card = type === 'proposal.approved' ? cardClicked(type, after, tr) : (cardClicked(type, before, tr) ?? cardClicked(type, after, tr));
    return card && decidedCard(card, { verb: tr.label(DECISION_LABELS[type].done), by: click.operatorId, at }, tr);
  };
  const cards = i18n.both(build);
  return cards.en && cards['zh-CN'] ? { en: cards.en, 'zh-CN': cards['zh-CN'] } : undefined;
}

/** An approval the chart counted while the fix still waits for more approvers (critical needs two). */
function stillWaitingForApprovers(type: PersonEventType, after: IncidentView): boolean {
  return type === 'proposal.approved' && after.workflow.awaiting === 'proposal';
}

function appliedText(type: PersonEventType, after: IncidentView, tr: Translator): string {
  if (!stillWaitingForApprovers(type, after) || !after.context.decision) {
    return tr.t('card.click.applied', { done: tr.label(DECISION_LABELS[type].done), incidentId: after.id, state: tr.label(after.workflow.label) });
  }
  const given = after.context.approvals.proposalApprovers?.length ?? 0;
  return tr.t('card.click.approvalCounted', { given, needed: approvalsNeeded(after.context.decision), incidentId: after.id });
}
