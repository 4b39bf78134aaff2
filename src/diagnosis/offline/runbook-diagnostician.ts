import type { Logger } from 'pino';
import type { Alert, Diagnosis, ProposalOutcome } from '../../domain';
import type { PluginRegistry } from '../../plugins/registry';
import type { PluginRunner } from '../../plugins/plugin-runner';
import type { Targets } from '../../plugins/targets';
import type { Diagnostician, StepContext } from '../diagnostician';
import { httpHealthRule } from './rules/http-health';
import { postgresIdleTransactionsRule } from './rules/postgres-idle-transactions';
import type { RuleTools, RunbookRule } from './rules/rule';
import { RunbookFollower } from './runbook-follower';
import type { RunbookSource } from './runbook-follower';

export type { RunbookSource } from './runbook-follower';

export const RUNBOOK_RULES: readonly RunbookRule[] = [postgresIdleTransactionsRule, httpHealthRule];

/**
 * The offline default: a deterministic runbook engine that needs no network. The first built-in rule
 * that knows the alert's target checks it with diagnostic plugins and proposes its remedy; otherwise
 * the best-matching runbook from RUNBOOKS_DIR with structured steps is followed.
 */
export class RunbookDiagnostician implements Diagnostician {
  private readonly follower?: RunbookFollower;

  constructor(
    private readonly plugins: PluginRegistry,
    private readonly targets: Targets,
    private readonly runner: PluginRunner,
    private readonly logger: Logger,
    runbooks?: RunbookSource,
    private readonly rules: readonly RunbookRule[] = RUNBOOK_RULES,
  ) {
    this.follower = runbooks && new RunbookFollower(runbooks);
  }

  async diagnose(alert: Alert, ctx: StepContext): Promise<Diagnosis> {
    const tools = this.tools(ctx.signal);
    for (const rule of this.rules) {
      const target = rule.targetFor(alert, this.targets);
      if (target) return rule.diagnose(alert, target, tools);
    }
    const followed = await this.follower?.diagnose(alert, tools, ctx.signal);
    if (followed) return followed;
    return {
      summary: `No runbook matches "${alert.title}".`,
      rootCause: 'Unknown: no built-in rule or runbook with steps matches this alert and its configured targets, so nothing could be checked.',
      category: 'unknown',
      severity: alert.severity,
      confidence: 0.1,
      evidence: [],
    };
  }

  propose(alert: Alert, diagnosis: Diagnosis, ctx: StepContext): Promise<ProposalOutcome> {
    const tools = this.tools(ctx.signal);
    for (const rule of this.rules) {
      const outcome = rule.propose(diagnosis, tools);
      if (outcome) return Promise.resolve(outcome);
    }
    const followed = this.follower?.propose(alert, diagnosis, tools);
    if (followed) return Promise.resolve(followed);
    return Promise.resolve({ fixable: false, reason: `The runbook has no fix for a "${diagnosis.category}" diagnosis.` });
  }

  private tools(signal: AbortSignal): RuleTools {
    return {
      targets: this.targets,
      plugins: this.plugins,
      runDiagnostic: async (pluginId, args) => {
        const plugin = this.plugins.get(pluginId);
        if (plugin?.category !== 'diagnostic') throw new Error(`The ${pluginId} diagnostic plugin is not registered.`);
        return this.runner.run(plugin, args, signal, { logger: this.logger });
      },
    };
  }
}
