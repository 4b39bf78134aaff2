import { PassThrough } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleChat } from '../../src/chat/terminal/console-chat';
import { provideIncidentMachine } from '../../src/implementations';
import { RunbookDiagnostician } from '../../src/diagnosis/offline/runbook-diagnostician';
import { createRedisClient } from '../../src/locks/redis-client';
import { createRegistry } from '../../src/plugins/discovery';
import { PluginRunner } from '../../src/plugins/plugin-runner';
import { TargetsSchema } from '../../src/plugins/targets';
import { ExecutionPolicy, parsePolicy } from '../../src/policy';
import { RedisUsage } from '../../src/policy/redis-usage';
import type { UsageRetry } from '../../src/policy/redis-usage';
import { UsageUnavailableError } from '../../src/policy/usage';
import { ExecutionStore } from '../../src/store/execution-store';
import { RecordStore } from '../../src/store/record-store';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { createHarness, eventually } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';
import { RedisOutageProxy } from './redis-outage-proxy';
import { englishChats } from '../support/languages';

/** The policy's quota claim through a proxy to the real Redis that the tests take down and bring back. */
const DB = 12;
const HOUR = 3_600_000;
const logger = pino({ level: 'silent' });
const proxy = new RedisOutageProxy();
const admin = new Redis(`redis://127.0.0.1:6379/${DB}`);
let prefix: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(() => proxy.up());
afterAll(async () => {
  await proxy.down();
  await admin.quit();
});
beforeEach(async () => {
  prefix = `ai-fixer-test:{policy-${randomUUID()}}:`;
  await proxy.up();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  const keys = await admin.keys(`${prefix.replace(/[{}*?[\]]/g, '\\$&')}*`);
  if (keys.length) await admin.del(...keys);
});

/** The usage store as the app builds it (createRedisClient), reaching Redis through the proxy. */
function usage(retry?: UsageRetry): RedisUsage {
  const client = createRedisClient(proxy.url(DB), logger);
  cleanups.push(() => Promise.resolve(client.disconnect()));
  return new RedisUsage(client, prefix, retry);
}

const claim = (members: string[]) => [{ key: 'auto:all', windowMs: HOUR, limit: 10, members }];

describe('usage claims across a Redis outage', () => {
  it('retries a claim until Redis is back within the retry window, and counts it once', async () => {
    const store = usage();
    expect(await store.claim(claim(['INC-0#1']), Date.now())).toEqual({ ok: true, full: [] });
    await proxy.down();
    const claimed = store.claim(claim(['INC-1#1']), Date.now());
    await new Promise((resolve) => setTimeout(resolve, 800));
    await proxy.up();
    expect(await claimed).toEqual({ ok: true, full: [] });
    expect(await admin.zrange(`${prefix}auto:all`, 0, -1)).toEqual(['INC-0#1', 'INC-1#1']);
  });

  it('gives up with UsageUnavailableError once the retry budget is spent', async () => {
    const store = usage({ budgetMs: 1_500 });
    await proxy.down();
    const started = Date.now();
    const failed = store.read([{ key: 'auto:all', windowMs: HOUR, exclude: [] }], Date.now());
    await expect(failed).rejects.toBeInstanceOf(UsageUnavailableError);
    await expect(failed).rejects.toThrow(/Redis unreachable for the usage read \(\d+ attempt\(s\)/);
    expect(Date.now() - started).toBeLessThan(4_000); // bounded, even though ioredis would keep reconnecting
  });

  it('does not retry what an outage did not cause', async () => {
    await admin.set(`${prefix}auto:all`, 'not a sorted set');
    const store = usage();
    const started = Date.now();
    await expect(store.claim(claim(['INC-1#1']), Date.now())).rejects.toThrow(/WRONGTYPE/);
    expect(Date.now() - started).toBeLessThan(150); // the first retry would pause 200 ms
  });
});

describe('the policy step while Redis is unreachable', () => {
  let service: FlakyService;
  beforeEach(async () => {
    service = await startFlakyService();
    cleanups.push(() => service.close());
  });

  /** The real chart, runtime, offline runbook and plugins on Postgres; the policy's usage in Redis. */
  async function workflow(retry?: UsageRetry): Promise<Harness> {
    const targets = TargetsSchema.parse({
      http: { checkout: { baseUrl: service.url, actions: { restart: { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true, risk: 'medium' } } } },
    });
    const rules = parsePolicy({ everyone: 'operator', autoExecute: { upTo: 'medium', perHour: 10, perServicePerHour: 10, cooldown: 0 } }, 'test');
    const { registry: plugins } = await createRegistry({ logger });
    const chat = new ConsoleChat({ input: new PassThrough(), output: new PassThrough(), operator: { id: 'tester' }, languages: englishChats() });
    const store = usage(retry);
    const h = await createHarness({
      machine: (incidents, base) =>
        provideIncidentMachine({
          journal: base.journal,
          incidents,
          incidentStore: base.store,
          records: new RecordStore(base.orm),
          executions: new ExecutionStore(base.orm),
          chat,
          plugins,
          targets,
          diagnostician: new RunbookDiagnostician(plugins, targets, new PluginRunner({ targets, logger: base.logger, cacheTtlMs: 30_000 }), base.logger),
          policy: new ExecutionPolicy({ plugins, targets, rules: () => rules, usage: store, logger: base.logger }),
          logger: base.logger,
          verification: { attempts: 20, intervalMs: 50 },
        }),
    });
    cleanups.push(() => h.close());
    return h;
  }

  const stateOf = (h: Harness, id: string, state: string) =>
    eventually(async () => {
      const view = await h.runtime.get(id);
      return view?.state === state ? view : undefined;
    }, `${id} to reach ${state}`);

  /** Opens an incident, confirms its diagnosis with Redis down, and waits for the policy step to start. */
  async function evaluatingWithRedisDown(h: Harness): Promise<string> {
    const alert = { source: 'test', fingerprint: `checkout-${randomUUID()}`, title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'monitor' } });
    await stateOf(h, id, 'open.awaitingDiagnosisApproval');
    await proxy.down();
    await h.runtime.send(id, { type: 'diagnosis.approved', by: { id: 'carol' }, source: { kind: 'command' } });
    await stateOf(h, id, 'open.evaluatingPolicy');
    return id;
  }

  it('runs the fix by itself when Redis comes back within the retry window', async () => {
    const h = await workflow();
    const id = await evaluatingWithRedisDown(h);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await proxy.up();
    const resolved = await stateOf(h, id, 'resolved');
    expect(resolved.context.decision).toMatchObject({ action: 'auto_execute' });
    expect(service.restarts).toBe(1);
    expect(await admin.zcard(`${prefix}auto:all`)).toBe(1);
  });

  it('runs nothing by itself and asks people (no escalation) when Redis stays down', async () => {
    const h = await workflow({ budgetMs: 1_500 });
    const id = await evaluatingWithRedisDown(h);
    const waiting = await stateOf(h, id, 'open.awaitingProposalApproval');
    expect(waiting.context.decision).toMatchObject({ action: 'require_approval', risk: 'medium', approvalsRequired: 1 });
    expect(waiting.context.decision?.reasons[0]).toMatchObject({
      en: expect.stringMatching(/^Usage quotas and cooldowns could not be checked \(Redis unreachable .*\): automatic execution is off/) as unknown,
    });
    expect(waiting.context.decision?.quotas).toBeUndefined();
    expect(service.restarts).toBe(0);
    // People can still approve it, and then it runs.
    await h.runtime.send(id, { type: 'proposal.approved', by: { id: 'carol' }, source: { kind: 'command' } });
    await stateOf(h, id, 'resolved');
    expect(service.restarts).toBe(1);
  });
});
