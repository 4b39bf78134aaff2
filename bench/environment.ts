import os from 'node:os';
import pg from 'pg';
import { TEST_SERVER_URL } from '../test/support/database';
import { POOL_SIZE } from './bench-runtime';

/** What the figures depend on, recorded beside them. */
export async function describeEnvironment() {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(
      `select name, setting from pg_settings
        where name in ('fsync', 'synchronous_commit', 'wal_sync_method', 'commit_delay', 'shared_buffers', 'max_connections')`,
    );
    const version = await client.query<{ v: string }>(`select current_setting('server_version') as v`);
    return {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryBytes: os.totalmem(),
      postgres: version.rows[0]?.v ?? 'unknown',
      postgresSettings: Object.fromEntries(rows.map((r) => [r.name, r.setting])),
      poolSize: POOL_SIZE,
      locks: 'in process (MemoryLock, LocalLeases); one workflow level again on Redis leases, as several instances run',
      gcExposed: typeof globalThis.gc === 'function',
    };
  } finally {
    await client.end();
  }
}
