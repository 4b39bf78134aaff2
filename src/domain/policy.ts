import { z } from 'zod';
import { RiskSchema } from './severity';

export const PolicyDecisionSchema = z.object({
  action: z.enum(['auto_execute', 'require_approval', 'escalate']),
  risk: RiskSchema,
  reasons: z.array(z.string()),
  approvalsRequired: z.number().int().min(0),
});
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;
