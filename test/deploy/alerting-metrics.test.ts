import type { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createLlm } from '../../src/diagnosis/create-llm';
import { registerOverdueDeadlineGauge } from '../../src/observability/incident-metrics';
import { Metrics } from '../../src/observability/metrics';
import { observeLlm } from '../../src/diagnosis/observed-llm';
import { registerReadinessGauge } from '../../src/observability/readiness';
import { migrate, openOrm } from '../../src/store/orm';
import { FakeAnthropicApi } from '../fakes/anthropic-api';
import { text } from '../fakes/llm-fake-common';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { parseMetrics, samplesOf, sumOf } from '../support/prometheus-text';

/** The series the dashboard and alert rules need beside the ones the README lists: readiness and the deadline sweeper's lag. */
async function scrape(metrics: Metrics) {
  return parseMetrics((await metrics.scrape()).text);
}

describe('aifixer_ready', () => {
  it('is 1 per passing check and 0 per failing or silent one, on each scrape', async () => {
    let redisUp = false;
    let chatHangs = true;
    const metrics = new Metrics({ defaultMetrics: false });
    registerReadinessGauge(metrics, {
      database: () => Promise.resolve(),
      redis: () => (redisUp ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED'))),
      chat: () => (chatHangs ? new Promise<void>(() => undefined) : Promise.resolve()),
    });

    const first = await scrape(metrics);
    expect(samplesOf(first, 'aifixer_ready', { check: 'database' })[0]?.value).toBe(1);
    expect(samplesOf(first, 'aifixer_ready', { check: 'redis' })[0]?.value).toBe(0);
    expect(samplesOf(first, 'aifixer_ready', { check: 'chat' })[0]?.value).toBe(0);

    redisUp = true;
    chatHangs = false;
    const second = await scrape(metrics);
    expect(samplesOf(second, 'aifixer_ready', { check: 'redis' })[0]?.value).toBe(1);
    expect(samplesOf(second, 'aifixer_ready', { check: 'chat' })[0]?.value).toBe(1);
  });
});

describe('aifixer_deadline_overdue_seconds, on a real Postgres', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  beforeAll(async () => {
    db = await createTestDatabase('aifixer_overdue');
    orm = await openOrm({ databaseUrl: db.url, poolSize: 2, logger: pino({ level: 'silent' }) });
    await migrate(orm);
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  async function insertIncident(id: string, status: 'active' | 'parked' | 'done', wakeAtSecondsFromNow: number | null): Promise<void> {
    await orm.em.getConnection().execute(
      `insert into incidents (id, state, status, machine_version, version, fingerprint, title, source, severity, chat_id, wake_at, snapshot, created_at, updated_at)
       values (?, 'open.awaitingDiagnosisApproval', ?, 1, 1, ?, 't', 'test', 'warning', 'chat', now() + make_interval(secs => ?::float8), '{}', now(), now())`,
      [id, status, `fp-${id}`, wakeAtSecondsFromNow],
    );
  }

  it('is 0 while no parked incident is due, then the age of the oldest due deadline', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    registerOverdueDeadlineGauge(metrics, orm);
    await insertIncident('INC-future', 'parked', 600);
    await insertIncident('INC-active', 'active', -5_000);
    await insertIncident('INC-unscheduled', 'parked', null);
    expect(samplesOf(await scrape(metrics), 'aifixer_deadline_overdue_seconds')[0]?.value).toBe(0);

    await insertIncident('INC-due', 'parked', -120);
    await insertIncident('INC-due-later', 'parked', -30);
    const overdue = samplesOf(await scrape(metrics), 'aifixer_deadline_overdue_seconds')[0]?.value ?? 0;
    expect(overdue).toBeGreaterThanOrEqual(120);
    expect(overdue).toBeLessThan(5_000);
  });
});

describe('aifixer_llm_cost_usd_total', () => {
  it('adds what a call cost at the configured price, through the real SDK; a cached answer adds nothing', async () => {
    const api = new FakeAnthropicApi();
    const { baseURL } = await api.start();
    try {
      const metrics = new Metrics({ defaultMetrics: false });
      const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: baseURL, LLM_MODEL: 'house-model', LLM_MAX_RETRIES: '0' });
      // USD per million tokens: input 2, output 10.
      const llm = observeLlm(createLlm(config), metrics, { input: 2, output: 10 })!;
      const ask = () => llm.chat({ system: 'terse', messages: [{ role: 'user', content: 'what is wrong with db-1?' }], maxTokens: 100 });
      api.enqueue(text('The disk of db-1 is full.'));
      const { usage } = await ask();
      expect((await ask()).cached).toBe(true);

      const expected = (usage.inputTokens * 2 + usage.outputTokens * 10) / 1_000_000;
      expect(expected).toBeGreaterThan(0);
      const cost = sumOf(parseMetrics((await metrics.scrape()).text), 'aifixer_llm_cost_usd_total', { provider: 'anthropic', model: 'house-model' });
      expect(cost).toBeCloseTo(expected, 12);
    } finally {
      await api.stop();
    }
  });

  it('adds nothing for a model whose price is unknown (an unknown cost is not a zero cost)', async () => {
    const api = new FakeAnthropicApi();
    const { baseURL } = await api.start();
    try {
      const metrics = new Metrics({ defaultMetrics: false });
      const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: baseURL, LLM_MODEL: 'house-model', LLM_MAX_RETRIES: '0' });
      const llm = observeLlm(createLlm(config), metrics)!;
      api.enqueue(text('ok'));
      await llm.chat({ system: 'terse', messages: [{ role: 'user', content: 'hi' }], maxTokens: 10 });
      expect(samplesOf(parseMetrics((await metrics.scrape()).text), 'aifixer_llm_cost_usd_total')).toEqual([]);
    } finally {
      await api.stop();
    }
  });
});
