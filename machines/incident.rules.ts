/**
 * The incident chart's rules as pure functions: what its guards ask, and how they read events. The chart
 * names the guards in setup(); other code (the chat, say) may import these to ask the same question.
 */
import type { EventObject } from 'xstate';
import { approvalCounts, approvalsComplete } from '../src/domain';
import type { AlertTally, DecisionSource, IncidentContext, IncidentEvent, PolicyDecision, RecoveryRules, TimerName } from '../src/domain';

/** The cards a person decides on; each records the message id of the card that is current. */
export type DecisionCard = keyof IncidentContext['cards'];

/** An event a person sent: who decided, from where, and what they said. */
export type Decided = Extract<IncidentEvent, { by: unknown }>;

/** For snapshots written before these timers and rules existed. */
const LIFECYCLE_DEFAULTS = { recoveryQuiet: 300_000, reopenWindow: 1_800_000 };
const RECOVERY_DEFAULTS: RecoveryRules = { resolveOnRecovery: true, flapLimit: 3 };

/** A snapshot written before a timer existed has no timeout for it: the default then. */
export function timeoutOf(context: IncidentContext, timer: TimerName): number {
  const timeouts: Partial<Record<TimerName, number>> = context.timeouts;
  return timeouts[timer] ?? LIFECYCLE_DEFAULTS[timer as keyof typeof LIFECYCLE_DEFAULTS];
}

/** Named actions and guards see the machine's event union; done/error events of invoked actors carry more. */
export function outputOf<T>(event: EventObject): T {
  return (event as EventObject & { output: T }).output;
}

export function errorDetail(event: EventObject): string | undefined {
  if (!('error' in event)) return undefined;
  const { error } = event;
  return error instanceof Error ? error.message : String(error);
}

export function decidedBy(event: EventObject): Decided | undefined {
  return 'by' in event ? (event as Decided) : undefined;
}

export function tallyOf(event: EventObject): AlertTally | undefined {
  return 'alerts' in event ? (event as Extract<IncidentEvent, { alerts: AlertTally }>).alerts : undefined;
}

/** Critical never runs by itself, whatever a decision says. */
export function policyRunsByItself(decision: PolicyDecision): boolean {
  return decision.action === 'auto_execute' && decision.risk !== 'critical';
}

/** Every alert has recovered, and the rules let the incident resolve by itself (it is not flapping past the limit). */
export function mayResolveOnRecovery(context: IncidentContext, event: EventObject): boolean {
  const rules = context.recovery ?? RECOVERY_DEFAULTS;
  return tallyOf(event)?.firing === 0 && rules.resolveOnRecovery && (context.flaps ?? 0) < rules.flapLimit;
}

/** A click on an older card (say, from before a retry) must not decide the current one. */
export function fromCurrentCard(
  context: Pick<IncidentContext, 'cards'>,
  decision: { source: DecisionSource },
  card: DecisionCard,
): boolean {
  return decision.source.kind !== 'card' || decision.source.messageId === context.cards[card];
}

/** The event is a person's decision, and it comes from the current card (or not from a card at all). */
export function isDecisionFromCurrentCard(context: IncidentContext, event: EventObject, card: DecisionCard): boolean {
  const decision = decidedBy(event);
  return !!decision && fromCurrentCard(context, decision, card);
}

/** Does this approval count (a person the policy named, not yet counted), and does it complete the fix's approval? */
export function proposalApproval(context: IncidentContext, event: EventObject): { counts: boolean; completes: boolean } {
  const decision = decidedBy(event);
  if (!decision || !fromCurrentCard(context, decision, 'proposal')) return { counts: false, completes: false };
  const soFar = (context.approvals.proposalApprovers ?? []).map((a) => a.by.id);
  const counts = approvalCounts(context.decision, soFar, decision.by.id);
  return { counts, completes: counts && approvalsComplete(context.decision, [...soFar, decision.by.id]) };
}

/** An approval from someone the policy named that leaves the fix short of approvers (critical needs two). */
export function addsProposalApproval(context: IncidentContext, event: EventObject): boolean {
  const approval = proposalApproval(context, event);
  return approval.counts && !approval.completes;
}
