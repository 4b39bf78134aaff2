import type { Alert, Diagnosis, ProposalOutcome } from '../domain';

export interface StepContext {
  incidentId: string;
  /** Which run of the workflow this is (a retry starts a new one): part of every journal key. */
  attempt: number;
  signal: AbortSignal;
}

/**
 * What the workflow needs from a model: a diagnosis of an alert and a fix for a confirmed diagnosis.
 * The offline runbook engine and the LLM agent loop (Anthropic, OpenAI) implement it.
 */
export interface Diagnostician {
  diagnose(alert: Alert, ctx: StepContext): Promise<Diagnosis>;
  propose(alert: Alert, diagnosis: Diagnosis, ctx: StepContext): Promise<ProposalOutcome>;
}
