import { parseTextAlert } from '../alert-detector/text-alert';
import { silencedReply } from '../silenced-reply';
import type { Command, CommandContext } from './command';
import { quoted } from './quoted';

/** /diag: opens an incident by hand in the chat the command was typed in. */
export async function openIncidentByHand(cmd: Extract<Command, { kind: 'diag' }>, ctx: CommandContext): Promise<string> {
  const alert = await (ctx.parseAlert ?? ((text: string) => parseTextAlert(text, 'chat')))(cmd.text);
  const incident = await ctx.service.create({ alert, chatId: ctx.chatId, alertMessageId: ctx.messageId, by: ctx.sender });
  if (incident.silenced) return silencedReply(incident.silenced);
  if (!incident.opened) return `Repeat of open incident ${incident.id} (${incident.context.repeats} repeat(s) so far); no new incident.`;
  return `Opened ${incident.id}: ${quoted(incident.title)} (${incident.severity}). Triage is running.`;
}
