import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import kubernetesEvents from '../../plugins/diagnostic/kubernetes-events';
import kubernetesNodes from '../../plugins/diagnostic/kubernetes-nodes';
import kubernetesPodLogs from '../../plugins/diagnostic/kubernetes-pod-logs';
import kubernetesPods from '../../plugins/diagnostic/kubernetes-pods';
import kubernetesRolloutStatus from '../../plugins/diagnostic/kubernetes-rollout-status';
import kubernetesDeletePod from '../../plugins/remediation/kubernetes-delete-pod';
import kubernetesRollback from '../../plugins/remediation/kubernetes-rollback';
import kubernetesRestart from '../../plugins/remediation/kubernetes-rollout-restart';
import kubernetesScale from '../../plugins/remediation/kubernetes-scale';
import type { Confirmation, PluginContext, PluginSpec } from '../../src/plugins/plugin';
import { PluginRegistry } from '../../src/plugins/registry';
import { runPlugin } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';
import { startFakeKubernetes } from '../fakes/kubernetes-api';
import type { FakeKubernetes, Pod } from '../fakes/kubernetes-api';

const logger = pino({ level: 'silent' });

type Args = Record<string, unknown>;
type KubernetesTargetInput = { server?: string; token?: string; skipTlsVerify?: boolean; namespaces?: string[] };

function contextFor(fake: FakeKubernetes, target: KubernetesTargetInput = {}, signal = new AbortController().signal): PluginContext {
  const targets = TargetsSchema.parse({
    kubernetes: { prod: { server: fake.url, token: fake.token, skipTlsVerify: true, namespaces: ['shop'], ...target } },
  });
  return { signal, logger, targets };
}

async function planOf<A extends Args>(plugin: PluginSpec<A>, raw: unknown, ctx: PluginContext): Promise<string> {
  if (!plugin.dryRun) throw new Error(`${plugin.id} has no dry run`);
  return plugin.dryRun(plugin.args.parse(raw), ctx);
}

async function confirmOf<A extends Args>(plugin: PluginSpec<A>, raw: unknown, ctx: PluginContext): Promise<Confirmation> {
  if (!plugin.confirm) throw new Error(`${plugin.id} has no confirm`);
  return plugin.confirm(plugin.args.parse(raw), ctx);
}

function podsOfState(fake: FakeKubernetes, reason: string): Pod[] {
  return fake.pods('shop').filter((pod) => pod.status.containerStatuses.some((s) => s.lastState.terminated?.reason === reason));
}

function image(fake: FakeKubernetes, name: string): string | undefined {
  return fake.deployment('shop', name)?.spec.template.spec.containers[0]?.image;
}

describe('kubernetes plugins against a fake API server through @kubernetes/client-node', () => {
  let fake: FakeKubernetes;
  let ctx: PluginContext;

  beforeEach(async () => {
    fake = await startFakeKubernetes();
    fake.addNode({ name: 'node-a' });
    fake.addNode({ name: 'node-b' });
    fake.addDeployment({
      namespace: 'shop',
      name: 'web',
      replicas: 3,
      images: ['registry.local/web:1.0', 'registry.local/web:1.1', 'registry.local/web:1.2'],
      podStates: ['running', 'crashloop', 'oomkilled'],
    });
    fake.addDeployment({ namespace: 'shop', name: 'api', replicas: 2 });
    fake.addDeployment({ namespace: 'kube-system', name: 'coredns', replicas: 2 });
    ctx = contextFor(fake);
  });
  afterEach(() => fake.close());

  it('registers every plugin with a valid shape', () => {
    const registry = new PluginRegistry();
    const plugins = [kubernetesPods, kubernetesEvents, kubernetesPodLogs, kubernetesRolloutStatus, kubernetesNodes, kubernetesRestart, kubernetesScale, kubernetesRollback, kubernetesDeletePod];
    for (const plugin of plugins) registry.register(plugin);
    expect(registry.byCategory('diagnostic')).toHaveLength(5);
    expect(registry.byCategory('remediation').map((p) => [p.id, p.risk])).toEqual([
      ['kubernetes.rollout_restart', 'medium'],
      ['kubernetes.scale', 'medium'],
      ['kubernetes.rollback', 'high'],
      ['kubernetes.delete_pod', 'low'],
    ]);
  });

  describe('diagnostics', () => {
    it('lists pods with CrashLoopBackOff, OOMKilled, node and owner; healthy pods succeed, none is no_data', async () => {
      const web = await runPlugin(kubernetesPods, { target: 'prod', namespace: 'shop', labelSelector: 'app=web' }, ctx);
      expect(web).toMatchObject({ status: 'error', data: { namespace: 'shop', count: 3, unhealthy: 2, truncated: false } });
      expect(web.summary).toContain('CrashLoopBackOff');
      expect(web.summary).toContain('last terminated OOMKilled (exit 137)');
      const pods = web.data?.pods as { name: string; healthy: boolean; node: string; owner: string; restarts: number; problems: string[] }[];
      expect(pods.slice(0, 2).every((pod) => !pod.healthy)).toBe(true);
      const oom = pods.find((pod) => pod.name === podsOfState(fake, 'OOMKilled')[0]?.metadata.name);
      expect(oom).toMatchObject({ restarts: 4, owner: expect.stringMatching(/^ReplicaSet\/web-/) as string, node: expect.stringMatching(/^node-/) as string });
      expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/api/v1/namespaces/shop/pods', query: { labelSelector: 'app=web' }, status: 200 });

      const api = await runPlugin(kubernetesPods, { target: 'prod', namespace: 'shop', labelSelector: 'app=api' }, ctx);
      expect(api).toMatchObject({ status: 'success', data: { count: 2, unhealthy: 0 } });

      const none = await runPlugin(kubernetesPods, { target: 'prod', namespace: 'shop', labelSelector: 'app in (nothing)' }, ctx);
      expect(none.status).toBe('no_data');
    });

    it('shows recent warning events for an object or the namespace, newest first and capped', async () => {
      const [crashing] = podsOfState(fake, 'Error');
      const podName = crashing?.metadata.name ?? '';
      fake.addEvent({ namespace: 'shop', kind: 'Pod', name: podName, reason: 'BackOff', message: 'Back-off restarting failed container web', count: 12, minutesAgo: 2 });
      fake.addEvent({ namespace: 'shop', kind: 'Pod', name: 'api-1', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP 503', minutesAgo: 5 });
      fake.addEvent({ namespace: 'shop', kind: 'Pod', name: podName, reason: 'Pulled', message: 'Container image pulled', type: 'Normal', minutesAgo: 1 });
      fake.addEvent({ namespace: 'shop', kind: 'Pod', name: podName, reason: 'BackOff', message: 'old news', minutesAgo: 300 });

      const all = await runPlugin(kubernetesEvents, { target: 'prod', namespace: 'shop' }, ctx);
      expect(all).toMatchObject({ status: 'success', data: { total: 2 } });
      expect((all.data?.events as { reason: string }[]).map((e) => e.reason)).toEqual(['BackOff', 'Unhealthy']);
      expect(all.summary).toContain('BackOff ×12');
      expect(fake.requests[0]?.query).toMatchObject({ fieldSelector: 'type=Warning' });

      const one = await runPlugin(kubernetesEvents, { target: 'prod', namespace: 'shop', kind: 'Pod', name: podName, includeNormal: true }, ctx);
      expect((one.data?.events as { reason: string }[]).map((e) => e.reason)).toEqual(['Pulled', 'BackOff']);
      expect(fake.requests[1]?.query.fieldSelector).toBe(`involvedObject.kind=Pod,involvedObject.name=${podName}`);

      const capped = await runPlugin(kubernetesEvents, { target: 'prod', namespace: 'shop', limit: 1 }, ctx);
      expect(capped).toMatchObject({ data: { total: 2, events: [{ reason: 'BackOff', count: 12 }] } });

      const quiet = await runPlugin(kubernetesEvents, { target: 'prod', namespace: 'shop', name: 'api', kind: 'Deployment' }, ctx);
      expect(quiet.status).toBe('no_data');
    });

    it('tails logs, reads the previous container, caps bytes and redacts secrets', async () => {
      const pod = podsOfState(fake, 'OOMKilled')[0]?.metadata.name ?? '';
      const current = Array.from({ length: 500 }, (_, i) => `line ${i} ok`);
      const previous = [
        'starting worker',
        'connecting to postgres://app:s3cr3t-pw@db.shop:5432/app',
        'config: {"password": "hunter2", "user": "app"}',
        'calling upstream with Authorization: Bearer abcdef0123456789abcdef',
        'api_key=AKIAABCDEFGHIJKLMNOP jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJlLXZhbHVl',
        'fatal error: runtime: out of memory',
      ];
      fake.setLogs('shop', pod, 'web', { current, previous });

      const tail = await runPlugin(kubernetesPodLogs, { target: 'prod', namespace: 'shop', pod, tailLines: 10 }, ctx);
      expect(tail).toMatchObject({ status: 'success', data: { lines: 10, truncated: false, redactions: 0 } });
      expect(tail.summary).toContain('last: line 499 ok');
      expect(fake.requests[0]?.query).toMatchObject({ tailLines: '10', previous: 'false', limitBytes: '65536' });

      const crashed = await runPlugin(kubernetesPodLogs, { target: 'prod', namespace: 'shop', pod, previous: true }, ctx);
      const text = String(crashed.data?.text);
      expect(crashed).toMatchObject({ status: 'success', data: { previous: true, lines: 6 } });
      expect(crashed.summary).toContain('fatal error: runtime: out of memory');
      for (const secret of ['s3cr3t-pw', 'hunter2', 'abcdef0123456789abcdef', 'AKIAABCDEFGHIJKLMNOP', 'eyJhbGciOiJIUzI1NiJ9']) expect(text).not.toContain(secret);
      expect(text).toContain('postgres://app:[redacted]@db.shop');
      expect(crashed.data?.redactions).toBeGreaterThanOrEqual(5);

      const capped = await runPlugin(kubernetesPodLogs, { target: 'prod', namespace: 'shop', pod, tailLines: 2000, maxBytes: 1024 }, ctx);
      expect(capped).toMatchObject({ status: 'success', data: { truncated: true } });
      expect(Buffer.byteLength(String(capped.data?.text))).toBeLessThanOrEqual(1024);
      expect(String(capped.data?.text).endsWith('\n')).toBe(true);

      const api = fake.pods('shop').find((p) => p.metadata.labels?.app === 'api')?.metadata.name ?? '';
      const noPrevious = await runPlugin(kubernetesPodLogs, { target: 'prod', namespace: 'shop', pod: api, previous: true }, ctx);
      expect(noPrevious).toMatchObject({ status: 'error', data: { httpStatus: 400, reason: 'BadRequest' } });
      expect(noPrevious.summary).toContain('previous terminated container "api"');
    });

    it('asks for a container name when the pod has several', async () => {
      fake.addDeployment({ namespace: 'shop', name: 'meshed', replicas: 2, sidecars: [{ name: 'proxy', image: 'envoy:1.31' }] });
      const pod = fake.pods('shop').find((p) => p.metadata.labels?.app === 'meshed')?.metadata.name ?? '';
      const result = await runPlugin(kubernetesPodLogs, { target: 'prod', namespace: 'shop', pod }, ctx);
      expect(result.status).toBe('error');
      expect(result.summary).toContain('a container name must be specified');
      fake.setLogs('shop', pod, 'proxy', { current: ['[info] upstream connected'] });
      const proxy = await runPlugin(kubernetesPodLogs, { target: 'prod', namespace: 'shop', pod, container: 'proxy' }, ctx);
      expect(proxy).toMatchObject({ status: 'success', data: { container: 'proxy', lines: 1 } });
    });

    it('reads rollout status as kubectl does: complete, progressing, stalled', async () => {
      const api = await runPlugin(kubernetesRolloutStatus, { target: 'prod', namespace: 'shop', deployment: 'api' }, ctx);
      expect(api).toMatchObject({ status: 'success', data: { state: 'complete', desired: 2, updated: 2, available: 2, revision: '1' } });
      expect(api.summary).toContain('successfully rolled out');

      const web = await runPlugin(kubernetesRolloutStatus, { target: 'prod', namespace: 'shop', deployment: 'web' }, ctx);
      expect(web).toMatchObject({ status: 'error', data: { state: 'progressing', available: 1, updated: 3, revision: '3' } });
      expect(web.summary).toContain('1 of 3 updated replicas are available');

      fake.stall('shop', 'web');
      const stalled = await runPlugin(kubernetesRolloutStatus, { target: 'prod', namespace: 'shop', deployment: 'web' }, ctx);
      expect(stalled).toMatchObject({ status: 'error', data: { state: 'stalled' } });
      expect(stalled.summary).toContain('exceeded its progress deadline');
    });

    it('reports node conditions and allocatable resources', async () => {
      const healthy = await runPlugin(kubernetesNodes, { target: 'prod' }, ctx);
      expect(healthy).toMatchObject({ status: 'success', data: { count: 2, unhealthy: 0 } });
      expect((healthy.data?.nodes as { allocatable: Record<string, string> }[])[0]?.allocatable).toMatchObject({ cpu: '3920m', memory: '15Gi', pods: '110' });

      fake.addNode({ name: 'node-c', pressure: ['MemoryPressure', 'DiskPressure'] });
      fake.addNode({ name: 'node-d', ready: false, unschedulable: true });
      const sick = await runPlugin(kubernetesNodes, { target: 'prod' }, ctx);
      expect(sick).toMatchObject({ status: 'error', data: { count: 4, unhealthy: 2, cordoned: 1 } });
      expect(sick.summary).toContain('node-c MemoryPressure, DiskPressure');
      expect(sick.summary).toContain('node-d Ready=Unknown (NodeStatusUnknown)');
      expect(fake.requests.map((r) => r.path)).toEqual(['/api/v1/nodes', '/api/v1/nodes']);
    });
  });

  describe('remediation', () => {
    it('restarts a deployment as kubectl does, shows the rollout progress, and confirms by annotation', async () => {
      const args = { target: 'prod', namespace: 'shop', deployment: 'web', restartedAt: '2030-01-02T03:04:05Z' };
      const plan = await planOf(kubernetesRestart, args, ctx);
      expect(plan).toContain('kubectl.kubernetes.io/restartedAt=2030-01-02T03:04:05Z');
      expect(plan).toContain('3 replicas (1 ready now; images registry.local/web:1.2)');
      expect(fake.requests.every((r) => r.method === 'GET')).toBe(true);
      expect(await confirmOf(kubernetesRestart, args, ctx)).toBe('not_applied');

      const result = await runPlugin(kubernetesRestart, args, ctx);
      expect(result).toMatchObject({ status: 'success', data: { restartedAt: args.restartedAt, replicas: 3, changed: true } });
      const patch = fake.requests.find((r) => r.method === 'PATCH');
      expect(patch).toMatchObject({
        path: '/apis/apps/v1/namespaces/shop/deployments/web',
        contentType: 'application/strategic-merge-patch+json',
        body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': args.restartedAt } } } } },
      });
      expect(fake.replicaSets('shop', 'web')).toHaveLength(4);

      const rolling = await runPlugin(kubernetesRolloutStatus, { target: 'prod', namespace: 'shop', deployment: 'web' }, ctx);
      expect(rolling).toMatchObject({ status: 'error', data: { state: 'progressing', revision: '4' } });
      expect(rolling.summary).toContain('old replicas are pending termination');
      fake.advance();
      const done = await runPlugin(kubernetesRolloutStatus, { target: 'prod', namespace: 'shop', deployment: 'web' }, ctx);
      expect(done).toMatchObject({ status: 'success', data: { state: 'complete', ready: 3 } });
      expect((await runPlugin(kubernetesPods, { target: 'prod', namespace: 'shop', labelSelector: 'app=web' }, ctx)).status).toBe('success');

      expect(await confirmOf(kubernetesRestart, args, ctx)).toBe('applied');
      expect(await confirmOf(kubernetesRestart, { ...args, restartedAt: '2031-01-01T00:00:00Z' }, ctx)).toBe('not_applied');
      expect(await confirmOf(kubernetesRestart, { target: 'prod', namespace: 'shop', deployment: 'web' }, ctx)).toBe('unknown');

      fake.clearRequests();
      const again = await runPlugin(kubernetesRestart, args, ctx);
      expect(again).toMatchObject({ status: 'success', data: { changed: false } });
      expect(fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    });

    it('restarts with the current time when no value is given', async () => {
      const result = await runPlugin(kubernetesRestart, { target: 'prod', namespace: 'shop', deployment: 'api' }, ctx);
      expect(result.status).toBe('success');
      const value = fake.deployment('shop', 'api')?.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '';
      expect(Math.abs(Date.parse(value) - Date.now())).toBeLessThan(10_000);
    });

    it('scales within bounds through the scale subresource and confirms by replicas', async () => {
      const tooMany = await runPlugin(kubernetesScale, { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 51 }, ctx);
      expect(tooMany.status).toBe('error');
      expect(tooMany.summary).toContain('Invalid arguments');
      expect(fake.requests).toHaveLength(0);

      const bigStep = await runPlugin(kubernetesScale, { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 8 }, ctx);
      expect(bigStep).toMatchObject({ status: 'error', data: { from: 2, to: 8 } });
      expect(bigStep.summary).toContain('exceeds the limit of 5');
      expect(await planOf(kubernetesScale, { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 8 }, ctx)).toMatch(/^Cannot run: /);
      expect(fake.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
      expect(fake.deployment('shop', 'api')?.spec.replicas).toBe(2);

      const args = { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 5 };
      expect(await planOf(kubernetesScale, args, ctx)).toBe('Scale deployment shop/api on prod from 2 to 5 replicas (risk medium)');
      expect(await confirmOf(kubernetesScale, args, ctx)).toBe('not_applied');
      const up = await runPlugin(kubernetesScale, args, ctx);
      expect(up).toMatchObject({ status: 'success', data: { from: 2, to: 5, risk: 'medium', changed: true } });
      const patch = fake.requests.find((r) => r.method === 'PATCH');
      expect(patch).toMatchObject({ path: '/apis/apps/v1/namespaces/shop/deployments/api/scale', contentType: 'application/merge-patch+json', body: { spec: { replicas: 5 } } });
      expect(patch?.body).toHaveProperty('metadata.resourceVersion');
      expect(fake.deployment('shop', 'api')?.spec.replicas).toBe(5);
      expect(await confirmOf(kubernetesScale, args, ctx)).toBe('applied');

      const again = await runPlugin(kubernetesScale, args, ctx);
      expect(again).toMatchObject({ status: 'success', data: { changed: false } });

      const down = await runPlugin(kubernetesScale, { ...args, replicas: 0 }, ctx);
      expect(down).toMatchObject({ status: 'success', data: { from: 5, to: 0, risk: 'high' } });
      fake.advance();
      expect(fake.pods('shop').filter((p) => p.metadata.labels?.app === 'api')).toHaveLength(0);
    });

    it('rolls back to the previous revision as kubectl rollout undo does', async () => {
      const args = { target: 'prod', namespace: 'shop', deployment: 'web' };
      const plan = await planOf(kubernetesRollback, args, ctx);
      expect(plan).toContain('from revision 3 to revision 2');
      expect(plan).toContain('images registry.local/web:1.1');
      expect(plan).toContain('Revisions: 1 (registry.local/web:1.0), 2 (registry.local/web:1.1), 3 (registry.local/web:1.2, current)');
      expect(fake.requests.every((r) => r.method === 'GET')).toBe(true);

      const result = await runPlugin(kubernetesRollback, args, ctx);
      expect(result).toMatchObject({ status: 'success', data: { fromRevision: 3, toRevision: 2, images: ['registry.local/web:1.1'], changed: true } });
      const patch = fake.requests.find((r) => r.method === 'PATCH');
      expect(patch?.contentType).toBe('application/json-patch+json');
      expect(patch?.body).toMatchObject([{ op: 'test', path: '/metadata/resourceVersion' }, { op: 'replace', path: '/spec/template' }, { op: 'add', path: '/metadata/annotations' }]);
      expect(image(fake, 'web')).toBe('registry.local/web:1.1');
      expect(fake.deployment('shop', 'web')?.spec.template.metadata.labels).toEqual({ app: 'web' });

      // The controller reuses revision 2's ReplicaSet as revision 4, so "previous" is now 1.2.
      const sets = fake.replicaSets('shop', 'web');
      expect(sets.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs.spec.template.spec.containers[0]?.image])).toEqual([
        ['1', 'registry.local/web:1.0'],
        ['3', 'registry.local/web:1.2'],
        ['4', 'registry.local/web:1.1'],
      ]);
      fake.advance();
      const status = await runPlugin(kubernetesRolloutStatus, { target: 'prod', namespace: 'shop', deployment: 'web' }, ctx);
      expect(status).toMatchObject({ status: 'success', data: { revision: '4' } });

      const toFirst = await runPlugin(kubernetesRollback, { ...args, toRevision: 1 }, ctx);
      expect(toFirst).toMatchObject({ status: 'success', data: { toRevision: 1 } });
      expect(image(fake, 'web')).toBe('registry.local/web:1.0');

      const same = await runPlugin(kubernetesRollback, { ...args, toRevision: 5 }, ctx);
      expect(same).toMatchObject({ status: 'success', data: { changed: false } });
      expect(same.summary).toContain('already matches revision 5');

      const missing = await runPlugin(kubernetesRollback, { ...args, toRevision: 9 }, ctx);
      expect(missing.status).toBe('error');
      expect(missing.summary).toContain('revision 9 not found');

      const single = await runPlugin(kubernetesRollback, { ...args, deployment: 'api' }, ctx);
      expect(single.status).toBe('error');
      expect(single.summary).toContain('no previous revision');
    });

    it('deletes one controller-owned pod, refuses bare pods and the last ready one, and confirms by uid', async () => {
      fake.addPod({ namespace: 'shop', name: 'debug-shell' });
      const bare = await runPlugin(kubernetesDeletePod, { target: 'prod', namespace: 'shop', pod: 'debug-shell' }, ctx);
      expect(bare.status).toBe('error');
      expect(bare.summary).toContain('would not come back (it has no controller)');

      const ready = fake.pods('shop').find((p) => p.metadata.labels?.app === 'web' && p.status.containerStatuses[0]?.ready);
      const last = await runPlugin(kubernetesDeletePod, { target: 'prod', namespace: 'shop', pod: ready?.metadata.name }, ctx);
      expect(last.summary).toContain('is the only ready pod of ReplicaSet/web-');
      expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);

      const crashing = podsOfState(fake, 'Error')[0];
      const args = { target: 'prod', namespace: 'shop', pod: crashing?.metadata.name, uid: crashing?.metadata.uid };
      const plan = await planOf(kubernetesDeletePod, args, ctx);
      expect(plan).toContain('7 restarts');
      expect(plan).toContain('CrashLoopBackOff');
      expect(await confirmOf(kubernetesDeletePod, args, ctx)).toBe('not_applied');

      const deleted = await runPlugin(kubernetesDeletePod, args, ctx);
      expect(deleted).toMatchObject({ status: 'success', data: { uid: crashing?.metadata.uid, changed: true } });
      expect(fake.requests.find((r) => r.method === 'DELETE')).toMatchObject({ body: { preconditions: { uid: crashing?.metadata.uid } }, status: 200 });
      expect(fake.pod('shop', crashing?.metadata.name ?? '')?.metadata.deletionTimestamp).toBeDefined();
      expect(await confirmOf(kubernetesDeletePod, args, ctx)).toBe('applied');
      fake.advance();
      expect(await confirmOf(kubernetesDeletePod, args, ctx)).toBe('applied');
      expect(fake.pods('shop').filter((p) => p.metadata.labels?.app === 'web')).toHaveLength(3);

      const stale = await runPlugin(kubernetesDeletePod, { ...args, pod: ready?.metadata.name }, ctx);
      expect(stale.summary).toContain('it was already replaced');
    });
  });

  describe('safety and failures', () => {
    const outside = { target: 'prod', namespace: 'kube-system' };
    const namespaced: [PluginSpec<Args>, Args][] = [
      [kubernetesPods, {}],
      [kubernetesEvents, {}],
      [kubernetesPodLogs, { pod: 'coredns-1' }],
      [kubernetesRolloutStatus, { deployment: 'coredns' }],
      [kubernetesRestart, { deployment: 'coredns', restartedAt: '2030-01-01T00:00:00Z' }],
      [kubernetesScale, { deployment: 'coredns', replicas: 3 }],
      [kubernetesRollback, { deployment: 'coredns' }],
      [kubernetesDeletePod, { pod: 'coredns-1' }],
    ];

    it.each(namespaced.map(([plugin, args]) => [plugin.id, plugin, args] as const))('%s refuses a namespace outside the allowlist without a request', async (_id, plugin, args) => {
      const result = await runPlugin(plugin, { ...outside, ...args }, ctx);
      expect(result.status).toBe('error');
      expect(result.summary).toBe('Namespace "kube-system" is not allowed on kubernetes target "prod"; allowed: shop');
      if (plugin.dryRun) expect(await planOf(plugin, { ...outside, ...args }, ctx)).toMatch(/^Cannot run: Namespace "kube-system" is not allowed/);
      if (plugin.confirm) expect(await confirmOf(plugin, { ...outside, ...args }, ctx)).toBe('unknown');
      expect(fake.requests).toHaveLength(0);
    });

    it('refuses unknown targets and plain http without skipTlsVerify, without a request', async () => {
      const unknown = await runPlugin(kubernetesNodes, { target: 'staging' }, ctx);
      expect(unknown.summary).toBe('Unknown kubernetes target "staging"; configured targets: prod');
      const plain = await runPlugin(kubernetesNodes, { target: 'prod' }, contextFor(fake, { skipTlsVerify: false }));
      expect(plain.summary).toContain('uses plain http');
      expect(fake.requests).toHaveLength(0);
    });

    it('turns 403 Forbidden, 404 Not Found and 401 into error results with the Status message', async () => {
      fake.forbid({ verb: 'patch', resource: 'deployments', namespace: 'shop' });
      const restart = await runPlugin(kubernetesRestart, { target: 'prod', namespace: 'shop', deployment: 'web' }, ctx);
      expect(restart).toMatchObject({ status: 'error', data: { httpStatus: 403, reason: 'Forbidden' } });
      expect(restart.summary).toContain(
        'failed: 403 Forbidden: deployments.apps "web" is forbidden: User "system:serviceaccount:ops:ai-fixer" cannot patch resource "deployments" in API group "apps" in the namespace "shop"',
      );
      fake.forbid({ resource: 'deployments/scale', verb: 'patch' });
      const scale = await runPlugin(kubernetesScale, { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 3 }, ctx);
      expect(scale.summary).toContain('cannot patch resource "deployments/scale"');
      fake.forbid({ resource: 'nodes', verb: 'list' });
      const nodes = await runPlugin(kubernetesNodes, { target: 'prod' }, ctx);
      expect(nodes.summary).toContain('nodes is forbidden');
      expect(nodes.summary).toContain('at the cluster scope');

      const missing = await runPlugin(kubernetesRolloutStatus, { target: 'prod', namespace: 'shop', deployment: 'nope' }, ctx);
      expect(missing).toMatchObject({ status: 'error', summary: 'Reading deployment shop/nope failed: 404 NotFound: deployments.apps "nope" not found', data: { httpStatus: 404 } });
      const gone = await runPlugin(kubernetesDeletePod, { target: 'prod', namespace: 'shop', pod: 'nope' }, ctx);
      expect(gone.summary).toContain('pods "nope" not found');
      expect(await confirmOf(kubernetesDeletePod, { target: 'prod', namespace: 'shop', pod: 'nope' }, ctx)).toBe('applied');

      const wrongToken = await runPlugin(kubernetesPods, { target: 'prod', namespace: 'shop' }, contextFor(fake, { token: 'stolen' }));
      expect(wrongToken).toMatchObject({ status: 'error', data: { httpStatus: 401 } });
      expect(wrongToken.summary).toContain('401 Unauthorized');
    });

    it('reports a refused connection as an error result', async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const result = await runPlugin(kubernetesPods, { target: 'prod', namespace: 'shop' }, contextFor(fake, { server: `http://127.0.0.1:${port}` }));
      expect(result).toMatchObject({ status: 'error', summary: 'Listing pods in shop failed: connection refused' });
    });

    it('times out against a slow API server', async () => {
      fake.setLatency(5_000);
      const started = Date.now();
      const result = await runPlugin({ ...kubernetesRolloutStatus, timeoutMs: 200 }, { target: 'prod', namespace: 'shop', deployment: 'web' }, ctx);
      expect(result).toMatchObject({ status: 'error', summary: 'kubernetes.rollout_status timed out after 200 ms' });
      expect(Date.now() - started).toBeLessThan(2_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The signal reached the HTTP request itself: the client hung up instead of waiting for the answer.
      expect(fake.requests[0]).toMatchObject({ status: 0, hungUp: true });
    });

    it('stops when the caller aborts, without sending the change', async () => {
      fake.setLatency(5_000);
      const controller = new AbortController();
      const reason = new Error('incident closed');
      const running = runPlugin(kubernetesScale, { target: 'prod', namespace: 'shop', deployment: 'api', replicas: 3 }, contextFor(fake, {}, controller.signal));
      setTimeout(() => controller.abort(reason), 100);
      await expect(running).rejects.toBe(reason);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fake.requests.map((r) => [r.method, r.status, r.hungUp])).toEqual([['GET', 0, true]]);
      expect(fake.deployment('shop', 'api')?.spec.replicas).toBe(2);
    });
  });
});
