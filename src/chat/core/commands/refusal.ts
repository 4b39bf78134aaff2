import type { PersonEventType } from '../../../policy/access';
import { policyText } from '../../../policy/policy-text';
import { UnknownIncidentError } from '../../../domain/errors';
import type { CommandContext } from './command';

/**
 * Why the sender may not send this now, or null. A finished incident is said to be finished before any
 * policy check (but for /rollback, which a resolved incident takes): the policy's reasons ("you already approved…") would read as if it still waited.
 * Otherwise the policy decides; it reads the incident because roles depend on the fix's risk. Without a
 * policy nothing is read: the runtime refuses what the incident no longer accepts.
 */
export async function refusal(ctx: CommandContext, incidentId: string, type: PersonEventType): Promise<string | null> {
  if (!ctx.access) return null;
  const view = await ctx.service.get(incidentId);
  if (!view) throw new UnknownIncidentError(incidentId);
  // A resolved incident is done, yet /rollback may still undo its fix: the chart says whether it can (rollback-command.ts says why not).
  if (view.status === 'done' && type !== 'incident.rollback') return ctx.tr.t('cmd.finished', { id: view.id, phase: ctx.tr.label(view.workflow.label) });
  const verdict = ctx.access.check(ctx.sender.id, type, view.context);
  return verdict.allowed ? null : policyText(ctx.tr, verdict.reason);
}
