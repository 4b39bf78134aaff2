import type { Logger } from 'pino';
import { phaseOf } from '../../../machines/incident.view';
import type { IncidentChange } from '../../runtime/incident-service';
import type { ChatPort, Reaction } from './chat-port';

/**
 * Which reaction a persisted transition earns on the alert message; none for the steps between.
 * (`working` is added by the intake the moment it takes the alert.)
 */
export function reactionFor(change: IncidentChange): Reaction | undefined {
  switch (phaseOf(change.toState)) {
    case 'resolved':
    case 'recovered':
      return 'done';
    case 'escalated':
      return 'failed';
    case 'merged':
      return 'duplicate';
    default:
      return undefined;
  }
}

/**
 * Shows an incident's progress on the message that carried its alert. Best effort: a reaction that
 * fails is logged, never retried into the workflow.
 */
export function showProgressOnAlerts(subscribe: (listener: (change: IncidentChange) => void) => () => void, chat: ChatPort, logger: Logger) {
  return subscribe((change) => {
    const messageId = change.context.alertMessageId;
    const reaction = reactionFor(change);
    if (!messageId || !reaction) return;
    chat.react(messageId, reaction).catch((error: unknown) => {
      logger.warn({ err: error, incidentId: change.incidentId, reaction }, 'could not react on the alert message');
    });
  });
}
