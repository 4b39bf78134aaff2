import type { MikroORM } from '@mikro-orm/postgresql';
import { ExecutionRecord } from './entities';
import type { ExecutionStatus } from './entities';

export interface ExecutionIntent {
  incidentId: string;
  idempotencyKey: string;
  pluginId: string;
  args: Record<string, unknown>;
}

/** The remediation ledger: an intent row is written before a plugin acts, its result after. */
export class ExecutionStore {
  constructor(private readonly orm: MikroORM) {}

  async find(key: string): Promise<ExecutionRecord | null> {
    return this.orm.em.fork().findOne(ExecutionRecord, { idempotencyKey: key });
  }

  async recordIntent(intent: ExecutionIntent): Promise<void> {
    await this.orm.em
      .fork()
      .createQueryBuilder(ExecutionRecord)
      .insert({ ...intent, status: 'intent', startedAt: new Date() })
      .onConflict('idempotency_key')
      .ignore()
      .execute();
  }

  async settle(key: string, status: Exclude<ExecutionStatus, 'intent'>, result: Record<string, unknown>): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(ExecutionRecord, { idempotencyKey: key }, { status, result, finishedAt: new Date() });
  }

  async forIncident(incidentId: string): Promise<ExecutionRecord[]> {
    return this.orm.em.fork().find(ExecutionRecord, { incidentId }, { orderBy: { id: 'asc' } });
  }
}
