import type { AlertInput } from '../../domain';
import type { ReportedIncident } from '../../runtime/incident-service';
import type { ChatMessage } from './chat-message';
import type { ChatPort, Reaction } from './chat-port';
import { silencedReply } from './silenced-reply';
import { verbatim } from '../../i18n';

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

/** A reply in words, for a chat that cannot show reactions well (the terminal). */
export function replyWithOutcome(chat: ChatPort): AlertAnnouncer {
  return (message, outcome) => chat.postText(message.chatId, verbatim(alertOutcomeText(outcome)), `reply:${message.messageId}`, { replyTo: message.messageId });
}

export function alertOutcomeText({ kind, reported }: AlertOutcome): string {
  if (reported.silenced) return silencedReply(reported.silenced);
  if (kind === 'recovery') return `Recovery noted on ${reported.id}: ${reported.title}. Type /status ${reported.id} to see where it stands.`;
  if (!reported.opened) return `Repeat of open incident ${reported.id} (${reported.context.repeats} repeat(s) so far); no new incident.`;
  return `Opened ${reported.id}: ${reported.title} (${reported.severity}). Triage is running.`;
}
