import type { Logger } from 'pino';
import { AlertSchema } from '../../domain';
import type { AlertInput } from '../../domain';
import type { IncidentService } from '../../runtime/incident-service';
import { alertOutcome } from './alert-outcome';
import type { AlertAnnouncer } from './alert-outcome';
import type { BackgroundWork } from './background-work';
import type { ChatMessage } from './chat-message';
import type { FinishesLater } from './claimed-work';
import type { AlertDetection } from './typed-alerts';

export interface MessageRoutingDeps {
  service: IncidentService;
  logger: Logger;
  background: BackgroundWork;
  /** The bot's own sender ids: what it posted itself is never read back. */
  ownIds: readonly string[];
  /** The AlertDetector's reading of the message, as every chat reads it (readTypedAlerts). */
  readAlerts(message: ChatMessage): Promise<AlertDetection>;
  announce: AlertAnnouncer;
  /** A person's message that holds no alert; unset: it is left alone, as people chatting in a group are. */
  notAnAlert?: (message: ChatMessage, reason: string) => Promise<unknown>;
  runCommand(message: ChatMessage): Promise<FinishesLater<void> | void>;
}

/** A message: the bot's own is ignored, a person's `/command` is run, anything else may be an alert. */
export async function routeMessage(deps: MessageRoutingDeps, message: ChatMessage): Promise<FinishesLater<void> | void> {
  if (deps.ownIds.includes(message.sender.id)) return;
  if (message.sender.kind === 'user' && message.text.startsWith('/')) return deps.runCommand(message);
  const detection = await deps.readAlerts(message);
  if (!detection.isAlert) {
    deps.logger.debug({ messageId: message.messageId, reason: detection.reason }, 'message is not an alert');
    if (message.sender.kind === 'user' && deps.notAnAlert) await deps.notAnAlert(message, detection.reason);
    return;
  }
  await openIncidents(deps, message, detection.alerts);
}

/**
 * The alerts a message carries are one problem: one `create` (which groups them with what is open),
 * resolved once it is persisted. An alert the detector read but that is not valid is skipped.
 */
async function openIncidents(deps: MessageRoutingDeps, message: ChatMessage, detected: AlertInput[]): Promise<void> {
  const alerts = detected.filter((alert) => {
    const valid = AlertSchema.safeParse(alert).success;
    if (!valid) deps.logger.warn({ messageId: message.messageId }, 'detected alert is not valid; skipped');
    return valid;
  });
  const [alert, ...alongWith] = alerts;
  if (!alert) return;
  const reported = await deps.service.create({ alert, alongWith, chatId: message.chatId, alertMessageId: message.messageId, by: { id: message.sender.id } });
  const outcome = alertOutcome(reported, alerts);
  if (reported.silenced) {
    deps.logger.info({ silenceId: reported.silenced.silenceId, messageId: message.messageId }, 'alert from a chat message silenced');
  } else {
    deps.logger.info({ incidentId: reported.id, messageId: message.messageId, opened: reported.opened }, 'alert taken from a chat message');
  }
  void deps.background.run(`${outcome.kind} announcement`, () => deps.announce(message, outcome));
}
