import type { Logger } from 'pino';
import type { FixProposal, FixStep, PolicyDecision } from '../domain';
import { abortable } from '../plugins/abortable';
import type { AnyPlugin } from '../plugins/plugin';
import type { PluginRegistry } from '../plugins/registry';
import type { Targets } from '../plugins/targets';
import type { I18n } from '../i18n';
import { decide } from './decide';
import { policySays } from './policy-text';
import type { PolicyRules } from './policy-rules';
import type { StepFacts } from './risk';
import type { UsageStore } from './usage';
import { claimsOf, readsOf, usageFacts, usagePlan } from './usage-plan';

export interface ExecutionPolicyOptions {
  plugins: PluginRegistry;
  targets: Targets;
  /** The policy in force now (it may be reloaded between calls). */
  rules: () => PolicyRules;
  usage: UsageStore;
  logger: Logger;
  now?: () => number;
  /** A plugin's riskOf may ask a system (a cluster's replica count); it gets this long. */
  assessTimeoutMs?: number;
  /** Writes decisions' reasons in every language, times in TIMEZONE; default English in UTC (tests, tools). */
  i18n?: I18n;
}

export interface EvaluationContext {
  incidentId: string;
  attempt: number;
  service?: string;
  /** Who opened the incident by hand: at high risk they cannot be the only approver. */
  requestedBy?: string;
  signal?: AbortSignal;
  /** False only looks (policy:check): an automatic decision claims no quota. */
  claim?: boolean;
}

/**
 * Code, not the model, decides what may run. Gathers the facts (plugins, their own risk assessment,
 * usage across instances), lets `decide` rule, and for an automatic run claims its quota atomically.
 */
export class ExecutionPolicy {
  constructor(private readonly options: ExecutionPolicyOptions) {}

  get rules(): PolicyRules {
    return this.options.rules();
  }

  /** True when any of these plugins (or everything) is in dry-run now. */
  dryRunFor(pluginIds: readonly string[]): boolean {
    const rules = this.rules;
    return rules.dryRun || pluginIds.some((id) => rules.dryRunPlugins.includes(id));
  }

  async evaluate(proposal: FixProposal, context: EvaluationContext): Promise<PolicyDecision> {
    const rules = this.rules;
    const now = (this.options.now ?? Date.now)();
    const signal = context.signal ?? new AbortController().signal;
    const steps = await Promise.all(proposal.steps.map((step) => this.facts(step, signal)));
    const verificationProblems = proposal.verification
      .filter((check) => this.options.plugins.get(check.pluginId)?.category !== 'diagnostic')
      .map((check) => policySays('policy.reason.badVerification', { plugin: check.pluginId }));
    const targets = steps.map((s) => (typeof s.args.target === 'string' ? s.args.target : undefined));
    const plan = usagePlan(rules, { ...context, targets });
    const read = async () => usageFacts(plan, await this.options.usage.read(readsOf(plan), now));
    const { i18n } = this.options;
    const input = { rules, proposal, steps, verificationProblems, service: context.service, requestedBy: context.requestedBy, now: new Date(now), i18n };
    const decision = decide({ ...input, usage: await read() });
    if (decision.action !== 'auto_execute' || decision.dryRun || context.claim === false) return decision;
    const claimed = await this.options.usage.claim(claimsOf(plan), now);
    if (claimed.ok) return decision;
    // Another instance took the last of a quota between our read and our claim.
    return decide({ ...input, usage: await read(), lostRace: policySays('policy.reason.lostRace', { quotas: claimed.full.join(', ') }) });
  }

  private async facts(step: FixStep, signal: AbortSignal): Promise<StepFacts> {
    const plugin = this.options.plugins.get(step.pluginId);
    const base = { pluginId: step.pluginId, args: step.args };
    const named = { plugin: step.pluginId };
    if (!plugin) return { ...base, declared: 'high', problem: policySays('policy.reason.unknownPlugin', named) };
    if (plugin.category !== 'remediation') return { ...base, declared: plugin.risk, problem: policySays('policy.reason.notRemediation', named) };
    const args = plugin.args.safeParse(step.args);
    if (!args.success) {
      // zod's own words on the arguments, shown as it gave them.
      return { ...base, declared: plugin.risk, problem: policySays('policy.reason.badArguments', { ...named, detail: args.error.issues[0]?.message ?? '-' }) };
    }
    // An undo step carries the arguments of the run it undoes: riskOf would assess that run again, not its undo.
    const assessed = step.undoes ? {} : await this.assess(plugin, args.data, signal);
    return { ...base, args: args.data, declared: plugin.risk, ...assessed };
  }

  /** The plugin's own reading; one that fails counts as high, so a broken hook never lowers risk. */
  private async assess(plugin: AnyPlugin, args: Record<string, unknown>, signal: AbortSignal): Promise<Pick<StepFacts, 'assessed' | 'assessFailed'>> {
    if (!plugin.riskOf) return {};
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(this.options.assessTimeoutMs ?? 10_000)]);
    const logger = this.options.logger.child({ plugin: plugin.id });
    try {
      return { assessed: await abortable(plugin.riskOf(args, { signal: bounded, logger, targets: this.options.targets }), bounded) };
    } catch (error) {
      if (signal.aborted) throw error;
      logger.warn({ err: error }, 'riskOf failed; counting the step as high risk');
      const detail = error instanceof Error ? error.message : String(error);
      return { assessed: { risk: 'high', reason: detail }, assessFailed: detail };
    }
  }
}
