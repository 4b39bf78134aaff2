import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FixProposal, PolicyDecision } from '../../src/domain';
import { createRedisClient } from '../../src/locks/redis-client';
import { createHttpPluginRegistry } from '../support/http-plugin-registry';
import { TargetsSchema } from '../../src/plugins/targets';
import { ExecutionPolicy } from '../../src/policy/execution-policy';
import { parsePolicy } from '../../src/policy/policy-rules';
import { RedisUsage } from '../../src/policy/redis-usage';

/** Two bot instances, each with its own Redis connection and policy, sharing one Redis (as two processes would). */
const REDIS_URL = 'redis://127.0.0.1:6379/12';
const logger = pino({ level: 'silent' });
const plugins = createHttpPluginRegistry();
const targets = TargetsSchema.parse({
  http: Object.fromEntries(['checkout', 'cart', 'search'].map((name) => [name, { baseUrl: 'http://127.0.0.1:1', actions: { restart: { path: '/r', risk: 'low' } } }])),
});
const HOUR = 3_600_000;
/** A decision's reasons as English reads them. */
const english = (d: PolicyDecision | undefined): string => (d?.reasons ?? []).map((r) => (typeof r === 'string' ? r : r.en)).join('\n');

function restart(target: string): FixProposal {
  return {
    summary: `Restart ${target}`,
    rationale: '',
    riskClaim: 'low',
    steps: [{ pluginId: 'http.call', args: { target, action: 'restart' }, summary: 'restart' }],
    verification: [{ pluginId: 'http.probe', args: { target } }],
  };
}

let admin: Redis;
let prefix: string;
let clock: number;
let clients: Redis[];

beforeAll(() => {
  admin = new Redis(REDIS_URL);
});
afterAll(async () => {
  await admin.quit();
});
beforeEach(() => {
  prefix = `ai-fixer-test:{policy-${randomUUID()}}:`;
  clock = Date.parse('2026-11-25T12:00:00Z');
  clients = [];
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.quit()));
  const keys = await admin.keys(`${prefix.replace(/[{}*?[\]]/g, '\\$&')}*`);
  if (keys.length) await admin.del(...keys);
});

/** One instance: its own connection to the shared Redis. */
function instance(policy: unknown): ExecutionPolicy {
  const client = createRedisClient(REDIS_URL, logger);
  clients.push(client);
  const rules = parsePolicy({ everyone: 'operator', ...(policy as object) }, 'test');
  // Medium is the http.call floor: let it run by itself so the quotas are what decides.
  return new ExecutionPolicy({ plugins, targets, rules: () => rules, usage: new RedisUsage(client, prefix), logger, now: () => clock });
}

describe('automatic-execution quotas shared through Redis by two instances', () => {
  it('lets exactly the hourly quota through when both evaluate at once', async () => {
    const policy = { autoExecute: { upTo: 'medium', perHour: 5, perServicePerHour: 100, cooldown: 0 } };
    const [a, b] = [instance(policy), instance(policy)];
    const decisions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).evaluate(restart('checkout'), { incidentId: `INC-${i}`, attempt: 1, service: `svc-${i}` })),
    );
    const auto = decisions.filter((d) => d.action === 'auto_execute');
    expect(auto).toHaveLength(5);
    expect(decisions.filter((d) => d.action === 'require_approval')).toHaveLength(7);
    expect(await admin.zcard(`${prefix}auto:all`)).toBe(5);
    const refused = decisions.find((d) => d.action === 'require_approval');
    expect(english(refused)).toMatch(/5 of 5 used \(all services\)|Another instance used up/);
    // The next look, from either instance, sees none left.
    const next = await a.evaluate(restart('checkout'), { incidentId: 'INC-late', attempt: 1, claim: false });
    expect(next.quotas?.[0]).toEqual({ scope: 'all', limit: 5, left: 0 });
  });

  it('counts per service across instances', async () => {
    const policy = { autoExecute: { upTo: 'medium', perHour: 100, perServicePerHour: 2, cooldown: 0 } };
    const [a, b] = [instance(policy), instance(policy)];
    const on = (p: ExecutionPolicy, id: string, service: string) => p.evaluate(restart('checkout'), { incidentId: id, attempt: 1, service });
    expect((await on(a, 'INC-1', 'checkout')).action).toBe('auto_execute');
    expect((await on(b, 'INC-2', 'checkout')).action).toBe('auto_execute');
    const third = await on(a, 'INC-3', 'checkout');
    expect(third.action).toBe('require_approval');
    expect(english(third)).toMatch(/for checkout: 2 of 2 used/);
    expect((await on(b, 'INC-4', 'cart')).action).toBe('auto_execute');
  });

  it('does not count a re-evaluation twice, whichever instance re-runs it', async () => {
    const policy = { autoExecute: { upTo: 'medium', perHour: 2, cooldown: 0 } };
    const [a, b] = [instance(policy), instance(policy)];
    const context = { incidentId: 'INC-1', attempt: 1, service: 'checkout' };
    expect((await a.evaluate(restart('checkout'), context)).action).toBe('auto_execute');
    // After a crash the step runs again, perhaps on the other instance.
    expect((await b.evaluate(restart('checkout'), context)).action).toBe('auto_execute');
    expect(await admin.zcard(`${prefix}auto:all`)).toBe(1);
    expect((await b.evaluate(restart('cart'), { incidentId: 'INC-2', attempt: 1, service: 'cart' })).action).toBe('auto_execute');
    expect((await a.evaluate(restart('search'), { incidentId: 'INC-3', attempt: 1, service: 'search' })).action).toBe('require_approval');
  });

  it('cools a target down on every instance, and frees quotas as the hour rolls on', async () => {
    const policy = { autoExecute: { upTo: 'medium', perHour: 2, cooldown: '10m' } };
    const [a, b] = [instance(policy), instance(policy)];
    expect((await a.evaluate(restart('checkout'), { incidentId: 'INC-1', attempt: 1, service: 'checkout' })).action).toBe('auto_execute');
    clock += 5 * 60_000;
    const hot = await b.evaluate(restart('checkout'), { incidentId: 'INC-2', attempt: 1, service: 'checkout' });
    expect(english(hot)).toMatch(/checkout had an automatic action at Nov 25, 12:00; it cools down until Nov 25, 12:10/);
    expect((await b.evaluate(restart('cart'), { incidentId: 'INC-3', attempt: 1, service: 'cart' })).action).toBe('auto_execute');
    expect((await a.evaluate(restart('search'), { incidentId: 'INC-4', attempt: 1, service: 'search' })).action).toBe('require_approval');
    clock += HOUR - 5 * 60_000;
    expect((await a.evaluate(restart('checkout'), { incidentId: 'INC-2', attempt: 1, service: 'checkout' })).action).toBe('auto_execute');
  });

  it('claims all windows or none', async () => {
    const client = createRedisClient(REDIS_URL, logger);
    clients.push(client);
    const usage = new RedisUsage(client, prefix);
    const now = clock;
    expect(await usage.claim([{ key: 'full', windowMs: HOUR, limit: 1, members: ['x'] }], now)).toEqual({ ok: true, full: [] });
    const claim = await usage.claim(
      [
        { key: 'free', windowMs: HOUR, limit: 5, members: ['y'] },
        { key: 'full', windowMs: HOUR, limit: 1, members: ['y'] },
      ],
      now,
    );
    expect(claim).toEqual({ ok: false, full: ['full'] });
    expect(await usage.read([{ key: 'free', windowMs: HOUR, exclude: [] }, { key: 'full', windowMs: HOUR, exclude: ['x'] }], now)).toEqual([
      { count: 0, newest: null },
      { count: 0, newest: null },
    ]);
    expect(await usage.read([{ key: 'full', windowMs: HOUR, exclude: [] }], now + 1)).toEqual([{ count: 1, newest: now }]);
    expect(await usage.read([{ key: 'full', windowMs: HOUR, exclude: [] }], now + HOUR)).toEqual([{ count: 0, newest: null }]);
  });
});
