import type { PersonEventType } from '../../policy/access';
import { UnknownIncidentError } from '../../runtime/incident-service';
import type { CommandContext } from './command';

/** Why the sender may not decide this under the policy, or null. Reads the incident: roles depend on the fix's risk. */
export async function refusal(ctx: CommandContext, incidentId: string, type: PersonEventType): Promise<string | null> {
  if (!ctx.access) return null;
  const view = await ctx.service.get(incidentId);
  if (!view) throw new UnknownIncidentError(incidentId);
  const verdict = ctx.access.check(ctx.sender.id, type, view.context);
  return verdict.allowed ? null : verdict.reason;
}
