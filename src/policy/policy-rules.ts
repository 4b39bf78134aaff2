import type { FreezeWindow } from './freeze';
import { onCallRulesOf } from './oncall';
import type { OnCallRules } from './oncall';
import { ANYONE, LEVELS, PolicyFileSchema } from './policy-schema';
import type { Bound, Level, PolicyFile, Scope } from './policy-schema';

export type DecisionKind = 'diagnosis' | 'ignore' | 'retry' | 'resolve' | 'escalate' | 'rollback';

/** The policy in force, with every default filled in. */
export interface PolicyRules {
  /** Where it came from: a file path, or `built-in`. */
  source: string;
  dryRun: boolean;
  autoExecute: { upTo: 'none' | 'low' | 'medium' | 'high'; maxStepsPerIncident: number; cooldownMs: number; perHour: number; perServicePerHour: number };
  freezes: FreezeWindow[];
  /** Role → user ids. */
  roles: Record<string, string[]>;
  /** Role of people not listed; undefined: none. */
  everyone?: string;
  approvers: Record<Level, string[]>;
  approvalsRequired: Record<Level, number>;
  decide: Record<DecisionKind, string[]>;
  blockedPlugins: string[];
  scopes: Partial<Record<Level, Scope>>;
  bounds: Record<string, Record<string, Bound>>;
  dryRunPlugins: string[];
  /** Who is on call, whom cards mention, when escalations send urgent notifications. */
  oncall: OnCallRules;
}

const OPERATORS = ['operator', 'admin'];
const DEFAULT_APPROVALS: Record<Level, number> = { low: 1, medium: 1, high: 1, critical: 2 };

export class PolicyError extends Error {
  override name = 'PolicyError';
}

function normalize(file: PolicyFile, source: string): PolicyRules {
  const { autoExecute, fences } = file;
  return {
    source,
    dryRun: file.dryRun,
    autoExecute: {
      upTo: autoExecute.upTo,
      maxStepsPerIncident: autoExecute.maxStepsPerIncident,
      cooldownMs: autoExecute.cooldown,
      perHour: autoExecute.perHour,
      perServicePerHour: autoExecute.perServicePerHour,
    },
    freezes: file.freezes.map((f): FreezeWindow =>
      f.cron !== undefined
        ? { name: f.name, cron: f.cron, durationMs: f.duration ?? 0, timezone: f.timezone }
        : { name: f.name, from: new Date(f.from ?? 0), to: new Date(f.to ?? 0) },
    ),
    roles: file.roles,
    everyone: file.everyone,
    approvers: Object.fromEntries(LEVELS.map((l) => [l, file.approvers[l] ?? OPERATORS])) as Record<Level, string[]>,
    approvalsRequired: Object.fromEntries(LEVELS.map((l) => [l, file.approvalsRequired[l] ?? DEFAULT_APPROVALS[l]])) as Record<Level, number>,
    decide: {
      diagnosis: file.decide.diagnosis ?? OPERATORS,
      ignore: file.decide.ignore ?? OPERATORS,
      retry: file.decide.retry ?? OPERATORS,
      resolve: file.decide.resolve ?? OPERATORS,
      // Undoing a fix changes production again: the operators, as for retrying or resolving.
      rollback: file.decide.rollback ?? OPERATORS,
      escalate: file.decide.escalate ?? [ANYONE],
    },
    blockedPlugins: fences.blockedPlugins,
    scopes: fences.scopes,
    bounds: fences.bounds,
    dryRunPlugins: Object.entries(file.plugins).filter(([, p]) => p.dryRun).map(([id]) => id),
    oncall: onCallRulesOf(file.oncall),
  };
}

/** A policy from parsed YAML/JSON; a PolicyError names every bad field. */
export function parsePolicy(raw: unknown, source: string): PolicyRules {
  const parsed = PolicyFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(top level)'}: ${i.message}`);
    throw new PolicyError(`Invalid policy ${source}:\n  ${problems.join('\n  ')}`);
  }
  return normalize(parsed.data, source);
}

export interface BuiltinPolicyOptions {
  /** AUTO_EXECUTE_LOW_RISK. */
  autoExecuteLowRisk: boolean;
  /** APPROVER_IDS: these are operators; empty means everyone is. */
  approverIds: readonly string[];
  /** DRY_RUN. */
  dryRun: boolean;
}

/** The policy without a POLICY_FILE: safe defaults, shaped by the older environment switches. */
export function builtinPolicy(options: BuiltinPolicyOptions): PolicyRules {
  const rules = parsePolicy({}, 'built-in');
  return {
    ...rules,
    dryRun: options.dryRun,
    autoExecute: { ...rules.autoExecute, upTo: options.autoExecuteLowRisk ? 'low' : 'none' },
    roles: options.approverIds.length ? { operator: [...options.approverIds] } : {},
    everyone: options.approverIds.length ? undefined : 'operator',
  };
}

/** Roles `who` holds. */
export function rolesOf(rules: PolicyRules, who: string): string[] {
  const held = Object.entries(rules.roles).filter(([, ids]) => ids.includes(who)).map(([role]) => role);
  if (rules.everyone && !held.includes(rules.everyone)) held.push(rules.everyone);
  return held;
}

export function holdsAny(rules: PolicyRules, who: string, allowed: readonly string[]): boolean {
  if (allowed.includes(ANYONE)) return true;
  return rolesOf(rules, who).some((role) => allowed.includes(role));
}

/** Everyone who holds one of `allowed`; null when that is anybody at all. */
export function holders(rules: PolicyRules, allowed: readonly string[]): string[] | null {
  if (allowed.includes(ANYONE) || (rules.everyone !== undefined && allowed.includes(rules.everyone))) return null;
  const ids = allowed.flatMap((role) => rules.roles[role] ?? []);
  return [...new Set(ids)].sort();
}
