import type { Alert, Diagnosis, ProposalOutcome } from '../domain';

export interface StepContext {
  incidentId: string;
  signal: AbortSignal;
}

/**
 * What the workflow needs from a model: a diagnosis of an alert and a fix for a confirmed diagnosis.
 * The offline runbook engine implements it now; the LLM agent loop (Anthropic, OpenAI) will too.
 */
export interface Diagnostician {
  diagnose(alert: Alert, ctx: StepContext): Promise<Diagnosis>;
  propose(alert: Alert, diagnosis: Diagnosis, ctx: StepContext): Promise<ProposalOutcome>;
}
