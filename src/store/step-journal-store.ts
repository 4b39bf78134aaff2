import type { MikroORM } from '@mikro-orm/postgresql';
import { StepJournalRecord } from './entities';

export class StepJournalStore {
  constructor(private readonly orm: MikroORM) {}

  async find(key: string): Promise<StepJournalRecord | null> {
    return this.orm.em.fork().findOne(StepJournalRecord, { idempotencyKey: key });
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
      .nativeUpdate(StepJournalRecord, { idempotencyKey: key }, { status: 'done', result: result ?? null, finishedAt: new Date() });
  }

  async fail(key: string, error: string): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(StepJournalRecord, { idempotencyKey: key }, { status: 'failed', error, finishedAt: new Date() });
  }
}
