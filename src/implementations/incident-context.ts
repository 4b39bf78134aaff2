import type { AnyActorRef } from 'xstate';
import type { Alert, IncidentContext } from '../domain';

export type ReadyContext = IncidentContext & { alert: Alert };

/**
 * The incident's context as of the transition that started the step. The chart passes no input
 * functions (the Stately editor cannot keep them), so steps read the root actor, registered as `incident`.
 */
export function incidentContext(system: { get(systemId: string): AnyActorRef | undefined }): ReadyContext {
  const snapshot = system.get('incident')?.getSnapshot() as { context?: IncidentContext } | undefined;
  const context = snapshot?.context;
  if (!context?.alert) throw new Error('The incident actor is not registered as "incident" or has no alert.');
  return context as ReadyContext;
}

export function stepKey(ctx: ReadyContext, step: string) {
  return { incidentId: ctx.incidentId, attempt: ctx.attempt, step };
}
