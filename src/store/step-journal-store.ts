import type { MikroORM } from '@mikro-orm/postgresql';
import { PLAINTEXT } from '../security/encryption';
import type { DataCipher } from '../security/encryption';
import { StepJournalRecord } from './entities';

/** The authenticated context of a sealed result: it opens only in its own row. */
const resultContext = (key: string) => `step_journal.result:${key}`;

/**
 * Step results hold tool output (the agent's tool calls, diagnoses, proposals): with a key, every
 * result is sealed; the cost is microseconds against a database round trip, and no step is missed.
 */
export class StepJournalStore {
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

  /** Records that the step is starting; a second start of the same key (after a crash) is a no-op. */
  async start(key: string, incidentId: string, step: string): Promise<void> {
    await this.orm.em
      .fork()
      .createQueryBuilder(StepJournalRecord)
      .insert({ idempotencyKey: key, incidentId, step, status: 'started', startedAt: new Date() })
      .onConflict('idempotency_key')
      .ignore()
      .execute();
  }

  async finish(key: string, result: unknown): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(StepJournalRecord, { idempotencyKey: key }, { status: 'done', result: this.cipher.seal(result ?? null, resultContext(key)), finishedAt: new Date() });
  }

  async fail(key: string, error: string): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(StepJournalRecord, { idempotencyKey: key }, { status: 'failed', error, finishedAt: new Date() });
  }
}
