import { z } from 'zod';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';
import {
  expectedPostgresFailure,
  findPostgresTarget,
  unknownPostgresTargetSummary,
  withPostgres,
} from '../../src/plugins/connections/postgres';
import type { PostgresSession } from '../../src/plugins/connections/postgres';

const EXCERPT_CHARS = 200;

/**
 * Literals are where secrets and personal data sit (passwords, tokens, emails, ids), so they are masked,
 * as pg_stat_statements does. Comments and quoted identifiers are matched only so their quotes are not
 * mistaken for strings; an unterminated literal (query text is truncated by the server) is masked to the end.
 */
const SQL_TOKENS = new RegExp(
  [
    /--[^\n]*/.source,
    /\/\*[\s\S]*?(?:\*\/|$)/.source,
    /"(?:[^"]|"")*(?:"|$)/.source,
    /(?<![\w$])[eE]'(?:[^'\\]|\\[\s\S]|'')*(?:'|$)/.source,
    /'(?:[^']|'')*(?:'|$)/.source,
    /\$([A-Za-z_]\w*)?\$[\s\S]*?(?:\$\1\$|$)/.source,
    /(?<![\w$])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.source,
  ].join('|'),
  'g',
);

export function redactSql(sql: string): string {
  return sql.replace(SQL_TOKENS, (token) => {
    if (token.startsWith('--') || token.startsWith('/*') || token.startsWith('"')) return token;
    return /^\d/.test(token) ? '?' : "'?'";
  });
}

/** Redacted before cutting, so a literal split by the cut is still masked. */
export function queryExcerpt(query: string | null): string | null {
  if (query === null) return null;
  const flat = redactSql(query).replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

const ActivityArgsSchema = z
  .object({
    target: z.string().min(1),
    /** Queries running, and sessions idle in a transaction, longer than this are listed. */
    olderThanSeconds: z.number().int().min(0).max(7 * 86_400).default(60),
    /** Only sessions in this database (connection counts and sizes stay server-wide). */
    database: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(100).default(10),
  })
  .strict();
type ActivityArgs = z.infer<typeof ActivityArgsSchema>;

interface SessionRow {
  pid: number;
  user: string | null;
  database: string | null;
  application: string | null;
  client: string | null;
  state: string | null;
  waitEvent: string | null;
  ageSeconds: number;
  xactSeconds: number | null;
  query: string | null;
}

const SESSION_COLUMNS = `a.pid, a.usename as "user", a.datname as database, a.application_name as application,
  a.client_addr::text as client, a.state, nullif(concat_ws(':', a.wait_event_type, a.wait_event), '') as "waitEvent",
  floor(extract(epoch from now() - a.xact_start))::int as "xactSeconds", left(a.query, 4000) as query`;

const SESSION_SCOPE = `a.backend_type = 'client backend' and a.pid <> pg_backend_pid() and ($1::text is null or a.datname = $1)`;

const LONG_QUERIES = `select ${SESSION_COLUMNS}, floor(extract(epoch from now() - a.query_start))::int as "ageSeconds"
  from pg_stat_activity a
  where ${SESSION_SCOPE} and a.state = 'active' and a.query_start <= now() - make_interval(secs => $2)
  order by a.query_start limit $3`;

const IDLE_IN_TRANSACTION = `select ${SESSION_COLUMNS}, floor(extract(epoch from now() - a.state_change))::int as "ageSeconds"
  from pg_stat_activity a
  where ${SESSION_SCOPE} and a.state like 'idle in transaction%' and a.state_change <= now() - make_interval(secs => $2)
  order by a.state_change limit $3`;

// Only sessions waiting on a lock are asked for blockers: pg_blocking_pids takes the lock manager's locks.
const BLOCKING = `select w.pid as "blockedPid", b.pid as "blockingPid", w.datname as database,
  w.usename as "blockedUser", b.usename as "blockingUser", w.application_name as "blockedApplication",
  b.application_name as "blockingApplication", b.state as "blockingState",
  floor(extract(epoch from now() - w.query_start))::int as "blockedSeconds",
  floor(extract(epoch from now() - b.xact_start))::int as "blockingXactSeconds",
  left(w.query, 4000) as "blockedQuery", left(b.query, 4000) as "blockingQuery"
  from pg_stat_activity w
  cross join lateral unnest(pg_blocking_pids(w.pid)) as blocker(pid)
  join pg_stat_activity b on b.pid = blocker.pid
  where w.wait_event_type = 'Lock' and ($1::text is null or w.datname = $1)
  order by w.query_start limit $2`;

interface BlockingRow {
  blockedPid: number;
  blockingPid: number;
  blockedQuery: string | null;
  blockingQuery: string | null;
  [column: string]: unknown;
}

interface ConnectionsRow {
  maxConnections: number;
  reserved: number;
  byState: Record<string, number> | null;
}

const CONNECTIONS = `select current_setting('max_connections')::int as "maxConnections",
  current_setting('superuser_reserved_connections')::int as reserved,
  (select json_object_agg(state, n) from (select coalesce(state, 'unknown') as state, count(*)::int as n
     from pg_stat_activity where backend_type = 'client backend' group by 1) s) as "byState"`;

const DATABASE_SIZES = `select datname as database, pg_database_size(oid)::float8 as bytes
  from pg_database where datallowconn and has_database_privilege(oid, 'CONNECT')
  order by bytes desc limit $1`;

const PRIMARY_REPLICATION = `select application_name as name, client_addr::text as client, state, sync_state as "syncState",
  pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 as "replayLagBytes",
  extract(epoch from replay_lag)::float8 as "replayLagSeconds"
  from pg_stat_replication order by 1`;

// An inactive slot makes the primary keep WAL forever: the usual way a dead replica fills a disk.
const SLOTS = `select slot_name as name, slot_type as type, active,
  pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 as "retainedBytes"
  from pg_replication_slots order by 4 desc nulls last`;

const REPLICA_REPLICATION = `select extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as "replayDelaySeconds",
  pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 as "replayBacklogBytes",
  (select status from pg_stat_wal_receiver) as "receiverStatus"`;

type Section<T> = { status: 'success'; value: T } | { status: 'error'; reason: string };

/** One failing part (a statement timeout, a missing privilege) must not hide the others. */
async function section<T>(signal: AbortSignal, read: () => Promise<T>): Promise<Section<T>> {
  try {
    return { status: 'success', value: await read() };
  } catch (error) {
    return { status: 'error', reason: expectedPostgresFailure(error, signal) };
  }
}

function withExcerpt(row: SessionRow): SessionRow {
  return { ...row, query: queryExcerpt(row.query) };
}

async function readReplication(db: PostgresSession): Promise<Record<string, unknown>> {
  const [recovery] = await db.query<{ inRecovery: boolean }>('select pg_is_in_recovery() as "inRecovery"');
  if (recovery?.inRecovery) {
    const [replica] = await db.query<Record<string, unknown>>(REPLICA_REPLICATION);
    return { role: 'replica', ...replica };
  }
  const replicas = await db.query<Record<string, unknown>>(PRIMARY_REPLICATION);
  const slots = await db.query<Record<string, unknown>>(SLOTS);
  if (replicas.length === 0 && slots.length === 0) return { role: 'primary', status: 'no_data' };
  return { role: 'primary', replicas, slots };
}

async function readActivity(args: ActivityArgs, db: PostgresSession, signal: AbortSignal) {
  const scope = [args.database ?? null, args.olderThanSeconds, args.limit];
  return {
    connections: await section(signal, async () => (await db.query<ConnectionsRow>(CONNECTIONS))[0]),
    longQueries: await section(signal, async () => (await db.query<SessionRow>(LONG_QUERIES, scope)).map(withExcerpt)),
    idleInTransaction: await section(signal, async () =>
      (await db.query<SessionRow>(IDLE_IN_TRANSACTION, scope)).map(withExcerpt),
    ),
    blocking: await section(signal, async () =>
      (await db.query<BlockingRow>(BLOCKING, [args.database ?? null, args.limit])).map((row) => ({
        ...row,
        blockedQuery: queryExcerpt(row.blockedQuery),
        blockingQuery: queryExcerpt(row.blockingQuery),
      })),
    ),
    replication: await section(signal, () => readReplication(db)),
    databaseSizes: await section(signal, () => db.query<{ database: string; bytes: number }>(DATABASE_SIZES, [args.limit])),
  };
}
type Activity = Awaited<ReturnType<typeof readActivity>>;

function describeConnections(part: Activity['connections']): string {
  if (part.status === 'error' || !part.value) return `connections unknown (${part.status === 'error' ? part.reason : 'no rows'})`;
  const { maxConnections, byState } = part.value;
  const counts = Object.entries(byState ?? {}).sort(([, a], [, b]) => b - a);
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  const percent = Math.round((100 * total) / maxConnections);
  const states = counts.map(([state, n]) => `${n} ${state}`).join(', ');
  return `${total}/${maxConnections} connections (${percent}%${states ? `: ${states}` : ''})`;
}

function count(part: Section<unknown[]>, what: string): string {
  return part.status === 'error' ? `${what}: ${part.reason}` : `${part.value.length} ${what}`;
}

function describeSizes(part: Activity['databaseSizes']): string {
  if (part.status === 'error') return `sizes: ${part.reason}`;
  const [largest] = part.value;
  return largest ? `largest database ${largest.database} ${(largest.bytes / 1024 ** 3).toFixed(2)} GiB` : 'no database sizes';
}

function describeReplication(part: Activity['replication']): string {
  if (part.status === 'error') return `replication: ${part.reason}`;
  const { role, status, replayDelaySeconds, replicas } = part.value;
  if (role === 'replica') {
    return `replica, replay delay ${typeof replayDelaySeconds === 'number' ? `${Math.round(replayDelaySeconds)} s` : 'unknown'}`;
  }
  if (status === 'no_data') return 'primary, no replicas or slots';
  return `primary, ${Array.isArray(replicas) ? replicas.length : 0} replica(s)`;
}

function describeBlocking(part: Activity['blocking']): string {
  if (part.status === 'error') return `locks: ${part.reason}`;
  const pairs = part.value.slice(0, 3).map((pair) => `${pair.blockedPid}←${pair.blockingPid}`);
  return `${part.value.length} blocked${pairs.length > 0 ? ` (${pairs.join(', ')})` : ''}`;
}

function summarize(target: string, args: ActivityArgs, activity: Activity): string {
  return [
    `${target}: ${describeConnections(activity.connections)}`,
    count(activity.longQueries, `queries running ≥ ${args.olderThanSeconds} s`),
    count(activity.idleInTransaction, `idle in transaction ≥ ${args.olderThanSeconds} s`),
    describeBlocking(activity.blocking),
    describeReplication(activity.replication),
    describeSizes(activity.databaseSizes),
  ].join('; ');
}

async function activity(args: ActivityArgs, ctx: PluginContext): Promise<PluginResult> {
  const target = findPostgresTarget(ctx.targets, args.target);
  if (!target) return { status: 'error', summary: unknownPostgresTargetSummary(ctx.targets, args.target) };
  let read: Activity;
  try {
    read = await withPostgres(target, ctx.signal, (db) => readActivity(args, db, ctx.signal));
  } catch (error) {
    const reason = expectedPostgresFailure(error, ctx.signal);
    return { status: 'error', summary: `postgres ${args.target}: ${reason}`, data: { target: args.target, failure: reason } };
  }
  const parts = Object.values(read);
  const data = { target: args.target, olderThanSeconds: args.olderThanSeconds, ...read };
  if (parts.every((part) => part.status === 'error')) {
    return { status: 'error', summary: `postgres ${args.target}: every check failed`, data };
  }
  return { status: 'success', summary: summarize(args.target, args, read), data };
}

export default definePlugin({
  id: 'postgres.activity',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    'Read-only snapshot of a configured Postgres server: connections by state against max_connections, queries ' +
    'running longer than olderThanSeconds, sessions idle in a transaction that long, blocked sessions and who ' +
    'blocks them, replication lag and slots, and database sizes. Query text is shown with literals masked. Use ' +
    'for connection exhaustion, slow or stuck queries, lock pile-ups, replica lag or disk growth.',
  summary: (args) => `Inspect Postgres activity on ${args.target}${args.database ? ` (database ${args.database})` : ''}`,
  args: ActivityArgsSchema,
  timeoutMs: 20_000,
  idempotent: true,
  // Query texts carry literal values (emails, tokens in WHERE clauses).
  sensitiveOutput: true,
  run: activity,
});
