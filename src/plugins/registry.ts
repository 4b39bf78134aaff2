import { z } from 'zod';
import httpProbe from '../../plugins/diagnostic/http-probe';
import httpCall from '../../plugins/remediation/http-call';
import { RiskSchema } from '../domain';
import type { AnyPlugin, PluginCategory, PluginSpec } from './plugin';

const PLUGIN_ID_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

const isFunction = (value: unknown): boolean => typeof value === 'function';
const functionSchema = z.custom<(...args: never[]) => unknown>(isFunction, { error: 'Expected a function' });
const zodSchema = z.custom<z.ZodType>((value) => value instanceof z.ZodType, { error: 'Expected a zod schema' });

/** Shape check for specs loaded from code we do not type-check together (e.g. discovered plugin files). */
const PluginShapeSchema = z
  .object({
    id: z.string().regex(PLUGIN_ID_PATTERN, 'Expected a dotted lowercase id such as "http.probe"'),
    version: z.number().int().positive(),
    category: z.enum(['diagnostic', 'remediation']),
    risk: RiskSchema,
    description: z.string().min(1),
    summary: functionSchema,
    args: zodSchema,
    timeoutMs: z.number().int().positive(),
    idempotent: z.boolean(),
    run: functionSchema,
    dryRun: functionSchema.optional(),
    confirm: functionSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.category === 'diagnostic' && spec.risk !== 'read-only') {
      ctx.addIssue({ code: 'custom', path: ['risk'], message: `A diagnostic must be 'read-only', not '${spec.risk}'` });
    }
    if (spec.category === 'remediation' && spec.risk === 'read-only') {
      ctx.addIssue({ code: 'custom', path: ['risk'], message: "A remediation cannot be 'read-only'" });
    }
  });

export class PluginRegistry {
  private readonly plugins = new Map<string, AnyPlugin>();

  register<Args extends Record<string, unknown>>(plugin: PluginSpec<Args>): void {
    const shape = PluginShapeSchema.safeParse(plugin);
    if (!shape.success) {
      const id = typeof plugin.id === 'string' ? plugin.id : '(no id)';
      throw new Error(`Invalid plugin "${id}":\n${z.prettifyError(shape.error)}`);
    }
    if (this.plugins.has(plugin.id)) throw new Error(`Plugin "${plugin.id}" is already registered`);
    // Sound as long as callers parse args with the plugin's own schema first (runPlugin, describeCall and recovery do).
    this.plugins.set(plugin.id, plugin as unknown as AnyPlugin);
  }

  get(id: string): AnyPlugin | undefined {
    return this.plugins.get(id);
  }

  list(): AnyPlugin[] {
    return [...this.plugins.values()];
  }

  byCategory(category: PluginCategory): AnyPlugin[] {
    return this.list().filter((plugin) => plugin.category === category);
  }
}

export function createBuiltinRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  registry.register(httpProbe);
  registry.register(httpCall);
  return registry;
}
