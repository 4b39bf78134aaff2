import type { Translator } from '../../i18n';
import { moment } from './commands/moment';
import { quoted } from './commands/quoted';
import type { SilenceMatch } from '../../domain/silence';

/** The chat answer for an alert a silence held back: which silence, until when (TIMEZONE), and why. */
export function silencedReply(tr: Translator, match: SilenceMatch, now = new Date()): string {
  const values = { id: match.silenceId, until: moment(tr, match.endsAt, now) };
  return match.reason ? tr.t('chat.silencedWhy', { ...values, reason: quoted(match.reason) }) : tr.t('chat.silenced', values);
}
