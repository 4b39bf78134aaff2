import { createHash, randomUUID } from 'node:crypto';
import type { WebMessage, WebMessageStore, NewWebMessage } from '../../store/web-message-store';
import type { Localized } from '../../i18n';
import type { Card } from '../core/card';
import type { ChatLanguages } from '../core/chat-languages';
import type { ChatPort, PostedMessage, PostOptions, Reaction } from '../core/chat-port';
import { renderLarkCard } from '../core/card-json';
import { WEB_CHAT_ID } from '../core/web-chat-id';

/** What the console's live stream carries about the chat. */
export type WebChatEvent = { type: 'message.posted' | 'message.updated'; message: WebMessage };
export type WebChatListener = (event: WebChatEvent) => void;

export { WEB_CHAT_ID };
export const WEB_MESSAGE_PREFIX = 'web-';

/** The same key gives the same id in every process, as Lark's message `uuid` does. */
export function webMessageId(idempotencyKey: string): string {
  return `${WEB_MESSAGE_PREFIX}${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}`;
}

/**
 * The web console's chat. Cards are stored as the Lark renderer's card JSON 2.0, so the browser
 * shows exactly what Lark would; every message is persisted before anyone is told about it.
 */
export class WebChat implements ChatPort {
  readonly chatId: string;
  private readonly listeners = new Set<WebChatListener>();

  constructor(
    private readonly store: WebMessageStore,
    private readonly options: { botId: string; chatId?: string; languages: ChatLanguages },
  ) {
    this.chatId = options.chatId ?? WEB_CHAT_ID;
  }

  /** Stored with every language (`i18n_content`): the page shows the one its reader picked. */
  async postCard(chatId: string, card: Localized<Card>, idempotencyKey: string, options?: PostOptions): Promise<PostedMessage> {
    return this.post({ chatId, card: { ...renderLarkCard(card, await this.options.languages.languageOf(chatId)) } }, idempotencyKey, options);
  }

  async postText(chatId: string, text: Localized<string>, idempotencyKey?: string, options?: PostOptions): Promise<PostedMessage> {
    return this.post({ chatId, text: text[await this.options.languages.languageOf(chatId)] }, idempotencyKey, options);
  }

  async updateCard(messageId: string, card: Localized<Card>): Promise<void> {
    const message = await this.store.updateCard(messageId, { ...renderLarkCard(card, await this.options.languages.languageOf(this.chatId)) });
    if (!message) throw new Error(`No web console message ${messageId} to update.`);
    this.emit({ type: 'message.updated', message });
  }

  async react(messageId: string, reaction: Reaction): Promise<void> {
    const message = await this.store.addReaction(messageId, reaction);
    if (!message) throw new Error(`No web console message ${messageId} to react on.`);
    this.emit({ type: 'message.updated', message });
  }

  /** A message from a person or a monitoring tool in the console; false when this id was taken already. */
  async receive(message: Omit<NewWebMessage, 'chatId'>): Promise<{ message: WebMessage; first: boolean }> {
    const { message: stored, inserted } = await this.store.insert({ ...message, chatId: this.chatId });
    if (inserted) this.emit({ type: 'message.posted', message: stored });
    return { message: stored, first: inserted };
  }

  find(messageId: string): Promise<WebMessage | null> {
    return this.store.get(messageId);
  }

  history(limit: number): Promise<WebMessage[]> {
    return this.store.recent(limit);
  }

  /** Hears every stored post and update. Listeners must not throw. */
  subscribe(listener: WebChatListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async post(
    body: Pick<NewWebMessage, 'chatId' | 'text' | 'card'>,
    idempotencyKey: string | undefined,
    options: PostOptions | undefined,
  ): Promise<PostedMessage> {
    const messageId = idempotencyKey === undefined ? `${WEB_MESSAGE_PREFIX}${randomUUID()}` : webMessageId(idempotencyKey);
    const { message, inserted } = await this.store.insert({
      ...body,
      messageId,
      author: 'bot',
      senderId: this.options.botId,
      ...(options?.replyTo ? { replyTo: options.replyTo } : {}),
    });
    if (inserted) this.emit({ type: 'message.posted', message });
    return { messageId: message.messageId };
  }

  private emit(event: WebChatEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
