/**
 * The incident chart's rules as pure functions: what its guards ask, and how they read events. The chart
 * names the guards in setup(); other code (the chat, say) may import these to ask the same question.
 */
import type { EventObject } from 'xstate';
import { approvalCounts, approvalsComplete } from '../src/domain';
import type {
  AlertTally,
  DecisionSource,
  ExecutionOutcome,
  FixProposal,
  FixStep,
  IncidentContext,
  IncidentEvent,
  PolicyDecision,
  ProposalOutcome,
  RecoveryRules,
  StepOutcome,
  TimerName,
  TriageResult,
  VerificationOutcome,
} from '../src/domain';

/** The cards a person decides on; each records the message id of the card that is current. */
export type DecisionCard = keyof IncidentContext['cards'];

/** An event a person sent: who decided, from where, and what they said. */
export type Decided = Extract<IncidentEvent, { by: unknown }>;

/** For snapshots written before these timers and rules existed. */
const LIFECYCLE_DEFAULTS = { recoveryQuiet: 300_000, reopenWindow: 1_800_000 };
/** ROLLBACK_WINDOW's default, for snapshots written before rollbacks existed. */
const DEFAULT_ROLLBACK_WINDOW_MS = 3_600_000;
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

/** A step of the fix that ran and can be undone: the step, and the run its rollback undoes. */
export interface UndoableStep {
  step: FixStep;
  ran: StepOutcome;
}

/**
 * The steps of a fix that changed something and whose plugin declared, when the fix was planned, that it can
 * undo them — last first, as they are undone. None for a rollback (a rollback is not rolled back) or a dry run.
 */
export function undoableSteps(proposal: FixProposal | null, execution: ExecutionOutcome | null | undefined): UndoableStep[] {
  if (!proposal || proposal.kind === 'rollback' || !execution || execution.dryRun) return [];
  return execution.steps
    .map((ran, index) => ({ step: proposal.steps[index], ran }))
    .filter((s): s is UndoableStep => s.step?.undo === 'rollback' && s.ran.status === 'success' && s.step.pluginId === s.ran.pluginId)
    .reverse();
}

/** ROLLBACK_WINDOW as the incident was opened with it (older snapshots: the default). */
export function rollbackWindowOf(context: IncidentContext): number {
  return context.timeouts.rollbackWindow ?? DEFAULT_ROLLBACK_WINDOW_MS;
}

/**
 * The fix a rollback would undo: the incident's fix, or, while its proposal is a rollback that did not complete
 * (rejected, timed out, a dry run, an undo that failed), the fix that rollback was for — undo steps are safe to
 * repeat. Null once a rollback completed.
 */
export function fixToUndo(context: IncidentContext): { proposal: FixProposal | null; execution: ExecutionOutcome | null } | null {
  if (context.proposal?.kind !== 'rollback') return { proposal: context.proposal, execution: context.execution };
  if (context.execution?.succeeded === true) return null;
  return context.rollback?.original ?? null;
}

/** The steps `/rollback` would undo now (see fixToUndo), last first. */
export function stepsToUndo(context: IncidentContext): UndoableStep[] {
  const fix = fixToUndo(context);
  return fix ? undoableSteps(fix.proposal, fix.execution) : [];
}

/** When the incident's last fix ended, for ROLLBACK_WINDOW: when it resolved or was escalated. */
function endedAt(context: IncidentContext): number {
  return Date.parse(context.resolution?.at ?? context.escalation?.at ?? '');
}

/** Why `/rollback` cannot undo the incident's last fix now, or undefined when it can (the state must also take it). */
export function rollbackRefusal(context: IncidentContext, now = Date.now()): 'alreadyRolledBack' | 'nothingToUndo' | 'windowPassed' | undefined {
  if (fixToUndo(context) === null) return 'alreadyRolledBack';
  if (stepsToUndo(context).length === 0) return 'nothingToUndo';
  const window = rollbackWindowOf(context);
  const ended = endedAt(context);
  return Number.isNaN(ended) || now - ended > window ? 'windowPassed' : undefined;
}

type GuardArgs = { context: IncidentContext; event: EventObject };

/** The chart's guards, by the names it uses (setup() takes them as they are). */
export const incidentGuards = {
  isDuplicate: ({ event }: GuardArgs) => outputOf<TriageResult>(event).verdict === 'duplicate',
  isNoise: ({ event }: GuardArgs) => outputOf<TriageResult>(event).verdict === 'noise',
  hasNoFix: ({ event }: GuardArgs) => !outputOf<ProposalOutcome>(event).fixable,
  policySaysAutoExecute: ({ event }: GuardArgs) => policyRunsByItself(outputOf<PolicyDecision>(event)),
  policySaysAskApproval: ({ event }: GuardArgs) => outputOf<PolicyDecision>(event).action === 'require_approval',
  executionWasDryRun: ({ context }: GuardArgs) => context.execution?.dryRun === true,
  executionSucceeded: ({ context }: GuardArgs) => context.execution?.succeeded === true,
  /** The fix that just ran was a rollback, and every undo step succeeded. */
  rollbackSucceeded: ({ context }: GuardArgs) => context.proposal?.kind === 'rollback' && context.execution?.succeeded === true,
  /** The fix that just ran was a rollback (one of its undo steps failed, or it was a dry run). */
  wasRollback: ({ context }: GuardArgs) => context.proposal?.kind === 'rollback',
  /** Steps of the fix that ran changed something their plugins can undo (it failed part-way, or did not verify). */
  fixCanBeUndone: ({ context }: GuardArgs) => stepsToUndo(context).length > 0,
  /** `/rollback`: the last fix has steps to undo and ended within ROLLBACK_WINDOW. */
  mayRollBack: ({ context }: GuardArgs) => rollbackRefusal(context) === undefined,
  verificationPassed: ({ event }: GuardArgs) => outputOf<VerificationOutcome>(event).passed,
  isFromCurrentCard: ({ context, event }: GuardArgs, params: { card: DecisionCard }) => isDecisionFromCurrentCard(context, event, params.card),
  addsProposalApproval: ({ context, event }: GuardArgs) => addsProposalApproval(context, event),
  completesProposalApproval: ({ context, event }: GuardArgs) => proposalApproval(context, event).completes,
  /** Every alert recovered, RESOLVE_ON_RECOVERY is on, and the incident has not flapped FLAP_LIMIT times. */
  mayResolveOnRecovery: ({ context, event }: GuardArgs) => mayResolveOnRecovery(context, event),
  /** The same, while nothing has been changed: not while a rollback waits (its fix changed systems; people decide). */
  mayResolveUnchanged: ({ context, event }: GuardArgs) => context.proposal?.kind !== 'rollback' && mayResolveOnRecovery(context, event),
};
