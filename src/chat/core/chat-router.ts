import type { Localized } from '../../i18n';
import type { Card } from './card';
import type { ChatPort, PostedMessage, PostOptions, Reaction, UrgentChannel } from './chat-port';

export interface RoutedChat {
  chat: ChatPort;
  /** Posts to this chat id go here. */
  chatId: string;
  /** Updates and reactions find their chat by the message id's prefix. */
  messagePrefix: string;
}

/**
 * Several chats in one process (Lark or the terminal, and the web console): posts go by chat id,
 * updates and reactions by message id. Whatever no other chat claims goes to the default chat.
 */
export class ChatRouter implements ChatPort {
  constructor(
    private readonly fallback: ChatPort,
    private readonly chats: RoutedChat[],
  ) {}

  postCard(chatId: string, card: Localized<Card>, idempotencyKey: string, options?: PostOptions): Promise<PostedMessage> {
    return this.owner(chatId).postCard(chatId, card, idempotencyKey, options);
  }

  postText(chatId: string, text: Localized<string>, idempotencyKey?: string, options?: PostOptions): Promise<PostedMessage> {
    return this.owner(chatId).postText(chatId, text, idempotencyKey, options);
  }

  updateCard(messageId: string, card: Localized<Card>): Promise<void> {
    return this.byMessage(messageId).updateCard(messageId, card);
  }

  react(messageId: string, reaction: Reaction): Promise<void> {
    return this.byMessage(messageId).react(messageId, reaction);
  }

  /** Goes to the chat that posted the message; a chat without urgent notifications ignores it. */
  async urgent(messageId: string, userIds: readonly string[], channel: UrgentChannel): Promise<void> {
    await this.byMessage(messageId).urgent?.(messageId, userIds, channel);
  }

  /** The chat that posts to this chat id. */
  owner(chatId: string): ChatPort {
    return this.chats.find((routed) => routed.chatId === chatId)?.chat ?? this.fallback;
  }

  private byMessage(messageId: string): ChatPort {
    return this.chats.find((routed) => messageId.startsWith(routed.messagePrefix))?.chat ?? this.fallback;
  }
}
