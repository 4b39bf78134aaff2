const EXAMPLE_ID = 'INC-7K2M9Q4T';

export interface Usage {
  /** The command names its subject (diagnosis or fix) right after the incident id. */
  subject?: true;
  /** What the words after the incident id (and subject) mean, if the command takes any. */
  text?: 'comment' | 'reason' | 'note';
  takesId: boolean;
  args: string;
  does: string;
}

export const USAGE = {
  help: { takesId: false, args: '', does: 'this list' },
  incidents: { takesId: false, args: '', does: 'open incidents' },
  status: { takesId: true, args: '[<id>]', does: 'where an incident stands and what it accepts (no id: open incidents)' },
  diag: { takesId: false, text: 'note', args: '<alert text>', does: 'open an incident by hand from the text' },
  plugins: { takesId: false, args: '', does: 'installed diagnostic and remediation plugins' },
  oncall: { takesId: false, args: '', does: 'who is on call now and next, per role, with the hand-off time' },
  approve: { takesId: true, subject: true, text: 'comment', args: '<id> diagnosis|fix [comment]', does: 'approve the diagnosis or the proposed fix' },
  reject: { takesId: true, subject: true, text: 'reason', args: '<id> diagnosis|fix [reason]', does: 'reject the diagnosis or the proposed fix' },
  escalate: { takesId: true, text: 'reason', args: '<id> [reason]', does: 'hand it to people now' },
  ignore: { takesId: true, text: 'reason', args: '<id> [reason]', does: 'dismiss it' },
  retry: { takesId: true, args: '<id>', does: 'run diagnosis again after an escalation' },
  resolve: { takesId: true, text: 'note', args: '<id> [note]', does: 'mark an escalated incident fixed by people' },
  silence: { takesId: false, text: 'reason', args: '<matchers> <duration> [reason]', does: 'hold back matching alerts, e.g. /silence alertname=KubeNodeNotReady service=~"checkout.*" 2h deploy' },
  silences: { takesId: false, args: '', does: 'active and recently ended silences' },
  unsilence: { takesId: false, args: '<SIL-id>', does: 'end a silence now' },
} satisfies Record<string, Usage>;

export type CommandName = keyof typeof USAGE;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(USAGE, name);
}

export function usageOf(name: CommandName): string {
  const { args } = USAGE[name];
  return args ? `/${name} ${args}` : `/${name}`;
}

export function exampleOf(name: CommandName): string {
  const usage: Usage = USAGE[name];
  if (!usage.takesId) return `/${name}`;
  return usage.subject ? `/${name} ${EXAMPLE_ID} diagnosis` : `/${name} ${EXAMPLE_ID}`;
}
