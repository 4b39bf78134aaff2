import type { MessageKey, Translator } from '../../../i18n';

const EXAMPLE_ID = 'INC-7K2M9Q4T';

export interface Usage {
  /** The command names its subject (diagnosis or fix) right after the incident id. */
  subject?: true;
  /** What the words after the incident id (and subject) mean, if the command takes any. */
  text?: 'comment' | 'reason' | 'note';
  takesId: boolean;
  /** The catalog's words for what follows the command name, if it takes anything. */
  args?: MessageKey;
  /** The catalog's line for what the command does. */
  does: MessageKey;
}

export const USAGE = {
  help: { takesId: false, does: 'cmd.does.help' },
  incidents: { takesId: false, does: 'cmd.does.incidents' },
  status: { takesId: true, args: 'cmd.args.status', does: 'cmd.does.status' },
  diag: { takesId: false, text: 'note', args: 'cmd.args.diag', does: 'cmd.does.diag' },
  plugins: { takesId: false, does: 'cmd.does.plugins' },
  oncall: { takesId: false, does: 'cmd.does.oncall' },
  lang: { takesId: false, args: 'cmd.args.lang', does: 'cmd.does.lang' },
  approve: { takesId: true, subject: true, text: 'comment', args: 'cmd.args.approve', does: 'cmd.does.approve' },
  reject: { takesId: true, subject: true, text: 'reason', args: 'cmd.args.reject', does: 'cmd.does.reject' },
  escalate: { takesId: true, text: 'reason', args: 'cmd.args.escalate', does: 'cmd.does.escalate' },
  ignore: { takesId: true, text: 'reason', args: 'cmd.args.ignore', does: 'cmd.does.ignore' },
  retry: { takesId: true, args: 'cmd.args.retry', does: 'cmd.does.retry' },
  resolve: { takesId: true, text: 'note', args: 'cmd.args.resolve', does: 'cmd.does.resolve' },
  rollback: { takesId: true, text: 'reason', args: 'cmd.args.rollback', does: 'cmd.does.rollback' },
  silence: { takesId: false, text: 'reason', args: 'cmd.args.silence', does: 'cmd.does.silence' },
  silences: { takesId: false, does: 'cmd.does.silences' },
  unsilence: { takesId: false, args: 'cmd.args.unsilence', does: 'cmd.does.unsilence' },
} as const satisfies Record<string, Usage>;

export type CommandName = keyof typeof USAGE;

/** Other names people type for a command. */
const ALIASES = new Map<string, CommandName>([['language', 'lang']]);

/** The command a typed name stands for (its own name or an alias), or undefined. */
export function commandNamed(name: string): CommandName | undefined {
  return Object.hasOwn(USAGE, name) ? (name as CommandName) : ALIASES.get(name);
}

/** `/approve <id> diagnosis|fix [comment]` in the reader's language (the placeholders are words). */
export function usageOf(tr: Translator, name: CommandName): string {
  const usage: Usage = USAGE[name];
  return usage.args ? `/${name} ${tr.t(usage.args)}` : `/${name}`;
}

export function exampleOf(name: CommandName): string {
  const usage: Usage = USAGE[name];
  if (!usage.takesId) return `/${name}`;
  return usage.subject ? `/${name} ${EXAMPLE_ID} diagnosis` : `/${name} ${EXAMPLE_ID}`;
}
