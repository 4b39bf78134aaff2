import pg from 'pg';
import { createTestDatabase } from '../../test/support/database';
import type { StepOutcome } from '../../src/runtime/step-journal-port';
import type { IncidentWrite } from '../../src/store/incident-store';
import { openBenchRuntime, POOL_SIZE } from '../bench-runtime';
import type { BenchRuntime } from '../bench-runtime';
import { benchAlert } from '../full-workflow';
import { perSecond, runConcurrently, summarize } from '../stats';
import type { Summary } from '../stats';

export interface WritePath {
  path: string;
  /** Short name for the table. */
  label: string;
  latency: Summary;
  perSecond: number;
  /** Node CPU (user + system) per write: what the driver and ORM cost the single-threaded runtime. */
  nodeCpuMsPerWrite: number;
}

export interface WritePathLevel {
  concurrency: number;
  paths: WritePath[];
}

type Write = (id: string, version: number) => Promise<void>;

const UPDATE_COLUMNS = 'state = $1, status = $2, wake_at = $3, snapshot = $4, merged_into = null, version = $5, updated_at = now()';
const AUDIT_COLUMNS = 'incident_id, seq, at, actor, event_type, from_state, to_state, payload';

/**
 * Where a transition's time goes: the same write (snapshot UPDATE … WHERE version, audit INSERT) through
 * IncidentStore (its prepared statement, group commit included; alone, and carrying a step's outcome as
 * most transitions do), through node-postgres as four round trips and as one statement, and the audit row
 * alone (the floor of persisting less) — beside the raw single-row INSERT. Not a target; it says what bounds
 * the transition figures.
 */
export async function measureWritePaths(levels: { concurrency: number; writes: number }[]): Promise<WritePathLevel[]> {
  const db = await createTestDatabase('aifixer_bench');
  const bench = await openBenchRuntime(db.url);
  const pool = new pg.Pool({ connectionString: db.url, max: POOL_SIZE });
  try {
    await pool.query('create table bench_raw_inserts (id bigserial primary key, incident_id text not null, at timestamptz not null default now(), payload jsonb not null)');
    const results: WritePathLevel[] = [];
    for (const { concurrency, writes } of levels) {
      const parked = await parkIncidents(bench, concurrency);
      const write = (await bench.store.load(parked[0]!))!;
      const row: IncidentWrite = { at: new Date(), state: write.state, status: write.status, wakeAt: write.wakeAt ?? null, snapshot: write.snapshot, mergedInto: null };
      const values = [row.state, row.status, row.wakeAt, JSON.stringify(row.snapshot)];
      const audit = ['system', 'bench.write', row.state, row.state, JSON.stringify({ by: { id: 'alice' } })];
      const paths: [string, string, Write][] = [
        ['raw single-row INSERT (baseline)', 'raw insert', async (id) => void (await pool.query('insert into bench_raw_inserts (incident_id, payload) values ($1, $2)', [id, audit[4]]))],
        ['IncidentStore.saveTransition', 'store', (id, v) => bench.store.saveTransition(id, v, row, { actor: 'system', eventType: 'bench.write', fromState: row.state, toState: row.state, payload: { by: { id: 'alice' } } })],
        // As most transitions are written: an `xstate.done.actor.*` carrying the outcome of the step that caused it.
        ['IncidentStore.saveTransition with its step outcome', 'store + step', (id, v) => bench.store.saveTransition(id, v, row, { actor: 'system', eventType: 'xstate.done.actor.bench', fromState: row.state, toState: row.state, payload: {} }, [benchOutcome(id, v)])],
        ['pg: BEGIN, UPDATE, INSERT, COMMIT', 'pg 4 round trips', async (id, v) => {
          const client = await pool.connect();
          try {
            await client.query('begin');
            const updated = await client.query(`update incidents set ${UPDATE_COLUMNS} where id = $6 and version = $7`, [...values, v + 1, id, v]);
            if (updated.rowCount !== 1) throw new Error(`${id} is not at version ${v}.`);
            await client.query(`insert into incident_events (${AUDIT_COLUMNS}) values ($1, $2, now(), $3, $4, $5, $6, $7)`, [id, v + 1, ...audit]);
            await client.query('commit');
          } finally {
            client.release();
          }
        }],
        ['pg: one statement (UPDATE … RETURNING feeding the INSERT)', 'pg 1 statement', (id, v) => oneStatement(pool, values, audit, id, v)],
        // Persisting less: what the statement costs when the row's snapshot is only the part most transitions change.
        ['pg: one statement, the snapshot without its context', 'pg 1 statement, snapshot w/o context', (id, v) => oneStatement(pool, [...values.slice(0, 3), JSON.stringify({ ...row.snapshot, context: {} })], audit, id, v)],
        // The least a transition could write (event-sourced, snapshots now and then): its audit row alone.
        // Last, and at seqs of their own: the row's version does not move, so the paths above keep theirs.
        ['pg: the audit INSERT alone (what an event-sourced transition would write)', 'audit alone', async (id, v) =>
          void (await pool.query({ text: `insert into incident_events (${AUDIT_COLUMNS}) values ($1, $2, now(), $3, $4, $5, $6, $7)`, values: [id, 1_000_000 + v, ...audit], name: 'audit-alone' })),
        ],
      ];
      const measured: WritePath[] = [];
      for (const [path, label, write] of paths) measured.push({ path, label, ...(await measurePath(bench, parked, write, writes, concurrency)) });
      results.push({ concurrency, paths: measured });
    }
    return results;
  } finally {
    await pool.end();
    await bench.close();
    await db.drop();
  }
}

async function oneStatement(pool: pg.Pool, values: unknown[], audit: unknown[], id: string, v: number): Promise<void> {
  const written = await pool.query(
    `with updated as (update incidents set ${UPDATE_COLUMNS} where id = $6 and version = $7 returning id)
     insert into incident_events (${AUDIT_COLUMNS}) select id, $5, now(), $8, $9, $10, $11, $12 from updated`,
    [...values, v + 1, id, v, ...audit],
  );
  if (written.rowCount !== 1) throw new Error(`${id} is not at version ${v}.`);
}

/** A diagnosis-sized step result, under a key of its own per write. */
function benchOutcome(incidentId: string, version: number): StepOutcome {
  const at = new Date();
  const result = { summary: 'checkout returns 503 since the last deploy', rootCause: 'the new pods fail their readiness probe', confidence: 0.8, evidence: ['pods restarting', 'probe failing'] };
  return { key: `${incidentId}/bench/${version}`, incidentId, step: 'bench', status: 'done', result, error: null, startedAt: at, finishedAt: at };
}

async function parkIncidents(bench: BenchRuntime, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { id } = await bench.runtime.create({ alert: benchAlert(`write-path-${count}-${i}`), chatId: 'bench', by: { id: 'alertmanager' } });
      await bench.timeline.reached(id, 'open.awaitingDiagnosisApproval');
      return id;
    }),
  );
}

/** Each caller owns one incident at a time, so version checks never collide. */
async function measurePath(bench: BenchRuntime, ids: string[], write: Write, writes: number, concurrency: number): Promise<Omit<WritePath, 'path' | 'label'>> {
  const versions = new Map<string, number>();
  for (const id of ids) versions.set(id, (await bench.store.load(id))!.version);
  const free = [...ids];
  const latencyMs: number[] = [];
  const cpu = process.cpuUsage();
  const elapsedMs = await runConcurrently(writes, concurrency, async () => {
    const id = free.pop()!;
    const version = versions.get(id)!;
    const started = performance.now();
    await write(id, version);
    latencyMs.push(performance.now() - started);
    versions.set(id, version + 1);
    free.push(id);
  });
  const used = process.cpuUsage(cpu);
  return { latency: summarize(latencyMs), perSecond: perSecond(writes, elapsedMs), nodeCpuMsPerWrite: (used.user + used.system) / 1000 / writes };
}
