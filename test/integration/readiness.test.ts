import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { readinessChecks } from '../../src/observability/readiness';
import { startHttpServer } from '../../src/server/http-server';
import type { HealthChecks } from '../../src/server/http-server';
import { startFakeLark } from '../fakes/lark';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const logger = pino({ level: 'silent' });
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(checks: HealthChecks) {
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    logger,
    checks,
    routes: [
      { method: 'POST', path: '/api/alerts', handle: () => Promise.resolve({ status: 202, body: { accepted: true } }) },
      { method: 'GET', path: '/api/things', handle: () => Promise.resolve({ status: 200, body: { things: [] } }) },
    ],
  });
  cleanups.push(() => server.close());
  const base = `http://127.0.0.1:${server.port}`;
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { server, base, get };
}

describe('/readyz', () => {
  it('fails while draining, when POSTs are refused with 503 and GETs still answer', async () => {
    const { server, base, get } = await serve({ database: () => Promise.resolve() });
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
    expect((await fetch(`${base}/api/alerts`, { method: 'POST', body: '{}' })).status).toBe(202);

    server.drain();
    expect(await get('/readyz')).toEqual({ status: 503, body: { status: 'draining' } });
    const refused = await fetch(`${base}/api/alerts`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/api/things')).toEqual({ status: 200, body: { things: [] } });
  });

  it('names each dependency that is down, Redis included, and gives up on one that hangs', async () => {
    const up = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    // Nothing listens on port 1: every attempt is refused.
    const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    down.on('error', () => undefined);
    cleanups.push(() => {
      up.disconnect();
      down.disconnect();
      return Promise.resolve();
    });

    const healthy = await serve({ database: () => Promise.resolve(), others: readinessChecks({ redis: up, chat: () => Promise.resolve() }) });
    expect(await healthy.get('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });

    const others = { ...readinessChecks({ redis: down, chat: () => Promise.reject(new Error('Lark long connection reconnecting')) }), slow: () => new Promise<void>(() => undefined) };
    const sick = await serve({ database: () => Promise.resolve(), others });
    const answer = await sick.get('/readyz');
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ status: 'not ready', chat: 'Lark long connection reconnecting', slow: 'no answer within 3s' });
    expect(answer.body.redis).toEqual(expect.any(String));
    expect(answer.body).not.toHaveProperty('database');
  });

  it('follows the Lark long connection of a running bot', async () => {
    const fake = await startFakeLark();
    cleanups.push(() => fake.close());
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url });
    const app = await startApp(config, logger, { input: new PassThrough(), output: new PassThrough() });
    cleanups.push(() => app.stop());
    const readyz = async () => {
      const response = await fetch(`http://127.0.0.1:${app.httpPort}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    await fake.waitForClient();
    await eventually(async () => ((await readyz()).status === 200 ? true : undefined), 'ready once the long connection is up', 20_000);
    await fake.close();
    const down = await eventually(async () => {
      const answer = await readyz();
      return answer.status === 503 ? answer : undefined;
    }, 'not ready once Lark is gone', 20_000);
    expect(down.body.status).toBe('not ready');
    expect(down.body.chat).toMatch(/^Lark long connection (?!connected$)[a-z-]+$/);
    expect(down.body).not.toHaveProperty('database');
  });
});
