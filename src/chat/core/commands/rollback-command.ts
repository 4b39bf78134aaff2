import { rollbackRefusal, rollbackWindowOf } from '../../../../machines/incident.rules';
import { phaseOf } from '../../../../machines/incident.view';
import { EventNotAcceptedError } from '../../../domain/errors';
import type { Translator } from '../../../i18n';
import type { IncidentView } from '../../../runtime/incident-service';
import { durationText } from '../cards/summary-card';
import type { Command, CommandContext, PersonEvent } from './command';
import { refusal } from './refusal';
import { sentences, whereItLives } from './where-it-lives';

/** The phases whose state takes `incident.rollback` (machines/incident.machine.ts). */
const ROLLBACK_PHASES = new Set(['escalated', 'resolved']);

/**
 * Why the chart would not take `/rollback`, in words: "cannot take that now" alone leaves people guessing
 * whether it was the state, the fix or the clock. Undefined when none of these applies (it moved on meanwhile).
 */
export function whyNoRollback(tr: Translator, view: IncidentView, now = Date.now()): string | undefined {
  const { context } = view;
  const values = { id: view.id, phase: tr.label(view.workflow.label) };
  if (!ROLLBACK_PHASES.has(phaseOf(view.state))) return tr.t('cmd.rollback.notClosed', values);
  switch (rollbackRefusal(context, now)) {
    case 'alreadyRolledBack':
      return tr.t('cmd.rollback.alreadyRolledBack', values);
    case 'nothingToUndo':
      return tr.t('cmd.rollback.nothingToUndo', values);
    case 'windowPassed': {
      const window = durationText(tr, rollbackWindowOf(context));
      const endedAt = context.resolution?.at ?? context.escalation?.at;
      return endedAt
        ? tr.t('cmd.rollback.windowPassed', { ...values, window, ended: tr.relative(endedAt, new Date(now)) })
        : tr.t('cmd.rollback.windowUnknown', { ...values, window });
    }
    case undefined:
      return undefined;
  }
}

/** /rollback <id> [reason]: undo the incident's last fix; the policy then decides whether the undo runs by itself or asks. */
export async function rollBack(cmd: Extract<Command, { kind: 'rollback' }>, ctx: CommandContext): Promise<string> {
  const { tr } = ctx;
  const event: PersonEvent = { type: 'incident.rollback', reason: cmd.reason, by: ctx.sender, source: { kind: 'command', messageId: ctx.messageId } };
  const refused = await refusal(ctx, cmd.incidentId, event.type);
  if (refused) return refused;
  try {
    const after = await ctx.service.send(cmd.incidentId, event);
    return sentences(tr, tr.t('cmd.done.rollback', { id: after.id, phase: tr.label(after.workflow.label) }), whereItLives(tr, after, ctx.chatId));
  } catch (error) {
    if (!(error instanceof EventNotAcceptedError)) throw error;
    // Read after the refusal: what the chart refused is the state it is in now.
    const view = await ctx.service.get(cmd.incidentId);
    const why = view ? whyNoRollback(tr, view) : undefined;
    if (why === undefined) throw error;
    return why;
  }
}
