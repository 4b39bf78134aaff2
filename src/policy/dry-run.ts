import type { ExecutionOutcome, FixProposal } from '../domain';

/** What a dry run reports instead of running: each step as it would have run, its plan when it had one. */
export function dryRunOutcome(proposal: FixProposal, keyOf: (index: number) => string): ExecutionOutcome {
  const steps = proposal.steps.map((step, index) => ({
    pluginId: step.pluginId,
    idempotencyKey: keyOf(index),
    status: 'no_data' as const,
    // The card says it was a dry run and what would have run; the step keeps its plan.
    summary: step.plan ?? step.summary,
    elapsedMs: 0,
    recovered: false,
  }));
  return { succeeded: false, dryRun: true, steps };
}
