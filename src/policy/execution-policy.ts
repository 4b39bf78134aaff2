import { maxRisk } from '../domain';
import type { FixProposal, PolicyDecision, Risk } from '../domain';
import type { PluginRegistry } from '../plugins/registry';

export interface PolicyOptions {
  /** Low-risk fixes run without asking. */
  autoExecuteLowRisk: boolean;
}

/**
 * Code, not the model, decides what may run. Risk is the highest of what the plugins declare and what
 * the proposer claims: a proposal can raise risk, never lower it. Critical needs two approvers.
 */
export class ExecutionPolicy {
  constructor(
    private readonly plugins: PluginRegistry,
    private readonly options: PolicyOptions,
  ) {}

  evaluate(proposal: FixProposal): PolicyDecision {
    const reasons: string[] = [];
    const declared: Risk[] = [];
    for (const step of proposal.steps) {
      const plugin = this.plugins.get(step.pluginId);
      if (!plugin) return escalate(`Unknown plugin ${step.pluginId}.`);
      if (plugin.category !== 'remediation') return escalate(`${step.pluginId} is not a remediation plugin.`);
      const args = plugin.args.safeParse(step.args);
      if (!args.success) return escalate(`Invalid arguments for ${step.pluginId}: ${args.error.issues[0]?.message ?? 'invalid'}.`);
      declared.push(plugin.risk);
    }
    for (const check of proposal.verification) {
      const plugin = this.plugins.get(check.pluginId);
      if (plugin?.category !== 'diagnostic') return escalate(`Verification ${check.pluginId} is not a known diagnostic plugin.`);
    }
    const risk = maxRisk(proposal.riskClaim, ...declared);
    reasons.push(`Risk ${risk}: highest of the plugins' declared risk (${declared.join(', ')}) and the proposal's claim (${proposal.riskClaim}).`);
    if (risk === 'critical') {
      reasons.push('Critical changes never run automatically and need two approvers.');
      return { action: 'require_approval', risk, reasons, approvalsRequired: 2 };
    }
    if ((risk === 'low' || risk === 'read-only') && this.options.autoExecuteLowRisk) {
      reasons.push('Low risk: runs without asking.');
      return { action: 'auto_execute', risk, reasons, approvalsRequired: 0 };
    }
    reasons.push('Needs one approval.');
    return { action: 'require_approval', risk, reasons, approvalsRequired: 1 };

    function escalate(reason: string): PolicyDecision {
      return { action: 'escalate', risk: maxRisk(proposal.riskClaim, 'high'), reasons: [reason], approvalsRequired: 0 };
    }
  }
}
