import { z } from 'zod';

export const TriageResultSchema = z.discriminatedUnion('verdict', [
  z.object({ verdict: z.literal('new'), reason: z.string() }),
  z.object({ verdict: z.literal('duplicate'), reason: z.string(), duplicateOf: z.string() }),
  z.object({ verdict: z.literal('noise'), reason: z.string() }),
]);
export type TriageResult = z.infer<typeof TriageResultSchema>;
