import { z } from 'zod';
import { SeveritySchema } from './severity';

const Text = (max: number) => z.string().trim().min(1).max(max);

/**
 * An alert as intake hands it to an incident. Everything in it came from outside and is untrusted
 * data: it is shown and quoted, never executed or obeyed.
 */
export const AlertSchema = z
  .object({
    source: Text(100),
    fingerprint: Text(200),
    title: Text(500),
    status: z.enum(['firing', 'resolved']).default('firing'),
    severity: SeveritySchema.default('medium'),
    service: Text(200).optional(),
    /** Host, pod or address the alert is about. */
    instance: Text(300).optional(),
    description: z.string().max(10_000).optional(),
    labels: z.record(z.string().max(200), z.string().max(2_000)).default({}),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    raw: z.string().max(20_000).optional(),
  })
  .strict();

export type Alert = z.infer<typeof AlertSchema>;
export type AlertInput = z.input<typeof AlertSchema>;
