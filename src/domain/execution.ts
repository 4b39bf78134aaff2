import { z } from 'zod';

export const PluginResultStatusSchema = z.enum(['success', 'error', 'no_data']);

export const StepOutcomeSchema = z.object({
  pluginId: z.string(),
  idempotencyKey: z.string(),
  /** `unknown`: the process died mid-action and the effect could not be confirmed either way. */
  status: z.enum(['success', 'error', 'no_data', 'unknown']),
  summary: z.string(),
  data: z.unknown().optional(),
  elapsedMs: z.number(),
  /** True when this result was established after a restart rather than by running the step now. */
  recovered: z.boolean().default(false),
});
export type StepOutcome = z.infer<typeof StepOutcomeSchema>;

export const ExecutionOutcomeSchema = z.object({
  succeeded: z.boolean(),
  steps: z.array(StepOutcomeSchema),
  /** Policy was in dry-run: nothing ran; each step says what it would have done. */
  dryRun: z.boolean().optional(),
});
export type ExecutionOutcome = z.infer<typeof ExecutionOutcomeSchema>;

export const VerificationOutcomeSchema = z.object({
  passed: z.boolean(),
  checks: z.array(z.object({ pluginId: z.string(), passed: z.boolean(), summary: z.string() })),
});
export type VerificationOutcome = z.infer<typeof VerificationOutcomeSchema>;
