import type { Alert } from './alert';
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
  | 'verificationStep';

export type Timeouts = Record<TimerName, number>;

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

export interface IncidentInput {
  incidentId: string;
  alert: Alert;
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
  resolution: { by: Actor; note?: string; at: string } | null;
  /** Alerts with the same fingerprint that were merged into this incident. */
  repeats: number;
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
  | { type: 'alert.repeated'; status: Alert['status']; fromIncident?: string; alertMessageId?: string };

export type IncidentEventType = IncidentEvent['type'];

/** Timers read their absolute deadline from `context.deadlines[timer]`, so it survives restarts. */
export interface WaitUntilInput {
  timer: TimerName;
}
export interface AnnouncementInput {
  outcome: 'resolved' | 'escalated';
}
export interface SentMessage {
  messageId: string;
}
