import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { LarkChat } from '../../src/chat/lark/lark-chat';
import { createLarkClient } from '../../src/chat/lark/lark-client';
import { loadConfig } from '../../src/config';
import { createLlm } from '../../src/diagnosis/create-llm';
import { registerOpenIncidentsGauge } from '../../src/observability/incident-metrics';
import { Metrics } from '../../src/observability/metrics';
import { observeLlm } from '../../src/diagnosis/observed-llm';
import { closeOrm, migrate, openOrm } from '../../src/store/orm';
import { anthropicErrors, FakeAnthropicApi } from '../fakes/anthropic-api';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { startFakeLark } from '../fakes/lark';
import { text } from '../fakes/llm-fake-common';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { parseMetrics, samplesOf, sumOf } from '../support/prometheus-text';
import { eventually } from '../support/runtime-harness';
import { englishChats, same } from '../support/languages';

const TOKEN = 'metrics-token-for-the-tests';
const logger = pino({ level: 'silent' });

let db: TestDatabase;
let service: FlakyService;
let app: App;
let printed = '';
const input = new PassThrough();

beforeAll(async () => {
  db = await createTestDatabase();
  service = await startFlakyService();
  const dir = await mkdtemp(join(tmpdir(), 'aifixer-metrics-'));
  const targetsFile = join(dir, 'targets.json');
  const restart = { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true };
  await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: service.url, actions: { restart } } } }));
  const output = new PassThrough();
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', TARGETS_FILE: targetsFile, VERIFY_INTERVAL: '100ms', METRICS_TOKEN: TOKEN, LANGUAGE: 'en', TIMEZONE: 'UTC' });
  app = await startApp(config, logger, { input, output });
});
afterAll(async () => {
  await app?.stop();
  await service?.close();
  await db?.drop();
});

const waitFor = (pattern: RegExp) => eventually(() => printed.match(pattern) ?? undefined, `console output ${pattern}\n${printed}`, 20_000);

async function scrape(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const response = await fetch(`http://127.0.0.1:${app.httpPort}/metrics`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function query<T>(sql: string): Promise<T[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('/metrics of a running bot', () => {
  it('counts an incident from alert to resolution as the database recorded it', async () => {
    input.write('[critical] checkout returns 503 service=checkout\n');
    const [, id] = await waitFor(/Opened (INC-[0-9A-Z]{8})/);
    await waitFor(/Diagnosis ready/);
    input.write(`/approve ${id} diagnosis\n`);
    await waitFor(new RegExp(`/approve ${id} fix`));
    input.write(`/approve ${id} fix\n`);
    await eventually(async () => ((await app.runtime.get(id!))?.status === 'done' ? true : undefined), 'the incident to be done', 20_000);

    const { status, headers, text: body } = await scrape();
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(body);

    // Every persisted transition (one audit row each) counted once, by event type and target state.
    const audit = await query<{ event_type: string; to_state: string; n: string }>('select event_type, to_state, count(*) as n from incident_events group by 1, 2');
    const counted = samplesOf(samples, 'aifixer_incident_transitions_total').map((s) => [s.labels.event, s.labels.to, s.value]);
    expect(counted.sort()).toEqual(audit.map((row) => [row.event_type, row.to_state, Number(row.n)]).sort());
    expect(sumOf(samples, 'aifixer_incident_transitions_total', { to: 'resolved' })).toBe(1);

    for (const step of ['open.triaging', 'open.diagnosing', 'open.proposing', 'remediating.executing', 'remediating.verifying']) {
      expect(sumOf(samples, 'aifixer_step_duration_seconds_count', { step }), step).toBe(1);
    }
    // Parked states wait for people, not for steps.
    expect(samplesOf(samples, 'aifixer_step_duration_seconds_count', { step: 'open.awaitingDiagnosisApproval' })).toEqual([]);

    // Diagnosis probes through the runner, verification straight through runPlugin: each probe is one health check.
    expect(sumOf(samples, 'aifixer_plugin_run_duration_seconds_count', { plugin: 'http.probe', category: 'diagnostic' })).toBe(service.healthChecks);
    expect(sumOf(samples, 'aifixer_plugin_run_duration_seconds_count', { plugin: 'http.call', category: 'remediation', status: 'success' })).toBe(service.restarts);
    expect(service.restarts).toBe(1);

    expect(sumOf(samples, 'aifixer_lock_wait_seconds_count', { lock: 'incident' })).toBeGreaterThan(0);
    expect(sumOf(samples, 'aifixer_live_incidents')).toBe(0);
    expect(sumOf(samples, 'aifixer_durability_pending')).toBe(0);
    expect(samplesOf(samples, 'process_cpu_user_seconds_total')).toHaveLength(1);
    expect(samplesOf(samples, 'nodejs_heap_size_used_bytes')).toHaveLength(1);
  });

  it('counts the open incidents by state in the database on each scrape', async () => {
    input.write('[warning] payments queue backlog growing service=payments\n');
    const [, id] = await waitFor(/Opened (INC-[0-9A-Z]{8})[^\n]*payments/);
    await eventually(async () => ((await app.runtime.get(id!))?.status === 'parked' ? true : undefined), 'the incident to wait for a person', 20_000);

    const samples = parseMetrics((await scrape()).text);
    const rows = await query<{ state: string; status: string; n: string }>("select state, status, count(*) as n from incidents where status <> 'done' group by 1, 2");
    const gauge = samplesOf(samples, 'aifixer_open_incidents').map((s) => [s.labels.state, s.labels.status, s.value]);
    expect(gauge).toEqual(rows.map((row) => [row.state, row.status, Number(row.n)]));
    expect(sumOf(samples, 'aifixer_open_incidents')).toBe(1);
    expect(sumOf(samples, 'aifixer_open_incidents', { status: 'parked' })).toBe(1);
  });

  it('wants METRICS_TOKEN from everyone, this machine too (CONSOLE_TRUST_LOOPBACK is off)', async () => {
    const proxied = { 'x-forwarded-for': '203.0.113.7' };
    const refused = await scrape(proxied);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await scrape({ ...proxied, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await scrape({ ...proxied, authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    // A reverse proxy on this machine adding no forwarding header looks just like a local scraper.
    expect((await scrape({})).status).toBe(401);
    expect((await scrape()).status).toBe(200);
  });

  it('still serves the other metrics when the database cannot be read', async () => {
    const other = await createTestDatabase();
    const orm = await openOrm({ databaseUrl: other.url, poolSize: 1 });
    await migrate(orm);
    await closeOrm(orm);
    await other.drop();
    const metrics = new Metrics({ defaultMetrics: false });
    registerOpenIncidentsGauge(metrics, orm);
    metrics.transitions.inc({ event: 'alert.received', to: 'open.triaging' });

    const samples = parseMetrics((await metrics.scrape()).text);
    expect(samplesOf(samples, 'aifixer_open_incidents')).toEqual([]);
    expect(sumOf(samples, 'aifixer_metrics_collect_errors_total', { metric: 'aifixer_open_incidents' })).toBe(1);
    expect(sumOf(samples, 'aifixer_incident_transitions_total')).toBe(1);
  });
});

describe('model calls and Lark sends', () => {
  it('measures model calls through the real SDK: latency by outcome, tokens, errors', async () => {
    const api = new FakeAnthropicApi();
    const { baseURL } = await api.start();
    try {
      // A registry of its own next to the app's: two apps in one process keep separate counts.
      const metrics = new Metrics();
      const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: baseURL, LLM_MAX_RETRIES: '0' });
      const llm = observeLlm(createLlm(config), metrics)!;
      const ask = (content: string) => llm.chat({ system: 'You are terse.', messages: [{ role: 'user', content }], maxTokens: 100 });

      api.enqueue(text('The disk of db-1 is full.'));
      const answered = await ask('what is wrong with db-1?');
      expect((await ask('what is wrong with db-1?')).cached).toBe(true);
      api.enqueue(anthropicErrors.invalidKey());
      const error = await ask('and db-2?').then(
        () => new Error('the call should have failed'),
        (e: unknown) => e as Error,
      );
      expect(error.name).toMatch(/^Llm/);
      expect(api.requests).toHaveLength(2);

      const samples = parseMetrics((await metrics.scrape()).text);
      const call = { provider: 'anthropic', model: llm.model };
      expect(sumOf(samples, 'aifixer_llm_request_duration_seconds_count', { ...call, outcome: 'success' })).toBe(1);
      expect(sumOf(samples, 'aifixer_llm_request_duration_seconds_count', { ...call, outcome: 'cached' })).toBe(1);
      expect(sumOf(samples, 'aifixer_llm_request_duration_seconds_count', { ...call, outcome: 'error' })).toBe(1);
      expect(answered.usage.inputTokens).toBeGreaterThan(0);
      expect(sumOf(samples, 'aifixer_llm_tokens_total', { ...call, direction: 'input' })).toBe(answered.usage.inputTokens);
      expect(sumOf(samples, 'aifixer_llm_tokens_total', { ...call, direction: 'output' })).toBe(answered.usage.outputTokens);
      expect(sumOf(samples, 'aifixer_llm_errors_total', { provider: 'anthropic', kind: error.name })).toBe(1);
      expect(sumOf(samples, 'aifixer_llm_retries_total')).toBe(0);
      expect(sumOf(samples, 'aifixer_llm_circuit_open')).toBe(0);
    } finally {
      await api.stop();
    }
  });

  it('counts Lark sends, updates and throttles', async () => {
    const fake = await startFakeLark();
    try {
      const metrics = new Metrics({ defaultMetrics: false });
      const chat = new LarkChat({ client: createLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, logger }), logger, observer: metrics.larkObserver(), languages: englishChats() });
      fake.throttleNext(1, { mode: 'http429', resetSeconds: 1 });
      await chat.postText('oc_incidents000000000000000000001', same('hello'), 'metrics-test-1');
      await expect(chat.updateCard('om_does_not_exist', same({ title: 't', tone: 'blue', sections: [], fields: [], buttons: [] }))).rejects.toThrow();
      expect(chat.queueDepth).toBe(0);

      const samples = parseMetrics((await metrics.scrape()).text);
      expect(fake.throttledCount).toBe(1);
      expect(sumOf(samples, 'aifixer_lark_throttled_total', { operation: 'send' })).toBe(1);
      expect(sumOf(samples, 'aifixer_lark_requests_total', { operation: 'send', outcome: 'ok' })).toBe(1);
      expect(sumOf(samples, 'aifixer_lark_requests_total', { operation: 'update', outcome: 'error' })).toBe(1);
      expect(fake.sent).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});
