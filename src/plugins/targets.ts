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
    /** Another action of the same target that undoes this one (e.g. `enable` for `disable`); without one, a call cannot be undone. */
    undo: z.string().min(1).optional(),
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
  .strict()
  .superRefine((target, ctx) => {
    for (const [name, action] of Object.entries(target.actions)) {
      if (action.undo === undefined) continue;
      if (action.undo === name) ctx.addIssue({ code: 'custom', path: ['actions', name, 'undo'], message: 'an action cannot undo itself' });
      else if (!Object.hasOwn(target.actions, action.undo)) {
        ctx.addIssue({ code: 'custom', path: ['actions', name, 'undo'], message: `names no action of this target: "${action.undo}"` });
      }
    }
  });
export type HttpTarget = z.infer<typeof HttpTargetSchema>;

const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, . _ - (max 63)');

/** A Postgres server a plugin may inspect or act on. `url` may embed `${ENV_VAR}` references. */
export const PostgresTargetSchema = z
  .object({
    url: z.string().min(1),
    /** Statements run with this timeout, so a diagnostic never hangs on a locked server. */
    statementTimeoutMs: z.number().int().positive().default(5_000),
  })
  .strict();

export const RedisTargetSchema = z.object({ url: z.string().min(1) }).strict();

/** A Prometheus (or compatible) HTTP API, and a Loki for `logs.search`. */
export const QueryApiTargetSchema = z
  .object({ baseUrl: z.url(), headers: z.record(z.string(), z.string()).default({}) })
  .strict();

export const KubernetesTargetSchema = z
  .object({
    /** API server URL. */
    server: z.url(),
    token: z.string().optional(),
    /** PEM of the cluster CA; omit for a server with a publicly trusted certificate. */
    caData: z.string().optional(),
    skipTlsVerify: z.boolean().default(false),
    /** The namespaces plugins may touch; nothing outside them. */
    namespaces: z.array(z.string().min(1)).min(1),
  })
  .strict();

/** An argument of an allowlisted command: typed, and checked against a pattern before it is passed. */
export const CommandArgSchema = z
  .object({ name: Name, pattern: z.string().min(1), description: z.string().optional() })
  .strict();

/** A command `shell.run` may run: an absolute program path and argv template, never a shell string. */
export const AllowedCommandSchema = z
  .object({
    program: z.string().startsWith('/'),
    /** argv after the program; `{name}` is replaced by the named, pattern-checked argument. */
    argv: z.array(z.string()).default([]),
    args: z.array(CommandArgSchema).default([]),
    risk: z.enum(['low', 'medium', 'high', 'critical']).default('medium'),
    timeoutMs: z.number().int().positive().max(600_000).default(30_000),
    description: z.string().optional(),
  })
  .strict();

/** The local host's read-only checks and the things on it plugins may act on. */
export const HostTargetSchema = z
  .object({
    /** Log files `logs.search` may read (absolute paths or globs under an absolute directory). */
    logFiles: z.array(z.string().startsWith('/')).default([]),
    /** systemd units `systemd.restart_unit` may restart. */
    units: z.array(z.string().min(1)).default([]),
    /** Commands `shell.run` may run, by name. */
    commands: z.record(Name, AllowedCommandSchema).default({}),
  })
  .strict();

/**
 * What plugins may touch, by kind and name (TARGETS_FILE, YAML or JSON). Plugins get connections
 * from here, never from the environment, and touch nothing that is not listed.
 */
export const TargetsSchema = z
  .object({
    http: z.record(Name, HttpTargetSchema).default({}),
    postgres: z.record(Name, PostgresTargetSchema).default({}),
    redis: z.record(Name, RedisTargetSchema).default({}),
    prometheus: z.record(Name, QueryApiTargetSchema).default({}),
    loki: z.record(Name, QueryApiTargetSchema).default({}),
    kubernetes: z.record(Name, KubernetesTargetSchema).default({}),
    hosts: z.record(Name, HostTargetSchema).default({}),
  })
  .strict();
export type Targets = z.infer<typeof TargetsSchema>;
