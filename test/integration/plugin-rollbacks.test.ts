import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import httpCall from '../../plugins/remediation/http-call';
import kubernetesRollback from '../../plugins/remediation/kubernetes-rollback';
import kubernetesScale from '../../plugins/remediation/kubernetes-scale';
import { undoOfCall } from '../../src/plugins/plugin';
import type { PluginContext } from '../../src/plugins/plugin';
import { runPlugin, runRollback } from '../../src/plugins/run-plugin';
import type { PluginRunResult } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';
import { startFakeKubernetes } from '../fakes/kubernetes-api';
import type { FakeKubernetes } from '../fakes/kubernetes-api';
import { startFlagService } from '../support/rollback-kit';
import type { FlagService } from '../support/rollback-kit';

const logger = pino({ level: 'silent' });

async function undo(plugin: Parameters<typeof runRollback>[0], args: Record<string, unknown>, result: PluginRunResult, ctx: PluginContext): Promise<PluginRunResult> {
  const running = runRollback(plugin, args, result, ctx);
  if (!running) throw new Error(`${plugin.id} has no rollback`);
  return running;
}

describe('kubernetes rollbacks against the fake API server', () => {
  let fake: FakeKubernetes;
  let ctx: PluginContext;

  beforeEach(async () => {
    fake = await startFakeKubernetes();
    fake.addNode({ name: 'node-a' });
    fake.addDeployment({ namespace: 'shop', name: 'api', replicas: 2 });
    fake.addDeployment({
      namespace: 'shop',
      name: 'web',
      replicas: 3,
      images: ['registry.local/web:1.0', 'registry.local/web:1.1', 'registry.local/web:1.2'],
      podStates: ['running', 'running', 'running'],
    });
    const targets = TargetsSchema.parse({ kubernetes: { prod: { server: fake.url, token: fake.token, skipTlsVerify: true, namespaces: ['shop'] } } });
    ctx = { signal: new AbortController().signal, logger, targets };
  });
  afterEach(() => fake.close());

  const writes = () => fake.requests.filter((r) => r.method !== 'GET');

  it('kubernetes.scale: scales back to the count the run found; a repeat is a no-op', async () => {
    const args = { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 5 };
    expect(undoOfCall(kubernetesScale, args, ctx)).toBe('rollback');
    const run = await runPlugin(kubernetesScale, args, ctx);
    expect(run).toMatchObject({ status: 'success', data: { from: 2, to: 5, changed: true } });
    expect(fake.deployment('shop', 'api')?.spec.replicas).toBe(5);

    const back = await undo(kubernetesScale, args, run, ctx);
    expect(back).toMatchObject({ status: 'success', data: { from: 5, to: 2, changed: true } });
    expect(fake.deployment('shop', 'api')?.spec.replicas).toBe(2);
    const patches = writes().length;

    const again = await undo(kubernetesScale, args, run, ctx);
    expect(again).toMatchObject({ status: 'success', data: { changed: false } });
    expect(writes()).toHaveLength(patches);
  });

  it('kubernetes.scale: does not undo a count someone else changed since, nor a run that changed nothing', async () => {
    const args = { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 4 };
    const run = await runPlugin(kubernetesScale, args, ctx);
    await runPlugin(kubernetesScale, { ...args, replicas: 6 }, ctx);
    const refused = await undo(kubernetesScale, args, run, ctx);
    expect(refused.status).toBe('error');
    expect(refused.summary).toContain('someone else changed it');
    expect(fake.deployment('shop', 'api')?.spec.replicas).toBe(6);

    const same = await runPlugin(kubernetesScale, { ...args, replicas: 6 }, ctx);
    expect(same).toMatchObject({ status: 'success', data: { changed: false } });
    expect(await undo(kubernetesScale, args, same, ctx)).toMatchObject({ status: 'success', data: { changed: false } });
    expect(await undo(kubernetesScale, args, { status: 'success', summary: 'x', elapsedMs: 0 }, ctx)).toMatchObject({ status: 'error' });
    expect(fake.deployment('shop', 'api')?.spec.replicas).toBe(6);
  });

  it('kubernetes.rollback: rolls forward to the template it replaced; a repeat is a no-op', async () => {
    const args = { target: 'prod', namespace: 'shop', deployment: 'web' };
    expect(undoOfCall(kubernetesRollback, args, ctx)).toBe('rollback');
    const image = () => fake.deployment('shop', 'web')?.spec.template.spec.containers[0]?.image;
    const run = await runPlugin(kubernetesRollback, args, ctx);
    expect(run).toMatchObject({ status: 'success', data: { fromRevision: 3, toRevision: 2, changed: true, replacedImages: ['registry.local/web:1.2'] } });
    expect(image()).toBe('registry.local/web:1.1');
    fake.advance();

    const forward = await undo(kubernetesRollback, args, run, ctx);
    expect(forward).toMatchObject({ status: 'success', data: { changed: true, images: ['registry.local/web:1.2'] } });
    expect(image()).toBe('registry.local/web:1.2');
    // The controller reuses the replaced ReplicaSet as the newest revision, as after `kubectl rollout undo`.
    const sets = fake.replicaSets('shop', 'web').map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs.spec.template.spec.containers[0]?.image]);
    expect(sets).toEqual([
      ['1', 'registry.local/web:1.0'],
      ['4', 'registry.local/web:1.1'],
      ['5', 'registry.local/web:1.2'],
    ]);
    const patches = writes().length;

    const again = await undo(kubernetesRollback, args, run, ctx);
    expect(again).toMatchObject({ status: 'success', data: { changed: false } });
    expect(writes()).toHaveLength(patches);
  });

  it('kubernetes.rollback: does not roll forward over a deployment someone else changed since', async () => {
    const args = { target: 'prod', namespace: 'shop', deployment: 'web' };
    const run = await runPlugin(kubernetesRollback, args, ctx);
    await runPlugin(kubernetesRollback, { ...args, toRevision: 1 }, ctx);
    const refused = await undo(kubernetesRollback, args, run, ctx);
    expect(refused.status).toBe('error');
    expect(refused.summary).toContain('someone else changed it');
    expect(fake.deployment('shop', 'web')?.spec.template.spec.containers[0]?.image).toBe('registry.local/web:1.0');
  });
});

describe('http.call undo through the undo action the targets file names', () => {
  let service: FlagService;
  let ctx: PluginContext;

  beforeEach(async () => {
    service = await startFlagService();
    const targets = TargetsSchema.parse({
      http: {
        flags: {
          baseUrl: service.url,
          actions: {
            disable_new_checkout: { path: '/flags/new-checkout/off', undo: 'enable_new_checkout' },
            enable_new_checkout: { path: '/flags/new-checkout/on' },
          },
        },
      },
    });
    ctx = { signal: new AbortController().signal, logger, targets, idempotencyKey: 'inc-1/fix/0' };
  });
  afterEach(() => service.close());

  it('calls the undo action; a repeated undo is applied once by the deduping service', async () => {
    const args = { target: 'flags', action: 'disable_new_checkout' };
    expect(undoOfCall(httpCall, args, ctx)).toBe('rollback');
    expect(undoOfCall(httpCall, { target: 'flags', action: 'enable_new_checkout' }, ctx)).toBe('none');
    expect(undoOfCall(httpCall, { target: 'nope', action: 'x' }, ctx)).toBe('none');

    const run = await runPlugin(httpCall, args, ctx);
    expect(run.status).toBe('success');
    expect(service.enabled).toBe(false);

    const back = await undo(httpCall, args, run, ctx);
    expect(back).toMatchObject({ status: 'success', data: { action: 'enable_new_checkout', status: 200 } });
    expect(service.enabled).toBe(true);
    const again = await undo(httpCall, args, run, ctx);
    expect(again.status).toBe('success');
    expect(service.applied).toEqual(['/flags/new-checkout/off inc-1/fix/0', '/flags/new-checkout/on inc-1/fix/0:undo']);

    const noUndo = await undo(httpCall, { target: 'flags', action: 'enable_new_checkout' }, run, ctx);
    expect(noUndo.status).toBe('error');
    expect(noUndo.summary).toContain('names no undo action');
  });

  it('rejects an undo that names no action of the target, or the action itself', () => {
    const parse = (actions: Record<string, unknown>) => TargetsSchema.safeParse({ http: { flags: { baseUrl: 'http://127.0.0.1:1', actions } } });
    const missing = parse({ off: { path: '/off', undo: 'on' } });
    expect(missing.success).toBe(false);
    expect(JSON.stringify(missing.error?.issues)).toContain('names no action of this target');
    expect(parse({ off: { path: '/off', undo: 'off' } }).success).toBe(false);
    expect(parse({ off: { path: '/off', undo: 'on' }, on: { path: '/on' } }).success).toBe(true);
  });
});
