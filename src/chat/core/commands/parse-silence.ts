import { scanMatchers, SilenceInputError } from '../../../silences/matchers';
import type { Command } from './command';

const MAX_REASON = 500;
const USAGE = 'Write /silence <matchers> <duration> [reason], e.g. /silence alertname=KubeNodeNotReady service=~"checkout.*" 2h node upgrade';

/** `/silence <matchers> <duration> [reason]`, `/silences`, `/unsilence <id>`: `args` is the text after the name. */
export function parseSilenceCommand(name: 'silence' | 'silences' | 'unsilence', args: string): Command {
  const text = args.trim();
  if (name === 'silences') return text ? { kind: 'invalid', message: '/silences takes no arguments.' } : { kind: 'silences' };
  if (name === 'unsilence') {
    const [id, ...extra] = text.split(/\s+/);
    if (!id) return { kind: 'invalid', message: 'Say which silence: /unsilence SIL-7K3Q (type /silences to list them).' };
    if (extra.length) return { kind: 'invalid', message: '/unsilence takes only a silence id, e.g. /unsilence SIL-7K3Q' };
    return { kind: 'unsilence', silenceId: id };
  }
  try {
    const { matchers, rest } = scanMatchers(text);
    if (matchers.length === 0) return { kind: 'invalid', message: `Give at least one matcher. ${USAGE}` };
    const [duration, ...reasonWords] = text.slice(rest).trim().split(/\s+/);
    if (!duration) return { kind: 'invalid', message: `Say for how long (e.g. 30m, 2h, 1d). ${USAGE}` };
    const reason = reasonWords.join(' ');
    if (reason.length > MAX_REASON) return { kind: 'invalid', message: `The reason is too long (at most ${MAX_REASON} characters).` };
    return { kind: 'silence', matchers, duration, reason: reason || undefined };
  } catch (error) {
    if (error instanceof SilenceInputError) return { kind: 'invalid', message: `${error.message} ${USAGE}` };
    throw error;
  }
}
