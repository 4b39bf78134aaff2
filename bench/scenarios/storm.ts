import { PassThrough } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { FakeAnthropicApi } from '../../test/fakes/anthropic-api';
import { toolCalls } from '../../test/fakes/llm-fake-common';
import { createTestDatabase } from '../../test/support/database';
import { summarize } from '../stats';
import type { Summary } from '../stats';

export interface StormSize {
  groups: number;
  alertsPerGroup: number;
  /** Each group's alerts arrive in this many notifications (Alertmanager's group_interval), spread over `spreadMs`. */
  waves: number;
  spreadMs: number;
  /** Half the groups send their resolved notice this long after the last firing one. */
  resolveAfterMs: number;
  /** The chat counts as quiet after this long without a post or an update. */
  quietMs: number;
  stormThreshold: number;
}

export interface StormResult {
  alerts: number;
  groups: number;
  /** From the first POST until the last alert was acknowledged. */
  postedWithinMs: number;
  acknowledge: Summary;
  incidents: number;
  /** Groups with more than one incident that was not merged: must be 0. */
  duplicateIncidents: number;
  /** Calls the diagnoses made (a post-incident summary's call is counted apart: every ended incident writes one). */
  modelCalls: number;
  summaryCalls: number;
  diagnoses: number;
  topLevelMessages: number;
  stormCards: number;
  /** Messages and card updates in the storm card's thread. */
  inStormThread: number;
  resolvedGroups: number;
  /** Of the resolved groups: incidents that ended resolved at source. */
  recoveredAtSource: number;
  /** Transitions of those incidents that a person (not the system or the alert sender) made: must be 0. */
  personActions: number;
  /** From the first POST (and from the resolved notices) until the chat's last post or update before it went quiet. */
  quietAfterFirstAlertMs: number;
  quietAfterResolvedMs: number;
  waitingForPeople: number;
}

const KEY = 'bench-storm-key-0123456789';
const NAMES = ['KubeNodeNotReady', 'KubePodCrashLooping', 'HighErrorRate', 'HighLatency', 'DiskPressure'];
const SEVERITIES = ['critical', 'warning', 'warning', 'error'];

/** One Alertmanager notification: group `g`'s alerts `from`..`to` (exclusive), all with `status`. */
function notification(g: number, from: number, to: number, status: 'firing' | 'resolved') {
  const common = { alertname: NAMES[g % NAMES.length]!, service: `svc-${g}`, severity: SEVERITIES[g % SEVERITIES.length]!, cluster: 'prod' };
  const alerts = Array.from({ length: to - from }, (_, k) => ({
    status,
    labels: { ...common, instance: `node-${g}-${from + k}` },
    annotations: { summary: `${common.alertname} on node-${g}-${from + k}` },
    fingerprint: `storm-${g}-${from + k}`,
  }));
  return { version: '4', status, receiver: 'ai-fixer', groupKey: `{}/{severity!=""}:{service="svc-${g}"}`, groupLabels: { service: `svc-${g}` }, commonLabels: common, commonAnnotations: {}, alerts };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A model that diagnoses at once (one call per diagnosis), counted by the fake's request log. */
async function countingModel(): Promise<{ fake: FakeAnthropicApi; baseURL: string }> {
  const fake = new FakeAnthropicApi();
  fake.respond = () =>
    toolCalls({
      name: 'submit_diagnosis',
      input: { summary: 'Nodes lost their kubelet', rootCause: 'A rack switch failed.', category: 'availability', severity: 'high', evidence: [], confidence: 0.5 },
    });
  const { baseURL } = await fake.start();
  return { fake, baseURL };
}

/**
 * The storm: `groups` Alertmanager groups of `alertsPerGroup` alerts posted to the real `/api/alerts`
 * (HTTP, the running app) within `spreadMs`, then half the groups resolved after `resolveAfterMs`; the
 * bot on real Postgres with the web console as its chat and a fake Anthropic API through the real SDK.
 */
export async function measureStorm(size: StormSize): Promise<StormResult> {
  const db = await createTestDatabase('aifixer_bench');
  const { fake, baseURL } = await countingModel();
  const cleanups: (() => Promise<unknown>)[] = [() => db.drop(), () => fake.stop()];
  try {
    const config = loadConfig({
      DATABASE_URL: db.url, PORT: '0', API_KEYS: KEY, LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'bench', ANTHROPIC_BASE_URL: baseURL,
      STORM_THRESHOLD: String(size.stormThreshold), SHUTDOWN_GRACE: '1s', LANGUAGE: 'en', TIMEZONE: 'UTC', // it reads the storm card's English title
    });
    const app = await startApp(config, pino({ level: 'error' }, pino.destination(2)), { input: new PassThrough(), output: new PassThrough() });
    cleanups.push(() => app.stop());
    const sql = new pg.Pool({ connectionString: db.url, max: 2 });
    cleanups.push(() => sql.end());
    const acknowledgeMs: number[] = [];
    const post = async (body: unknown) => {
      const sent = performance.now();
      const response = await fetch(`http://127.0.0.1:${app.httpPort}/api/alerts`, {
        method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      if (response.status !== 202) throw new Error(`/api/alerts answered ${response.status}: ${await response.text()}`);
      acknowledgeMs.push(performance.now() - sent);
    };
    const started = performance.now();
    const perWave = Math.ceil(size.alertsPerGroup / size.waves);
    for (let wave = 0; wave < size.waves; wave++) {
      const due = started + (size.waves > 1 ? (size.spreadMs * wave) / (size.waves - 1) : 0);
      await sleep(Math.max(0, due - performance.now()));
      const from = wave * perWave;
      const to = Math.min(size.alertsPerGroup, from + perWave);
      await Promise.all(Array.from({ length: size.groups }, (_, g) => post(notification(g, from, to, 'firing'))));
    }
    const postedWithinMs = performance.now() - started;
    await sleep(size.resolveAfterMs);
    const resolvedGroups = Math.floor(size.groups / 2);
    const resolvedAt = performance.now();
    await Promise.all(Array.from({ length: resolvedGroups }, (_, g) => post(notification(g, 0, size.alertsPerGroup, 'resolved'))));
    await settled(sql, size.groups);
    const lastWrite = await quietChat(sql, size.quietMs);
    const startedAt = Date.now() - (performance.now() - started);
    const resolvedWallAt = Date.now() - (performance.now() - resolvedAt);
    return {
      alerts: size.groups * size.alertsPerGroup,
      groups: size.groups,
      postedWithinMs,
      acknowledge: summarize(acknowledgeMs),
      modelCalls: diagnosisCalls(fake.requests),
      summaryCalls: fake.requests.filter((r) => r.path === '/v1/messages').length - diagnosisCalls(fake.requests),
      resolvedGroups,
      quietAfterFirstAlertMs: lastWrite - startedAt,
      quietAfterResolvedMs: lastWrite - resolvedWallAt,
      ...(await outcome(sql, resolvedGroups)),
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

async function one(sql: pg.Pool, text: string, values: unknown[] = []): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(text, values);
  return Number(rows[0]?.n ?? 0);
}

/** Every incident parked: recovered at source, or waiting for a person at its diagnosis card. */
async function settled(sql: pg.Pool, groups: number): Promise<void> {
  const until = Date.now() + 300_000;
  while (Date.now() < until) {
    const parked = await one(sql, `select count(*)::int as n from incidents where state in ('recovered', 'resolved', 'open.awaitingDiagnosisApproval')`);
    const busy = await one(sql, `select count(*)::int as n from incidents where status = 'active'`);
    if (parked >= groups && busy === 0) return;
    await sleep(100);
  }
  throw new Error('the storm did not settle within 5 minutes');
}

/** Waits until nothing was posted or updated in the chat for `quietMs`; returns the time of the last write. */
async function quietChat(sql: pg.Pool, quietMs: number): Promise<number> {
  for (;;) {
    const { rows } = await sql.query<{ at: Date | null }>(`select max(greatest(created_at, updated_at)) as at from web_messages where author = 'bot'`);
    const last = rows[0]?.at ? new Date(rows[0].at).getTime() : 0;
    if (Date.now() - last >= quietMs) return last;
    await sleep(Math.max(50, last + quietMs - Date.now()));
  }
}

async function outcome(sql: pg.Pool, resolvedGroups: number) {
  const resolvedServices = Array.from({ length: resolvedGroups }, (_, g) => `svc-${g}`);
  const [stormCard] = (await sql.query<{ id: string }>(`select message_id as id from web_messages where card->'header'->'title'->>'content' like 'Alert storm%'`)).rows;
  return {
    incidents: await one(sql, `select count(*)::int as n from incidents where state <> 'merged'`),
    duplicateIncidents: await one(sql, `select coalesce(sum(n - 1), 0)::int as n from (select count(*) as n from incidents where state <> 'merged' group by group_key) g`),
    diagnoses: await one(sql, `select count(*)::int as n from diagnoses`),
    topLevelMessages: await one(sql, `select count(*)::int as n from web_messages where author = 'bot' and reply_to is null`),
    stormCards: await one(sql, `select count(*)::int as n from web_messages where card->'header'->'title'->>'content' like 'Alert storm%'`),
    inStormThread: stormCard ? await one(sql, `select count(*)::int as n from web_messages where reply_to = $1`, [stormCard.id]) : 0,
    recoveredAtSource: await one(
      sql,
      `select count(*)::int as n from incidents where service = any($1) and state in ('recovered', 'resolved') and (snapshot->'context'->'resolution'->>'atSource')::boolean`,
      [resolvedServices],
    ),
    personActions: await one(
      sql,
      `select count(*)::int as n from incident_events e join incidents i on i.id = e.incident_id where i.service = any($1) and e.actor <> 'system' and e.actor not like 'api:%'`,
      [resolvedServices],
    ),
    waitingForPeople: await one(sql, `select count(*)::int as n from incidents where state = 'open.awaitingDiagnosisApproval'`),
  };
}

/** The model calls of diagnoses: every call but the post-incident summaries' (told apart by their system prompt). */
function diagnosisCalls(requests: readonly { path: string; body: unknown }[]): number {
  const isSummary = (body: unknown) => /post-incident summar/.test(JSON.stringify((body as { system?: unknown } | null)?.system ?? ''));
  return requests.filter((r) => r.path === '/v1/messages' && !isSummary(r.body)).length;
}
