import type { MikroORM } from '@mikro-orm/postgresql';
import type { StormMember } from '../chat/core/cards/storm-card';
import { statePathsWhere } from '../../machines/incident.view';
import { pooledQuery } from '../store/pooled-sql';

/** A storm as stored (table `storms`). */
export interface Storm {
  id: string;
  chatId: string;
  startedAt: Date;
  windowStart: Date;
  lastOpenedAt: Date;
  endedAt: Date | null;
  cardMessageId: string | null;
}

const STORM_COLUMNS = `id, chat_id as "chatId", started_at as "startedAt", window_start as "windowStart", last_opened_at as "lastOpenedAt",
  ended_at as "endedAt", card_message_id as "cardMessageId"`;

type Timestamp = string | Date;
type StormRow = Omit<Storm, 'startedAt' | 'windowStart' | 'lastOpenedAt' | 'endedAt'> & {
  startedAt: Timestamp;
  windowStart: Timestamp;
  lastOpenedAt: Timestamp;
  endedAt: Timestamp | null;
};

/** The pool may hand timestamps back as text. */
function stormOf(row: StormRow): Storm {
  const { startedAt, windowStart, lastOpenedAt, endedAt } = row;
  return { ...row, startedAt: new Date(startedAt), windowStart: new Date(windowStart), lastOpenedAt: new Date(lastOpenedAt), endedAt: endedAt === null ? null : new Date(endedAt) };
}

/**
 * Where an incident stands for the storm card: over once done or recovered at source (only watched for a
 * flap), waiting when parked with people, else working. Alertname from the lead alert's labels, else its title.
 */
const MEMBERS = `
  select i.id as "incidentId", i.severity, i.service,
         coalesce(i.snapshot->'context'->'alert'->'labels'->>'alertname', i.title) as alertname,
         case when i.status = 'done' or i.state = any($2) then 'ended' when i.status = 'parked' then 'waiting' else 'working' end as standing
    from chat_openings o join incidents i on i.id = o.incident_id
   where o.storm_id = $1`;
/** The chart's states where a recovered incident only watches for a flap (asked of the chart, not spelled here). */
const WATCHING_FOR_FLAP = statePathsWhere((phase) => phase === 'recovered');

/**
 * Storms and the incident openings they are counted from, shared by every instance. Each statement is
 * atomic on its own; the partial unique index keeps one storm going on per chat whoever starts it.
 */
export class StormStore {
  constructor(private readonly orm: MikroORM) {}

  private query<T>(text: string, values: readonly unknown[]): Promise<T[]> {
    return pooledQuery<T>(this.orm, text, values);
  }

  private async storms(text: string, values: readonly unknown[]): Promise<Storm[]> {
    return (await this.query<StormRow>(text, values)).map(stormOf);
  }

  /** Counts an incident that opened in a chat; recording it again changes nothing. */
  async recordOpening(incidentId: string, chatId: string, at: Date): Promise<void> {
    await this.query(`insert into chat_openings (incident_id, chat_id, opened_at) values ($1, $2, $3) on conflict do nothing`, [incidentId, chatId, at]);
  }

  async openingsSince(chatId: string, since: Date): Promise<number> {
    const [row] = await this.query<{ n: number }>(`select count(*)::int as n from chat_openings where chat_id = $1 and opened_at >= $2`, [chatId, since]);
    return row?.n ?? 0;
  }

  async goingOn(chatId: string): Promise<Storm | undefined> {
    const [storm] = await this.storms(`select ${STORM_COLUMNS} from storms where chat_id = $1 and ended_at is null`, [chatId]);
    return storm;
  }

  /** Starts a storm in the chat, or returns the one another instance started first. */
  async start(candidate: Pick<Storm, 'id' | 'chatId' | 'startedAt' | 'windowStart'>): Promise<{ storm: Storm; started: boolean }> {
    const [inserted] = await this.storms(
      `insert into storms (id, chat_id, started_at, window_start, last_opened_at) values ($1, $2, $3, $4, $3)
       on conflict (chat_id) where ended_at is null do nothing returning ${STORM_COLUMNS}`,
      [candidate.id, candidate.chatId, candidate.startedAt, candidate.windowStart],
    );
    if (inserted) return { storm: inserted, started: true };
    const existing = await this.goingOn(candidate.chatId);
    if (!existing) return this.start(candidate); // it ended between the two statements: start afresh
    return { storm: existing, started: false };
  }

  /**
   * Counts the chat's openings since the storm's window into it and moves its end on; false when it ended
   * meanwhile (the caller then treats the chat as calm). Openings of other instances join here too.
   */
  async join(storm: Storm, at: Date): Promise<boolean> {
    const [going] = await this.query<{ id: string }>(
      `update storms set last_opened_at = greatest(last_opened_at, $2) where id = $1 and ended_at is null returning id`,
      [storm.id, at],
    );
    if (!going) return false;
    await this.query(`update chat_openings set storm_id = $1 where chat_id = $2 and storm_id is null and opened_at >= $3`, [storm.id, storm.chatId, storm.windowStart]);
    return true;
  }

  /** The storm an incident belongs to, if any. */
  async stormOf(incidentId: string): Promise<Storm | undefined> {
    const [storm] = await this.storms(
      `select ${STORM_COLUMNS} from storms where id = (select storm_id from chat_openings where incident_id = $1)`,
      [incidentId],
    );
    return storm;
  }

  async get(stormId: string): Promise<Storm | undefined> {
    const [storm] = await this.storms(`select ${STORM_COLUMNS} from storms where id = $1`, [stormId]);
    return storm;
  }

  async members(stormId: string): Promise<StormMember[]> {
    return this.query<StormMember>(MEMBERS, [stormId, WATCHING_FOR_FLAP]);
  }

  /** Keeps the first message id recorded (two instances posting with one idempotency key get the same one). */
  async recordCard(stormId: string, messageId: string): Promise<string> {
    const [row] = await this.query<{ cardMessageId: string }>(
      `update storms set card_message_id = coalesce(card_message_id, $2) where id = $1 returning card_message_id as "cardMessageId"`,
      [stormId, messageId],
    );
    return row?.cardMessageId ?? messageId;
  }

  /** Ends storms with no new incident since `quietSince`; each is returned to exactly one caller. */
  async endQuiet(quietSince: Date, at: Date): Promise<Storm[]> {
    return this.storms(
      `update storms set ended_at = $2 where ended_at is null and last_opened_at < $1 returning ${STORM_COLUMNS}`,
      [quietSince, at],
    );
  }

  /** Storms whose card a crashed instance never recorded. */
  async withoutCard(startedBefore: Date): Promise<Storm[]> {
    return this.storms(`select ${STORM_COLUMNS} from storms where card_message_id is null and started_at < $1 limit 100`, [startedBefore]);
  }

  /** Openings too old to make or join a storm, outside any storm, are forgotten. */
  async prune(before: Date): Promise<void> {
    await this.query(`delete from chat_openings where storm_id is null and opened_at < $1`, [before]);
  }
}
