import { z } from 'zod';

export const PluginResultStatusSchema = z.enum(['success', 'error', 'no_data']);

/**
 * What our own code (not a plugin) says of a step or check, for people: a catalog message (src/i18n) and its
 * values, shown in the reader's language. `summary` keeps the same in English for the audit and the model.
 */
export const OwnNoteSchema = z.object({ key: z.string(), values: z.record(z.string(), z.union([z.string(), z.number()])).optional() });
export type OwnNote = z.infer<typeof OwnNoteSchema>;

export const StepOutcomeSchema = z.object({
  pluginId: z.string(),
  idempotencyKey: z.string(),
  /** `unknown`: the process died mid-action and the effect could not be confirmed either way. */
  status: z.enum(['success', 'error', 'no_data', 'unknown']),
  summary: z.string(),
  note: OwnNoteSchema.optional(),
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
  checks: z.array(z.object({ pluginId: z.string(), passed: z.boolean(), summary: z.string(), note: OwnNoteSchema.optional() })),
});
export type VerificationOutcome = z.infer<typeof VerificationOutcomeSchema>;

/** One step of a fix, done: which of how many, and how it went. */
export interface FixStepReport {
  /** 0-based position in the fix. */
  index: number;
  of: number;
  outcome: StepOutcome;
  dryRun?: boolean;
}

/** The fix machine's report of a step to the incident, which records it (internal: never sent from outside). */
export type FixStepped = { type: 'fix.stepped' } & FixStepReport;
