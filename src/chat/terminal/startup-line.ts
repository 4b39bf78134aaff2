import type { Config } from '../../config';
import type { Translator } from '../../i18n';
import type { Targets } from '../../plugins/targets';

/** What start-up loaded (the app says; nothing is read again to count it). */
export interface LoadedAtStart {
  targets: Targets;
  plugins: number;
  brokenPlugins: number;
  runbooks: number;
}

/** `http checkout, postgres orders`: the names people configured, so a typo shows at once. */
function targetNames(targets: Targets): string[] {
  return Object.entries(targets).flatMap(([kind, named]) => Object.keys(named).map((name) => `${kind} ${name}`));
}

function describeTargets(tr: Translator, config: Config, targets: Targets): string {
  if (!config.TARGETS_FILE) return tr.t('chat.startup.noTargets');
  const names = targetNames(targets);
  const shown = `${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}`;
  return tr.t('chat.startup.targets', { n: names.length, shown, file: config.TARGETS_FILE });
}

/** The one line a person reads on start, in LANGUAGE: what was loaded and where the web console is. */
export function startupLine(config: Config, consoleUrl: string, loaded: LoadedAtStart, tr: Translator): string {
  return tr.t('chat.startup.line', {
    targets: describeTargets(tr, config, loaded.targets),
    plugins: tr.t('chat.startup.plugins', { n: loaded.plugins, broken: loaded.brokenPlugins }),
    runbooks: tr.t('chat.startup.runbooks', { n: loaded.runbooks }),
    policy: config.POLICY_FILE ? tr.t('chat.startup.policyFile', { file: config.POLICY_FILE }) : tr.t('chat.startup.builtinPolicy'),
    url: consoleUrl,
  });
}
