import { z } from 'zod';
import { SeveritySchema } from './severity';

export const EvidenceSchema = z.object({
  source: z.string(),
  summary: z.string(),
  status: z.enum(['success', 'error', 'no_data']),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const DiagnosisSchema = z.object({
  summary: z.string().min(1),
  rootCause: z.string().min(1),
  category: z.string().min(1),
  severity: SeveritySchema,
  affectedService: z.string().optional(),
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceSchema),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
