import type { Card } from './card';

export interface PostedMessage {
  messageId: string;
}

/**
 * Outbound chat. `idempotencyKey` makes a repeated post (a step re-run after a restart) return the
 * first message instead of posting twice: Lark takes it as the message `uuid`.
 */
export interface ChatPort {
  postCard(chatId: string, card: Card, idempotencyKey: string): Promise<PostedMessage>;
  postText(chatId: string, text: string, idempotencyKey?: string): Promise<PostedMessage>;
}

/** A message that reached the bot from a person (or a monitoring bot) in a chat. */
export interface InboundMessage {
  chatId: string;
  messageId: string;
  sender: { id: string; name?: string };
  text: string;
}
