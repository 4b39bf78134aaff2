import type { Command, CommandContext, PersonEvent } from './command';
import { refusal } from './refusal';
import { whereItLives } from './where-it-lives';

/** /escalate, /ignore, /retry and /resolve: one event each, no subject to name. */
export type IncidentActionCommand = Extract<Command, { kind: 'escalate' | 'ignore' | 'retry' | 'resolve' }>;

function eventFor(cmd: IncidentActionCommand, ctx: CommandContext): PersonEvent {
  const decided = { by: ctx.sender, source: { kind: 'command' as const, messageId: ctx.messageId } };
  switch (cmd.kind) {
    case 'escalate':
      return { type: 'incident.escalate', reason: cmd.reason, ...decided };
    case 'ignore':
      return { type: 'incident.ignore', reason: cmd.reason, ...decided };
    case 'retry':
      return { type: 'incident.retry', ...decided };
    case 'resolve':
      return { type: 'incident.resolve', note: cmd.note, ...decided };
  }
}

const DONE_VERB: Record<IncidentActionCommand['kind'], string> = {
  escalate: 'Escalated',
  ignore: 'Ignored',
  retry: 'Retrying',
  resolve: 'Resolved',
};

export async function actOnIncident(cmd: IncidentActionCommand, ctx: CommandContext): Promise<string> {
  const event = eventFor(cmd, ctx);
  const refused = await refusal(ctx, cmd.incidentId, event.type);
  if (refused) return refused;
  const after = await ctx.service.send(cmd.incidentId, event);
  return `${DONE_VERB[cmd.kind]} ${cmd.incidentId}. Now: ${after.workflow.label.en}.${whereItLives(after, ctx.chatId)}`;
}
