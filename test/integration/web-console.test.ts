import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { PassThrough } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { WebChat } from '../../src/chat/web/web-chat';
import type { WebChatEvent } from '../../src/chat/web/web-chat';
import { loadConfig } from '../../src/config';
import { migrate, openOrm } from '../../src/store/orm';
import { WebMessageStore } from '../../src/store/web-message-store';
import type { WebMessage } from '../../src/store/web-message-store';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';
import { englishChats, same } from '../support/languages';

const TOKEN = 'console-token-for-the-tests';
const CONSOLE = { 'x-ai-fixer-console': '1' };
/** With CONSOLE_TOKEN set, this machine sends it too (CONSOLE_TRUST_LOOPBACK is off). */
const AUTHED = { ...CONSOLE, authorization: `Bearer ${TOKEN}` };
const card = { title: 'Hello', tone: 'blue' as const, sections: ['**hi**'], fields: [], buttons: [] };

let db: TestDatabase;
let app: App;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase();
  // A configured pattern too: the console must redact with the bot's scrubber, not only the built-in rules.
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', CONSOLE_TOKEN: TOKEN, CONSOLE_USER: 'ops-alice', LANGUAGE: 'en', TIMEZONE: 'UTC', REDACT_PATTERNS: '["acme_[0-9a-f]{8}"]' });
  app = await startApp(config, pino({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough() });
  base = `http://127.0.0.1:${app.httpPort}`;
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

async function call(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${base}/api/console${path}`, {
    method: init.method ?? 'GET',
    headers: { ...AUTHED, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const messages = async () => (await call('/messages')).body.messages as WebMessage[];

/** A request whose Host header says what a rebound DNS name would (fetch does not let a caller set it). */
function statusWithHost(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/console/session`, { headers: { ...CONSOLE, host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

describe('web console over HTTP', () => {
  it('serves its page under a strict content policy and its API only to whom may use it', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/app.js">');
    // The one inline script is the import map, allowed by its hash and nothing else.
    const map = /<script type="importmap">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(map).digest('base64');
    expect(page.headers.get('content-security-policy')).toContain(`script-src 'self' 'sha256-${hash}';`);
    for (const url of Object.values((JSON.parse(map) as { imports: Record<string, string> }).imports)) {
      const module = await fetch(`${base}${url}`);
      expect(module.headers.get('content-type')).toMatch(/text\/javascript/);
      expect(await module.text()).toMatch(/\bexport\b/);
    }
    // The page's words, before any token: both languages, LANGUAGE and TIMEZONE.
    const words = (await (await fetch(`${base}/api/messages`)).json()) as { language: string; timeZone: string; messages: Record<string, Record<string, string>> };
    expect(words).toMatchObject({ language: 'en', timeZone: 'UTC' });
    expect(words.messages['console.nav.incidents']).toEqual({ en: 'Incidents', 'zh-CN': '事件' });
    expect(Object.keys(words.messages).every((key) => key.startsWith('console.'))).toBe(true);

    expect((await call('/session')).body).toMatchObject({ user: 'ops-alice', chatId: 'web' });
    expect((await call('/session', { headers: { 'x-ai-fixer-console': '' } })).status).toBe(403);
    expect((await call('/session', { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    // A page whose DNS name was rebound to this machine has no token.
    expect(await statusWithHost('rebound.evil.example')).toBe(401);
    // Nor does this machine get in without it: a reverse proxy here adding no forwarding header looks just like it.
    expect((await call('/session', { headers: { authorization: '' } })).status).toBe(401);
    const proxied = await call('/session', { headers: { 'x-forwarded-for': '203.0.113.7', authorization: '' } });
    expect(proxied).toMatchObject({ status: 401, body: { tokenRequired: true } });
    expect((await call('/session', { headers: { 'x-forwarded-for': '203.0.113.7', authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const wrong = await call('/session', { headers: { 'x-forwarded-for': '203.0.113.7', authorization: 'Bearer wrong-token-xxxxxxxx' } });
    // What the token dialog shows, in either language.
    expect(wrong).toMatchObject({ status: 401, body: { error: { en: 'That console token is wrong.', 'zh-CN': '控制台令牌不正确。' } } });
  });

  it('redacts what people type before it is stored and shown, and takes a NUL without failing', async () => {
    const secrets = ['hunter2hunter2', 'Xk9mPq2vL7', 'AKIAIOSFODNN7EXAMPLE', 'eyJzdWIiOiJvcHMtYm90In0', 'acme_0a1b2c3d'];
    const text = `badge acme_0a1b2c3d db password=hunter2hunter2 url postgres://app:Xk9mPq2vL7@db-1/orders key AKIAIOSFODNN7EXAMPLE jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMtYm90In0.c2lnbmF0dXJlMTIz`;
    const posted = await call('/messages', { method: 'POST', body: { id: 'secret-post-0001', text } });
    expect(posted.status).toBe(202);
    const shown = JSON.stringify((await messages()).filter((m) => m.messageId === 'web-in-secret-post-0001'));
    expect(shown).toContain('db password=[redacted]');
    const orm = await openOrm({ databaseUrl: db.url, poolSize: 1 });
    try {
      const rows = await orm.em.fork().getConnection().execute<{ text: string }[]>(`select text from web_messages where message_id = 'web-in-secret-post-0001'`);
      for (const secret of secrets) {
        expect(shown).not.toContain(secret);
        expect(rows[0]?.text).not.toContain(secret);
      }
    } finally {
      await orm.close();
    }
    const nul = await call('/messages', { method: 'POST', body: { id: 'nul-post-00001', text: 'disk full on db-1\u0000 again' } });
    expect(nul.status).toBe(202);
  });

  it('takes a message posted twice (a retried request) once', async () => {
    const post = () => call('/messages', { method: 'POST', body: { id: 'retried-post-0001', sample: 'plain' } });
    const [first, second] = [await post(), await post()];
    expect(first.status).toBe(202);
    expect((second.body.message as WebMessage).messageId).toBe((first.body.message as WebMessage).messageId);
    const { body } = await call('/incidents?service=checkout');
    expect(body.incidents).toHaveLength(1);
    expect((await messages()).filter((m) => m.messageId === 'web-in-retried-post-0001')).toHaveLength(1);
    expect((await call('/messages', { method: 'POST', body: { id: 'x', text: 'hi' } })).status).toBe(400);
  });

  it('streams chat messages and incident transitions as they are stored', async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/api/console/events`, { headers: AUTHED, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}:\n${received}`);
        received += decoder.decode(value, { stream: true });
      }
    };
    await readUntil(/event: ready/);
    await call('/messages', { method: 'POST', body: { id: 'stream-help-0001', text: '/help' } });
    await readUntil(/"messageId":"web-in-stream-help-0001"/);
    await readUntil(/"text":"Commands:[^\n]*"replyTo":"web-in-stream-help-0001"/);
    await call('/messages', { method: 'POST', body: { id: 'stream-alert-0001', sample: 'grafana' } });
    await readUntil(/event: incident\ndata: \{[^\n]*"eventType":"alert.received"/);
    controller.abort();
  });

  it('keeps alert text inert in the cards it renders, and takes only clicks on buttons the card shows', async () => {
    const hostile = '[critical] <img src=x onerror="alert(1)"> **boom** [x](javascript:alert(1)) service=payments';
    await call('/messages', { method: 'POST', body: { id: 'hostile-alert-0001', text: hostile, as: 'monitor' } });
    const reply = await eventually(async () => (await messages()).find((m) => m.replyTo === 'web-in-hostile-alert-0001' && m.card), 'a card about the hostile alert', 20_000);
    const json = JSON.stringify(reply.card);
    expect(json).not.toMatch(/<img|\[x\]\(javascript/);
    expect(json).toContain('&#60;img');

    const forged = { incidentId: 'INC-NOTONCARD', action: 'diagnosis.approved', kind: 'diagnosis', attempt: 1 };
    const click = await call('/clicks', { method: 'POST', body: { id: 'forged-click-0001', messageId: reply.messageId, value: forged } });
    expect(click.body).toMatchObject({ toast: { type: 'error', content: { en: 'This button is not on that card.' } } });
  });
});

describe('the web chat store', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
    await migrate(orm);
  });
  afterAll(() => orm?.close());

  it('returns the first message for a repeated idempotency key, also from a new process', async () => {
    const events: WebChatEvent[] = [];
    const before = new WebChat(new WebMessageStore(orm), { botId: 'bot', languages: englishChats() });
    before.subscribe((event) => events.push(event));
    const first = await before.postCard('web', same(card), 'incident:INC-1:card:diagnosis:1');
    expect(await before.postCard('web', same(card), 'incident:INC-1:card:diagnosis:1')).toEqual(first);

    const after = new WebChat(new WebMessageStore(orm), { botId: 'bot', languages: englishChats() });
    after.subscribe((event) => events.push(event));
    expect(await after.postCard('web', same({ ...card, title: 'Changed' }), 'incident:INC-1:card:diagnosis:1')).toEqual(first);
    expect(events.map((e) => e.type)).toEqual(['message.posted']);
    const stored = (await after.history(500)).filter((m) => m.messageId === first.messageId);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.card).toMatchObject({ schema: '2.0', header: { title: { content: 'Hello' } } });

    await after.react(first.messageId, 'done');
    await after.react(first.messageId, 'done');
    expect((await after.find(first.messageId))?.reactions).toEqual(['done']);
    await expect(after.updateCard('web-unknown', same(card))).rejects.toThrow(/No web console message/);
  });
});
