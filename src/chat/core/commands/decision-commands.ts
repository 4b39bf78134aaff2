import { approvalsNeeded } from '../../../domain';
import type { Command, CommandContext, PersonEvent } from './command';
import { refusal } from './refusal';
import { sentences, whereItLives } from './where-it-lives';

/**
 * Sends exactly the decision the person named. Whether the incident still waits for it is not read
 * here: the runtime checks it atomically and refuses (EventNotAcceptedError) if it has moved on.
 */
export async function decide(cmd: Extract<Command, { kind: 'approve' | 'reject' }>, ctx: CommandContext): Promise<string> {
  const { tr } = ctx;
  const decided = { by: ctx.sender, source: { kind: 'command' as const, messageId: ctx.messageId } };
  const event: PersonEvent =
    cmd.kind === 'approve'
      ? { type: `${cmd.subject}.approved`, comment: cmd.comment, ...decided }
      : { type: `${cmd.subject}.rejected`, reason: cmd.reason, ...decided };
  const refused = await refusal(ctx, cmd.incidentId, event.type);
  if (refused) return refused;
  const after = await ctx.service.send(cmd.incidentId, event);
  const decision = after.context.decision;
  const where = whereItLives(tr, after, ctx.chatId);
  // Counted, but the fix still waits for more approvers (critical needs two).
  if (event.type === 'proposal.approved' && after.workflow.awaiting === 'proposal' && decision) {
    const given = after.context.approvals.proposalApprovers?.length ?? 0;
    return sentences(tr, tr.t('cmd.approvalCounted', { id: after.id, given, needed: approvalsNeeded(decision) }), where);
  }
  const values = { id: after.id, subject: cmd.subject, phase: tr.label(after.workflow.label) };
  return sentences(tr, tr.t(cmd.kind === 'approve' ? 'cmd.approved' : 'cmd.rejected', values), where);
}
