import type { PluginCategory } from '../plugins/plugin';
import type { PluginRegistry } from '../plugins/registry';
import { fillPlaceholders } from './runbook-schema';
import type { Runbook } from './runbook-schema';

/**
 * Stand-ins for the placeholders runbooks commonly use, shaped like real values (DNS names, a unit),
 * so that args can be checked against each plugin's schema before any alert fills them for real.
 */
export const EXAMPLE_PLACEHOLDER_VALUES: Readonly<Record<string, unknown>> = {
  target: 'example',
  service: 'example',
  cluster: 'example',
  namespace: 'example',
  deployment: 'example',
  pod: 'example-0',
  container: 'example',
  remedy: 'restart',
  host: 'example',
  unit: 'example.service',
  database: 'example',
  keyPattern: 'cache:example:*',
  prometheus: 'example',
  loki: 'example',
};

const EXPECTED: Record<'diagnostics' | 'remediation' | 'verification', PluginCategory> = {
  diagnostics: 'diagnostic',
  remediation: 'remediation',
  verification: 'diagnostic',
};

/**
 * What is wrong with a runbook's structured steps against the registry: unknown plugins, a remediation
 * plugin listed as a diagnostic (or the reverse), args the plugin's schema rejects once placeholders are
 * filled from `values`, placeholders without a value. Empty when every step could run.
 */
export function runbookPluginProblems(
  runbook: Runbook,
  registry: PluginRegistry,
  values: Readonly<Record<string, unknown>> = EXAMPLE_PLACEHOLDER_VALUES,
): string[] {
  const problems: string[] = [];
  for (const section of ['diagnostics', 'remediation', 'verification'] as const) {
    runbook[section].forEach((step, index) => {
      const where = `${runbook.path}: ${section}.${index} (${step.plugin})`;
      const plugin = registry.get(step.plugin);
      if (!plugin) {
        problems.push(`${where}: no plugin with this id is registered`);
        return;
      }
      if (plugin.category !== EXPECTED[section]) {
        problems.push(`${where}: is a ${plugin.category} plugin, ${section} needs a ${EXPECTED[section]} one`);
        return;
      }
      const { args, missing } = fillPlaceholders(step.args, values);
      if (missing.length > 0) problems.push(`${where}: no value for ${missing.map((name) => `{{${name}}}`).join(', ')}`);
      const parsed = plugin.args.safeParse(args);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push(`${where}: args.${issue.path.map(String).join('.')}: ${issue.message}`);
      }
    });
  }
  return problems;
}
