import type { Config } from '../../config';
import type { Targets } from '../../plugins/targets';

/** What start-up loaded (the app says; nothing is read again to count it). */
export interface LoadedAtStart {
  targets: Targets;
  plugins: number;
  brokenPlugins: number;
  runbooks: number;
}

/** How many of a thing, with its noun: `1 target`, `3 runbooks`. */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** `http checkout, postgres orders`: the names people configured, so a typo shows at once. */
function targetNames(targets: Targets): string[] {
  return Object.entries(targets).flatMap(([kind, named]) => Object.keys(named).map((name) => `${kind} ${name}`));
}

function describeTargets(config: Config, targets: Targets): string {
  if (!config.TARGETS_FILE) return 'no targets (set TARGETS_FILE so alerts can be checked)';
  const names = targetNames(targets);
  const shown = names.slice(0, 4).join(', ');
  return `${count(names.length, 'target')}${names.length ? ` (${shown}${names.length > 4 ? ', …' : ''})` : ''} from ${config.TARGETS_FILE}`;
}

function describePolicy(config: Config): string {
  return config.POLICY_FILE ? `policy ${config.POLICY_FILE}` : 'built-in policy';
}

/** The one line a person reads on start: what was loaded and where the web console is. */
export function startupLine(config: Config, consoleUrl: string, loaded: LoadedAtStart): string {
  const plugins = `${count(loaded.plugins, 'plugin')}${loaded.brokenPlugins ? ` (${loaded.brokenPlugins} broken)` : ''}`;
  const parts = [describeTargets(config, loaded.targets), plugins, count(loaded.runbooks, 'runbook'), describePolicy(config)];
  return `ai-fixer ready: ${parts.join(', ')}. Web console: ${consoleUrl}`;
}
