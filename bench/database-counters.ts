import pg from 'pg';
import { TEST_SERVER_URL } from '../test/support/database';

/** Cumulative per-database counters from pg_stat_database. */
export interface DatabaseCounters {
  commits: number;
  rollbacks: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

async function withAdmin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * Backends publish their statistics when they exit (otherwise up to seconds later), so counters are read
 * only once every connection to the database is gone — read from the admin database, which they don't count.
 */
export async function readCountersOnceClosed(database: string, timeoutMs = 10_000): Promise<DatabaseCounters> {
  return withAdmin(async (client) => {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [database]);
      if (Number(rows[0]?.n) === 0) break;
      if (performance.now() > until) throw new Error(`Connections to ${database} are still open after ${timeoutMs} ms.`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { rows } = await client.query<Record<keyof DatabaseCounters, string>>(
      `select xact_commit as commits, xact_rollback as rollbacks, tup_inserted as "rowsInserted",
              tup_updated as "rowsUpdated", tup_deleted as "rowsDeleted"
         from pg_stat_database where datname = $1`,
      [database],
    );
    const row = rows[0];
    if (!row) throw new Error(`No statistics for database ${database}.`);
    return {
      commits: Number(row.commits),
      rollbacks: Number(row.rollbacks),
      rowsInserted: Number(row.rowsInserted),
      rowsUpdated: Number(row.rowsUpdated),
      rowsDeleted: Number(row.rowsDeleted),
    };
  });
}

export function difference(after: DatabaseCounters, before: DatabaseCounters): DatabaseCounters {
  return {
    commits: after.commits - before.commits,
    rollbacks: after.rollbacks - before.rollbacks,
    rowsInserted: after.rowsInserted - before.rowsInserted,
    rowsUpdated: after.rowsUpdated - before.rowsUpdated,
    rowsDeleted: after.rowsDeleted - before.rowsDeleted,
  };
}
