import { maxRisk, RISKS } from '../domain';
import type { Risk } from '../domain';
import type { RiskAssessment } from '../plugins/plugin';
import { LEVELS } from './policy-schema';
import type { Bound, Level, Scope } from './policy-schema';
import type { PolicyRules } from './policy-rules';

/** What policy knows about one step of a proposal before deciding. */
export interface StepFacts {
  pluginId: string;
  /** Why it cannot run at all (unknown plugin, not a remediation, invalid arguments). */
  problem?: string;
  declared: Risk;
  /** The plugin's riskOf for these arguments. */
  assessed?: RiskAssessment;
  /** Parsed, defaults applied. */
  args: Record<string, unknown>;
}

export type StepRisk = { ok: true; risk: Risk; reasons: string[] } | { ok: false; reasons: string[] };

/** Read-only only ever reaches here as a claim; it is governed like low. */
export function levelOf(risk: Risk): Level {
  return risk === 'read-only' ? 'low' : risk;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A measure the plugin reported, else a numeric argument, else a list argument's length. */
function measure(step: StepFacts, name: string): number | undefined {
  const reported = step.assessed?.measures?.[name];
  if (reported !== undefined) return reported;
  const arg = step.args[name];
  if (typeof arg === 'number') return arg;
  return Array.isArray(arg) ? arg.length : undefined;
}

function boundText(bound: Bound): string {
  if (bound.min !== undefined && bound.max !== undefined) return `${bound.min}–${bound.max}`;
  return bound.max !== undefined ? `at most ${bound.max}` : `at least ${bound.min}`;
}

function admits(scope: Scope | undefined, step: StepFacts, service: string | undefined): boolean {
  if (!scope) return true;
  const target = text(step.args.target);
  const namespace = text(step.args.namespace);
  if (scope.targets && (target === undefined || !scope.targets.includes(target))) return false;
  // A step that names no namespace is not one a namespace list can be about.
  if (scope.namespaces && namespace !== undefined && !scope.namespaces.includes(namespace)) return false;
  return !scope.services || (service !== undefined && scope.services.includes(service));
}

function where(step: StepFacts, service: string | undefined): string {
  const parts = [`target ${text(step.args.target) ?? '(none)'}`];
  const namespace = text(step.args.namespace);
  if (namespace) parts.push(`namespace ${namespace}`);
  parts.push(`service ${service ?? '(unknown)'}`);
  return parts.join(', ');
}

/**
 * One step's risk: the highest of the proposal's claim, the plugin's declared risk and its own
 * assessment, then raised by the fences: an argument outside its bound, a target outside the scope
 * of its level. A fence can make a step not allowed at all.
 */
export function stepRisk(rules: PolicyRules, step: StepFacts, claim: Risk, service: string | undefined): StepRisk {
  const reasons: string[] = [];
  let risk = maxRisk(claim, step.declared, step.assessed?.risk ?? 'read-only');
  if (step.assessed && RISKS.indexOf(step.assessed.risk) > RISKS.indexOf(step.declared)) {
    reasons.push(`${step.pluginId}: ${step.assessed.reason} (${step.assessed.risk} risk).`);
  }
  for (const [name, bound] of Object.entries(rules.bounds[step.pluginId] ?? {})) {
    const value = measure(step, name);
    if (value !== undefined && (bound.min === undefined || value >= bound.min) && (bound.max === undefined || value <= bound.max)) continue;
    const what = value === undefined ? `${name} is unknown, so its bound (${boundText(bound)}) cannot be checked` : `${name} ${value} is outside its bound (${boundText(bound)})`;
    if (bound.over === 'escalate') return { ok: false, reasons: [...reasons, `${step.pluginId}: ${what}; not allowed.`] };
    risk = maxRisk(risk, bound.over);
    reasons.push(`${step.pluginId}: ${what}; counted as ${bound.over} risk.`);
  }
  const candidates = LEVELS.slice(LEVELS.indexOf(levelOf(risk)));
  const admitted = candidates.find((level) => admits(rules.scopes[level], step, service));
  if (!admitted) return { ok: false, reasons: [...reasons, `${step.pluginId} on ${where(step, service)} is outside the scope of every risk level; not allowed.`] };
  if (admitted !== levelOf(risk)) {
    reasons.push(`${step.pluginId} on ${where(step, service)} is outside the ${levelOf(risk)}-risk scope; counted as ${admitted} risk.`);
    risk = admitted;
  }
  return { ok: true, risk, reasons };
}
