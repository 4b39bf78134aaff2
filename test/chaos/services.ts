import { exec } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Services } from './settings';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a shell command in the repository (the chaos-services script reads the ports from the URLs). */
export function shell(command: string, services: Services): Promise<void> {
  const env = {
    ...process.env,
    CHAOS_PG_PORT: new URL(services.postgresUrl).port,
    CHAOS_REDIS_PORT: new URL(services.redisUrl).port,
  };
  return new Promise((resolve, reject) => {
    exec(command, { cwd: ROOT, env, timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface ChaosDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for this run on the chaos server; `chaos_<utc time>_<seed>_<random>`. */
export async function createRunDatabase(serverUrl: string, seed: number): Promise<ChaosDatabase> {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const name = `chaos_${stamp}_${seed}_${randomBytes(3).toString('hex')}`;
  await adminQuery(serverUrl, `create database "${name}"`);
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: () => adminQuery(serverUrl, `drop database if exists "${name}" with (force)`),
  };
}

/** Drops databases of earlier runs (kept because they failed) once they are a day old. */
export async function dropStaleRunDatabases(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like 'chaos\\_%'`);
    const dayAgo = new Date(Date.now() - 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    for (const { datname } of rows) {
      const stamp = /^chaos_(\d{14})_/.exec(datname)?.[1];
      if (stamp && stamp < dayAgo) await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Queries for the runner itself (the driver's view of incidents, the invariant checks): a short-lived
 * connection each time, retried while the server is being restarted.
 */
export class Db {
  private client: pg.Client | undefined;

  constructor(readonly url: string) {}

  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], patienceMs = 60_000): Promise<R[]> {
    const until = Date.now() + patienceMs;
    for (;;) {
      try {
        const client = await this.connected();
        const result = await client.query<R>(sql, params);
        return result.rows;
      } catch (error) {
        await this.reset();
        if (Date.now() > until || !transient(error)) throw error;
        await sleep(250);
      }
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private async connected(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 2_000, query_timeout: 20_000 });
    client.on('error', () => undefined);
    await client.connect();
    this.client = client;
    return client;
  }

  private async reset(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

/** Connection trouble (a restart in progress), as opposed to a mistake in the query. */
function transient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^(57P0[1-3]|08\d\d[0-9A-Z]?|53300|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)$/.test(code)) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /terminat|Connection|connect|ECONN|timeout|not queryable|the database system is (starting|shutting)/i.test(message);
}
