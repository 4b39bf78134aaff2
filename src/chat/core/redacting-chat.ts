import type { Scrubber } from '../../security/redact';
import { mapLocalized, type Localized } from '../../i18n';
import type { Card } from './card';
import type { ChatPort, PostedMessage, PostOptions, Reaction, UrgentChannel } from './chat-port';

/**
 * Wraps the real chat so nothing posted carries a secret, whichever step built the text: every card
 * field and every text is scrubbed on the way out. Button `value`s are left alone: they are the
 * bot's own ids and actions, and a click must round-trip them unchanged.
 */
export class RedactingChat implements ChatPort {
  constructor(
    private readonly chat: ChatPort,
    private readonly scrubber: Scrubber,
  ) {}

  postCard(chatId: string, card: Localized<Card>, idempotencyKey: string, options?: PostOptions): Promise<PostedMessage> {
    return this.chat.postCard(chatId, this.scrubCard(card), idempotencyKey, options);
  }

  postText(chatId: string, text: Localized<string>, idempotencyKey?: string, options?: PostOptions): Promise<PostedMessage> {
    return this.chat.postText(chatId, mapLocalized(text, (t) => this.scrubber.scrubText(t)), idempotencyKey, options);
  }

  updateCard(messageId: string, card: Localized<Card>): Promise<void> {
    return this.chat.updateCard(messageId, this.scrubCard(card));
  }

  react(messageId: string, reaction: Reaction): Promise<void> {
    return this.chat.react(messageId, reaction);
  }

  /** Ids only: nothing to scrub. */
  async urgent(messageId: string, userIds: readonly string[], channel: UrgentChannel): Promise<void> {
    await this.chat.urgent?.(messageId, userIds, channel);
  }

  private scrubCard(cards: Localized<Card>): Localized<Card> {
    return mapLocalized(cards, (card) => this.scrubOne(card));
  }

  private scrubOne(card: Card): Card {
    const text = (value: string): string => this.scrubber.scrubText(value);
    return {
      ...card,
      title: text(card.title),
      sections: card.sections.map(text),
      fields: card.fields.map((field) => ({ label: text(field.label), value: text(field.value) })),
      buttons: card.buttons.map((button) => ({ ...button, label: text(button.label), command: text(button.command) })),
      ...(card.footer !== undefined && { footer: text(card.footer) }),
    };
  }
}
