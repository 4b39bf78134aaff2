/**
 * What a post-incident summary is made of: facts read from the audit trail (each with the audit row that
 * records it, so a model's prose can cite its ground), and the texts people read.
 */
export type SummaryOutcome = 'resolved' | 'escalated' | 'recovered';

export interface SummaryDecision {
  /** The audit row (incident_events.id) that records it. */
  rowId: number;
  at: string;
  /** The person's id; `name` when the event carried it. */
  by: string;
  name?: string;
  /** A person's event type: `proposal.approved`, `incident.escalate` … */
  action: string;
}

export interface SummaryStep {
  pluginId: string;
  status: string;
  summary: string;
}

export interface SummaryFacts {
  incidentId: string;
  outcome: SummaryOutcome;
  openedAt: string;
  endedAt: string;
  /** The audit row of the incident's opening. */
  openedRow: number;
  fired: { title: string; service?: string; severity: string; alerts: number };
  cause?: { rowId?: number; summary: string; rootCause: string };
  decisions: SummaryDecision[];
  /** Plugin steps that ran (or, in a dry run, would have). */
  steps: SummaryStep[];
  stepsRow?: number;
  dryRun?: boolean;
  /** Verification after the fix: what changed, as the checks saw it. */
  verified?: boolean;
  escalationReason?: string;
  /** Time to acknowledge: first human action − opened; null when nobody acted. */
  ttaMs: number | null;
  /** Time to resolve: end − opened; null when it did not end resolved (escalated). */
  ttrMs: number | null;
  /** Audit row ids a model may cite. */
  rows: number[];
}

/** A model's prose about the facts, in both languages, with the audit rows it rests on. */
export interface SummaryProse {
  en: string;
  'zh-CN': string;
  cites: number[];
}

/** What is kept and shown: the facts and the text people read in each language. */
export interface IncidentSummary {
  facts: SummaryFacts;
  source: 'model' | 'template';
  text: { en: string; 'zh-CN': string };
}
