import type { Alert, Diagnosis, ProposalOutcome, Severity } from '../../../domain';
import type { PluginRegistry } from '../../../plugins/registry';
import type { PluginRunResult } from '../../../plugins/run-plugin';
import type { Targets } from '../../../plugins/targets';

/** What a rule may use: the configured targets, the registry, and a way to run a diagnostic plugin. */
export interface RuleTools {
  targets: Targets;
  plugins: PluginRegistry;
  runDiagnostic(pluginId: string, args: Record<string, unknown>): Promise<PluginRunResult>;
}

/**
 * One runbook entry of the offline engine: which alerts it is for, how it checks them with
 * diagnostic plugins, and which remediation it proposes for what it finds.
 */
export interface RunbookRule {
  /** The configured target this alert is about, if the rule applies to it. */
  targetFor(alert: Alert, targets: Targets): string | undefined;
  diagnose(alert: Alert, target: string, tools: RuleTools): Promise<Diagnosis>;
  /** A fix for a diagnosis this rule made; undefined when the diagnosis is not one of its own. */
  propose(diagnosis: Diagnosis, tools: RuleTools): ProposalOutcome | undefined;
}

/** Alert labels that commonly name the affected service, in order of preference. */
const SERVICE_LABELS = ['service', 'app', 'job', 'target', 'component', 'database', 'db', 'datname', 'instance'];

/** The first name the alert gives (service, then labels) that is configured in `names`. */
export function configuredNameIn(alert: Alert, names: Record<string, unknown>): string | undefined {
  const candidates = [alert.service, ...SERVICE_LABELS.map((label) => alert.labels[label])];
  return candidates.find((name): name is string => !!name && Object.hasOwn(names, name));
}

const ORDER: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
export function atLeast(severity: Severity, floor: Severity): Severity {
  return ORDER.indexOf(severity) >= ORDER.indexOf(floor) ? severity : floor;
}
