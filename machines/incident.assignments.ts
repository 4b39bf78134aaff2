/**
 * The context updates behind the incident chart's assign actions, as pure functions (but for the clock).
 * The chart names each action in setup(), as `assign(assigner(update.recordX))`.
 */
import type { EventObject } from 'xstate';
import type {
  Diagnosis,
  ExecutionOutcome,
  IncidentContext,
  IncidentInput,
  PolicyDecision,
  ProposalOutcome,
  ReminderOutcome,
  SentMessage,
  TimerName,
  TriageResult,
  VerificationOutcome,
} from '../src/domain';
import { decidedBy, errorDetail, outputOf, tallyOf, timeoutOf } from './incident.rules';
import type { Decided, DecisionCard } from './incident.rules';

/** What one assign action does to the context, given the event and its params from the chart. */
export type ContextUpdate<P = void> = (context: IncidentContext, event: EventObject, params: P) => Partial<IncidentContext>;

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
  return { diagnosis: null, proposal: null, decision: null, execution: null, verification: null, cards: {}, approvals: {}, escalation: null };
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
export const recordExecution: ContextUpdate = (_context, event) => ({ execution: outputOf<ExecutionOutcome>(event) });
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

/** A flap: the same incident, a new attempt, counted. */
export const startReopen: ContextUpdate = (context) => ({
  attempt: context.attempt + 1,
  flaps: (context.flaps ?? 0) + 1,
  ...freshAttempt(),
  resolution: null,
});
