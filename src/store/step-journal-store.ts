import type { MikroORM } from '@mikro-orm/postgresql';
import { PLAINTEXT } from '../security/encryption';
import type { DataCipher } from '../security/encryption';
import { StepJournalRecord } from './entities';
import type { RecordedStep, StepJournalPort, StepOutcome } from '../runtime/step-journal-port';
import { jsonb, pooledQuery } from './pooled-sql';

/** The authenticated context of a sealed result: it opens only in its own row. */
const resultContext = (key: string) => `step_journal.result:${key}`;

/**
 * Inserts step outcomes given as eight arrays from parameter `$first` on. The first outcome under a key
 * wins; a `started` row (written before outcomes rode with transitions) is completed.
 */
export function insertStepOutcomes(first: number): string {
  const $ = (i: number) => `$${first + i}`;
  return `insert into step_journal (idempotency_key, incident_id, step, status, result, error, started_at, finished_at)
    select * from unnest(${$(0)}::text[], ${$(1)}::text[], ${$(2)}::text[], ${$(3)}::text[], ${$(4)}::jsonb[], ${$(5)}::text[],
                         ${$(6)}::timestamptz[], ${$(7)}::timestamptz[])
    on conflict (idempotency_key) do update
      set status = excluded.status, result = excluded.result, error = excluded.error, finished_at = excluded.finished_at
      where step_journal.status = 'started'`;
}

/** The eight array parameters of `insertStepOutcomes`. */
export function stepOutcomeParameters(outcomes: readonly StepOutcome[]): unknown[][] {
  return [
    outcomes.map((o) => o.key),
    outcomes.map((o) => o.incidentId),
    outcomes.map((o) => o.step),
    outcomes.map((o) => o.status),
    outcomes.map((o) => jsonb(o.result)),
    outcomes.map((o) => o.error),
    outcomes.map((o) => o.startedAt),
    outcomes.map((o) => o.finishedAt),
  ];
}

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

  async recorded(key: string): Promise<RecordedStep | null> {
    const [row] = await pooledQuery<RecordedStep>(this.orm, 'select status, result, error from step_journal where idempotency_key = $1', [key], 'step-recorded');
    return row ? { status: row.status, result: this.cipher.open(row.result, resultContext(key)), error: row.error } : null;
  }

  async record(outcomes: StepOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await pooledQuery(this.orm, insertStepOutcomes(1), stepOutcomeParameters(outcomes), 'step-record');
  }

  seal(key: string, result: unknown): unknown {
    return this.cipher.seal(result ?? null, resultContext(key));
  }
}
