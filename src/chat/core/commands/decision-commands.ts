import { CARD_LABELS } from '../../../../machines/incident.labels';
import { approvalsNeeded } from '../../../domain';
import type { Command, CommandContext, PersonEvent } from './command';
import { refusal } from './refusal';
import { whereItLives } from './where-it-lives';

/**
 * Sends exactly the decision the person named. Whether the incident still waits for it is not read
 * here: the runtime checks it atomically and refuses (EventNotAcceptedError) if it has moved on.
 */
export async function decide(cmd: Extract<Command, { kind: 'approve' | 'reject' }>, ctx: CommandContext): Promise<string> {
  const decided = { by: ctx.sender, source: { kind: 'command' as const, messageId: ctx.messageId } };
  const event: PersonEvent =
    cmd.kind === 'approve'
      ? { type: `${cmd.subject}.approved`, comment: cmd.comment, ...decided }
      : { type: `${cmd.subject}.rejected`, reason: cmd.reason, ...decided };
  const refused = await refusal(ctx, cmd.incidentId, event.type);
  if (refused) return refused;
  const after = await ctx.service.send(cmd.incidentId, event);
  const decision = after.context.decision;
  // Counted, but the fix still waits for more approvers (critical needs two).
  if (event.type === 'proposal.approved' && after.workflow.awaiting === 'proposal' && decision) {
    const given = after.context.approvals.proposalApprovers?.length ?? 0;
    return `Approval counted for the fix of ${after.id}: ${given} of ${approvalsNeeded(decision)}. It waits for another approver.${whereItLives(after, ctx.chatId)}`;
  }
  const verb = cmd.kind === 'approve' ? 'Approved' : 'Rejected';
  return `${verb} the ${CARD_LABELS[cmd.subject].en} of ${after.id}. Now: ${after.workflow.label.en}.${whereItLives(after, ctx.chatId)}`;
}
