import { z } from 'zod';

/** A configured HTTP action, e.g. a deploy tool's restart hook. */
export const HttpActionSchema = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    path: z.string().startsWith('/'),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    risk: z.enum(['low', 'medium', 'high', 'critical']).default('medium'),
    description: z.string().optional(),
    /** Remedies what a failing health check shows; the offline runbook proposes it then. */
    remediatesUnhealthy: z.boolean().default(false),
  })
  .strict();
export type HttpAction = z.infer<typeof HttpActionSchema>;

export const HttpTargetSchema = z
  .object({
    baseUrl: z.url(),
    healthPath: z.string().startsWith('/').default('/healthz'),
    expectStatus: z.number().int().min(100).max(599).default(200),
    headers: z.record(z.string(), z.string()).default({}),
    actions: z.record(z.string(), HttpActionSchema).default({}),
  })
  .strict();
export type HttpTarget = z.infer<typeof HttpTargetSchema>;

/** What plugins may touch. Plugins get connections from here, never from the environment. */
export const TargetsSchema = z
  .object({
    http: z.record(z.string(), HttpTargetSchema).default({}),
  })
  .strict();
export type Targets = z.infer<typeof TargetsSchema>;
