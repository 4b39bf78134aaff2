import type { MikroORM } from '@mikro-orm/postgresql';
import { PLAINTEXT } from '../security/encryption';
import type { DataCipher } from '../security/encryption';
import { ExecutionRecord } from './entities';
import type { ExecutionStatus } from './entities';

export interface ExecutionIntent {
  incidentId: string;
  idempotencyKey: string;
  pluginId: string;
  args: Record<string, unknown>;
  /** What the plugin read before acting (its `observe`), kept as the intent's result until the run's own replaces it. */
  observed?: Record<string, unknown>;
}

/** The authenticated context of a sealed result: it opens only in its own row. */
const resultContext = (key: string) => `executions.result:${key}`;

/** A row read from a dropped fork, with its result opened in place (never flushed back). */
export function openExecution(row: ExecutionRecord, cipher: DataCipher): ExecutionRecord {
  row.result = cipher.open(row.result, resultContext(row.idempotencyKey));
  return row;
}

/**
 * The remediation ledger: an intent row is written before a plugin acts, its result after. Results
 * hold what the action printed or returned (command output): sealed whenever a key is set.
 */
export class ExecutionStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly cipher: DataCipher = PLAINTEXT,
  ) {}

  async find(key: string): Promise<ExecutionRecord | null> {
    const row = await this.orm.em.fork().findOne(ExecutionRecord, { idempotencyKey: key });
    return row && openExecution(row, this.cipher);
  }

  async recordIntent({ observed, ...intent }: ExecutionIntent): Promise<void> {
    const result = observed ? this.cipher.seal({ observed }, resultContext(intent.idempotencyKey)) : undefined;
    await this.orm.em
      .fork()
      .createQueryBuilder(ExecutionRecord)
      .insert({ ...intent, ...(result !== undefined && { result }), status: 'intent', startedAt: new Date() })
      .onConflict('idempotency_key')
      .ignore()
      .execute();
  }

  async settle(key: string, status: Exclude<ExecutionStatus, 'intent'>, result: Record<string, unknown>): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(ExecutionRecord, { idempotencyKey: key }, { status, result: this.cipher.seal(result, resultContext(key)), finishedAt: new Date() });
  }

  async forIncident(incidentId: string): Promise<ExecutionRecord[]> {
    const rows = await this.orm.em.fork().find(ExecutionRecord, { incidentId }, { orderBy: { id: 'asc' } });
    return rows.map((row) => openExecution(row, this.cipher));
  }
}
