/**
 * The context updates behind the incident chart's assign actions, as pure functions (but for the clock).
 * The chart names each action; setup() takes them from `incidentActions` at the end of this file.
 */
import { assign } from 'xstate';
import type { EventObject } from 'xstate';
import type {
  Diagnosis,
  ExecutionOutcome,
  FixProposal,
  FixStepped,
  IncidentContext,
  IncidentEvent,
  IncidentInput,
  PolicyDecision,
  ProposalOutcome,
  ReminderOutcome,
  SentMessage,
  TimerName,
  TriageResult,
  VerificationOutcome,
} from '../src/domain';
import { decidedBy, errorDetail, fixToUndo, outputOf, stepsToUndo, tallyOf, timeoutOf } from './incident.rules';
import type { Decided, DecisionCard } from './incident.rules';

/** What one assign action does to the context, given the event and its params from the chart. */
export type ContextUpdate<P = undefined> = (context: IncidentContext, event: EventObject, params: P) => Partial<IncidentContext>;

/** The function assign() takes, for a pure update. */
export function assigner<P>(update: ContextUpdate<P>) {
  return ({ context, event }: { context: IncidentContext; event: EventObject }, params: P) => update(context, event, params);
}

function approvalOf(decision: Decided) {
  const comment = 'comment' in decision ? decision.comment : undefined;
  return { by: decision.by, source: decision.source, at: new Date().toISOString(), comment };
}

/** A new attempt starts from a clean slate: nothing found, proposed, decided, run or posted yet. */
function freshAttempt(): Partial<IncidentContext> {
  return { diagnosis: null, proposal: null, decision: null, execution: null, verification: null, cards: {}, approvals: {}, escalation: null, rollback: null };
}

export const adoptInput: ContextUpdate = (_context, event) => (event as EventObject & { input: IncidentInput }).input;

export const startTimer: ContextUpdate<{ timer: TimerName }> = (context, _event, { timer }) => ({
  deadlines: { ...context.deadlines, [timer]: new Date(Date.now() + timeoutOf(context, timer)).toISOString() },
});

/** `deadlines` with `timer` due `inMs` from now; without it when nothing is due (`inMs` 0 or unknown). */
function withDeadline(deadlines: IncidentContext['deadlines'], timer: TimerName, inMs: number | null | undefined): IncidentContext['deadlines'] {
  const { [timer]: _previous, ...others } = deadlines;
  return inMs ? { ...others, [timer]: new Date(Date.now() + inMs).toISOString() } : others;
}

/** A decision card was posted: nobody has been reminded of it yet; the first reminder is due after REMIND_AFTER (if any). */
export const armReminder: ContextUpdate<{ card: DecisionCard }> = (context, _event, { card }) => ({
  reminded: { ...context.reminded, [card]: 0 },
  deadlines: withDeadline(context.deadlines, 'reminder', context.timeouts.reminder),
});

/** A reminder went out (or could not run): counted; the next level of the chain is armed when the step named one. */
export const recordReminder: ContextUpdate<{ card: DecisionCard }> = (context, event, { card }) => ({
  reminded: { ...context.reminded, [card]: (context.reminded?.[card] ?? 0) + 1 },
  deadlines: withDeadline(context.deadlines, 'reminder', outputOf<ReminderOutcome | undefined>(event)?.nextInMs),
});

export const recordTriage: ContextUpdate = (_context, event) => ({ triage: outputOf<TriageResult>(event) });
export const recordDiagnosis: ContextUpdate = (_context, event) => ({ diagnosis: outputOf<Diagnosis>(event) });
export const recordDecision: ContextUpdate = (_context, event) => ({ decision: outputOf<PolicyDecision>(event) });
/**
 * A step of the fix ran (the fix machine's report): the execution so far. It succeeded once every step has, and
 * the last one is in; a dry run never succeeds (nothing ran).
 */
export const recordStep: ContextUpdate = (context, event) => {
  const report = event as FixStepped;
  const steps = [...(context.execution?.steps ?? []), report.outcome];
  const dryRun = context.execution?.dryRun === true || report.dryRun === true;
  const execution: ExecutionOutcome = { succeeded: !dryRun && steps.length === report.of && steps.every((s) => s.status === 'success'), steps };
  return { execution: dryRun ? { ...execution, dryRun } : execution };
};
export const recordVerification: ContextUpdate = (_context, event) => ({ verification: outputOf<VerificationOutcome>(event) });

export const recordProposal: ContextUpdate = (_context, event) => {
  const outcome = outputOf<ProposalOutcome>(event);
  return { proposal: outcome.fixable ? outcome.proposal : null };
};

export const recordCard: ContextUpdate<{ card: DecisionCard }> = (context, event, { card }) => ({
  cards: { ...context.cards, [card]: outputOf<SentMessage>(event).messageId },
});

export const recordApproval: ContextUpdate<{ card: DecisionCard }> = (context, event, { card }) => {
  const decision = decidedBy(event);
  if (!decision) return {};
  return { approvals: { ...context.approvals, [card]: approvalOf(decision) } };
};

export const collectProposalApproval: ContextUpdate = (context, event) => {
  const decision = decidedBy(event);
  if (!decision) return {};
  const proposalApprovers = [...(context.approvals.proposalApprovers ?? []), approvalOf(decision)];
  return { approvals: { ...context.approvals, proposalApprovers } };
};

/** Why: the chart's reason, with the detail of an error, of what the person said, or of why no fix is known. */
export const recordEscalation: ContextUpdate<{ reason: string }> = (_context, event, { reason }) => {
  const decision = decidedBy(event);
  const said = decision && 'reason' in decision ? decision.reason : undefined;
  const noFix = event.type.startsWith('xstate.done.actor.propose') ? outputOf<ProposalOutcome>(event) : null;
  const detail = errorDetail(event) ?? said ?? (noFix && !noFix.fixable ? noFix.reason : undefined);
  return { escalation: { reason, detail, by: decision?.by, at: new Date().toISOString() } };
};

export const recordResolution: ContextUpdate = (_context, event) => {
  const decision = decidedBy(event);
  const note = decision && 'note' in decision ? decision.note : undefined;
  return { resolution: { by: decision?.by ?? { id: 'system' }, note, at: new Date().toISOString() } };
};

export const startRetry: ContextUpdate = (context) => ({ attempt: context.attempt + 1, ...freshAttempt() });

export const recordRepeat: ContextUpdate = (context) => ({ repeats: context.repeats + 1 });
export const recordAlerts: ContextUpdate = (context, event) => ({ alerts: tallyOf(event) ?? context.alerts });

export const recordRecovery: ContextUpdate = () => ({
  resolution: { by: { id: 'system' }, note: 'Every alert recovered at source.', at: new Date().toISOString(), atSource: true },
});

/**
 * Undo the fix: a rollback is a fix like any other (policy decides, perhaps a card, then `remediating`), made by
 * code from the steps that can be undone, last first. A new attempt, so its card, decision and step journal are its own.
 */
export const startRollback: ContextUpdate<{ reason: string }> = (context, event, { reason }) => {
  const toUndo = fixToUndo(context);
  const fix = toUndo?.proposal;
  if (!toUndo || !fix) return {};
  const undoable = stepsToUndo(context);
  const ranSteps = toUndo.execution?.steps ?? [];
  const notUndone = fix.steps.filter((step, i) => ranSteps[i]?.status === 'success' && step.undo !== 'rollback').map((step) => step.summary);
  const steps = undoable.map(({ step, ran }) => ({ pluginId: step.pluginId, args: step.args, summary: `Undo: ${step.summary}`, undo: 'none' as const, undoes: ran.idempotencyKey }));
  const rollback: FixProposal = {
    kind: 'rollback',
    summary: `Roll back: ${fix.summary}`,
    rationale: `${reason}: undo what the fix changed, last step first.`,
    riskClaim: fix.riskClaim,
    steps,
    // Not run for a rollback (it ends with people); kept so the proposal stays a well-formed fix.
    verification: fix.verification,
  };
  const by = decidedBy(event)?.by;
  return {
    attempt: context.attempt + 1,
    proposal: rollback,
    rollback: {
      reason,
      ...(by && { by }),
      at: new Date().toISOString(),
      fix: fix.summary,
      notUndone,
      // The fix as it ran; when this is a rollback asked for again, the fix its first rollback was for.
      original: context.proposal?.kind === 'rollback' && context.rollback?.original ? context.rollback.original : { proposal: fix, execution: toUndo.execution, verification: context.verification },
    },
    decision: null,
    execution: null,
    verification: null,
    cards: { diagnosis: context.cards.diagnosis },
    approvals: { diagnosis: context.approvals.diagnosis },
    escalation: null,
    resolution: null,
  };
};

/** A flap: the same incident, a new attempt, counted. */
export const startReopen: ContextUpdate = (context) => ({
  attempt: context.attempt + 1,
  flaps: (context.flaps ?? 0) + 1,
  ...freshAttempt(),
  resolution: null,
});

/** An update as the action setup() takes for the chart's events. */
function named<P extends Record<string, unknown> | undefined = undefined>(update: ContextUpdate<P>) {
  return assign<IncidentContext, IncidentEvent | FixStepped, P, IncidentEvent | FixStepped, never>(assigner(update));
}

/** The chart's context updates, by the names it uses (setup() takes them as they are). */
export const incidentActions = {
  adoptInput: named(adoptInput),
  startTimer: named(startTimer),
  recordTriage: named(recordTriage),
  recordDiagnosis: named(recordDiagnosis),
  recordCard: named(recordCard),
  armReminder: named(armReminder),
  recordReminder: named(recordReminder),
  recordApproval: named(recordApproval),
  collectProposalApproval: named(collectProposalApproval),
  recordProposal: named(recordProposal),
  recordDecision: named(recordDecision),
  recordStep: named(recordStep),
  recordVerification: named(recordVerification),
  recordEscalation: named(recordEscalation),
  recordResolution: named(recordResolution),
  startRetry: named(startRetry),
  startRollback: named(startRollback),
  recordRepeat: named(recordRepeat),
  recordAlerts: named(recordAlerts),
  recordRecovery: named(recordRecovery),
  startReopen: named(startReopen),
};
