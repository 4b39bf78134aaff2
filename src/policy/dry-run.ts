import type { FixStep, StepOutcome } from '../domain';

/** What a dry run reports instead of running a step: the step as it would have run, its plan when it had one. */
export function dryRunStep(step: FixStep, idempotencyKey: string): StepOutcome {
  // The card says it was a dry run and what would have run; the step keeps its plan.
  return { pluginId: step.pluginId, idempotencyKey, status: 'no_data', summary: step.plan ?? step.summary, elapsedMs: 0, recovered: false };
}
