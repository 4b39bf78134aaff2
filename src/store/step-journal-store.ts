import type { MikroORM } from '@mikro-orm/postgresql';
import { PLAINTEXT } from '../security/encryption';
import type { DataCipher } from '../security/encryption';
import { StepJournalRecord } from './entities';
import type { RecordedStep, StepJournalPort } from '../runtime/step-journal-port';
import { jsonb, pooledQuery } from './pooled-sql';

/** The authenticated context of a sealed result: it opens only in its own row. */
const resultContext = (key: string) => `step_journal.result:${key}`;

/**
 * Inserts the `started` row unless the key has one; returns the existing row (none when inserted). One
 * round trip for what was a read and then an insert.
 */
const CLAIM_STEP = `
  with inserted as (
    insert into step_journal (idempotency_key, incident_id, step, status, started_at) values ($1, $2, $3, 'started', $4)
    on conflict (idempotency_key) do nothing
    returning idempotency_key
  )
  select true as inserted, null::text as status, null::jsonb as result, null::text as error from inserted
  union all
  select false, status, result, error from step_journal where idempotency_key = $1 and not exists (select 1 from inserted)`;

/**
 * Step results hold tool output (the agent's tool calls, diagnoses, proposals): with a key, every
 * result is sealed; the cost is microseconds against a database round trip, and no step is missed.
 */
export class StepJournalStore implements StepJournalPort {
  constructor(
    private readonly orm: MikroORM,
    private readonly cipher: DataCipher = PLAINTEXT,
  ) {}

  async find(key: string): Promise<StepJournalRecord | null> {
    const row = await this.orm.em.fork().findOne(StepJournalRecord, { idempotencyKey: key });
    // The fork is dropped here, so opening the value in place never reaches the database.
    if (row) row.result = this.cipher.open(row.result, resultContext(key));
    return row;
  }

  /**
   * Records that the step is starting, or returns what an earlier run of it recorded (after a crash, a
   * `started` row that never finished; the step then runs again). Null when this is the first run.
   */
  async claim(key: string, incidentId: string, step: string): Promise<RecordedStep | null> {
    const [row] = await pooledQuery<RecordedStep & { inserted: boolean }>(this.orm, CLAIM_STEP, [key, incidentId, step, new Date()]);
    if (row?.inserted) return null;
    if (row) return { status: row.status, result: this.cipher.open(row.result, resultContext(key)), error: row.error };
    // No row: a concurrent first run committed its insert after this statement's snapshot was taken.
    const recorded = await this.find(key);
    if (!recorded) throw new Error(`Step ${key} has no journal row although its insert conflicted.`);
    return { status: recorded.status, result: recorded.result, error: recorded.error ?? null };
  }

  async finish(key: string, result: unknown): Promise<void> {
    await pooledQuery(this.orm, `update step_journal set status = 'done', result = $2::jsonb, finished_at = $3 where idempotency_key = $1`, [
      key,
      jsonb(this.cipher.seal(result ?? null, resultContext(key))),
      new Date(),
    ]);
  }

  async fail(key: string, error: string): Promise<void> {
    await pooledQuery(this.orm, `update step_journal set status = 'failed', error = $2, finished_at = $3 where idempotency_key = $1`, [key, error, new Date()]);
  }
}
