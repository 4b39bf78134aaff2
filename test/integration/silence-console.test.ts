import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { WebMessage } from '../../src/store/web-message-store';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const CONSOLE = { 'x-ai-fixer-console': '1' };
const API_KEY = 'silence-test-api-key-0001';

let db: TestDatabase;
let app: App;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', CONSOLE_USER: 'ops-alice', APPROVER_IDS: 'ops-alice', API_KEYS: API_KEY, LANGUAGE: 'en', TIMEZONE: 'UTC' });
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
    headers: { ...CONSOLE, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function replyTo(id: string): Promise<string> {
  return eventually(async () => {
    const messages = (await call('/messages')).body.messages as WebMessage[];
    return messages.find((m) => m.replyTo === `web-in-${id}`)?.text ?? undefined;
  }, `the reply to ${id}`);
}

interface SilenceJson {
  id: string;
  matchers: string;
  state: string;
  held: number;
  createdBy: string;
  reason: string;
  expiredBy: string | null;
}

describe('silences in the web console', () => {
  it('creates a silence through the API, holds a matching alert posted in the console chat, lists it with what it held, and expires it', async () => {
    const foreign = await call('/silences', { method: 'POST', body: { matchers: 'service=checkout', duration: '1h' }, headers: { 'x-ai-fixer-console': '' } });
    expect(foreign.status).toBe(403);
    const bad = await call('/silences', { method: 'POST', body: { matchers: 'service=~"(checkout"', duration: '1h' } });
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringMatching(/regex of service is not valid/) as unknown } });
    expect(((await call('/silences')).body.active as unknown[]).length).toBe(0);

    const created = await call('/silences', { method: 'POST', body: { matchers: 'service=checkout alertname=~"checkout.*"', duration: '2h', reason: '<b>deploy</b>' } });
    expect(created.status).toBe(201);
    const silence = created.body.silence as SilenceJson;
    expect(silence).toMatchObject({ matchers: 'service="checkout" alertname=~"checkout.*"', state: 'active', createdBy: 'ops-alice', reason: '<b>deploy</b>' });

    await call('/messages', { method: 'POST', body: { id: 'silenced-alert-0001', text: '[critical] checkout returns 503 service=checkout', as: 'monitor' } });
    await eventually(async () => {
      const messages = (await call('/messages')).body.messages as WebMessage[];
      return messages.find((m) => m.messageId === 'web-in-silenced-alert-0001' && m.reactions.includes('silenced')) ? true : undefined;
    }, 'the silenced reaction in the console chat');
    expect(((await call('/incidents')).body.incidents as unknown[]).length).toBe(0);

    const listed = (await call('/silences')).body as { active: SilenceJson[]; mayEdit: boolean };
    expect(listed.mayEdit).toBe(true);
    expect(listed.active).toMatchObject([{ id: silence.id, held: 1 }]);
    const detail = (await call(`/silence?id=${silence.id}`)).body as { held: { title: string; chatId: string }[] };
    expect(detail.held).toMatchObject([{ title: expect.stringMatching(/^checkout returns 503/) as unknown, chatId: 'web' }]);

    // The same silence from the console's chat, as a command.
    await call('/messages', { method: 'POST', body: { id: 'silences-cmd-0001', text: '/silences' } });
    expect(await replyTo('silences-cmd-0001')).toContain(`${silence.id} "service=\\"checkout\\" alertname=~\\"checkout.*\\""`);

    const expired = await call('/silences/expire', { method: 'POST', body: { id: silence.id } });
    expect(expired).toMatchObject({ status: 200, body: { silence: { state: 'expired', expiredBy: 'ops-alice' } } });
    expect((await call('/silences/expire', { method: 'POST', body: { id: silence.id } })).status).toBe(400);
    expect((await call('/silences')).body).toMatchObject({ active: [], recent: [{ id: silence.id, state: 'expired' }] });
  });

  it('lists the silenced alerts in the /api/alerts answer, and opens the others', async () => {
    await call('/silences', { method: 'POST', body: { matchers: 'alertname=KubeNodeNotReady', duration: '1h', reason: 'rack 7' } });
    const alert = (alertname: string, node: string) => ({ status: 'firing', labels: { alertname, instance: node, severity: 'warning' }, annotations: {}, startsAt: new Date().toISOString() });
    const response = await fetch(`${base}/api/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: '4', status: 'firing', alerts: [alert('KubeNodeNotReady', 'node-1'), alert('DiskPressure', 'node-2')] }),
    });
    const body = (await response.json()) as { incidents: { opened: boolean }[]; silenced: { title: string; silenceId: string }[] };
    expect(response.status).toBe(202);
    expect(body.silenced).toMatchObject([{ title: 'KubeNodeNotReady', silenceId: expect.stringMatching(/^SIL-/) as unknown }]);
    expect(body.incidents).toMatchObject([{ opened: true }]);
  });

  it('runs /silence typed in the console chat', async () => {
    await call('/messages', { method: 'POST', body: { id: 'silence-cmd-0002', text: '/silence alertname=DiskFull 30m disk swap' } });
    expect(await replyTo('silence-cmd-0002')).toMatch(/^Silenced: SIL-[0-9A-Z]{4} "alertname=\\"DiskFull\\""/);
    await call('/messages', { method: 'POST', body: { id: 'silence-cmd-0003', text: '/unsilence SIL-2222' } });
    expect(await replyTo('silence-cmd-0003')).toMatch(/No silence SIL-2222/);
  });
});
