import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAnthropicApi } from '../fakes/anthropic-api';
import { toolCalls } from '../fakes/llm-fake-common';
import { startFlakyService } from '../fakes/flaky-service';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase } from '../support/database';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the bot process with an Anthropic key configured', () => {
  it('diagnoses through the model, keeps secrets from it, and fixes what people approve', async () => {
    const model = new FakeAnthropicApi();
    const { baseURL } = await model.start();
    cleanups.push(() => model.stop());
    const service = await startFlakyService();
    cleanups.push(() => service.close());
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const dir = await mkdtemp(join(tmpdir(), 'aifixer-llm-'));
    const targetsFile = join(dir, 'targets.json');
    const restart = { method: 'POST', path: '/admin/restart', headers: { authorization: 'Bearer ${CHECKOUT_ADMIN_TOKEN}' } };
    await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: service.url, actions: { restart } } } }));

    model.enqueue(
      toolCalls({ name: 'http_probe', input: { target: 'checkout' } }),
      toolCalls({
        name: 'submit_diagnosis',
        input: { summary: 'checkout is down', rootCause: 'Health check answers 503.', category: 'availability', severity: 'critical', affectedService: 'checkout', evidence: [{ ref: 'E1', finding: '503 from /healthz' }], confidence: 0.9 },
      }),
      toolCalls({
        name: 'submit_proposal',
        input: {
          fixable: true,
          summary: 'Restart checkout',
          rationale: 'Clears the bad state.',
          riskClaim: 'medium',
          expectedOutcome: '/healthz answers 200',
          steps: [{ plugin: 'http.call', args: { target: 'checkout', action: 'restart' }, summary: 'Restart checkout' }],
          verification: [{ plugin: 'http.probe', args: { target: 'checkout' } }],
        },
      }),
    );
    const bot = await BotProcess.start({
      DATABASE_URL: db.url,
      TARGETS_FILE: targetsFile,
      VERIFY_INTERVAL: '100ms',
      ANTHROPIC_API_KEY: 'sk-ant-api03-e2e-test-key',
      ANTHROPIC_BASE_URL: baseURL,
      CHECKOUT_ADMIN_TOKEN: 'tok-e2e-very-secret-4711',
      LLM_REQUESTS_PER_MINUTE: '600',
    });
    cleanups.push(() => bot.kill());
    expect(bot.logs).toMatch(/"llm":"anthropic"/);

    bot.type('[critical] checkout returns 503 service=checkout password=hunter2-do-not-leak');
    const [, id] = await bot.waitFor(/Opened (INC-[0-9A-Z]{8})/);
    await bot.waitFor(/Diagnosis ready/);
    await bot.waitFor(/claude-sonnet-5-5 · 2 turns · 1 check/);
    bot.type(`/approve ${id} diagnosis`);
    await bot.waitFor(new RegExp(`/approve ${id} fix`));
    bot.type(`/approve ${id} fix`);
    await bot.waitFor(/Resolved/);
    expect(service.restarts).toBe(1);

    const seenByModel = JSON.stringify(model.requests.map((r) => r.body));
    expect(seenByModel).toContain('checkout returns 503');
    expect(seenByModel).not.toContain('hunter2-do-not-leak');
    expect(seenByModel).not.toContain('tok-e2e-very-secret-4711');
    expect(bot.output).not.toContain('hunter2-do-not-leak');
    expect(bot.logs).not.toContain('hunter2-do-not-leak');
    expect(await bot.stop()).toBe(0);
  });
});
