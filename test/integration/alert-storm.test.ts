import { PassThrough } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const KEY = 'storm-test-key-0123456789';
const INCIDENTS = 30;
const THRESHOLD = 10;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

const pools = new Map<string, pg.Pool>();
/** Reads the bot's database as an operator would. */
async function sqlOn<T>(url: string, text: string): Promise<T[]> {
  let pool = pools.get(url);
  if (!pool) {
    const created = new pg.Pool({ connectionString: url, max: 2 });
    pools.set(url, created);
    cleanups.push(() => created.end());
    pool = created;
  }
  return (await pool.query(text)).rows as T[];
}

/** The bot as `npm start` runs it, on the web console's chat (no Lark), the offline engine diagnosing. */
async function bot(db: TestDatabase, env: Record<string, string> = {}): Promise<App> {
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', API_KEYS: KEY, STORM_THRESHOLD: String(THRESHOLD), SHUTDOWN_GRACE: '1s', LANGUAGE: 'en', TIMEZONE: 'UTC', ...env });
  const app = await startApp(config, pino({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough() });
  cleanups.push(() => app.stop());
  return app;
}

const SEVERITIES = ['critical', 'warning', 'warning', 'error', 'info'];

/** Alertmanager's notification for one group: one problem, one incident. */
function notification(i: number) {
  const labels = { alertname: i % 3 ? 'HighErrorRate' : 'KubePodCrashLooping', service: `svc-${i}`, severity: SEVERITIES[i % 4]!, pod: `svc-${i}-0` };
  return { version: '4', status: 'firing', groupKey: `{}:{service="svc-${i}"}`, groupLabels: { service: `svc-${i}` }, commonLabels: labels, commonAnnotations: {}, alerts: [{ status: 'firing', labels, annotations: { summary: `svc-${i} is failing` } }] };
}

async function postAlerts(app: App, i: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${app.httpPort}/api/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(notification(i)),
  });
  expect(response.status).toBe(202);
}

interface ChatMessage {
  messageId: string;
  replyTo: string | null;
  title: string | null;
  card: string | null;
}

async function botMessages(db: TestDatabase): Promise<ChatMessage[]> {
  return sqlOn(db.url, `select message_id as "messageId", reply_to as "replyTo", card->'header'->'title'->>'content' as title, card::text as card
                          from web_messages where author = 'bot' order by seq`);
}

const isStormCard = (m: ChatMessage) => m.title?.startsWith('Alert storm') ?? false;

/** Every incident has posted its diagnosis card and waits for a person. */
async function allCardsPosted(db: TestDatabase): Promise<string[]> {
  return eventually(async () => {
    const rows = await sqlOn<{ id: string; state: string }>(db.url, `select id, state from incidents where state <> 'merged'`);
    return rows.length === INCIDENTS && rows.every((r) => r.state === 'open.awaitingDiagnosisApproval') ? rows.map((r) => r.id) : undefined;
  }, `${INCIDENTS} incidents waiting at their diagnosis cards`, 60_000);
}

async function stormCardTitled(db: TestDatabase, title: string): Promise<ChatMessage> {
  return eventually(async () => (await botMessages(db)).find((m) => isStormCard(m) && m.title === title), `a storm card titled "${title}"`, 30_000);
}

/** The chat as people see it: the storm card and at most THRESHOLD cards at the top level, every other card in its thread. */
function expectOneThreadedStorm(messages: ChatMessage[], incidentIds: string[]): ChatMessage {
  const storms = messages.filter(isStormCard);
  expect(storms).toHaveLength(1);
  const storm = storms[0]!;
  expect(storm.replyTo).toBeNull();
  const topLevel = messages.filter((m) => m.replyTo === null);
  expect(topLevel.length).toBeLessThanOrEqual(THRESHOLD + 1);
  const inThread = messages.filter((m) => m.replyTo === storm.messageId);
  expect(inThread.length).toBeGreaterThanOrEqual(INCIDENTS - THRESHOLD);
  expect(topLevel.length - 1 + inThread.length).toBe(INCIDENTS);
  for (const id of incidentIds) expect(storm.card).toContain(id);
  return storm;
}

describe('an alert storm', () => {
  it('30 incidents in a minute: one storm card, updated in place until it ends, their cards in its thread', async () => {
    const db = await database();
    const app = await bot(db, { STORM_WINDOW: '8s' });
    for (let i = 0; i < INCIDENTS; i++) await postAlerts(app, i);
    const incidentIds = await allCardsPosted(db);

    const whole = await stormCardTitled(db, `Alert storm · ${INCIDENTS} incidents, ${INCIDENTS} open`);
    expectOneThreadedStorm(await botMessages(db), incidentIds);
    expect(whole.card).toContain('waiting for people');

    // Nothing new for STORM_WINDOW: the same card says it is over.
    const over = await stormCardTitled(db, `Alert storm over · ${INCIDENTS} incidents`);
    expect(over.messageId).toBe(whole.messageId);
    const storms = await sqlOn<{ n: number }>(db.url, `select count(*)::int as n from storms where ended_at is not null`);
    expect(storms[0]!.n).toBe(1);

    // After the storm a new incident posts on its own again.
    await postAlerts(app, INCIDENTS);
    const next = await eventually(async () => (await botMessages(db)).find((m) => m.card?.includes('svc-30') && !isStormCard(m)), 'the next incident card', 30_000);
    expect(next.replyTo).toBeNull();

    // Its later posts thread under its first card: approving the diagnosis ends it (no runbook has a fix), announced there.
    const incidentId = /INC-[0-9A-Z]+/.exec(next.title ?? '')![0];
    const approve = await fetch(`http://127.0.0.1:${app.httpPort}/api/console/messages`, {
      method: 'POST',
      headers: { 'x-ai-fixer-console': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'approve-after-storm', text: `/approve ${incidentId} diagnosis` }),
    });
    expect(approve.status).toBe(202);
    const outcome = await eventually(async () => (await botMessages(db)).find((m) => m.title?.includes(`Escalated · ${incidentId}`)), 'its outcome card', 30_000);
    expect(outcome.replyTo).toBe(next.messageId);
  });

  it('two instances on one database and one Redis: one storm card, every incident in its thread or before it', async () => {
    const db = await database();
    const env = { REDIS_URL: 'redis://127.0.0.1:6379/13' }; // a Redis database no other test uses: group locks are keyed by the alerts' groups
    const a = await bot(db, env);
    const b = await bot(db, env);
    await Promise.all([0, 1].map(async (half) => {
      for (let i = half; i < INCIDENTS; i += 2) await postAlerts(half ? b : a, i);
    }));
    const incidentIds = await allCardsPosted(db);
    await stormCardTitled(db, `Alert storm · ${INCIDENTS} incidents, ${INCIDENTS} open`);
    expectOneThreadedStorm(await botMessages(db), incidentIds);
    const storms = await sqlOn<{ n: number }>(db.url, 'select count(*)::int as n from storms');
    expect(storms[0]!.n).toBe(1);
  });
});
