import { z } from 'zod';
import { SeenBeforeSchema } from './seen-before';
import { SeveritySchema } from './severity';

export const EvidenceSchema = z.object({
  source: z.string(),
  summary: z.string(),
  status: z.enum(['success', 'error', 'no_data']),
  /** The tool result this finding was read from (the agent loop's reference, e.g. E2) and what the tool itself reported. */
  citation: z
    .object({
      ref: z.string(),
      toolSummary: z.string(),
      /** The check ran and answered (a healthy reading, or a problem it saw), as opposed to failing to look. */
      observed: z.boolean().optional(),
    })
    .optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** Which model produced an answer and what it cost: tokens and USD (unknown price → no cost). */
export const AgentRunSchema = z.object({
  provider: z.string(),
  model: z.string(),
  turns: z.number().int().min(0),
  toolCalls: z.number().int().min(0),
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  costUsd: z.number().min(0).optional(),
});
export type AgentRun = z.infer<typeof AgentRunSchema>;

export const DiagnosisSchema = z.object({
  summary: z.string().min(1),
  rootCause: z.string().min(1),
  category: z.string().min(1),
  severity: SeveritySchema,
  affectedService: z.string().optional(),
  /** Computed by code from the evidence, never the model's word. */
  confidence: z.number().min(0).max(1),
  /** Why the confidence is what it is; says so when the evidence is weak. */
  confidenceNote: z.string().optional(),
  evidence: z.array(EvidenceSchema),
  agent: AgentRunSchema.optional(),
  /** The runbook (path in RUNBOOKS_DIR) this diagnosis followed, when one did. */
  runbook: z.string().optional(),
  /** Similar past incidents memory recalled for this diagnosis; absent when memory had none (or in older snapshots). */
  seenBefore: SeenBeforeSchema.optional(),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
