import type { Command, CommandContext, PersonEvent } from './command';
import { refusal } from './refusal';
import { sentences, whereItLives } from './where-it-lives';

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

const DONE = {
  escalate: 'cmd.done.escalate',
  ignore: 'cmd.done.ignore',
  retry: 'cmd.done.retry',
  resolve: 'cmd.done.resolve',
} as const satisfies Record<IncidentActionCommand['kind'], string>;

export async function actOnIncident(cmd: IncidentActionCommand, ctx: CommandContext): Promise<string> {
  const { tr } = ctx;
  const event = eventFor(cmd, ctx);
  const refused = await refusal(ctx, cmd.incidentId, event.type);
  if (refused) return refused;
  const after = await ctx.service.send(cmd.incidentId, event);
  return sentences(tr, tr.t(DONE[cmd.kind], { id: cmd.incidentId, phase: tr.label(after.workflow.label) }), whereItLives(tr, after, ctx.chatId));
}
