import type { AlertInput } from '../../domain';
import type { ReportedIncident } from '../../runtime/incident-service';
import type { ChatMessage } from './chat-message';
import type { ChatPort, Reaction } from './chat-port';
import { silencedReply } from './silenced-reply';
import type { Translator } from '../../i18n';
import type { ChatLanguages } from './chat-languages';
import { quoted } from './commands/quoted';

/** What became of the alerts a message carried, once it is persisted. */
export type AlertOutcome = { kind: 'opened' | 'repeat' | 'recovery' | 'silenced'; reported: ReportedIncident };

/** Tells the sender what became of their alert: Lark and the web console react on it, the terminal says it. */
export type AlertAnnouncer = (message: ChatMessage, outcome: AlertOutcome) => Promise<unknown>;

export function alertOutcome(reported: ReportedIncident, alerts: readonly AlertInput[]): AlertOutcome {
  if (reported.silenced) return { kind: 'silenced', reported };
  if (reported.opened) return { kind: 'opened', reported };
  return { kind: alerts.every((alert) => alert.status === 'resolved') ? 'recovery' : 'repeat', reported };
}

const REACTION: Record<AlertOutcome['kind'], Reaction> = { opened: 'working', repeat: 'duplicate', recovery: 'done', silenced: 'silenced' };

/** A reaction on the alert message (the default). */
export function reactWithOutcome(chat: ChatPort): AlertAnnouncer {
  return (message, outcome) => chat.react(message.messageId, REACTION[outcome.kind]);
}

/** A reply in words, for a chat that cannot show reactions well (the terminal); written in every language, sent in the chat's. */
export function replyWithOutcome(chat: ChatPort, languages: ChatLanguages): AlertAnnouncer {
  return (message, outcome) =>
    chat.postText(message.chatId, languages.i18n.both((tr) => alertOutcomeText(tr, outcome)), `reply:${message.messageId}`, { replyTo: message.messageId });
}

export function alertOutcomeText(tr: Translator, { kind, reported }: AlertOutcome): string {
  if (reported.silenced) return silencedReply(tr, reported.silenced);
  const values = { id: reported.id, title: quoted(reported.title), severity: reported.severity };
  if (kind === 'recovery') return tr.t('chat.outcome.recovery', values);
  if (!reported.opened) return tr.t('chat.outcome.repeat', { ...values, repeats: reported.context.repeats });
  return tr.t('chat.outcome.opened', values);
}
