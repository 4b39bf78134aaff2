import { formatMatchers, SilenceInputError } from '../../../silences/matchers';
import { silenceRefusal } from '../../../silences/silence-access';
import type { Silence } from '../../../silences/silence-store';
import type { Command, CommandContext } from './command';
import { quoted } from './quoted';

const NOT_CONFIGURED = 'Silences are not available here.';

function silenceLine(silence: Silence, now: Date, held?: number): string {
  const ended = silence.expiredAt ? `expired by ${quoted(silence.expiredBy ?? '', 40)} at ${silence.expiredAt.toISOString()}` : silence.endsAt <= now ? `ended ${silence.endsAt.toISOString()}` : `until ${silence.endsAt.toISOString()}`;
  const reason = silence.reason ? ` ${quoted(silence.reason, 80)}` : '';
  const count = held === undefined ? '' : `, held ${held} alert(s)`;
  return `${silence.id} ${quoted(formatMatchers(silence.matchers), 160)} ${ended}, by ${quoted(silence.createdBy, 40)}${count}${reason}`;
}

/** /silence, /silences, /unsilence. Bad input is answered and changes nothing. */
export async function runSilenceCommand(cmd: Extract<Command, { kind: 'silence' | 'silences' | 'unsilence' }>, ctx: CommandContext): Promise<string> {
  const silences = ctx.silences;
  if (!silences) return NOT_CONFIGURED;
  try {
    if (cmd.kind === 'silences') {
      const { active, recent } = await silences.list();
      const counts = await silences.heldCounts([...active, ...recent].map((s) => s.id));
      const now = new Date();
      const lines = [
        active.length ? 'Active silences:' : 'No active silences.',
        ...active.map((s) => `  ${silenceLine(s, now, counts.get(s.id) ?? 0)}`),
        ...(recent.length ? ['Ended in the last day:', ...recent.map((s) => `  ${silenceLine(s, now, counts.get(s.id) ?? 0)}`)] : []),
      ];
      return lines.join('\n');
    }
    const refused = silenceRefusal(ctx.access, ctx.sender.id);
    if (refused) return refused;
    if (cmd.kind === 'silence') {
      const silence = await silences.create({ matchers: cmd.matchers, duration: cmd.duration, reason: cmd.reason, by: ctx.sender.id });
      return `Silenced: ${silenceLine(silence, new Date())}. Matching alerts open nothing until then; /unsilence ${silence.id} ends it.`;
    }
    const silence = await silences.expire(cmd.silenceId, ctx.sender.id);
    return `Expired ${silence.id} (${quoted(formatMatchers(silence.matchers), 160)}): matching alerts open incidents again.`;
  } catch (error) {
    if (error instanceof SilenceInputError) return `Not accepted: ${error.message}`;
    throw error;
  }
}
