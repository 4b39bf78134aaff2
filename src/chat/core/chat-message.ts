import type { Localized } from '../../i18n';
import type { Card } from './card';

/**
 * What every chat adapter (Lark, the web console, the terminal) turns its input into before the core
 * sees it. Everything in these comes from the chat and is untrusted data.
 */

/** A message in a chat, whichever platform and door it came through (event, history, web post, typed line). */
export interface ChatMessage {
  /** The platform's delivery id (Lark events only): it redelivers, so it is deduplicated. */
  eventId?: string;
  messageId: string;
  chatId: string;
  /** `text` | `post` | `interactive` | … (Lark's names; other platforms send `text`). */
  msgType: string;
  /** The parsed content, for the AlertDetector (`{ text }` for plain text). */
  content: unknown;
  sender: { kind: 'bot' | 'user'; id: string };
  /** A person addressing the bot: an @-mention in a group, any message in a one-to-one chat. */
  mentionsBot: boolean;
  /** Milliseconds since the epoch. */
  createTime: number;
  /** Readable text of the message (mentions resolved to names), for commands. */
  text: string;
}

/** A person's click on a button of one of the bot's cards. */
export interface CardClick {
  /** From the button's value: which incident, and the incident event the button stands for. */
  incidentId: string;
  action: string;
  /** The card kind, incident version and attempt the button was rendered for, to detect stale cards. */
  cardKind?: string;
  version?: number;
  attempt?: number;
  operatorId: string;
  /** The card's own message. */
  messageId: string;
  chatId: string;
}

/** What the clicker is shown: a toast and, optionally, the card replaced in place. */
export interface ClickAnswer {
  /** In every language: Lark shows the clicker their client's; the console its page's. */
  toast: { type: 'success' | 'info' | 'warning' | 'error'; content: Localized<string> };
  card?: Localized<Card>;
}

export const clickToast = (type: ClickAnswer['toast']['type'], content: Localized<string>): ClickAnswer => ({ toast: { type, content } });

/** A kept replay payload that still reads as a message (one persisted by any version of the intake). */
export function isChatMessage(data: unknown): data is ChatMessage {
  const message = data as Partial<ChatMessage> | null;
  return typeof message?.messageId === 'string' && typeof message.chatId === 'string' && typeof message.text === 'string' && typeof message.sender?.id === 'string';
}
