import type { UrgentChannel } from '../../domain';
import type { Localized } from '../../i18n';
import type { Card } from './card';

export interface PostedMessage {
  messageId: string;
}

export interface PostOptions {
  /** Thread the post under this message (the alert that opened the incident). */
  replyTo?: string;
}

export type { UrgentChannel };

/** Progress shown on the alert message itself. */
export type Reaction = 'working' | 'done' | 'failed' | 'duplicate' | 'silenced';

/**
 * Outbound chat. `idempotencyKey` makes a repeated post (a step re-run after a restart) return the
 * first message instead of posting twice: Lark takes it as the message `uuid`. Cards and texts come in
 * every language: a Lark card carries them all (each reader sees their client's), a text is sent in the
 * chat's language (`/lang`, else LANGUAGE).
 */
export interface ChatPort {
  postCard(chatId: string, card: Localized<Card>, idempotencyKey: string, options?: PostOptions): Promise<PostedMessage>;
  postText(chatId: string, text: Localized<string>, idempotencyKey?: string, options?: PostOptions): Promise<PostedMessage>;
  /** Replaces a posted card, e.g. to show who decided and drop its buttons. */
  updateCard(messageId: string, card: Localized<Card>): Promise<void>;
  react(messageId: string, reaction: Reaction): Promise<void>;
  /** Urgently notifies people (open ids) of a message the bot posted; chats without it have no such thing. */
  urgent?(messageId: string, userIds: readonly string[], channel: UrgentChannel): Promise<void>;
}

/** A message that reached the bot from a person (or a monitoring bot) in a chat. */
export interface InboundMessage {
  chatId: string;
  messageId: string;
  sender: { id: string; name?: string };
  text: string;
}
