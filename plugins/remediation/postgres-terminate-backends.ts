import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { definePlugin } from '../../src/plugins/plugin';
import type { Confirmation, PluginContext, PluginResult } from '../../src/plugins/plugin';
import {
  APPLICATION_NAME,
  databaseFenceProblem,
  expectedPostgresFailure,
  findPostgresTarget,
  unknownPostgresTargetSummary,
  withPostgres,
} from '../../src/plugins/connections/postgres';
import type { PostgresSession } from '../../src/plugins/connections/postgres';
import { queryExcerpt } from '../diagnostic/postgres-activity';

/** How long a run waits to see the signalled sessions actually leave (they usually do within milliseconds). */
const VERIFY_MS = 3_000;
const VERIFY_EVERY_MS = 100;

/** Which sessions a signal goes to; shared with postgres.cancel_query. */
export const BackendFilterFields = {
  target: z.string().min(1),
  olderThanSeconds: z.number().int().min(30).max(7 * 86_400),
  /** The target's own database, the default; any other database on the server is refused. */
  database: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  applicationName: z.string().max(63).optional(),
  /** Further restricts to these pids (e.g. from postgres.activity); each must still match the rest. */
  pids: z.array(z.number().int().positive()).min(1).max(100).optional(),
  limit: z.number().int().min(1).max(100).default(10),
};
export interface BackendFilter {
  target: string;
  olderThanSeconds: number;
  database?: string | undefined;
  user?: string | undefined;
  applicationName?: string | undefined;
  pids?: number[] | undefined;
  limit: number;
}

export interface BackendAction {
  /** Past tense, for results: "terminated", "cancelled". */
  done: string;
  signalFunction: 'pg_terminate_backend' | 'pg_cancel_backend';
  /** What is selected, for people: "idle-in-transaction sessions idle ≥ 60 s". */
  describe(olderThanSeconds: number): string;
  /** The timestamp the age is measured from; oldest go first. */
  since: string;
  /** A condition on pg_stat_activity `a`; `$2` is the threshold in seconds. */
  condition: string;
}

export interface Backend {
  pid: number;
  user: string | null;
  database: string | null;
  application: string | null;
  state: string | null;
  ageSeconds: number;
  query: string | null;
  signalled?: boolean;
}

/**
 * Never our own sessions, superusers' (they run maintenance and are not ours to judge) or anything but
 * client backends (walsenders, autovacuum, background workers).
 */
function selectSql(action: BackendAction, signal: boolean): string {
  const signalled = signal ? `, ${action.signalFunction}(pid) as signalled` : '';
  return `with candidates as (
    select a.pid, a.usename as "user", a.datname as database, a.application_name as application, a.state,
      floor(extract(epoch from now() - ${action.since}))::int as "ageSeconds", left(a.query, 4000) as query
    from pg_stat_activity a join pg_roles r on r.oid = a.usesysid
    where a.backend_type = 'client backend' and not r.rolsuper
      and a.pid <> pg_backend_pid() and a.application_name <> '${APPLICATION_NAME}'
      and a.datname = coalesce($1::text, current_database())
      and ($3::text is null or a.usename = $3) and ($4::text is null or a.application_name = $4)
      and ($5::int[] is null or a.pid = any($5)) and (${action.condition})
    order by ${action.since} limit $6)
  select *${signalled} from candidates`;
}

async function selectBackends(db: PostgresSession, action: BackendAction, args: BackendFilter, signal = false) {
  const { database, olderThanSeconds, user, applicationName, pids, limit } = args;
  const params = [database ?? null, olderThanSeconds, user ?? null, applicationName ?? null, pids ?? null, limit];
  const rows = await db.query<Backend>(selectSql(action, signal), params);
  return rows.map((row) => ({ ...row, query: queryExcerpt(row.query) }));
}

/** Sessions that still match after the signal: a terminated one is gone, a cancelled one no longer active. */
async function stillMatching(db: PostgresSession, action: BackendAction, args: BackendFilter, pids: number[], signal: AbortSignal) {
  const deadline = performance.now() + VERIFY_MS;
  let remaining = pids;
  while (remaining.length > 0) {
    remaining = (await selectBackends(db, action, { ...args, pids: remaining })).map((row) => row.pid);
    if (remaining.length === 0 || performance.now() >= deadline) break;
    await sleep(VERIFY_EVERY_MS, undefined, { signal });
  }
  return remaining;
}

function scopeText(args: BackendFilter): string {
  const parts = [`database ${args.database ?? "of the target"}`];
  if (args.user !== undefined) parts.push(`user ${args.user}`);
  if (args.applicationName !== undefined) parts.push(`application "${args.applicationName}"`);
  if (args.pids !== undefined) parts.push(`pids ${args.pids.join(', ')}`);
  return parts.join(', ');
}

function backendText(row: Backend): string {
  const who = `user ${row.user ?? '?'}, app "${row.application ?? ''}"`;
  return `pid ${row.pid} (${who}, ${row.state ?? '?'} ${row.ageSeconds} s): ${row.query ?? ''}`;
}

export async function signalBackends(action: BackendAction, args: BackendFilter, ctx: PluginContext): Promise<PluginResult> {
  const target = findPostgresTarget(ctx.targets, args.target);
  if (!target) return { status: 'error', summary: unknownPostgresTargetSummary(ctx.targets, args.target) };
  const fenced = databaseFenceProblem(target, args.target, args.database);
  if (fenced) return { status: 'error', summary: fenced };
  const what = `${action.describe(args.olderThanSeconds)} on ${args.target} (${scopeText(args)})`;
  const base = { target: args.target, olderThanSeconds: args.olderThanSeconds, scope: scopeText(args) };
  try {
    return await withPostgres(target, ctx.signal, async (db): Promise<PluginResult> => {
      const rows = await selectBackends(db, action, args, true);
      if (rows.length === 0) return { status: 'no_data', summary: `No ${what}`, data: { ...base, matched: [] } };
      const signalled = rows.filter((row) => row.signalled).map((row) => row.pid);
      const alreadyGone = rows.filter((row) => !row.signalled).map((row) => row.pid);
      const stillPresent = await stillMatching(db, action, args, signalled, ctx.signal);
      const effective = signalled.filter((pid) => !stillPresent.includes(pid));
      const data = { ...base, matched: rows, [action.done]: effective, alreadyGone, stillPresent };
      const lingering = stillPresent.length > 0 ? `; still there after ${VERIFY_MS / 1000} s: ${stillPresent.join(', ')}` : '';
      const done = `${action.done.charAt(0).toUpperCase()}${action.done.slice(1)} ${effective.length} of ${rows.length}`;
      const summary = `${done} ${what}: pids ${effective.join(', ') || 'none'}${lingering}`;
      return { status: effective.length > 0 || stillPresent.length === 0 ? 'success' : 'error', summary, data };
    });
  } catch (error) {
    const reason = expectedPostgresFailure(error, ctx.signal);
    return { status: 'error', summary: `postgres ${args.target}: ${reason}`, data: { ...base, failure: reason } };
  }
}

export async function planBackends(verb: string, action: BackendAction, args: BackendFilter, ctx: PluginContext): Promise<string> {
  const target = findPostgresTarget(ctx.targets, args.target);
  if (!target) return `Cannot run: ${unknownPostgresTargetSummary(ctx.targets, args.target)}`;
  const fenced = databaseFenceProblem(target, args.target, args.database);
  if (fenced) return `Cannot run: ${fenced}`;
  const what = `${action.describe(args.olderThanSeconds)} on ${args.target} (${scopeText(args)}, limit ${args.limit})`;
  try {
    const rows = await withPostgres(target, ctx.signal, (db) => selectBackends(db, action, args));
    if (rows.length === 0) return `Nothing to ${verb} now: no ${what}`;
    return [`Would ${verb} ${rows.length} ${what}:`, ...rows.map((row) => `- ${backendText(row)}`)].join('\n');
  } catch (error) {
    return `Cannot check now (postgres ${args.target}: ${expectedPostgresFailure(error, ctx.signal)}); would ${verb} ${what}`;
  }
}

/** Idempotent by criteria: if nothing matches any more, the effect is in place. */
export async function confirmBackends(action: BackendAction, args: BackendFilter, ctx: PluginContext): Promise<Confirmation> {
  const target = findPostgresTarget(ctx.targets, args.target);
  if (!target || databaseFenceProblem(target, args.target, args.database)) return 'unknown';
  try {
    const rows = await withPostgres(target, ctx.signal, (db) => selectBackends(db, action, args));
    return rows.length === 0 ? 'applied' : 'not_applied';
  } catch (error) {
    expectedPostgresFailure(error, ctx.signal);
    return 'unknown';
  }
}

const IDLE_IN_TRANSACTION: BackendAction = {
  done: 'terminated',
  signalFunction: 'pg_terminate_backend',
  describe: (seconds) => `idle-in-transaction sessions idle ≥ ${seconds} s`,
  since: 'a.state_change',
  condition: `a.state like 'idle in transaction%' and a.state_change <= now() - make_interval(secs => $2)`,
};

/** A blocker qualifies once a session has waited on it, and it has held its transaction, for the threshold. */
const BLOCKING: BackendAction = {
  done: 'terminated',
  signalFunction: 'pg_terminate_backend',
  describe: (seconds) => `sessions blocking others for ≥ ${seconds} s`,
  since: 'coalesce(a.xact_start, a.query_start)',
  condition: `coalesce(a.xact_start, a.query_start) <= now() - make_interval(secs => $2)
    and a.pid in (select unnest(pg_blocking_pids(w.pid)) from pg_stat_activity w
      where w.wait_event_type = 'Lock' and w.query_start <= now() - make_interval(secs => $2))`,
};

const TerminateArgsSchema = z
  .object({ ...BackendFilterFields, mode: z.enum(['idle_in_transaction', 'blocking']).default('idle_in_transaction') })
  .strict();
type TerminateArgs = z.infer<typeof TerminateArgsSchema>;

const actionFor = (args: TerminateArgs): BackendAction => (args.mode === 'blocking' ? BLOCKING : IDLE_IN_TRANSACTION);

export default definePlugin({
  id: 'postgres.terminate_backends',
  version: 1,
  category: 'remediation',
  risk: 'medium',
  blastRadius: 'service',
  description:
    'Terminate Postgres sessions on a configured target: by default sessions idle in a transaction for at least ' +
    'olderThanSeconds (they hold locks and block vacuum); with mode "blocking", sessions that have blocked others ' +
    'that long. Oldest first, at most limit (≤100), only in the target\'s own database (another is refused), ' +
    'optionally only a user, application_name or list of pids. Never touches superuser, replication or its own ' +
    'sessions. Their transactions roll back and their clients must reconnect.',
  summary: (args) =>
    `Terminate ≤${args.limit} ${actionFor(args).describe(args.olderThanSeconds)} on ${args.target} (${scopeText(args)})`,
  args: TerminateArgsSchema,
  timeoutMs: 30_000,
  idempotent: true,
  // Terminated sessions lose their connections and roll back their open transactions; neither comes back.
  undo: 'none',
  // Lists the sessions it ended with their query texts.
  sensitiveOutput: true,
  run: (args, ctx) => signalBackends(actionFor(args), args, ctx),
  dryRun: (args, ctx) => planBackends('terminate', actionFor(args), args, ctx),
  confirm: (args, ctx) => confirmBackends(actionFor(args), args, ctx),
});
