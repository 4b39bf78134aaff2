import type { Translator } from '../../../i18n';
import { USAGE, usageOf } from './command-usage';
import type { CommandName } from './command-usage';

/** /help: every command with what it does, in the reader's language. */
export function helpText(tr: Translator): string {
  const names = Object.keys(USAGE) as CommandName[];
  const width = Math.max(...names.map((name) => usageOf(tr, name).length));
  return [tr.t('cmd.help.title'), ...names.map((name) => `  ${usageOf(tr, name).padEnd(width)}  ${tr.t(USAGE[name].does)}`)].join('\n');
}
