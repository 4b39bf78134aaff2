import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

// A Redis database of its own: the feed's channel is scoped by it, so other tests' instances stay out.
const REDIS_DB = 11;
const REDIS_URL = `redis://127.0.0.1:6379/${REDIS_DB}`;
const CHANNEL = `aifixer:console-live:${REDIS_DB}`;
const CONSOLE = { 'x-ai-fixer-console': '1' };

let db: TestDatabase;
let admin: Redis;
let a: App;
let b: App | undefined;

async function start(): Promise<App> {
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', REDIS_URL, CONSOLE_USER: 'ops-alice', SHUTDOWN_GRACE: '1s', LANGUAGE: 'en' });
  return startApp(config, pino({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough() });
}

const subscribers = async () => ((await admin.pubsub('NUMSUB', CHANNEL)) as [string, number])[1];
const untilSubscribers = (n: number) => eventually(async () => ((await subscribers()) === n ? true : undefined), `${n} subscribers on ${CHANNEL}`);

beforeAll(async () => {
  db = await createTestDatabase();
  admin = new Redis(REDIS_URL);
  // One after the other: both would run the migrations.
  a = await start();
  b = await start();
  await untilSubscribers(2);
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
  admin?.disconnect();
  await db?.drop();
});

function post(app: App, path: string, body: unknown) {
  return fetch(`http://127.0.0.1:${app.httpPort}/api/console${path}`, { method: 'POST', headers: { ...CONSOLE, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The console's event stream on one instance, read as the page reads it. */
async function openStream(app: App) {
  const controller = new AbortController();
  const response = await fetch(`http://127.0.0.1:${app.httpPort}/api/console/events`, { headers: CONSOLE, signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const stream = {
    received: '',
    ended: false,
    /** Fails with what it saw (rather than the test's timeout) when the pattern does not come. */
    async readUntil(pattern: RegExp, timeoutMs = 15_000) {
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        while (!pattern.test(stream.received)) {
          const { value, done } = await reader.read();
          if (done) throw new Error('the stream ended');
          stream.received += decoder.decode(value, { stream: true });
        }
      } catch (error) {
        throw new Error(`no ${pattern} on the stream (${error instanceof Error ? error.message : String(error)}); it showed:\n${stream.received}`);
      } finally {
        clearTimeout(timer);
      }
    },
    async readToEnd() {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return void (stream.ended = true);
        stream.received += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
  await stream.readUntil(/event: ready/);
  return stream;
}

describe('the console live stream with several instances on one database and one Redis', () => {
  it('shows a page on A the chat messages and incident transitions stored by B', async () => {
    const onA = await openStream(a);
    try {
      expect((await post(b!, '/messages', { id: 'on-b-help-0001', text: '/help' })).status).toBe(202);
      await onA.readUntil(/event: chat\ndata: [^\n]*"type":"message.posted","message":\{[^\n]*"messageId":"web-in-on-b-help-0001"/);
      await onA.readUntil(/"text":"Commands:[^\n]*"replyTo":"web-in-on-b-help-0001"/);

      expect((await post(b!, '/messages', { id: 'on-b-alert-0001', sample: 'grafana' })).status).toBe(202);
      await onA.readUntil(/event: incident\ndata: \{"incidentId":"[^"]+","eventType":"alert.received","fromState":null,"toState":"[^"]+","status":"\w+"\}\n/);
      // The intake's reaction on the alert message is a card update stored on B.
      await onA.readUntil(/"type":"message.updated","message":\{"seq":\d+,"messageId":"web-in-on-b-alert-0001"/);
      // Transitions carry ids and states, not the incident's context.
      expect(onA.received).not.toMatch(/"context"|"payload"/);
    } finally {
      onA.close();
    }
  });

  it('ends the streams when its subscriber lost Redis, so pages reload; then carries on', async () => {
    const onA = await openStream(a);
    const ending = onA.readToEnd();
    const clients = (await admin.client('LIST')) as string;
    const feeds = clients.split('\n').filter((line) => / name=aifixer-live-/.test(line) && line.includes(` db=${REDIS_DB} `));
    expect(feeds).toHaveLength(2);
    for (const line of feeds) await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(line)![1]!);
    await ending;
    expect(onA.ended).toBe(true);

    // ioredis resubscribes by itself.
    await untilSubscribers(2);
    const again = await openStream(a);
    try {
      await post(b!, '/messages', { id: 'on-b-after-reconnect-0001', text: '/help' });
      await again.readUntil(/"messageId":"web-in-on-b-after-reconnect-0001"/);
    } finally {
      again.close();
    }
  });

  it('an instance that stops unsubscribes and quits its subscriber connection', async () => {
    await b!.stop();
    b = undefined;
    expect(await subscribers()).toBe(1);
    const clients = (await admin.client('LIST')) as string;
    expect(clients.split('\n').filter((line) => / name=aifixer-live-/.test(line) && line.includes(` db=${REDIS_DB} `))).toHaveLength(1);
  });
});
