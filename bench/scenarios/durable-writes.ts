import pg from 'pg';
import { createTestDatabase } from '../../test/support/database';
import { openBenchRuntime } from '../bench-runtime';
import { databaseNameOf, difference, readCountersOnceClosed } from '../database-counters';
import type { DatabaseCounters } from '../database-counters';
import { runFullWorkflows } from '../full-workflow';
import { countQueries } from '../query-counter';
import type { QueryCounts } from '../query-counter';

export interface TableWrites {
  table: string;
  inserted: number;
  updated: number;
}

export interface DurableWrites {
  incidents: number;
  /** Per incident, from pg_stat_database: every transaction (read-only and autovacuum's included) and row. */
  server: DatabaseCounters;
  /** Per incident, from the client side: which transactions wrote. */
  client: QueryCounts;
  /** Per incident, rows per table. */
  tables: TableWrites[];
  /** Average stored size of an incident's snapshot (jsonb, as written on every transition). */
  snapshotBytes: number;
}

/**
 * Runs `count` full workflows one at a time on a fresh database and counts what they made durable.
 * The runtime's own start-up (pool, migrations check) is measured separately and subtracted.
 */
export async function measureDurableWrites(count: number): Promise<DurableWrites> {
  const db = await createTestDatabase('aifixer_bench');
  const name = databaseNameOf(db.url);
  try {
    await (await openBenchRuntime(db.url)).close(); // applies the migrations
    const idle = await readCountersOnceClosed(name);
    await (await openBenchRuntime(db.url)).close();
    const startUp = difference(await readCountersOnceClosed(name), idle);

    const bench = await openBenchRuntime(db.url);
    let client: QueryCounts;
    try {
      client = await countQueries(async () => void (await runFullWorkflows(bench, 'writes', count, 1)));
    } finally {
      await bench.close();
    }
    const server = difference(difference(await readCountersOnceClosed(name), idle), startUp);
    const { tables, snapshotBytes } = await tableWrites(db.url);
    return {
      incidents: count,
      server: perIncident(server, count),
      client: perIncident(client, count),
      tables: tables.map((t) => ({ ...t, inserted: t.inserted / count, updated: t.updated / count })),
      snapshotBytes,
    };
  } finally {
    await db.drop();
  }
}

function perIncident<T extends object>(totals: T, count: number): T {
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, typeof v === 'number' ? v / count : v])) as T;
}

async function tableWrites(url: string): Promise<{ tables: TableWrites[]; snapshotBytes: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string; inserted: string; updated: string }>(
      // A snapshot over ~2 kB is stored out of line: its TOAST rows are durable writes too.
      `select coalesce(owner.relname || ' (toast)', t.relname) as table, t.n_tup_ins as inserted, t.n_tup_upd as updated
         from pg_stat_all_tables t left join pg_class owner on owner.reltoastrelid = t.relid
        where (t.schemaname = 'public' and t.relname <> 'mikro_orm_migrations' or t.schemaname = 'pg_toast')
          and t.n_tup_ins + t.n_tup_upd > 0
        order by 1`,
    );
    const size = await client.query<{ bytes: string | null }>('select avg(pg_column_size(snapshot)) as bytes from incidents');
    return {
      tables: rows.map((r) => ({ table: r.table, inserted: Number(r.inserted), updated: Number(r.updated) })),
      snapshotBytes: Number(size.rows[0]?.bytes ?? NaN),
    };
  } finally {
    await client.end();
  }
}
