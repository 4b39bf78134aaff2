import { z } from 'zod';
import { AgentRunSchema } from './diagnosis';
import { RiskSchema } from './severity';

export const PluginCallSchema = z.object({
  pluginId: z.string().min(1),
  args: z.record(z.string(), z.unknown()),
});
export type PluginCall = z.infer<typeof PluginCallSchema>;

export const FixStepSchema = PluginCallSchema.extend({
  summary: z.string(),
  /** The plugin's dry run: what it would do, shown before anyone approves. */
  plan: z.string().optional(),
  /** Whether the step can be undone, from the plugin (code): `rollback` yes, `none` no; absent: unknown (or an older proposal). */
  undo: z.enum(['rollback', 'none']).optional(),
  /** A rollback's step: the idempotency key of the run it undoes (its plugin's `rollback`, given that run's result). */
  undoes: z.string().min(1).optional(),
});
export type FixStep = z.infer<typeof FixStepSchema>;

/** A number the check's data must show once the fix holds; an array counts by its length. */
export const ExpectationSchema = z
  .object({ path: z.string().min(1), atMost: z.number().optional(), atLeast: z.number().optional() })
  .refine((e) => e.atMost !== undefined || e.atLeast !== undefined, 'give atMost or atLeast');
export type Expectation = z.infer<typeof ExpectationSchema>;

/** A diagnostic that must succeed (and meet its expectations) after the fix. */
export const VerificationCheckSchema = PluginCallSchema.extend({ expect: z.array(ExpectationSchema).max(10).optional() });
export type VerificationCheck = z.infer<typeof VerificationCheckSchema>;

export const FixProposalSchema = z.object({
  /** `rollback`: undoes the steps of a fix that failed or did not verify (built by code, never by the model). Absent: a fix. */
  kind: z.enum(['fix', 'rollback']).optional(),
  summary: z.string().min(1),
  rationale: z.string(),
  /** The proposer's own risk estimate. Policy may raise it, never lower it. */
  riskClaim: RiskSchema,
  steps: z.array(FixStepSchema).min(1).max(10),
  /** Diagnostic checks that must pass after the fix for the incident to count as resolved. */
  verification: z.array(VerificationCheckSchema).min(1).max(10),
  /** What should be true once the fix holds, in words. */
  expectedOutcome: z.string().optional(),
  /** How each step can be undone, from the plugins that can undo themselves (code, not the proposer). */
  rollback: z.array(z.string()).optional(),
  agent: AgentRunSchema.optional(),
  /** The past incident whose verified fix this proposal reuses (the offline engine, from memory). */
  reusedFrom: z.object({ incidentId: z.string().min(1), fixedAt: z.iso.datetime({ offset: true }).optional() }).optional(),
});
export type FixProposal = z.infer<typeof FixProposalSchema>;

export const ProposalOutcomeSchema = z.discriminatedUnion('fixable', [
  z.object({ fixable: z.literal(true), proposal: FixProposalSchema }),
  z.object({ fixable: z.literal(false), reason: z.string() }),
]);
export type ProposalOutcome = z.infer<typeof ProposalOutcomeSchema>;
