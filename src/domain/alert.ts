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
    /** The sender's own group (Alertmanager's `groupKey`): every alert of one group belongs to one incident. */
    groupKey: Text(1_000).optional(),
    raw: z.string().max(20_000).optional(),
  })
  .strict();

export type Alert = z.infer<typeof AlertSchema>;
export type AlertInput = z.input<typeof AlertSchema>;

/**
 * The alerts an incident holds, as the chart and its cards see them: counts and the first few affected
 * instances (the full list is in `incident_alerts`). Events carry it absolute, so a replayed event is harmless.
 */
export const AlertTallySchema = z
  .object({
    total: z.number().int().min(0),
    firing: z.number().int().min(0),
    /** The first affected instances/pods, in the order they fired (cards list them, then "and N more"). */
    affected: z.array(z.string().max(300)).max(20),
    affectedTotal: z.number().int().min(0),
    lastAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type AlertTally = z.infer<typeof AlertTallySchema>;
