import type { MikroORM } from '@mikro-orm/postgresql';
import { ChatCursorRecord, InboundEventRecord } from './entities';

export interface ChatCursor {
  lastCreateTime: number;
  seenIds: string[];
}

/** Dedup of inbound deliveries and the per-chat history cursors. */
export class InboundStore {
  constructor(private readonly orm: MikroORM) {}

  /** True the first time a key is claimed, false for every redelivery — atomically, across instances. */
  async claim(key: string): Promise<boolean> {
    const inserted = await this.orm.em
      .fork()
      .getConnection()
      .execute<{ key: string }[]>(
        'insert into inbound_events (key, received_at) values (?, now()) on conflict (key) do nothing returning key',
        [key],
      );
    return inserted.length === 1;
  }

  /** Forgets a claim whose work could not be persisted, so a redelivery is taken again. */
  async release(key: string): Promise<void> {
    await this.orm.em.fork().nativeDelete(InboundEventRecord, { key });
  }

  /** Drops claims older than `olderThan` (Lark stops redelivering after a few hours). */
  async prune(olderThan: Date): Promise<number> {
    return this.orm.em.fork().nativeDelete(InboundEventRecord, { receivedAt: { $lt: olderThan } });
  }

  async cursor(chatId: string): Promise<ChatCursor | null> {
    const row = await this.orm.em.fork().findOne(ChatCursorRecord, { chatId });
    return row ? { lastCreateTime: row.lastCreateTime, seenIds: row.seenIds } : null;
  }

  async saveCursor(chatId: string, cursor: ChatCursor): Promise<void> {
    await this.orm.em
      .fork()
      .createQueryBuilder(ChatCursorRecord)
      .insert({ chatId, ...cursor, updatedAt: new Date() })
      .onConflict('chat_id')
      .merge()
      .execute();
  }
}
