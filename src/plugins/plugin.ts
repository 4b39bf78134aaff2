import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Risk } from '../domain';
import type { Targets } from './targets';

export type PluginCategory = 'diagnostic' | 'remediation';

export interface PluginContext {
  signal: AbortSignal;
  logger: Logger;
  targets: Targets;
}

/** Expected failures are results; only bugs throw. */
export interface PluginResult {
  status: 'success' | 'error' | 'no_data';
  summary: string;
  data?: Record<string, unknown>;
}

/** After a crash mid-action: did the effect happen? */
export type Confirmation = 'applied' | 'not_applied' | 'unknown';

export interface PluginSpec<Args extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  version: number;
  category: PluginCategory;
  /** Diagnostics are `read-only`; remediation declares low | medium | high | critical. */
  risk: Risk;
  /** For the model: what it does and when to use it. */
  description: string;
  /** For people, on cards. */
  summary: (args: Args) => string;
  args: z.ZodType<Args>;
  timeoutMs: number;
  /** Safe to run twice with the same args. */
  idempotent: boolean;
  run(args: Args, ctx: PluginContext): Promise<PluginResult>;
  /** The plan shown before approval. */
  dryRun?(args: Args, ctx: PluginContext): Promise<string>;
  /** Used on recovery when an intent was recorded but no result: checks instead of repeating. */
  confirm?(args: Args, ctx: PluginContext): Promise<Confirmation>;
}

export type AnyPlugin = PluginSpec<Record<string, unknown>>;

export function definePlugin<Args extends Record<string, unknown>>(spec: PluginSpec<Args>): PluginSpec<Args> {
  return spec;
}
