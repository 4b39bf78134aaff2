import type { Logger } from 'pino';
import type { Alert, Diagnosis, ProposalOutcome } from '../../domain';
import type { PluginRegistry } from '../../plugins/registry';
import type { PluginRunner } from '../../plugins/plugin-runner';
import type { Targets } from '../../plugins/targets';
import type { Diagnostician, StepContext } from '../diagnostician';
import { httpHealthRule } from './rules/http-health';
import { postgresIdleTransactionsRule } from './rules/postgres-idle-transactions';
import type { RuleTools, RunbookRule } from './rules/rule';

export const RUNBOOK_RULES: readonly RunbookRule[] = [postgresIdleTransactionsRule, httpHealthRule];

/**
 * The offline default: a deterministic runbook engine that needs no network. The first rule that knows
 * the alert's target checks it with diagnostic plugins, and proposes that rule's remedy for what it finds.
 */
export class RunbookDiagnostician implements Diagnostician {
  constructor(
    private readonly plugins: PluginRegistry,
    private readonly targets: Targets,
    private readonly runner: PluginRunner,
    private readonly logger: Logger,
    private readonly rules: readonly RunbookRule[] = RUNBOOK_RULES,
  ) {}

  async diagnose(alert: Alert, ctx: StepContext): Promise<Diagnosis> {
    for (const rule of this.rules) {
      const target = rule.targetFor(alert, this.targets);
      if (target) return rule.diagnose(alert, target, this.tools(ctx.signal));
    }
    return {
      summary: `No runbook matches "${alert.title}".`,
      rootCause: 'Unknown: no configured target matches this alert, so nothing could be checked.',
      category: 'unknown',
      severity: alert.severity,
      confidence: 0.1,
      evidence: [],
    };
  }

  propose(_alert: Alert, diagnosis: Diagnosis, ctx: StepContext): Promise<ProposalOutcome> {
    const tools = this.tools(ctx.signal);
    for (const rule of this.rules) {
      const outcome = rule.propose(diagnosis, tools);
      if (outcome) return Promise.resolve(outcome);
    }
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
