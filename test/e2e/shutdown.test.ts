import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A service whose health check answers only when told to: a diagnosis step stays in flight until then. */
async function startHeldService() {
  const held: ServerResponse[] = [];
  let checks = 0;
  const server = createServer((req, res) => {
    req.resume();
    if (req.url !== '/healthz') return void res.writeHead(404).end();
    checks += 1;
    held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    url,
    get checks() {
      return checks;
    },
    /** Answers the held checks: still broken. */
    release: () => held.splice(0).forEach((res) => res.writeHead(503).end('unhealthy')),
  };
}

async function botWith(env: Record<string, string>) {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const service = await startHeldService();
  const dir = await mkdtemp(join(tmpdir(), 'aifixer-shutdown-'));
  const targetsFile = join(dir, 'targets.json');
  await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: service.url } } }));
  const common = { DATABASE_URL: database.url, TARGETS_FILE: targetsFile, ...env };
  const start = async (extra: Record<string, string> = {}) => {
    const bot = await BotProcess.start({ ...common, ...extra });
    cleanups.push(() => bot.kill());
    return bot;
  };
  return { service, start };
}

describe('SIGTERM', () => {
  it('stops an idle bot at once and exits 0', async () => {
    const { start } = await botWith({});
    const bot = await start();
    expect(await bot.stop()).toBe(0);
    expect(bot.logs).toMatch(/"live":0[^\n]*"msg":"intake stopped; letting running steps finish"/);
    expect(bot.logs).toMatch(/"msg":"shut down cleanly"/);
    expect(bot.logs).not.toMatch(/"level":50/);
  });

  it('drains: readiness fails and intake is refused while a running step finishes, then exits 0', async () => {
    const { service, start } = await botWith({ SHUTDOWN_GRACE: '1m', SHUTDOWN_TIMEOUT: '2m' });
    const bot = await start();
    bot.type('[critical] checkout returns 503 service=checkout');
    const [, id] = await bot.waitFor(/Opened (INC-[0-9A-Z]{8})/);
    await eventually(() => (service.checks === 1 ? true : undefined), 'the diagnosis to probe the health check');

    const exited = bot.stop();
    const base = `http://127.0.0.1:${bot.httpPort}`;
    const readyz = await eventually(async () => {
      const response = await fetch(`${base}/readyz`);
      return response.status === 503 ? response : undefined;
    }, 'readiness to fail');
    expect(await readyz.json()).toEqual({ status: 'draining' });
    const post = await fetch(`${base}/api/console/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ai-fixer-console': '1' }, body: '{"id":"late-0001","text":"hi"}' });
    expect(post.status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await eventually(() => bot.logs.match(/"live":1[^\n]*"msg":"intake stopped; letting running steps finish"/) ?? undefined, 'the wait for the running step');

    service.release();
    expect(await exited).toBe(0);
    expect(bot.output).toMatch(/Diagnosis ready/);
    expect(bot.logs).not.toMatch(/steps still running after the grace period/);

    // The step finished before the exit: after a restart the incident waits for a person and nothing ran again.
    const again = await start();
    again.type(`/status ${id}`);
    await again.waitFor(new RegExp(`${id}: Waiting for someone to confirm the diagnosis`));
    expect(service.checks).toBe(1);
    expect(await again.stop()).toBe(0);
  });

  it('exits 1 with a log line when stopping takes longer than SHUTDOWN_TIMEOUT', async () => {
    const { service, start } = await botWith({ SHUTDOWN_GRACE: '1m', SHUTDOWN_TIMEOUT: '1s' });
    const bot = await start();
    bot.type('[critical] checkout returns 503 service=checkout');
    await bot.waitFor(/Opened (INC-[0-9A-Z]{8})/);
    await eventually(() => (service.checks === 1 ? true : undefined), 'the diagnosis to probe the health check');

    expect(await bot.stop()).toBe(1);
    expect(bot.logs).toMatch(/"msg":"shutdown timed out; exiting \(unfinished steps re-run from the journal after restart\)"/);
    expect(bot.logs).not.toMatch(/shut down cleanly/);
  });
});
