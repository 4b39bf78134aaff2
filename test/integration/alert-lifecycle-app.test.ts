import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openOrm } from '../../src/store/orm';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const KEY = 'lifecycle-key-0123456789';
const GROUP_KEY = '{}/{severity="critical"}:{alertname="KubeNodeNotReady"}';
let db: TestDatabase;
let app: App;
let orm: MikroORM;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', API_KEYS: KEY, LLM_PROVIDER: 'offline', LOG_LEVEL: 'silent', LANGUAGE: 'en', TIMEZONE: 'UTC' });
  app = await startApp(config, pino({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough() });
  orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
});
afterAll(async () => {
  await orm?.close();
  await app?.stop();
  await db?.drop();
});

/** Alertmanager's webhook for the rack's nodes 1..n, all in one notification group. */
function notification(nodes: number, status: 'firing' | 'resolved') {
  const alerts = Array.from({ length: nodes }, (_, i) => ({
    status,
    labels: { alertname: 'KubeNodeNotReady', node: `node-${i + 1}`, severity: 'critical', rack: 'r7' },
    annotations: { summary: `node-${i + 1} is not ready` },
    startsAt: '2026-12-07T01:00:00Z',
    fingerprint: `node-${i + 1}-not-ready`,
  }));
  return { version: '4', groupKey: GROUP_KEY, status, receiver: 'ai-fixer', groupLabels: { alertname: 'KubeNodeNotReady' }, commonLabels: {}, commonAnnotations: {}, alerts };
}

async function post(body: unknown) {
  const response = await fetch(`http://127.0.0.1:${app.httpPort}/api/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { incidents: { id: string; opened: boolean }[] };
}

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.fork().getConnection().execute<T[]>(sql, params);
}

interface BotMessage {
  message_id: string;
  card: unknown;
  reply_to: string | null;
  reactions: string[] | null;
  updated_at: Date;
}
const botCards = () => rows<BotMessage>(`select message_id, card, reply_to, reactions, updated_at from web_messages where author = 'bot' and card is not null order by seq`);
const text = (message: BotMessage | undefined) => JSON.stringify(message?.card ?? '');

describe('an Alertmanager group through /api/alerts, end to end', () => {
  it('one incident and one card for the group, updated in place as it grows, resolved at source when it recovers', async () => {
    const first = await post(notification(20, 'firing'));
    expect(first.incidents).toHaveLength(1);
    const id = first.incidents[0]!.id;
    // The offline engine diagnoses once and posts one card that lists the group.
    const card = await eventually(async () => {
      const cards = await botCards();
      return cards.length === 1 && text(cards[0]).includes('Diagnosis ready') ? cards[0] : undefined;
    }, 'the diagnosis card', 20_000);
    expect(text(card)).toContain('**20 alerts** in this incident: 20 firing');
    expect(text(card)).toContain('node-10 and 10 more');
    expect(text(card)).toContain('"tag":"button"');

    // A late joiner (Alertmanager sends the whole group again, one more node): the same card, updated.
    const again = await post(notification(21, 'firing'));
    expect(again.incidents).toEqual([expect.objectContaining({ id, opened: false })]);
    await eventually(async () => (text((await botCards())[0]).includes('21 alerts') ? true : undefined), 'the card to show 21 alerts');

    // The group's resolved notice: resolved at source, nobody asked, the card loses its buttons.
    await post(notification(21, 'resolved'));
    await eventually(async () => {
      const [row] = await rows<{ state: string }>('select state from incidents where id = ?', [id]);
      return row?.state === 'recovered' ? true : undefined;
    }, 'the incident to recover at source');
    const cards = await botCards();
    expect(text(cards[0])).toContain('Recovered at source');
    expect(text(cards[0])).not.toContain('"tag":"button"');
    const announced = cards.find((c) => text(c).includes('recovered at source before anything was changed'));
    expect(announced?.reply_to).toBe(card.message_id); // threaded under the incident's card, not a new top-level message
    expect(await rows('select id from incidents')).toHaveLength(1);
    // The console's incident page lists the group, and /status says what happened, in the web chat.
    const page = await fetch(`http://127.0.0.1:${app.httpPort}/api/console/incident?id=${id}`, { headers: { 'x-ai-fixer-console': '1' } });
    const details = (await page.json()) as { alerts: { status: string; instance: string }[]; tally: { total: number; firing: number } };
    expect(details.tally).toMatchObject({ total: 21, firing: 0 });
    expect(details.alerts).toHaveLength(21);
    expect(details.alerts.every((a) => a.status === 'resolved')).toBe(true);
    const [diagnoses] = await rows<{ n: string }>(`select count(*) as n from step_journal where step = 'diagnose'`);
    expect(Number(diagnoses!.n)).toBe(1);
    const decided = await rows<{ actor: string }>(`select distinct actor from incident_events where incident_id = ?`, [id]);
    // Only the monitoring tool's API key and the bot itself acted: no person was needed.
    expect(decided.every((d) => d.actor === 'system' || d.actor.startsWith('api:'))).toBe(true);
  });
});
