import type { InboundMessage } from './chat-port';
import { executeCommand, parseCommand } from './commands';
import type { CommandContext } from './commands';
import type { IncidentService } from '../../runtime/incident-service';
import { silencedReply } from './silenced-reply';
import { parseTextAlert } from './alert-detector/text-alert';

/**
 * What the bot does with a chat message: a `/command` is run; anything else is read as an alert
 * and opens an incident. The reply is sent only after the incident is persisted.
 */
export function createInboundHandler({ service, plugins, access, silences }: { service: IncidentService; plugins?: CommandContext['plugins']; access?: CommandContext['access']; silences?: CommandContext['silences'] }) {
  return async (message: InboundMessage): Promise<string> => {
    const command = parseCommand(message.text);
    if (command) {
      return executeCommand(command, { service, sender: message.sender, chatId: message.chatId, messageId: message.messageId, plugins, access, silences });
    }
    const alert = parseTextAlert(message.text);
    const incident = await service.create({ alert, chatId: message.chatId, alertMessageId: message.messageId, by: message.sender });
    if (incident.silenced) return silencedReply(incident.silenced);
    if (!incident.opened) return `Repeat of open incident ${incident.id} (${incident.context.repeats} repeat(s) so far); no new incident.`;
    return `Opened ${incident.id}: ${incident.title} (${incident.severity}). Triage is running.`;
  };
}
