import { maxRisk, RISKS } from '../domain';
import type { Risk } from '../domain';
import type { RiskAssessment } from '../plugins/plugin';
import { LEVELS } from './policy-schema';
import type { Bound, Level, Scope } from './policy-schema';
import type { PolicyRules } from './policy-rules';
import { policySays } from './policy-text';
import type { PolicyText } from './policy-text';

/** What policy knows about one step of a proposal before deciding. */
export interface StepFacts {
  pluginId: string;
  /** Why it cannot run at all (unknown plugin, not a remediation, invalid arguments). */
  problem?: PolicyText;
  declared: Risk;
  /** The plugin's riskOf for these arguments. */
  assessed?: RiskAssessment;
  /** riskOf failed (its error, for people): `assessed` then counts the step as high. */
  assessFailed?: string;
  /** Parsed, defaults applied. */
  args: Record<string, unknown>;
}

export type StepRisk = { ok: true; risk: Risk; reasons: PolicyText[] } | { ok: false; reasons: PolicyText[] };

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

/** A bound as numbers: `min`/`max` are -1 when unset (`{min, plural, =-1 {…}}` is not ICU, so `has…` says which). */
function boundValues(bound: Bound): Record<string, string | number> {
  const which = bound.min !== undefined && bound.max !== undefined ? 'both' : bound.max !== undefined ? 'max' : 'min';
  return { bound: which, min: bound.min ?? 0, max: bound.max ?? 0 };
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

/** Where a step acts: its target, namespace (`ns`: whether it names one) and service, for the scope messages (`-` when unset). */
function where(step: StepFacts, service: string | undefined): Record<string, string> {
  const namespace = text(step.args.namespace);
  return { target: text(step.args.target) ?? '-', ns: namespace ? 'yes' : 'no', namespace: namespace ?? '-', service: service ?? '-' };
}

/**
 * One step's risk: the highest of the proposal's claim, the plugin's declared risk and its own
 * assessment, then raised by the fences: an argument outside its bound, a target outside the scope
 * of its level. A fence can make a step not allowed at all.
 */
export function stepRisk(rules: PolicyRules, step: StepFacts, claim: Risk, service: string | undefined): StepRisk {
  const reasons: PolicyText[] = [];
  const plugin = step.pluginId;
  let risk = maxRisk(claim, step.declared, step.assessed?.risk ?? 'read-only');
  if (step.assessed && RISKS.indexOf(step.assessed.risk) > RISKS.indexOf(step.declared)) {
    // The plugin's own reason is its words, shown as it gave them.
    reasons.push(
      step.assessFailed === undefined
        ? policySays('policy.reason.assessed', { plugin, reason: step.assessed.reason, risk: step.assessed.risk })
        : policySays('policy.reason.assessFailed', { plugin, detail: step.assessFailed, risk: step.assessed.risk }),
    );
  }
  for (const [name, bound] of Object.entries(rules.bounds[step.pluginId] ?? {})) {
    const value = measure(step, name);
    if (value !== undefined && (bound.min === undefined || value >= bound.min) && (bound.max === undefined || value <= bound.max)) continue;
    const values = { plugin, name, known: value === undefined ? 'no' : 'yes', value: value ?? 0, ...boundValues(bound), over: bound.over };
    if (bound.over === 'escalate') return { ok: false, reasons: [...reasons, policySays('policy.reason.boundBlocks', values)] };
    risk = maxRisk(risk, bound.over);
    reasons.push(policySays('policy.reason.boundRaises', values));
  }
  const candidates = LEVELS.slice(LEVELS.indexOf(levelOf(risk)));
  const admitted = candidates.find((level) => admits(rules.scopes[level], step, service));
  if (!admitted) return { ok: false, reasons: [...reasons, policySays('policy.reason.outsideEveryScope', { plugin, ...where(step, service) })] };
  if (admitted !== levelOf(risk)) {
    reasons.push(policySays('policy.reason.outsideScope', { plugin, ...where(step, service), level: levelOf(risk), risk: admitted }));
    risk = admitted;
  }
  return { ok: true, risk, reasons };
}
