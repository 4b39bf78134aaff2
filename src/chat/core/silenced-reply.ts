import { quoted } from './commands/quoted';
import type { SilenceMatch } from '../../domain/silence';

/** The chat answer for an alert a silence held back: which silence, until when, and why. */
export function silencedReply(match: SilenceMatch): string {
  const why = match.reason ? ` (${quoted(match.reason)})` : '';
  return `Silenced by ${match.silenceId} until ${match.endsAt.toISOString()}${why}: no incident opened.`;
}
