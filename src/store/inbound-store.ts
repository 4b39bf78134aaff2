import type { MikroORM } from '@mikro-orm/postgresql';
import { ChatCursorRecord, InboundEventRecord } from './entities';

export interface ChatCursor {
  lastCreateTime: number;
  seenIds: string[];
}

export type ClaimResult = 'claimed' | 'done' | 'in_progress';

/** A claim nobody completed within this is presumed left by a crash, and its delivery is taken again. */
export const DEFAULT_STALE_CLAIM_MS = 30_000;

/** Dedup of inbound deliveries and the per-chat history cursors. */
export class InboundStore {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Claims a delivery, atomically across instances: `claimed` the first time — or when an earlier
   * claim was never completed and is older than `staleAfterMs` (its holder crashed): the work runs
   * again —, `done` once the work was completed, `in_progress` while someone else is on it.
   */
  async claimDelivery(key: string, staleAfterMs = DEFAULT_STALE_CLAIM_MS): Promise<ClaimResult> {
    const connection = this.orm.em.fork().getConnection();
    const taken = await connection.execute<{ key: string }[]>(
      `insert into inbound_events (key, received_at) values (?, now())
       on conflict (key) do update set received_at = now()
         where inbound_events.done_at is null and inbound_events.received_at < now() - make_interval(secs => ?)
       returning key`,
      [key, staleAfterMs / 1000],
    );
    if (taken.length === 1) return 'claimed';
    const [row] = await connection.execute<{ done: boolean }[]>('select done_at is not null as done from inbound_events where key = ?', [key]);
    return row?.done === false ? 'in_progress' : 'done';
  }

  /** True when this delivery is to be handled now (first time, or taken over from a crashed holder). */
  async claim(key: string, staleAfterMs?: number): Promise<boolean> {
    return (await this.claimDelivery(key, staleAfterMs)) === 'claimed';
  }

  /** The work the delivery asked for is persisted: redeliveries are duplicates from now on. */
  async complete(key: string): Promise<void> {
    await this.orm.em.fork().nativeUpdate(InboundEventRecord, { key }, { doneAt: new Date() });
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
