import type { Translator } from '../../../i18n';
import { policyText } from '../../../policy/policy-text';
import { formatMatchers, SilenceInputError } from '../../../silences/matchers';
import { silenceRefusal } from '../../../silences/silence-access';
import type { Silence } from '../../../silences/silence-store';
import type { Command, CommandContext } from './command';
import { moment } from './moment';
import { quoted } from './quoted';

/** When it ends or ended, in TIMEZONE and relative to now. */
function endText(tr: Translator, silence: Silence, now: Date): string {
  if (silence.expiredAt) {
    return tr.t('cmd.silence.expiredBy', { who: quoted(silence.expiredBy ?? '', 40), at: moment(tr, silence.expiredAt, now) });
  }
  const at = { at: moment(tr, silence.endsAt, now) };
  return silence.endsAt <= now ? tr.t('cmd.silence.ended', at) : tr.t('cmd.silence.until', at);
}

function silenceLine(tr: Translator, silence: Silence, now: Date, held?: number): string {
  const values = {
    id: silence.id,
    matchers: quoted(formatMatchers(silence.matchers), 160),
    end: endText(tr, silence, now),
    by: quoted(silence.createdBy, 40),
    counted: held === undefined ? 'no' : 'yes',
    held: held ?? 0,
    reason: silence.reason ? ` ${quoted(silence.reason, 80)}` : '',
  };
  return tr.t('cmd.silence.line', values);
}

async function listSilences(ctx: CommandContext & { silences: NonNullable<CommandContext['silences']> }): Promise<string> {
  const { tr, silences } = ctx;
  const { active, recent } = await silences.list();
  const counts = await silences.heldCounts([...active, ...recent].map((s) => s.id));
  const now = new Date();
  const line = (s: Silence) => `  ${silenceLine(tr, s, now, counts.get(s.id) ?? 0)}`;
  return [
    active.length ? tr.t('cmd.silences.active') : tr.t('cmd.silences.none'),
    ...active.map(line),
    ...(recent.length ? [tr.t('cmd.silences.recent'), ...recent.map(line)] : []),
  ].join('\n');
}

/** /silence, /silences, /unsilence. Bad input is answered and changes nothing. */
export async function runSilenceCommand(cmd: Extract<Command, { kind: 'silence' | 'silences' | 'unsilence' }>, ctx: CommandContext): Promise<string> {
  const { tr, silences } = ctx;
  if (!silences) return tr.t('cmd.silences.unavailable');
  try {
    if (cmd.kind === 'silences') return await listSilences({ ...ctx, silences });
    const refused = silenceRefusal(ctx.access, ctx.sender.id);
    if (refused) return policyText(tr, refused);
    if (cmd.kind === 'silence') {
      const silence = await silences.create({ matchers: cmd.matchers, duration: cmd.duration, reason: cmd.reason, by: ctx.sender.id });
      return tr.t('cmd.silence.created', { line: silenceLine(tr, silence, new Date()), id: silence.id });
    }
    const silence = await silences.expire(cmd.silenceId, ctx.sender.id);
    return tr.t('cmd.silence.expired', { id: silence.id, matchers: quoted(formatMatchers(silence.matchers), 160) });
  } catch (error) {
    // The silence service's own words on bad input are shown as it wrote them.
    if (error instanceof SilenceInputError) return tr.t('cmd.invalidInput', { detail: error.message });
    throw error;
  }
}
