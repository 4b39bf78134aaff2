import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Risk } from '../domain';
import type { Scrubber } from '../security/redact';
import type { Targets } from './targets';

export type PluginCategory = 'diagnostic' | 'remediation';

/**
 * How far a plugin's effect can reach, narrowest first, so a policy can compare them:
 * `none` changes nothing (diagnostics); `single` one instance, process, session or key;
 * `service` every instance of one service; `cluster` shared infrastructure many services depend on.
 */
export const BLAST_RADII = ['none', 'single', 'service', 'cluster'] as const;
export type BlastRadius = (typeof BLAST_RADII)[number];

export interface PluginContext {
  signal: AbortSignal;
  logger: Logger;
  targets: Targets;
  /** When set, runPlugin scrubs every result's summary and data before anyone (model, chat, audit) sees it. */
  scrubber?: Scrubber;
  /**
   * A remediation step's key in the execution ledger (the same on every re-run of that step): plugins
   * that call APIs which dedupe requests pass it on (http.call sends it as `Idempotency-Key`).
   */
  idempotencyKey?: string;
}

/** Expected failures are results; only bugs throw. */
export interface PluginResult {
  status: 'success' | 'error' | 'no_data';
  summary: string;
  data?: Record<string, unknown>;
  /**
   * `data` may hold what must not sit in plain columns (query texts, log lines, command output): it is
   * kept only where stored data is encrypted (step journal, executions), not in snapshots or the audit trail.
   */
  sensitive?: boolean;
}

/** A plugin's own reading of one call's risk; `measures` are numbers policy bounds can check (e.g. replicasChange). */
export interface RiskAssessment {
  risk: Risk;
  /** Why, in words for the proposal card. */
  reason: string;
  measures?: Record<string, number>;
}

/**
 * Whether a remediation's effect can be undone: `rollback` — the plugin implements `rollback`;
 * `none` — it cannot be undone (deleted data, killed sessions, restarted processes). Undeclared: unknown.
 */
export const UNDO_KINDS = ['rollback', 'none'] as const;
export type Undo = (typeof UNDO_KINDS)[number];

/** After a crash mid-action: did the effect happen? */
export type Confirmation = 'applied' | 'not_applied' | 'unknown';

// Members taking Args use method syntax: methods are checked bivariantly, so a typed spec is
// assignable to AnyPlugin. Sound because callers parse args with the plugin's own schema first.
export interface PluginSpec<Args extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  version: number;
  category: PluginCategory;
  /** Diagnostics are `read-only`; remediation declares low | medium | high | critical. */
  risk: Risk;
  /** Diagnostics default to `none`. Remediation should declare it: undeclared counts as the widest. */
  blastRadius?: BlastRadius;
  /** For the model: what it does and when to use it. */
  description: string;
  /** For people, on cards. */
  summary(args: Args): string;
  args: z.ZodType<Args>;
  timeoutMs: number;
  /** Safe to run twice with the same args. */
  idempotent: boolean;
  /** Every result of this plugin counts as `sensitive` (runPlugin marks them). */
  sensitiveOutput?: boolean;
  run(args: Args, ctx: PluginContext): Promise<PluginResult>;
  /** The plan shown on the proposal card before approval. */
  dryRun?(args: Args, ctx: PluginContext): Promise<string>;
  /** Whether a run can be undone; a plugin with `rollback` must declare `rollback`. Undeclared: unknown. */
  undo?: Undo;
  /** When it depends on the call (http.call: whether the action names an undo action); only with `undo: 'rollback'`. */
  undoOf?(args: Args, ctx: PluginContext): Undo;
  /** Undoes a run that succeeded (fully or in part); `result` is what that run returned. Idempotent: a repeat is a no-op. */
  rollback?(args: Args, result: PluginResult, ctx: PluginContext): Promise<PluginResult>;
  /** Whether the effect of a run still holds: `success` yes, `error` no, `no_data` cannot tell. */
  verify?(args: Args, result: PluginResult, ctx: PluginContext): Promise<PluginResult>;
  /** Used on recovery when an intent was recorded but no result: checks instead of repeating. */
  confirm?(args: Args, ctx: PluginContext): Promise<Confirmation>;
  /**
   * Read-only, just before a run acts: what its `rollback` needs (the count it found), kept with the intent. If the
   * process dies before the run's own result is recorded and `confirm` says it applied, this is the result's data.
   */
  observe?(args: Args, ctx: PluginContext): Promise<Record<string, unknown>>;
  /** This call's risk when it can exceed the declared one; policy takes the higher. Read-only; undefined: no opinion. */
  riskOf?(args: Args, ctx: PluginContext): Promise<RiskAssessment | undefined>;
}

export type AnyPlugin = PluginSpec<Record<string, unknown>>;

export function definePlugin<Args extends Record<string, unknown>>(spec: PluginSpec<Args>): PluginSpec<Args> {
  return spec;
}

/** What policy should assume: a remediation that does not say is treated as the widest. */
export function blastRadiusOf(plugin: Pick<AnyPlugin, 'category' | 'blastRadius'>): BlastRadius {
  return plugin.blastRadius ?? (plugin.category === 'diagnostic' ? 'none' : 'cluster');
}

/** Whether this call can be undone; undefined when the plugin does not say or the args are not its own. Never throws. */
export function undoOfCall(plugin: AnyPlugin, rawArgs: unknown, ctx: PluginContext): Undo | undefined {
  if (plugin.undo === undefined || !plugin.undoOf) return plugin.undo;
  const parsed = plugin.args.safeParse(rawArgs);
  if (!parsed.success) return undefined;
  try {
    return plugin.undoOf(parsed.data, ctx);
  } catch (error) {
    ctx.logger.warn({ err: error, plugin: plugin.id }, 'undoOf threw');
    return undefined;
  }
}
