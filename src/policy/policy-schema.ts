import { z } from 'zod';
import { CronError, parseCron } from './cron';
import { OnCallSchema } from './oncall-schema';
import { isTimeZone } from './time-zone';

/**
 * The policy file (POLICY_FILE, YAML or JSON). Every field has a safe default, so `{}` is the built-in
 * policy: low risk may run by itself within quotas, anything above asks a person, critical asks two.
 */

export const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export const BUILTIN_ROLES = ['viewer', 'operator', 'admin'] as const;
/** In a role list: any person, listed or not. */
export const ANYONE = '*';

const SPAN = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** `10m`, `62h`, or milliseconds. */
const Span = z
  .union([z.number().int().min(0), z.string().trim().regex(SPAN, 'expected a duration such as 90s, 10m, 2h or 1d')])
  .transform((v) => {
    if (typeof v === 'number') return v;
    const [, amount, unit] = SPAN.exec(v) ?? [];
    return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  });

const RoleName = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'expected a role name: lowercase letters, digits, - and _');
const RoleList = z.array(z.union([z.literal(ANYONE), RoleName]));
const PluginId = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'expected a plugin id such as "kubernetes.scale"');
const perLevel = <T extends z.ZodType>(schema: T) =>
  z.object({ low: schema.optional(), medium: schema.optional(), high: schema.optional(), critical: schema.optional() }).strict();

const ScopeSchema = z
  .object({
    targets: z.array(z.string().min(1)).optional(),
    namespaces: z.array(z.string().min(1)).optional(),
    services: z.array(z.string().min(1)).optional(),
  })
  .strict();

const BoundSchema = z
  .object({
    min: z.number().optional(),
    max: z.number().optional(),
    /** What a value outside the bound makes the step: a higher risk, or not allowed at all. */
    over: z.enum([...LEVELS, 'escalate']).default('escalate'),
  })
  .strict()
  .refine((b) => b.min !== undefined || b.max !== undefined, 'give min or max');

const FreezeSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** Each match starts a freeze lasting `duration`, on the wall clock of `timezone`. */
    cron: z.string().optional(),
    duration: Span.optional(),
    timezone: z.string().default('UTC'),
    /** Or one fixed span. */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (f.cron !== undefined) {
      try {
        parseCron(f.cron);
      } catch (error) {
        issue('cron', error instanceof CronError ? error.message : String(error));
      }
      if (f.duration === undefined || f.duration <= 0) issue('duration', 'a cron freeze needs a duration, e.g. 62h');
      else if (f.duration > 7 * UNIT_MS.d) issue('duration', 'at most 7d; use from/to for longer freezes');
      if (!isTimeZone(f.timezone)) issue('timezone', `unknown time zone "${f.timezone}"`);
      if (f.from !== undefined || f.to !== undefined) issue('cron', 'give cron + duration or from + to, not both');
    } else if (f.from === undefined || f.to === undefined) issue('from', 'give cron + duration, or from + to');
    else if (Date.parse(f.to) <= Date.parse(f.from)) issue('to', 'must be after from');
  });

const Count = z.number().int().min(1).max(10);

export const PolicyFileSchema = z
  .object({
    /** Evaluate and show plans; run nothing. */
    dryRun: z.boolean().default(false),
    autoExecute: z
      .object({
        /** The highest risk that may run without a person. Critical never does. */
        upTo: z.enum(['none', 'low', 'medium', 'high']).default('low'),
        maxStepsPerIncident: z.number().int().min(0).max(1_000).default(3),
        /** After an automatic action on a target, nothing more runs on it by itself for this long. */
        cooldown: Span.default(10 * UNIT_MS.m),
        /** Automatic executions per rolling hour, across all instances. */
        perHour: z.number().int().min(0).default(10),
        perServicePerHour: z.number().int().min(0).default(3),
      })
      .strict()
      .prefault({}),
    /** Nothing runs by itself while one is in force. */
    freezes: z.array(FreezeSchema).default([]),
    /** Role → Lark user ids (open ids). */
    roles: z.record(RoleName, z.array(z.string().trim().min(1).max(200))).default({}),
    /** The role of people not listed under `roles`; unset: they hold none. */
    everyone: RoleName.optional(),
    /** Roles that may approve a fix, by its risk. */
    approvers: perLevel(RoleList).prefault({}),
    /** Distinct approvers per risk; critical needs at least two. */
    approvalsRequired: z
      .object({ low: Count.optional(), medium: Count.optional(), high: Count.optional(), critical: Count.min(2).optional() })
      .strict()
      .prefault({}),
    /** Roles for the other decisions people make in chat. */
    decide: z
      .object({ diagnosis: RoleList.optional(), ignore: RoleList.optional(), retry: RoleList.optional(), resolve: RoleList.optional(), escalate: RoleList.optional(), rollback: RoleList.optional() })
      .strict()
      .prefault({}),
    fences: z
      .object({
        blockedPlugins: z.array(PluginId).default([]),
        /** Where each risk level may act; a step outside counts as the next level whose scope admits it. */
        scopes: perLevel(ScopeSchema).prefault({}),
        /** plugin id → argument (or measure the plugin reports, e.g. replicasChange) → bound. */
        bounds: z.record(PluginId, z.record(z.string().min(1), BoundSchema)).default({}),
      })
      .strict()
      .prefault({}),
    plugins: z.record(PluginId, z.object({ dryRun: z.boolean().default(false) }).strict()).default({}),
    /** Who is on call per role, whom cards @-mention, which escalations send Lark's urgent notification. */
    oncall: OnCallSchema.prefault({}),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const known = new Set<string>([...BUILTIN_ROLES, ...Object.keys(policy.roles), ANYONE]);
    const check = (list: string[] | undefined, path: (string | number)[]) =>
      list?.forEach((role, i) => {
        if (!known.has(role)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `unknown role "${role}"; known: ${[...known].join(', ')}` });
      });
    for (const level of LEVELS) check(policy.approvers[level], ['approvers', level]);
    for (const [name, list] of Object.entries(policy.decide)) check(list, ['decide', name]);
    for (const role of Object.keys(policy.oncall.roles)) {
      if (!known.has(role) || role === ANYONE) ctx.addIssue({ code: 'custom', path: ['oncall', 'roles', role], message: `unknown role "${role}"; known: ${[...known].filter((r) => r !== ANYONE).join(', ')}` });
    }
    if (policy.everyone !== undefined && !known.has(policy.everyone)) {
      ctx.addIssue({ code: 'custom', path: ['everyone'], message: `unknown role "${policy.everyone}"; known: ${[...known].join(', ')}` });
    }
  });

export type PolicyFile = z.output<typeof PolicyFileSchema>;
export type Scope = z.output<typeof ScopeSchema>;
export type Bound = z.output<typeof BoundSchema>;
