import { scanMatchers, SilenceInputError } from '../../../silences/matchers';
import type { Command, CommandProblem } from './command';

const MAX_REASON = 500;

const invalid = (key: CommandProblem['key'], values?: CommandProblem['values']): Command => ({ kind: 'invalid', problem: { key, ...(values ? { values } : {}) } });

/** `/silence <matchers> <duration> [reason]`, `/silences`, `/unsilence <id>`: `args` is the text after the name. */
export function parseSilenceCommand(name: 'silence' | 'silences' | 'unsilence', args: string): Command {
  const text = args.trim();
  if (name === 'silences') return text ? invalid('cmd.invalid.noArguments', { command: '/silences' }) : { kind: 'silences' };
  if (name === 'unsilence') {
    const [id, ...extra] = text.split(/\s+/);
    if (!id) return invalid('cmd.silence.unsilenceWhich');
    if (extra.length) return invalid('cmd.silence.unsilenceOnlyId');
    return { kind: 'unsilence', silenceId: id };
  }
  try {
    const { matchers, rest } = scanMatchers(text);
    if (matchers.length === 0) return invalid('cmd.silence.noMatcher');
    const [duration, ...reasonWords] = text.slice(rest).trim().split(/\s+/);
    if (!duration) return invalid('cmd.silence.noDuration');
    const reason = reasonWords.join(' ');
    if (reason.length > MAX_REASON) return invalid('cmd.invalid.textTooLong', { what: 'reason', max: MAX_REASON });
    return { kind: 'silence', matchers, duration, reason: reason || undefined };
  } catch (error) {
    // The matcher parser's own words (silences/matchers.ts) are shown as it wrote them.
    if (error instanceof SilenceInputError) return invalid('cmd.silence.badInput', { detail: error.message });
    throw error;
  }
}
