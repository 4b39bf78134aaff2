import type { Translator } from '../../../i18n';
import { USAGE, usageOf } from './command-usage';
import type { CommandName } from './command-usage';

/** CJK characters take two columns in a monospaced chat or terminal; everything else here one. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;
const columns = (text: string): number => text.length + (text.match(WIDE)?.length ?? 0);

/** /help: every command with what it does, in the reader's language, its descriptions in one column. */
export function helpText(tr: Translator): string {
  const names = Object.keys(USAGE) as CommandName[];
  const width = Math.max(...names.map((name) => columns(usageOf(tr, name))));
  const line = (name: CommandName) => {
    const usage = usageOf(tr, name);
    return `  ${usage}${' '.repeat(width - columns(usage))}  ${tr.t(USAGE[name].does)}`;
  };
  return [tr.t('cmd.help.title'), ...names.map(line)].join('\n');
}
