import { parseTextAlert } from '../alert-detector/text-alert';
import { alertOutcome, alertOutcomeText } from '../alert-outcome';
import type { Command, CommandContext } from './command';

/** /diag: opens an incident by hand in the chat the command was typed in. */
export async function openIncidentByHand(cmd: Extract<Command, { kind: 'diag' }>, ctx: CommandContext): Promise<string> {
  const alert = await (ctx.parseAlert ?? ((text: string) => parseTextAlert(text, 'chat')))(cmd.text);
  const incident = await ctx.service.create({ alert, chatId: ctx.chatId, alertMessageId: ctx.messageId, by: ctx.sender });
  return alertOutcomeText(ctx.tr, alertOutcome(incident, [alert]));
}
