import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

export const WEB_MESSAGE_AUTHORS = ['bot', 'person', 'monitor'] as const;
export type WebMessageAuthor = (typeof WEB_MESSAGE_AUTHORS)[number];

/**
 * The web console's chat, kept like a Lark group keeps it: a reload shows the history, and a post
 * repeated with the same idempotency key (a step re-run after a restart) finds the first message.
 */
export const WebMessageRecord = defineEntity({
  name: 'WebMessageRecord',
  tableName: 'web_messages',
  properties: {
    /** Insertion order: the history is read by it, and a client catches up after it. */
    seq: p.bigint('number').primary().autoincrement(),
    /** Derived from the idempotency key for the bot's posts, so a repeat hits this unique constraint. */
    messageId: p.text().unique('web_messages_message_id_unique'),
    chatId: p.text(),
    author: p.enum([...WEB_MESSAGE_AUTHORS]),
    senderId: p.text(),
    text: p.text().nullable(),
    /** A card as Lark card JSON 2.0, exactly what the Lark renderer produces; replaced by updates. */
    card: p.json<Record<string, unknown>>().nullable(),
    /** What a monitoring tool posted (`{ msgType, content }`), kept as sent. */
    content: p.json<Record<string, unknown>>().nullable(),
    replyTo: p.text().nullable(),
    reactions: p.json<string[]>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type WebMessageRecord = InferEntity<typeof WebMessageRecord>;
