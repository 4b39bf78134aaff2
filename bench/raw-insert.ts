import pg from 'pg';
import { runConcurrently } from './stats';

export interface RawInsertRun {
  count: number;
  concurrency: number;
  elapsedMs: number;
  latencyMs: number[];
}

/** About the size of an audit row's payload, so the baseline writes what a transition's audit row writes. */
const PAYLOAD = JSON.stringify({ by: { id: 'alice' }, source: { kind: 'card', messageId: 'om_0123456789abcdef' }, comment: 'looks right' });

/**
 * The baseline: single-row autocommit INSERTs through node-postgres, one round trip and one commit each,
 * from `concurrency` callers sharing a pool as large as the runtime's.
 */
export async function measureRawInserts(databaseUrl: string, poolSize: number, count: number, concurrency: number): Promise<RawInsertRun> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  try {
    await pool.query(
      `create table if not exists bench_raw_inserts (id bigserial primary key, incident_id text not null, at timestamptz not null default now(), payload jsonb not null)`,
    );
    // Open the pool's connections first, as the runtime's are open by the time it is measured.
    await runConcurrently(poolSize, poolSize, async () => void (await pool.query('select 1')));
    const latencyMs: number[] = [];
    const elapsedMs = await runConcurrently(count, concurrency, async (i) => {
      const started = performance.now();
      await pool.query('insert into bench_raw_inserts (incident_id, payload) values ($1, $2)', [`RAW-${i}`, PAYLOAD]);
      latencyMs.push(performance.now() - started);
    });
    return { count, concurrency, elapsedMs, latencyMs };
  } finally {
    await pool.end();
  }
}
