import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import activity, { redactSql } from '../../plugins/diagnostic/postgres-activity';
import cancelQuery from '../../plugins/remediation/postgres-cancel-query';
import terminate from '../../plugins/remediation/postgres-terminate-backends';
import {
  closePostgresPools,
  findPostgresTarget,
  postgresFailure,
  withPostgres,
} from '../../src/plugins/connections/postgres';
import type { PluginContext, PluginResult, PluginSpec } from '../../src/plugins/plugin';
import { runPlugin } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';
import { createTestDatabase, TEST_SERVER_URL } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * The remediations refuse thresholds under 30 s, and Postgres ages sessions by its own clock, so the old
 * sessions are opened once in beforeAll and the file waits this long, once, before any test runs.
 */
const AGE_MS = 31_000;
const logger = pino({ level: 'silent' });

interface Session {
  client: pg.Client;
  pid: number;
  errors: Error[];
}

type SessionData = { pid: number; query: string | null };
type Part<T> = { status: 'success'; value: T } | { status: 'error'; reason: string };
type ActivityData = {
  connections: Part<{ maxConnections: number; byState: Record<string, number> }>;
  longQueries: Part<SessionData[]>;
  idleInTransaction: Part<SessionData[]>;
  blocking: Part<{ blockedPid: number; blockingPid: number }[]>;
  replication: Part<{ role: string }>;
  databaseSizes: Part<{ database: string; bytes: number }[]>;
};

let db: TestDatabase;
let dbName: string;
const role = `aifixer_app_${randomBytes(4).toString('hex')}`;
let admin: pg.Client;
const sessions: Session[] = [];
let ctx: PluginContext;

async function withServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Test sessions log in as an ordinary role: superuser sessions are never signalled. */
async function open(application: string, superuser = false): Promise<Session> {
  const url = new URL(db.url);
  if (!superuser) url.username = role;
  const client = new pg.Client({ connectionString: url.toString(), application_name: application });
  const errors: Error[] = [];
  client.on('error', (error) => errors.push(error));
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const session = { client, pid: rows[0]?.pid ?? -1, errors };
  sessions.push(session);
  return session;
}

async function idleInTransaction(application: string, superuser = false): Promise<Session> {
  const session = await open(application, superuser);
  await session.client.query('begin');
  await session.client.query(`select 'hunter2' as password, 4242 as card`);
  return session;
}

/** Settles to 'done' or the error, so an abandoned query never becomes an unhandled rejection. */
function background(session: Session, sql: string): Promise<unknown> {
  return session.client.query(sql).then(
    () => 'done',
    (error: unknown) => error,
  );
}

const alive = (session: Session): Promise<boolean> => session.client.query('select 1').then(() => true, () => false);

async function present(pids: number[]): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where pid = any($1) order by pid', [pids]);
  return rows.map((row) => row.pid);
}

async function ourSleepsRunning(): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
     where application_name = 'ai-fixer' and state = 'active' and query like 'select pg_sleep%'`,
  );
  return rows[0]?.n ?? -1;
}

async function eventually(check: () => Promise<boolean>, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

const pidsOf = (text: string): number[] => [...text.matchAll(/pid (\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
const sorted = (pids: number[]): number[] => [...pids].sort((a, b) => a - b);
const ok = <T>(part: Part<T>): T => {
  if (part.status !== 'success') throw new Error(`part failed: ${part.reason}`);
  return part.value;
};

/** Runs pg_sleep through the plugins' connection code, to see cancellation reach the server. */
function sleeper(timeoutMs: number): PluginSpec<{ target: string }> {
  return {
    ...activity,
    args: z.object({ target: z.string() }),
    summary: () => 'sleep',
    timeoutMs,
    async run(args, runCtx): Promise<PluginResult> {
      const target = findPostgresTarget(runCtx.targets, args.target);
      if (!target) throw new Error('no target');
      await withPostgres(target, runCtx.signal, (session) => session.query('select pg_sleep(30)'));
      return { status: 'success', summary: 'slept' };
    },
  };
}

let victims: Session[];
let superIdle: Session;
let bystander: Session;
let youngIdle: Session;
let limitVictims: Session[];
let blocker: Session;
let waiter: Session;
let waiterDone: Promise<unknown>;
let longQuery: Session;
let longDone: Promise<unknown>;
let youngLong: Session;

beforeAll(async () => {
  db = await createTestDatabase('aifixer_pg');
  dbName = new URL(db.url).pathname.slice(1);
  await withServer(`create role "${role}" login`);
  admin = new pg.Client({ connectionString: db.url, application_name: 'test-admin' });
  await admin.connect();
  await admin.query(`create table locked (id int); alter table locked owner to "${role}"`);
  ctx = {
    signal: new AbortController().signal,
    logger,
    targets: TargetsSchema.parse({
      postgres: { main: { url: db.url, statementTimeoutMs: 10_000 }, slow: { url: db.url, statementTimeoutMs: 200 } },
    }),
  };

  victims = [await idleInTransaction('idle-victim'), await idleInTransaction('idle-victim')];
  superIdle = await idleInTransaction('idle-victim', true);
  bystander = await idleInTransaction('idle-bystander');
  limitVictims = [];
  for (let i = 0; i < 3; i++) limitVictims.push(await idleInTransaction('limit-victim'));
  blocker = await open('blocker');
  await blocker.client.query('begin');
  await blocker.client.query('lock table locked in access exclusive mode');
  waiter = await open('waiter');
  waiterDone = background(waiter, 'select count(*) from locked');
  longQuery = await open('long-query');
  longDone = background(longQuery, 'select pg_sleep(120)');

  await sleep(AGE_MS);
  youngIdle = await idleInTransaction('idle-victim');
  youngLong = await open('long-query');
  void background(youngLong, 'select pg_sleep(120)');
  const youngRunning = `select 1 from pg_stat_activity where pid = ${youngLong.pid} and state = 'active'`;
  await eventually(async () => (await admin.query(youngRunning)).rowCount === 1);
}, 120_000);

afterAll(async () => {
  await closePostgresPools();
  // Forcing the drop ends every session still in it, so the clients below close at once.
  await admin?.end().catch(() => {});
  await db?.drop();
  await Promise.allSettled(sessions.map((session) => session.client.end()));
  await withServer(`drop role if exists "${role}"`);
});

describe('postgres.activity', () => {
  it('shows connections, old queries, idle transactions, locks, replication and sizes, with literals masked', async () => {
    const result = await runPlugin(activity, { target: 'main', olderThanSeconds: 30, database: dbName, limit: 50 }, ctx);
    expect(result.status).toBe('success');
    const data = result.data as ActivityData;

    const connections = ok(data.connections);
    expect(connections.maxConnections).toBeGreaterThan(0);
    expect(connections.byState['idle in transaction']).toBeGreaterThanOrEqual(9);

    const idle = ok(data.idleInTransaction).map((s) => s.pid);
    const oldIdle = [...victims, superIdle, bystander, ...limitVictims, blocker].map((s) => s.pid);
    expect(sorted(idle)).toEqual(sorted(oldIdle));
    const long = ok(data.longQueries).map((s) => s.pid);
    expect(sorted(long)).toEqual(sorted([waiter.pid, longQuery.pid]));
    expect(ok(data.blocking)).toEqual([expect.objectContaining({ blockedPid: waiter.pid, blockingPid: blocker.pid })]);
    expect(ok(data.replication).role).toBe('primary');
    expect(ok(data.databaseSizes).length).toBeGreaterThan(0);

    const victimRow = ok(data.idleInTransaction).find((s) => s.pid === victims[0]?.pid);
    expect(victimRow?.query).toBe(`select '?' as password, ? as card`);
    expect(JSON.stringify(result.data)).not.toContain('hunter2');
    expect(result.summary).toContain(`${waiter.pid}←${blocker.pid}`);
    expect(result.summary).toMatch(/\d+\/\d+ connections \(\d+%/);
  });

  it('masks string, escaped, dollar-quoted and numeric literals but keeps identifiers and parameters', () => {
    expect(redactSql(`update "t1" set pw = E'a\\'b', n = 3.5e2 where id = $1 and x = $q$ se'cret $q$ -- it's`)).toBe(
      `update "t1" set pw = '?', n = ? where id = $1 and x = '?' -- it's`,
    );
    expect(redactSql(`select 'it''s' || 'cut off`)).toBe(`select '?' || '?'`);
  });
});

describe('postgres.terminate_backends', () => {
  it('dry-runs exactly the old, non-superuser sessions that match the filters', async () => {
    const args = terminate.args.parse({ target: 'main', olderThanSeconds: 30, applicationName: 'idle-victim' });
    const plan = (await terminate.dryRun?.(args, ctx)) ?? '';
    expect(pidsOf(plan)).toEqual(sorted(victims.map((s) => s.pid)));
    expect(plan).not.toContain('hunter2');

    const otherUser = (await terminate.dryRun?.({ ...args, user: 'postgres' }, ctx)) ?? '';
    expect(otherUser).toContain('Nothing to terminate');
    const otherDb = (await terminate.dryRun?.({ ...args, database: 'postgres' }, ctx)) ?? '';
    expect(pidsOf(otherDb)).toEqual([]);
    const ourUser = (await terminate.dryRun?.({ ...args, user: role, database: dbName }, ctx)) ?? '';
    expect(pidsOf(ourUser)).toEqual(pidsOf(plan));
    // Checked from outside: a statement on the session would make it young again.
    expect(await present(victims.map((s) => s.pid))).toEqual(sorted(victims.map((s) => s.pid)));
  });

  it('refuses a database other than the target\'s own, as the Kubernetes plugins refuse other namespaces', async () => {
    const elsewhere = { target: 'main', olderThanSeconds: 30, database: 'postgres' };
    const result = await runPlugin(terminate, elsewhere, ctx);
    expect(result).toMatchObject({ status: 'error', summary: `Database "postgres" is not allowed on postgres target "main"; allowed: only its own, "${dbName}"` });
    expect(await terminate.dryRun?.(terminate.args.parse(elsewhere), ctx)).toMatch(/^Cannot run: Database "postgres" is not allowed/);
    expect(await terminate.confirm?.(terminate.args.parse(elsewhere), ctx)).toBe('unknown');
    // Its own database by name is what leaving it out means.
    const own = (await terminate.dryRun?.(terminate.args.parse({ ...elsewhere, database: dbName, applicationName: 'idle-victim' }), ctx)) ?? '';
    expect(pidsOf(own)).toEqual(sorted(victims.map((s) => s.pid)));
  });

  it('terminates them and leaves young, filtered-out, superuser and its own sessions alone', async () => {
    const result = await runPlugin(terminate, { target: 'main', olderThanSeconds: 30, applicationName: 'idle-victim' }, ctx);
    expect(result.status).toBe('success');
    expect(sorted(result.data?.terminated as number[])).toEqual(sorted(victims.map((s) => s.pid)));
    expect(result.data).toMatchObject({ stillPresent: [], alreadyGone: [] });

    expect(await present(victims.map((s) => s.pid))).toEqual([]);
    for (const victim of victims) {
      expect(await alive(victim)).toBe(false);
      expect(victim.errors.map((e) => e.message).join()).toContain('terminating connection due to administrator command');
    }
    for (const survivor of [youngIdle, bystander, superIdle]) expect(await alive(survivor)).toBe(true);
    expect((await admin.query('select 1 as one')).rows).toEqual([{ one: 1 }]);

    const parsed = terminate.args.parse({ target: 'main', olderThanSeconds: 30, applicationName: 'idle-victim' });
    expect(await terminate.confirm?.(parsed, ctx)).toBe('applied');
  });

  it('respects the limit, oldest first, and confirm sees what is left', async () => {
    const args = { target: 'main', olderThanSeconds: 30, applicationName: 'limit-victim', limit: 2 };
    const first = await runPlugin(terminate, args, ctx);
    const [a, b, c] = limitVictims.map((s) => s.pid);
    expect(first.data?.terminated).toEqual([a, b]);
    expect(await present([a ?? 0, b ?? 0, c ?? 0])).toEqual([c]);
    expect(await terminate.confirm?.(terminate.args.parse(args), ctx)).toBe('not_applied');

    const second = await runPlugin(terminate, args, ctx);
    expect(second.data?.terminated).toEqual([c]);
    expect(await terminate.confirm?.(terminate.args.parse(args), ctx)).toBe('applied');
    expect((await runPlugin(terminate, args, ctx)).status).toBe('no_data');
  });

  it('in blocking mode terminates the blocker and the blocked query completes', async () => {
    const args = terminate.args.parse({ target: 'main', olderThanSeconds: 30, mode: 'blocking' });
    expect(pidsOf((await terminate.dryRun?.(args, ctx)) ?? '')).toEqual([blocker.pid]);
    const result = await runPlugin(terminate, args, ctx);
    expect(result).toMatchObject({ status: 'success', data: { terminated: [blocker.pid] } });
    expect(await waiterDone).toBe('done');
    expect(await alive(waiter)).toBe(true);
  });
});

describe('postgres.cancel_query', () => {
  it('cancels old queries only; the session survives and a young query keeps running', async () => {
    const args = cancelQuery.args.parse({ target: 'main', olderThanSeconds: 30, applicationName: 'long-query' });
    expect(pidsOf((await cancelQuery.dryRun?.(args, ctx)) ?? '')).toEqual([longQuery.pid]);

    const result = await runPlugin(cancelQuery, args, ctx);
    expect(result).toMatchObject({ status: 'success', data: { cancelled: [longQuery.pid], stillPresent: [] } });
    expect(await longDone).toMatchObject({ code: '57014', message: 'canceling statement due to user request' });
    expect(await alive(longQuery)).toBe(true);
    const { rows } = await admin.query<{ state: string }>('select state from pg_stat_activity where pid = $1', [youngLong.pid]);
    expect(rows).toEqual([{ state: 'active' }]);
    expect(await cancelQuery.confirm?.(args, ctx)).toBe('applied');
  });
});

describe('arguments, targets, timeouts and aborts', () => {
  it('refuses thresholds under 30 s, limits over 100 and unknown arguments', async () => {
    for (const plugin of [terminate, cancelQuery]) {
      const young = await runPlugin(plugin, { target: 'main', olderThanSeconds: 29 }, ctx);
      expect(young.status).toBe('error');
      expect(young.summary).toContain('Invalid arguments');
      expect((await runPlugin(plugin, { target: 'main', olderThanSeconds: 60, limit: 101 }, ctx)).status).toBe('error');
      expect((await runPlugin(plugin, { target: 'main', olderThanSeconds: 60, sql: 'drop' }, ctx)).status).toBe('error');
    }
    expect((await runPlugin(terminate, { target: 'main', olderThanSeconds: 60, mode: 'all' }, ctx)).status).toBe('error');
  });

  it('names the configured targets for an unknown one', async () => {
    const results = [
      await runPlugin(activity, { target: 'billing' }, ctx),
      await runPlugin(terminate, { target: 'billing', olderThanSeconds: 60 }, ctx),
      await runPlugin(cancelQuery, { target: 'billing', olderThanSeconds: 60 }, ctx),
    ];
    for (const result of results) {
      expect(result).toMatchObject({ status: 'error', summary: 'Unknown postgres target "billing"; configured targets: main, slow' });
    }
  });

  it('turns the plugin timeout into an error and stops the query on the server', async () => {
    const tiny = await runPlugin({ ...activity, timeoutMs: 1 }, { target: 'main' }, ctx);
    expect(tiny).toMatchObject({ status: 'error', summary: 'postgres.activity timed out after 1 ms' });

    const sleeping = runPlugin(sleeper(1_000), { target: 'main' }, ctx);
    await eventually(async () => (await ourSleepsRunning()) === 1, 900);
    const slept = await sleeping;
    expect(slept).toMatchObject({ status: 'error', summary: 'postgres.activity timed out after 1000 ms' });
    expect(slept.elapsedMs).toBeLessThan(2_000);
    // The target's statement timeout is 10 s: only our cancel ends it this soon.
    await eventually(async () => (await ourSleepsRunning()) === 0, 2_000);
    expect((await runPlugin(activity, { target: 'main' }, ctx)).status).toBe('success');
  });

  it('reports the target statement timeout as an expected failure', async () => {
    const slow = findPostgresTarget(ctx.targets, 'slow');
    if (!slow) throw new Error('no slow target');
    const failure = await withPostgres(slow, ctx.signal, (s) => s.query('select pg_sleep(5)')).then(
      () => undefined,
      (error: unknown) => postgresFailure(error),
    );
    expect(failure).toBe('canceling statement due to statement timeout');
  });

  it('honours abort: rethrows the reason and cancels the running statement', async () => {
    const controller = new AbortController();
    const sleeping = runPlugin(sleeper(30_000), { target: 'main' }, { ...ctx, signal: controller.signal });
    await eventually(async () => (await ourSleepsRunning()) === 1);
    controller.abort(new Error('operator cancelled'));
    await expect(sleeping).rejects.toThrow('operator cancelled');
    await eventually(async () => (await ourSleepsRunning()) === 0, 2_000);

    const early = new AbortController();
    const running = runPlugin(activity, { target: 'main' }, { ...ctx, signal: early.signal });
    early.abort(new Error('too late'));
    await expect(running).rejects.toThrow('too late');
    expect((await runPlugin(activity, { target: 'main' }, ctx)).status).toBe('success');
  });
});
