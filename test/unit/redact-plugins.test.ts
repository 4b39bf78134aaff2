import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext } from '../../src/plugins/plugin';
import { PluginRunner } from '../../src/plugins/plugin-runner';
import { runPlugin, runRollback } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';
import { REDACTED, SecretScrubber } from '../../src/security';

const logger = pino({ level: 'silent' });
const targets = TargetsSchema.parse({});
const scrubber = new SecretScrubber({ secrets: ['known-target-token'] });

/** A diagnostic whose output carries secrets, as a config dump or a verbose error would. */
const leaky = definePlugin({
  id: 'test.leaky',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description: 'Returns output with secrets in it.',
  summary: () => 'leaky',
  args: z.object({ fail: z.boolean().default(false) }).strict(),
  timeoutMs: 5_000,
  idempotent: true,
  run: ({ fail }) => {
    if (fail) return Promise.reject(new Error('connect postgres://app:thrown-pw-1@db-1/orders refused'));
    return Promise.resolve({
      status: 'success',
      summary: 'env has DB_PASSWORD=summary-pw-2 and known-target-token',
      data: { env: { DB_PASSWORD: 'data-pw-3', DB_HOST: 'db-1' }, lines: ['Authorization: Bearer data-tok-4.abc', 'ready'], count: 2 },
    });
  },
  rollback: () => Promise.resolve({ status: 'success', summary: 'restored with token=rollback-tok-5' }),
});

const SECRETS = /thrown-pw-1|summary-pw-2|known-target-token|data-pw-3|data-tok-4|rollback-tok-5/;

const context = (withScrubber: boolean): PluginContext => ({
  signal: new AbortController().signal,
  logger,
  targets,
  ...(withScrubber && { scrubber }),
});

describe('plugin results are scrubbed when the context has a scrubber', () => {
  it('scrubs the summary and data of a result, keeping the rest', async () => {
    const result = await runPlugin(leaky, {}, context(true));
    expect(JSON.stringify(result)).not.toMatch(SECRETS);
    expect(result).toMatchObject({
      status: 'success',
      summary: `env has DB_PASSWORD=${REDACTED} and ${REDACTED}`,
      data: { env: { DB_PASSWORD: REDACTED, DB_HOST: 'db-1' }, lines: [`Authorization: Bearer ${REDACTED}`, 'ready'], count: 2 },
    });
  });

  it('scrubs the message of a plugin that threw, and rollback results', async () => {
    const failed = await runPlugin(leaky, { fail: true }, context(true));
    expect(failed).toMatchObject({ status: 'error', summary: `test.leaky failed: connect postgres://app:${REDACTED}@db-1/orders refused` });
    const rolledBack = await runRollback(leaky, {}, { status: 'success', summary: '' }, context(true));
    expect(rolledBack).toMatchObject({ summary: `restored with token=${REDACTED}` });
  });

  it('leaves results as they are without a scrubber', async () => {
    expect((await runPlugin(leaky, {}, context(false))).summary).toBe('env has DB_PASSWORD=summary-pw-2 and known-target-token');
  });

  it('PluginRunner passes its scrubber to every run, so cached answers hold no secrets either', async () => {
    const runner = new PluginRunner({ targets, logger, cacheTtlMs: 60_000, scrubber });
    const signal = new AbortController().signal;
    const first = await runner.run(leaky, {}, signal);
    const cached = await runner.run(leaky, {}, signal);
    expect(runner.stats()).toMatchObject({ hits: 1, misses: 1 });
    for (const result of [first, cached]) expect(JSON.stringify(result)).not.toMatch(SECRETS);
    expect(cached.data).toEqual(first.data);
  });
});
