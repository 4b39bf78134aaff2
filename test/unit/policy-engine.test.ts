import { join } from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FixProposal, PolicyDecision } from '../../src/domain';
import { createRegistry } from '../../src/plugins/discovery';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginRegistry } from '../../src/plugins/registry';
import { TargetsSchema } from '../../src/plugins/targets';
import { ExecutionPolicy } from '../../src/policy/execution-policy';
import type { EvaluationContext } from '../../src/policy/execution-policy';
import { parsePolicy } from '../../src/policy/policy-rules';
import type { PolicyRules } from '../../src/policy/policy-rules';
import { MemoryUsage } from '../../src/policy/usage';
import { startFakeKubernetes } from '../fakes/kubernetes-api';
import type { FakeKubernetes } from '../fakes/kubernetes-api';

const logger = pino({ level: 'silent' });
const bin = join(import.meta.dirname, '../fixtures/bin');
const HOUR = 3_600_000;
let fake: FakeKubernetes;
let plugins: PluginRegistry;

beforeAll(async () => {
  fake = await startFakeKubernetes();
  fake.addDeployment({ namespace: 'shop', name: 'api', replicas: 6 });
  ({ registry: plugins } = await createRegistry({ logger }));
  // A remediation whose own risk assessment breaks or never answers.
  const stuck = (id: string, riskOf: () => Promise<never>) =>
    definePlugin({
      id,
      version: 1,
      category: 'remediation',
      risk: 'low',
      blastRadius: 'single',
      description: 'test',
      summary: () => id,
      args: z.object({ target: z.string() }).strict(),
      timeoutMs: 1_000,
      idempotent: true,
      run: () => Promise.resolve({ status: 'success', summary: 'ok' }),
      riskOf,
    });
  plugins.register(stuck('test.broken_assessment', () => Promise.reject(new Error('boom'))));
  plugins.register(stuck('test.silent_assessment', () => new Promise<never>(() => {})));
});
afterAll(() => fake.close());

const targets = () =>
  TargetsSchema.parse({
    http: { checkout: { baseUrl: 'http://127.0.0.1:1', actions: { restart: { path: '/r', risk: 'low' }, failover: { path: '/f', risk: 'high' } } }, cart: { baseUrl: 'http://127.0.0.1:1', actions: { restart: { path: '/r', risk: 'low' } } } },
    hosts: { local: { commands: { flush: { program: join(bin, 'echo-args'), risk: 'low' }, wipe: { program: join(bin, 'echo-args'), risk: 'critical' } } } },
    kubernetes: { prod: { server: fake.url, token: fake.token, skipTlsVerify: true, namespaces: ['shop'] } },
  });

function fix(pluginId: string, args: Record<string, unknown>, extraSteps = 0): FixProposal {
  const step = { pluginId, args, summary: pluginId };
  return { summary: 'fix', rationale: '', riskClaim: 'low', steps: Array.from({ length: 1 + extraSteps }, () => step), verification: [{ pluginId: 'http.probe', args: { target: 'checkout' } }] };
}
const restart = (target = 'checkout') => fix('http.call', { target, action: 'restart' });

let clock: number;
let usage: MemoryUsage;
function policy(file: unknown = {}, options: { usage?: MemoryUsage; assessTimeoutMs?: number } = {}): ExecutionPolicy {
  const rules: PolicyRules = parsePolicy({ everyone: 'operator', ...(file as object) }, 'test');
  return new ExecutionPolicy({ plugins, targets: targets(), rules: () => rules, usage: options.usage ?? usage, logger, now: () => clock, assessTimeoutMs: options.assessTimeoutMs });
}
const incident = (id: string, attempt = 1, service = 'checkout'): EvaluationContext => ({ incidentId: id, attempt, service });

beforeEach(() => {
  clock = Date.parse('2026-11-25T12:00:00Z');
  usage = new MemoryUsage();
});

/** The decision's reasons as English reads them. */
const english = (d: PolicyDecision): string => d.reasons.map((r) => (typeof r === 'string' ? r : r.en)).join('\n');

describe("plugins' own risk, gathered before deciding", () => {
  it.each<[string, FixProposal, string, RegExp]>([
    ['an http action configured high', fix('http.call', { target: 'checkout', action: 'failover' }), 'high', /action failover on checkout is configured as high risk/],
    ['an http action configured low stays at the plugin floor', restart(), 'medium', /declared risk \(http\.call: medium\)/],
    ['a critical shell command', fix('shell.run', { target: 'local', command: 'wipe' }), 'critical', /command wipe on local is configured as critical risk/],
    ['scaling 6 → 2 replicas (the cluster is asked)', fix('kubernetes.scale', { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 2 }), 'high', /scales shop\/api from 6 to 2 replicas/],
    ['scaling 6 → 7 replicas', fix('kubernetes.scale', { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 7 }), 'medium', /Risk medium/],
    ['a deployment that cannot be read', fix('kubernetes.scale', { target: 'prod', namespace: 'shop', deployment: 'gone', replicas: 1 }), 'high', /could not be read/],
    ['an assessment that throws counts as high', fix('test.broken_assessment', { target: 'x' }), 'high', /could not be assessed \(boom\)/],
  ])('%s', async (_name, proposal, risk, reason) => {
    const decision = await policy().evaluate(proposal, incident('INC-1'));
    expect(decision.risk).toBe(risk);
    expect(english(decision)).toMatch(reason);
  });

  it('an assessment that never answers counts as high once its time is up', async () => {
    const decision = await policy({}, { assessTimeoutMs: 20 }).evaluate(fix('test.silent_assessment', { target: 'x' }), incident('INC-1'));
    expect(decision).toMatchObject({ action: 'require_approval', risk: 'high' });
  });

  it('bounds the replicas change the scale plugin measures', async () => {
    const bounded = policy({ fences: { bounds: { 'kubernetes.scale': { replicasChange: { max: 2 } } } } });
    const small = await bounded.evaluate(fix('kubernetes.scale', { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 8 }), incident('INC-1'));
    expect(small.action).toBe('require_approval');
    const large = await bounded.evaluate(fix('kubernetes.scale', { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 9 }), incident('INC-2'));
    expect(large).toMatchObject({ action: 'escalate', reasons: expect.arrayContaining([expect.objectContaining({ en: expect.stringMatching(/replicasChange 3 is outside its bound/) as unknown })]) as unknown });
  });

  it.each<[string, FixProposal, RegExp]>([
    ['an unknown plugin', fix('nope.nope', {}), /Unknown plugin nope\.nope/],
    ['a diagnostic as a fix', fix('http.probe', { target: 'checkout' }), /http\.probe is not a remediation plugin/],
    ['invalid arguments', fix('http.call', { target: 'checkout' }), /Invalid arguments for http\.call/],
    ['a verification that is not a diagnostic', { ...restart(), verification: [{ pluginId: 'http.call', args: {} }] }, /Verification http\.call is not a known diagnostic/],
  ])('escalates %s', async (_name, proposal, reason) => {
    const decision = await policy().evaluate(proposal, incident('INC-1'));
    expect(decision.action).toBe('escalate');
    expect(english(decision)).toMatch(reason);
  });
});

describe('usage: quotas, cooldowns and steps per incident, claimed when a fix runs by itself', () => {
  const lowAuto = { autoExecute: { upTo: 'medium', perHour: 2, perServicePerHour: 10, cooldown: 0 } };

  it('counts automatic runs per hour, once per execution, and frees them an hour later', async () => {
    const p = policy(lowAuto);
    expect((await p.evaluate(restart(), incident('INC-A'))).action).toBe('auto_execute');
    expect((await p.evaluate(restart(), incident('INC-B'))).action).toBe('auto_execute');
    // XState re-runs the step after a restart: the same execution is not counted twice.
    expect(await p.evaluate(restart(), incident('INC-B'))).toMatchObject({ action: 'auto_execute', quotas: [{ scope: 'all', left: 0 }, expect.anything()] });
    const third = await p.evaluate(restart(), incident('INC-C'));
    expect(third).toMatchObject({ action: 'require_approval', quotas: [{ scope: 'all', limit: 2, left: 0 }, expect.anything()] });
    expect(english(third)).toMatch(/2 of 2 used \(all services\)/);
    clock += HOUR;
    expect((await p.evaluate(restart(), incident('INC-C'))).action).toBe('auto_execute');
  });

  it('counts per service', async () => {
    const p = policy({ autoExecute: { upTo: 'medium', perServicePerHour: 1, cooldown: 0 } });
    expect((await p.evaluate(restart(), incident('INC-A', 1, 'checkout'))).action).toBe('auto_execute');
    expect((await p.evaluate(restart('cart'), incident('INC-B', 1, 'cart'))).action).toBe('auto_execute');
    const again = await p.evaluate(restart(), incident('INC-C', 1, 'checkout'));
    expect(english(again)).toMatch(/for checkout: 1 of 1 used/);
  });

  it('cools a target down after an automatic action on it', async () => {
    const p = policy({ autoExecute: { upTo: 'medium', cooldown: '10m' } });
    expect((await p.evaluate(restart(), incident('INC-A'))).action).toBe('auto_execute');
    clock += 9 * 60_000;
    const hot = await p.evaluate(restart(), incident('INC-B'));
    expect(english(hot)).toMatch(/checkout had an automatic action at Nov 25, 12:00; it cools down until Nov 25, 12:10/);
    expect((await p.evaluate(restart('cart'), incident('INC-C', 1, 'cart'))).action).toBe('auto_execute');
    clock += 60_000;
    expect((await p.evaluate(restart(), incident('INC-B'))).action).toBe('auto_execute');
  });

  it('limits automatic steps per incident across its attempts', async () => {
    const p = policy({ autoExecute: { upTo: 'medium', cooldown: 0, maxStepsPerIncident: 3 } });
    const twoSteps = fix('http.call', { target: 'checkout', action: 'restart' }, 1);
    expect((await p.evaluate(twoSteps, incident('INC-A', 1))).action).toBe('auto_execute');
    const retry = await p.evaluate(twoSteps, incident('INC-A', 2));
    expect(english(retry)).toMatch(/already ran 2 automatic steps; at most 3/);
    expect((await p.evaluate(restart(), incident('INC-A', 2))).action).toBe('auto_execute');
  });

  it('only looks when asked to (policy:check), and a dry run claims nothing', async () => {
    const p = policy({ ...lowAuto, autoExecute: { ...lowAuto.autoExecute, perHour: 1 } });
    expect((await p.evaluate(restart(), { ...incident('INC-A'), claim: false })).action).toBe('auto_execute');
    const dry = policy({ ...lowAuto, autoExecute: { ...lowAuto.autoExecute, perHour: 1 }, dryRun: true });
    expect(await dry.evaluate(restart(), incident('INC-B'))).toMatchObject({ action: 'auto_execute', dryRun: true });
    expect((await p.evaluate(restart(), incident('INC-C'))).action).toBe('auto_execute');
  });

  it('tells which plugins are in dry-run now', () => {
    const p = policy({ plugins: { 'shell.run': { dryRun: true } } });
    expect(p.dryRunFor(['http.call'])).toBe(false);
    expect(p.dryRunFor(['http.call', 'shell.run'])).toBe(true);
    expect(policy({ dryRun: true }).dryRunFor(['http.call'])).toBe(true);
  });
});
