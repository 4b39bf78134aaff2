import type { MikroORM } from '@mikro-orm/postgresql';
import { WebMessageRecord } from './entities';
import type { WebMessageAuthor } from './entities';

export interface NewWebMessage {
  messageId: string;
  chatId: string;
  author: WebMessageAuthor;
  senderId: string;
  text?: string;
  card?: Record<string, unknown>;
  content?: Record<string, unknown>;
  replyTo?: string;
}

/** A message as the console shows it. */
export interface WebMessage extends Required<Pick<NewWebMessage, 'messageId' | 'chatId' | 'author' | 'senderId'>> {
  seq: number;
  text: string | null;
  card: Record<string, unknown> | null;
  content: Record<string, unknown> | null;
  replyTo: string | null;
  reactions: string[];
  createdAt: string;
  updatedAt: string;
}

function toMessage(row: WebMessageRecord): WebMessage {
  return {
    seq: row.seq,
    messageId: row.messageId,
    chatId: row.chatId,
    author: row.author,
    senderId: row.senderId,
    text: row.text ?? null,
    card: row.card ?? null,
    content: row.content ?? null,
    replyTo: row.replyTo ?? null,
    reactions: row.reactions,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A repeated id (the same idempotency key) inserts nothing: the first message stands. */
const INSERT = `
  insert into web_messages (message_id, chat_id, author, sender_id, text, card, content, reply_to, reactions, created_at, updated_at)
  values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, '[]'::jsonb, now(), now())
  on conflict (message_id) do nothing
  returning seq`;

const ADD_REACTION = `
  update web_messages
     set reactions = case when reactions @> jsonb_build_array(?::text) then reactions else reactions || jsonb_build_array(?::text) end,
         updated_at = now()
   where message_id = ?
  returning seq`;

/** The web chat's messages. Inserting an existing message id changes nothing and says so. */
export class WebMessageStore {
  constructor(private readonly orm: MikroORM) {}

  /** The message, and whether this call stored it (false: it was there already, e.g. a repeated post). */
  async insert(message: NewWebMessage): Promise<{ message: WebMessage; inserted: boolean }> {
    const em = this.orm.em.fork();
    const inserted = await em.getConnection().execute<{ seq: number }[]>(INSERT, [
      message.messageId,
      message.chatId,
      message.author,
      message.senderId,
      message.text ?? null,
      message.card ? JSON.stringify(message.card) : null,
      message.content ? JSON.stringify(message.content) : null,
      message.replyTo ?? null,
    ]);
    const row = await em.findOneOrFail(WebMessageRecord, { messageId: message.messageId });
    return { message: toMessage(row), inserted: inserted.length === 1 };
  }

  async get(messageId: string): Promise<WebMessage | null> {
    const row = await this.orm.em.fork().findOne(WebMessageRecord, { messageId });
    return row ? toMessage(row) : null;
  }

  /** Replaces the card; null when there is no such message. */
  async updateCard(messageId: string, card: Record<string, unknown>): Promise<WebMessage | null> {
    const updated = await this.orm.em.fork().nativeUpdate(WebMessageRecord, { messageId }, { card, updatedAt: new Date() });
    return updated === 0 ? null : this.get(messageId);
  }

  /** Adds the reaction once; null when there is no such message. */
  async addReaction(messageId: string, reaction: string): Promise<WebMessage | null> {
    const rows = await this.orm.em.fork().getConnection().execute<{ seq: number }[]>(ADD_REACTION, [reaction, reaction, messageId]);
    return rows.length === 0 ? null : this.get(messageId);
  }

  /** The newest `limit` messages (all chats: the console shows one room), oldest first. */
  async recent(limit: number): Promise<WebMessage[]> {
    const rows = await this.orm.em.fork().find(WebMessageRecord, {}, { orderBy: { seq: 'desc' }, limit });
    return rows.reverse().map(toMessage);
  }
}
