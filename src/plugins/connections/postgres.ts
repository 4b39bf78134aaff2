import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import type { Targets } from '../targets';
import { abortable } from '../abortable';

export type PostgresTarget = Targets['postgres'][string];

/** Our sessions carry this name, so remediation can tell them apart and never signal them. */
export const APPLICATION_NAME = 'ai-fixer';

/** Plugins run a few statements each; a bigger pool would only add load to a server in trouble. */
const POOL_SIZE = 3;
const MAX_POOLS = 16;
const CONNECT_TIMEOUT_MS = 5_000;
const IDLE_TIMEOUT_MS = 10_000;

const pools = new Map<string, pg.Pool>();

export function findPostgresTarget(targets: Targets, name: string): PostgresTarget | undefined {
  return Object.hasOwn(targets.postgres, name) ? targets.postgres[name] : undefined;
}

export function unknownPostgresTargetSummary(targets: Targets, name: string): string {
  const names = Object.keys(targets.postgres);
  const configured = names.length > 0 ? `configured targets: ${names.join(', ')}` : 'no postgres targets are configured';
  return `Unknown postgres target "${name}"; ${configured}`;
}

/**
 * The database a target's URL connects to (libpq's default, the user's name, when it names none), or
 * undefined when the URL cannot be read.
 */
export function targetDatabase(target: PostgresTarget): string | undefined {
  try {
    const url = new URL(target.url);
    return decodeURIComponent(url.pathname.slice(1)) || url.searchParams.get('dbname') || decodeURIComponent(url.username) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why acting on `database` is refused: a remediation reaches only the target's own database, as a
 * Kubernetes one reaches only its namespaces (a URL to one database must not end sessions of every
 * other database on the server). Undefined: allowed (no database asked for means the target's own).
 */
export function databaseFenceProblem(target: PostgresTarget, targetName: string, database: string | undefined): string | undefined {
  if (database === undefined) return undefined;
  const own = targetDatabase(target);
  if (own === database) return undefined;
  const allowed = own === undefined ? 'only its own (leave database out)' : `only its own, "${own}"`;
  return `Database "${database}" is not allowed on postgres target "${targetName}"; allowed: ${allowed}`;
}

function poolFor(target: PostgresTarget): pg.Pool {
  const key = `${target.statementTimeoutMs}|${target.url}`;
  const cached = pools.get(key);
  if (cached) {
    // Re-inserting keeps the map in least-recently-used order for eviction.
    pools.delete(key);
    pools.set(key, cached);
    return cached;
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    application_name: APPLICATION_NAME,
    statement_timeout: target.statementTimeoutMs,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    allowExitOnIdle: true,
  });
  // An idle client that dies (server restart, terminated) is dropped by the pool; the next query reconnects.
  pool.on('error', () => {});
  pools.set(key, pool);
  if (pools.size > MAX_POOLS) {
    const [oldestKey, oldest] = pools.entries().next().value ?? [];
    if (oldestKey !== undefined && oldest) {
      pools.delete(oldestKey);
      oldest.end().catch(() => {});
    }
  }
  return pool;
}

export async function closePostgresPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled(all.map((pool) => pool.end()));
}

export interface PostgresSession {
  query<Row extends QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
}

/**
 * Runs `work` on one pooled connection. On abort it rejects at once with the signal's reason, cancels the
 * running statement server-side (closing our socket alone would leave it running) and discards the connection.
 */
export async function withPostgres<T>(
  target: PostgresTarget,
  signal: AbortSignal,
  work: (session: PostgresSession) => Promise<T>,
): Promise<T> {
  signal.throwIfAborted();
  const connecting = poolFor(target).connect();
  let client: PoolClient;
  try {
    client = await abortable(connecting, signal);
  } catch (error) {
    connecting.then((late) => late.release(), () => {});
    throw error;
  }
  let pid: number | undefined;
  const onAbort = (): void => {
    if (pid !== undefined) cancelBackend(target, pid).catch(() => {});
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const [row] = (await abortable(client.query<{ pid: number }>('select pg_backend_pid() as pid'), signal)).rows;
    pid = row?.pid;
    return await work({
      query: async <Row extends QueryResultRow>(text: string, values?: unknown[]) =>
        (await abortable(client.query<Row>(text, values), signal)).rows,
    });
  } finally {
    signal.removeEventListener('abort', onAbort);
    // After an abort, a late cancel request could hit the next statement on this connection: never reuse it.
    client.release(signal.aborted);
  }
}

/** A separate short-lived connection: the pool may be exhausted exactly when a cancel is needed. */
async function cancelBackend(target: PostgresTarget, pid: number): Promise<void> {
  const client = new pg.Client({
    connectionString: target.url,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select pg_cancel_backend($1)', [pid]);
  } finally {
    await client.end();
  }
}

const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'timed out connecting',
  EHOSTUNREACH: 'host unreachable',
  ERR_INVALID_URL: 'the target url is not valid',
};

/** SQLSTATE classes an unhealthy or restricted server produces; anything else is our bug. */
const EXPECTED_SQLSTATE = /^(08|28|3D|53|57|42501|55P03|25006)/;

/** A short reason for failures a sick or locked-down server causes; undefined for bugs, which should throw. */
export function postgresFailure(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && Object.hasOwn(NETWORK_FAILURES, code)) return NETWORK_FAILURES[code];
  if (code !== undefined && EXPECTED_SQLSTATE.test(code)) return error.message;
  // pg reports lost connections and connect timeouts without a code.
  if (/connection terminated|timeout exceeded when trying to connect|connection timeout/i.test(error.message)) {
    return error.message;
  }
  return undefined;
}

/** The reason for an expected failure; rethrows bugs and aborts, which are not results. */
export function expectedPostgresFailure(error: unknown, signal: AbortSignal): string {
  const reason = signal.aborted ? undefined : postgresFailure(error);
  if (reason === undefined) throw error;
  return reason;
}
