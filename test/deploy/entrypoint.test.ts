import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../migrations';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRYPOINT = 'scripts/container-entrypoint.sh';
const run = promisify(execFile);

/** The container's entrypoint as a process, outside a container: what `docker run ai-fixer <command>` runs. */
class EntrypointProcess {
  logs = '';
  readonly exited: Promise<number | null>;
  readonly pid: number;

  constructor(command: string, env: Record<string, string>) {
    const child = spawn(ENTRYPOINT, [command], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error('the entrypoint did not start');
    this.pid = child.pid;
    child.stdout.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  async waitFor(pattern: RegExp): Promise<void> {
    await eventually(() => (pattern.test(this.logs) ? true : undefined), `${pattern}\n${this.logs}`, 45_000);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function appliedMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('select name from mikro_orm_migrations order by id');
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

/** The Dockerfile's HEALTHCHECK command, as the container runtime would run it. */
async function healthcheckCommand(): Promise<string[]> {
  const dockerfile = await readFile(`${ROOT}Dockerfile`, 'utf8');
  const json = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])\s*$/m.exec(dockerfile)?.[1];
  if (!json) throw new Error('Dockerfile has no HEALTHCHECK CMD [...]');
  return JSON.parse(json) as string[];
}

async function exitCode(command: string[], env: Record<string, string>): Promise<number> {
  const [program = '', ...args] = command;
  try {
    await run(program, args, { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 });
    return 0;
  } catch (error) {
    return typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1;
  }
}

describe('container entrypoint, outside a container, on a real Postgres', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('aifixer_entry');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('migrate: applies every migration and exits 0, and again says the database is up to date', async () => {
    const first = new EntrypointProcess('migrate', { DATABASE_URL: db.url });
    expect(await first.exited, first.logs).toBe(0);
    expect(first.logs).toMatch(/"msg":"migrations applied"/);
    expect(await appliedMigrations(db.url)).toEqual(MIGRATIONS.map((m) => m.name));

    const again = new EntrypointProcess('migrate', { DATABASE_URL: db.url });
    expect(await again.exited, again.logs).toBe(0);
    expect(again.logs).toMatch(/"msg":"database is up to date"/);
  });

  it('start: migrations, then the bot as the same process (exec), healthy, and SIGTERM reaches node', async () => {
    const port = await freePort();
    const env = { DATABASE_URL: db.url, PORT: String(port) };
    const entry = new EntrypointProcess('start', env);
    await entry.waitFor(/"msg":"ai-fixer started"/);
    expect(entry.logs.indexOf('"msg":"migrations applied"')).toBeGreaterThanOrEqual(0);
    expect(entry.logs.indexOf('"msg":"migrations applied"')).toBeLessThan(entry.logs.indexOf('"msg":"ai-fixer started"'));
    expect(await appliedMigrations(db.url)).toEqual(MIGRATIONS.map((m) => m.name));

    // The shell exec'd: the entrypoint's pid is now node running the bot, so the runtime's signal lands there.
    const cmdline = (await readFile(`/proc/${entry.pid}/cmdline`, 'utf8')).split('\0');
    expect(cmdline[0]).toMatch(/node$/);
    expect(cmdline).toContain('src/main.ts');

    expect(await exitCode(await healthcheckCommand(), { PORT: String(port) })).toBe(0);

    process.kill(entry.pid, 'SIGTERM');
    expect(await entry.exited, entry.logs).toBe(0);
    expect(await exitCode(await healthcheckCommand(), { PORT: String(port) })).toBe(1);
  });

  it('start: a migration that cannot run stops the container before the bot starts', async () => {
    const closed = await freePort();
    const entry = new EntrypointProcess('start', { DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/none`, PORT: String(await freePort()) });
    expect(await entry.exited).not.toBe(0);
    expect(entry.logs).not.toMatch(/ai-fixer started/);
  });

  it('an unknown command is refused with a usage line', async () => {
    const entry = new EntrypointProcess('bogus', {});
    expect(await entry.exited).toBe(64);
    expect(entry.logs).toMatch(/usage: container-entrypoint\.sh/);
  });
});
