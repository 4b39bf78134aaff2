import type { Alert, AlertTally } from './alert';
import type { Diagnosis } from './diagnosis';
import type { ExecutionOutcome, VerificationOutcome } from './execution';
import type { Actor, DecisionSource } from './people';
import type { PolicyDecision } from './policy';
import type { FixProposal } from './proposal';
import type { TriageResult } from './triage';

/** Timers an incident runs; each becomes a persisted absolute deadline when its state is entered. */
export type TimerName =
  | 'diagnosisApproval'
  | 'proposalApproval'
  | 'diagnosisStep'
  | 'proposalStep'
  | 'executionStep'
  | 'verificationStep'
  /** Escalated, every alert recovered: resolve unless one fires again within this long. */
  | 'recoveryQuiet'
  /** Recovered at source: an alert of the incident firing again within this long reopens it (a flap). */
  | 'reopenWindow'
  /** A decision card nobody answered: the next reminder (REMIND_AFTER, then each ESCALATION_CHAIN level); unset when none is due. */
  | 'reminder';

/** `reminder` is REMIND_AFTER (0 or absent: no reminders); snapshots from before reminders have none. */
export type Timeouts = Record<Exclude<TimerName, 'reminder'>, number> & {
  reminder?: number;
  /** How long after it ended `/rollback` may still undo an incident's last fix (ROLLBACK_WINDOW); absent in older snapshots: 1h. */
  rollbackWindow?: number;
};

export interface Approval {
  by: Actor;
  source: DecisionSource;
  at: string;
  comment?: string;
}

export interface Escalation {
  reason: string;
  detail?: string;
  by?: Actor;
  at: string;
}

/** How an incident treats its alerts' recovery. */
export interface RecoveryRules {
  /** Every alert recovered before anything changed: resolve without a person (RESOLVE_ON_RECOVERY). */
  resolveOnRecovery: boolean;
  /** After this many reopenings it no longer resolves by itself (FLAP_LIMIT). */
  flapLimit: number;
}

/** Why a fix is being undone, and what of it cannot be: kept beside the rollback proposal for the cards and the audit. */
export interface Rollback {
  /** The chart's reason ('Fix did not verify', 'Remediation failed', 'Rolled back by hand'). */
  reason: string;
  by?: Actor;
  at: string;
  /** The fix being undone, as it was proposed. */
  fix: string;
  /** Steps of that fix that ran but cannot be undone (their summaries). */
  notUndone: string[];
  /** The fix itself, as it ran: a rollback that undid nothing (rejected, timed out, failed) can be asked for again. Absent in older snapshots. */
  original?: { proposal: FixProposal; execution: ExecutionOutcome | null; verification: VerificationOutcome | null };
}

export interface IncidentInput {
  incidentId: string;
  /** The alert that opened it (the first firing one of its group). */
  alert: Alert;
  /** Every alert it holds so far; absent in snapshots written before incidents held groups. */
  alerts?: AlertTally;
  /** How later alerts find it (see groupKeyOf); absent when only its fingerprint does. */
  groupKey?: string;
  recovery?: RecoveryRules;
  chatId: string;
  /** The chat message that carried the alert: cards thread under it, progress shows on it. */
  alertMessageId?: string;
  timeouts: Timeouts;
}

/** Set by the `adoptInput` entry action; null only in the chart's blank literal. */
export interface IncidentContext extends Omit<IncidentInput, 'alert'> {
  alert: Alert | null;
  /** Bumped by a retry; part of every step's idempotency key. */
  attempt: number;
  triage: TriageResult | null;
  diagnosis: Diagnosis | null;
  proposal: FixProposal | null;
  decision: PolicyDecision | null;
  execution: ExecutionOutcome | null;
  verification: VerificationOutcome | null;
  cards: { diagnosis?: string; proposal?: string };
  /** `proposal` is the approval that completed the fix's quorum; `proposalApprovers` every one so far, distinct people. */
  approvals: { diagnosis?: Approval; proposal?: Approval; proposalApprovers?: Approval[] };
  /** ISO timestamps, set when a timed state is entered and persisted with the snapshot. */
  deadlines: Partial<Record<TimerName, string>>;
  escalation: Escalation | null;
  resolution: { by: Actor; note?: string; at: string; atSource?: boolean } | null;
  /** Times it reopened because an alert fired again after it recovered at source. */
  flaps?: number;
  /** Alerts with the same fingerprint that were merged into this incident. */
  repeats: number;
  /** Set while (and after) a fix is rolled back; its proposal is then the rollback. Absent before rollbacks existed. */
  rollback?: Rollback | null;
  /** Reminders sent about each decision card of this attempt (0: none yet); absent before reminders existed. */
  reminded?: Partial<Record<'diagnosis' | 'proposal', number>>;
}

interface Decided {
  by: Actor;
  source: DecisionSource;
}

export type IncidentEvent =
  | ({ type: 'diagnosis.approved'; comment?: string } & Decided)
  | ({ type: 'diagnosis.rejected'; reason?: string } & Decided)
  | ({ type: 'proposal.approved'; comment?: string } & Decided)
  | ({ type: 'proposal.rejected'; reason?: string } & Decided)
  | ({ type: 'incident.escalate'; reason?: string } & Decided)
  | ({ type: 'incident.ignore'; reason?: string } & Decided)
  | ({ type: 'incident.retry' } & Decided)
  | ({ type: 'incident.resolve'; note?: string } & Decided)
  /** Undo the last fix (escalated or resolved, within ROLLBACK_WINDOW); policy decides whether it runs by itself. */
  | ({ type: 'incident.rollback'; reason?: string } & Decided)
  | { type: 'alert.repeated'; status: Alert['status']; fromIncident?: string; alertMessageId?: string }
  /** Alerts of its group that fire (new to it, or again after recovering); `alerts` is the whole tally after them. */
  | { type: 'alert.joined'; joined: number; alerts: AlertTally; alertMessageId?: string }
  /** Alerts of it that recovered at source; `alerts.firing` says how many still fire. */
  | { type: 'alert.recovered'; recovered: number; alerts: AlertTally; alertMessageId?: string };

export type IncidentEventType = IncidentEvent['type'];

/** Timers read their absolute deadline from `context.deadlines[timer]`, so it survives restarts. */
export interface WaitUntilInput {
  timer: TimerName;
  /** With no deadline set, wait for the state's other ways out instead of failing (a reminder that is not due). */
  optional?: boolean;
}
/** Which card a reminder is about; its level is how many reminders that card had so far. */
export interface ReminderInput {
  card: 'diagnosis' | 'proposal';
}
/** What a reminder did, for the audit trail; `nextInMs` arms the next level (null: the chain is done). */
export interface ReminderOutcome {
  card: 'diagnosis' | 'proposal';
  /** 0: the first reminder (REMIND_AFTER); n: the n-th level of ESCALATION_CHAIN. */
  level: number;
  /** The role, group or person the level names; absent for the first reminder (the card's own deciders). */
  to?: string;
  mentioned: string[];
  /** Messages posted: the reminder in the card's thread, and in a group the level names. */
  messageIds: string[];
  nextInMs: number | null;
  /** Set when the reminder could not be posted; the chain goes on. */
  failed?: string;
}
export interface AnnouncementInput {
  outcome: 'resolved' | 'escalated' | 'recovered';
}
export interface SentMessage {
  messageId: string;
}
