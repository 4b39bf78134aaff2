import { pino } from 'pino';
import type { Config } from '../../config';
import { loadRunbooks } from '../../memory/runbooks';
import { createRegistry } from '../../plugins/discovery';
import { loadTargets } from '../../plugins/load-targets';
import type { Targets } from '../../plugins/targets';

/** How many of a thing, with its noun: `1 target`, `3 runbooks`. */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** `http checkout, postgres orders`: the names people configured, so a typo shows at once. */
function targetNames(targets: Targets): string[] {
  return Object.entries(targets).flatMap(([kind, named]) => Object.keys(named).map((name) => `${kind} ${name}`));
}

async function describeTargets(config: Config): Promise<string> {
  if (!config.TARGETS_FILE) return 'no targets (set TARGETS_FILE so alerts can be checked)';
  const names = targetNames(await loadTargets(config.TARGETS_FILE, config.env));
  const shown = names.slice(0, 4).join(', ');
  return `${count(names.length, 'target')}${names.length ? ` (${shown}${names.length > 4 ? ', …' : ''})` : ''} from ${config.TARGETS_FILE}`;
}

async function describePlugins(config: Config): Promise<string> {
  // Discovered again, quietly: start-up already logged any broken plugin.
  const { registry, broken } = await createRegistry({ pluginsDir: config.PLUGINS_DIR, logger: pino({ level: 'silent' }) });
  return `${count(registry.list().length, 'plugin')}${broken.length ? ` (${broken.length} broken)` : ''}`;
}

async function describeRunbooks(config: Config): Promise<string> {
  const { runbooks, broken } = await loadRunbooks(config.RUNBOOKS_DIR).catch(() => ({ runbooks: [], broken: [] }));
  return `${count(runbooks.length, 'runbook')}${broken.length ? ` (${broken.length} broken)` : ''}`;
}

function describePolicy(config: Config): string {
  return config.POLICY_FILE ? `policy ${config.POLICY_FILE}` : 'built-in policy';
}

/**
 * The one line a person reads on start: what was loaded and where the web console is. It reads the
 * same files the bot just started from; a part that cannot be read says so rather than stopping anything.
 */
export async function startupLine(config: Config, consoleUrl: string): Promise<string> {
  const parts = await Promise.all([
    describeTargets(config).catch(() => 'targets unreadable'),
    describePlugins(config).catch(() => 'plugins unreadable'),
    describeRunbooks(config),
  ]);
  return `ai-fixer ready: ${[...parts, describePolicy(config)].join(', ')}. Web console: ${consoleUrl}`;
}
