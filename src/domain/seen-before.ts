import { z } from 'zod';

/**
 * A past incident like this one, as its diagnosis recalled it from vector memory: kept with the diagnosis
 * (small: ids, times, a capped cause), so the card and the console show what the diagnosis saw, also after a restart.
 */
export const PastIncidentSchema = z.object({
  incidentId: z.string().min(1).max(100),
  /** When it happened: its first alert's start, else when it ended (ISO). */
  at: z.iso.datetime({ offset: true }).optional(),
  /** The root cause its diagnosis found; untrusted text (from the model or the alert), capped. */
  cause: z.string().max(300).optional(),
  /** The plugins of the fix that ran, in order; empty when no fix ran. */
  fix: z.array(z.string().max(200)).max(10),
  /** The fix ran, succeeded and passed its verification. */
  verified: z.boolean(),
  /** Cosine similarity of this incident's alert to that one, 0–1. */
  similarity: z.number().min(0).max(1),
});
export type PastIncident = z.infer<typeof PastIncidentSchema>;

export const SeenBeforeSchema = z.object({
  /** The closest past incidents above the similarity floor, closest first (at most 3). */
  incidents: z.array(PastIncidentSchema).max(3),
  /** How many similar incidents happened in the last `days` days. */
  recent: z.object({
    days: z.number().int().min(1),
    count: z.number().int().min(0),
    /** The fix that resolved (verified) most of them, and how many. */
    fix: z.object({ pluginIds: z.array(z.string().max(200)).min(1).max(10), resolved: z.number().int().min(1) }).optional(),
  }),
});
export type SeenBefore = z.infer<typeof SeenBeforeSchema>;
