import type { MikroORM } from '@mikro-orm/postgresql';
import { PLAINTEXT } from '../security/encryption';
import type { DataCipher } from '../security/encryption';
import { ChatCursorRecord, InboundEventRecord } from './entities';
import { claimAll } from './inbound-claims';
import type { Claim } from './inbound-claims';
import { pooledQuery } from './pooled-sql';
import { WriteBatcher } from './write-batcher';

export interface ChatCursor {
  lastCreateTime: number;
  seenIds: string[];
}

export type ClaimResult = 'claimed' | 'done' | 'in_progress';

/** A delivery as received, kept with its claim so that any instance can do its work again. */
export interface ReplayPayload {
  /** Which intake replays it (`lark`, `web`). */
  channel: string;
  /** What the delivery is, for that intake (`event`, `message`, `click`). */
  kind: string;
  data: unknown;
}

export interface ClaimOptions {
  /** A claim not completed (nor heartbeaten) for this long is presumed left by a crash, and taken over. */
  staleAfterMs?: number;
  /** Kept with the claim until it is completed, so that another instance can do the work. */
  replay?: ReplayPayload;
  /** A delivery completed longer ago than this is taken as new (unset: a completed delivery is a duplicate forever). */
  repeatableAfterMs?: number;
}

export interface UnfinishedDelivery {
  key: string;
  replay: ReplayPayload;
}

/** A kept delivery this instance cannot open (sealed with a key it does not have). */
export interface UnreadableDelivery {
  key: string;
  unreadable: Error;
}

/** A claim nobody completed within this is presumed left by a crash, and its delivery is taken again. */
export const DEFAULT_STALE_CLAIM_MS = 30_000;
/** A delivery taken over this often without being finished is given up (logged), not replayed forever. */
export const MAX_TAKEOVERS = 5;

/** Dedup of inbound deliveries and the per-chat history cursors. */
export class InboundStore {
  /** Claims and completions of concurrent deliveries go together: one statement, one commit (group commit). */
  private readonly claims: WriteBatcher<Claim, ClaimResult>;
  private readonly completions: WriteBatcher<string>;

  /** `cipher` seals what a claim keeps for replay (raw alert text may hold secrets until it is redacted). */
  constructor(
    private readonly orm: MikroORM,
    private readonly cipher: DataCipher = PLAINTEXT,
  ) {
    const inFlight = Math.max(1, Math.floor((orm.config.get('pool')?.max ?? 1) / 4));
    this.claims = new WriteBatcher((batch) => claimAll(orm, batch), inFlight);
    this.completions = new WriteBatcher<string>(async (keys) => {
      // The database's clock, as the claim's: the dedup window compares the two.
      await pooledQuery(orm, 'update inbound_events set done_at = now(), replay = null where key = any($1::text[])', [keys], 'inbound-done');
      return keys.map(() => ({ value: undefined }));
    }, inFlight);
  }

  /**
   * Claims a delivery, atomically across instances, in one round trip: `claimed` the first time — or
   * when an earlier claim was never completed and is older than `staleAfterMs` (its holder crashed):
   * the work runs again —, `done` once the work was completed, `in_progress` while someone else is on
   * it. With `repeatableAfterMs`, a delivery completed longer ago than that is new again (a sliding
   * dedup window). `replay` is kept until the claim is completed, for {@link unfinished}.
   */
  async claimDelivery(key: string, options: ClaimOptions = {}): Promise<ClaimResult> {
    const { staleAfterMs = DEFAULT_STALE_CLAIM_MS, replay, repeatableAfterMs } = options;
    const kept = replay === undefined ? null : JSON.stringify({ ...replay, data: this.cipher.seal(replay.data, replayContext(key)) });
    return this.claims.submit({ key, replay: kept, staleSecs: staleAfterMs / 1000, repeatSecs: repeatableAfterMs === undefined ? null : repeatableAfterMs / 1000 });
  }

  /** The work the delivery asked for is persisted: redeliveries are duplicates from now on. */
  async complete(key: string): Promise<void> {
    await this.completions.submit(key);
  }

  /** The holders are still at work: keeps their claims from looking abandoned. */
  async heartbeat(...keys: string[]): Promise<void> {
    await pooledQuery(this.orm, 'update inbound_events set received_at = now() where key = any($1::text[]) and done_at is null', [keys]);
  }

  /**
   * Claims of `channel` whose holder stopped heartbeating before completing them (it died), oldest
   * first. Taking one over still goes through {@link claimDelivery}, so one instance gets each.
   */
  async unfinished(channel: string, staleAfterMs = DEFAULT_STALE_CLAIM_MS, limit = 20): Promise<(UnfinishedDelivery | UnreadableDelivery)[]> {
    const rows = await this.orm.em.fork().getConnection().execute<UnfinishedDelivery[]>(
      `select key, replay from inbound_events
        where done_at is null and replay is not null and replay->>'channel' = ? and takeovers < ?
          and received_at < now() - make_interval(secs => ?)
        order by received_at limit ?`,
      [channel, MAX_TAKEOVERS, staleAfterMs / 1000, limit],
    );
    return rows.map(({ key, replay }) => {
      try {
        return { key, replay: { ...replay, data: this.cipher.open(replay.data, replayContext(key)) } };
      } catch (error) {
        return { key, unreadable: error instanceof Error ? error : new Error(String(error)) };
      }
    });
  }

  /** Stops replaying a delivery (it stays until pruned, so a redelivery is still recognised). */
  async giveUp(key: string): Promise<void> {
    await this.orm.em.fork().getConnection().execute('update inbound_events set takeovers = ? where key = ? and done_at is null', [MAX_TAKEOVERS, key]);
  }

  /** Forgets a claim whose work failed before it was acknowledged: the sender's redelivery is taken again. */
  async release(key: string): Promise<void> {
    await this.orm.em.fork().nativeDelete(InboundEventRecord, { key });
  }

  /**
   * Leaves a claim whose replay failed to be replayed again at the next sweep (nobody else will
   * redeliver an acknowledged delivery), bounded by MAX_TAKEOVERS.
   */
  async abandon(key: string): Promise<void> {
    await this.orm.em.fork().getConnection().execute(`update inbound_events set received_at = '-infinity' where key = ? and done_at is null`, [key]);
  }

  /** Drops claims older than `olderThan` (Lark stops redelivering after a few hours), except unfinished ones still to be replayed. */
  async prune(olderThan: Date): Promise<number> {
    const result = await this.orm.em.fork().getConnection().execute<{ affectedRows: number }>(
      `delete from inbound_events where received_at < ? and (done_at is not null or replay is null or takeovers >= ?)`,
      [olderThan, MAX_TAKEOVERS],
      'run',
    );
    return result.affectedRows;
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

/** Binds a sealed delivery to its claim: copied to another row, it does not open. */
function replayContext(key: string): string {
  return `inbound_events.replay:${key}`;
}
