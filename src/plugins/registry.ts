import { z } from 'zod';
import { RiskSchema } from '../domain';
import { BLAST_RADII, UNDO_KINDS } from './plugin';
import type { AnyPlugin, PluginCategory } from './plugin';

const PLUGIN_ID_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

const isFunction = (value: unknown): boolean => typeof value === 'function';
const functionSchema = z.custom<(...args: never[]) => unknown>(isFunction, { error: 'Expected a function' });
// Duck-typed: a plugin in PLUGINS_DIR may resolve its own copy of zod, which instanceof would reject.
const hasSafeParse = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && 'safeParse' in value && typeof value.safeParse === 'function';
const zodSchema = z.custom<z.ZodType>(hasSafeParse, { error: 'Expected a zod schema' });

/** Shape check for specs loaded from code we do not type-check together (e.g. discovered plugin files). */
const PluginShapeSchema = z
  .object({
    id: z.string().regex(PLUGIN_ID_PATTERN, 'Expected a dotted lowercase id such as "http.probe"'),
    version: z.number().int().positive(),
    category: z.enum(['diagnostic', 'remediation']),
    risk: RiskSchema,
    blastRadius: z.enum(BLAST_RADII).optional(),
    description: z.string().min(1),
    summary: functionSchema,
    args: zodSchema,
    timeoutMs: z.number().int().positive(),
    idempotent: z.boolean(),
    sensitiveOutput: z.boolean().optional(),
    run: functionSchema,
    dryRun: functionSchema.optional(),
    undo: z.enum(UNDO_KINDS).optional(),
    undoOf: functionSchema.optional(),
    rollback: functionSchema.optional(),
    verify: functionSchema.optional(),
    confirm: functionSchema.optional(),
    observe: functionSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    checkUndo(spec, ctx);
    if (spec.category === 'diagnostic') {
      if (spec.risk !== 'read-only') {
        ctx.addIssue({ code: 'custom', path: ['risk'], message: `A diagnostic must be 'read-only', not '${spec.risk}'` });
      }
      if (spec.blastRadius !== undefined && spec.blastRadius !== 'none') {
        ctx.addIssue({ code: 'custom', path: ['blastRadius'], message: `A diagnostic changes nothing: 'none', not '${spec.blastRadius}'` });
      }
      return;
    }
    if (spec.risk === 'read-only') {
      ctx.addIssue({ code: 'custom', path: ['risk'], message: "A remediation cannot be 'read-only'" });
    }
    if (spec.blastRadius === undefined) {
      ctx.addIssue({ code: 'custom', path: ['blastRadius'], message: "A remediation must say how far it reaches: 'single', 'service' or 'cluster'" });
    } else if (spec.blastRadius === 'none') {
      ctx.addIssue({ code: 'custom', path: ['blastRadius'], message: "A remediation changes something: its blast radius cannot be 'none'" });
    }
  });

type ShapeIssues = z.core.$RefinementCtx;
interface UndoFields {
  category: PluginCategory;
  undo?: 'rollback' | 'none' | undefined;
  undoOf?: unknown;
  rollback?: unknown;
}

/** `undo` says what `rollback` and `undoOf` do: the three must agree, and a diagnostic has nothing to undo. */
function checkUndo(spec: UndoFields, ctx: ShapeIssues): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (spec.category === 'diagnostic' && (spec.undo !== undefined || spec.rollback !== undefined)) {
    issue('undo', 'A diagnostic changes nothing: it declares neither undo nor rollback');
    return;
  }
  if (spec.rollback !== undefined && spec.undo !== 'rollback') issue('undo', "A plugin with rollback must declare undo: 'rollback'");
  if (spec.undo === 'rollback' && spec.rollback === undefined) issue('rollback', "undo: 'rollback' needs a rollback function");
  if (spec.undoOf !== undefined && spec.undo !== 'rollback') issue('undoOf', "undoOf is only for plugins that declare undo: 'rollback'");
}

export type PluginSpecCheck = { ok: true; plugin: AnyPlugin } | { ok: false; problem: string };

/** The spec check at the boundary where plugin code arrives untyped (a discovered file's default export). */
export function checkPluginSpec(value: unknown): PluginSpecCheck {
  const shape = PluginShapeSchema.safeParse(value);
  if (!shape.success) return { ok: false, problem: `Invalid plugin "${idOf(value)}":\n${z.prettifyError(shape.error)}` };
  // Every field is checked except the functions' signatures, which no run-time check can see.
  return { ok: true, plugin: value as AnyPlugin };
}

function idOf(value: unknown): string {
  const id = typeof value === 'object' && value !== null && 'id' in value ? value.id : undefined;
  return typeof id === 'string' ? id : '(no id)';
}

export class PluginRegistry {
  private readonly plugins = new Map<string, AnyPlugin>();

  register(plugin: AnyPlugin): void {
    const check = checkPluginSpec(plugin);
    if (!check.ok) throw new Error(check.problem);
    if (this.plugins.has(plugin.id)) throw new Error(`Plugin "${plugin.id}" is already registered`);
    this.plugins.set(plugin.id, plugin);
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
