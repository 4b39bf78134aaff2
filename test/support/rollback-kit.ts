import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RemediationStep, Runbook } from '../../src/memory/runbooks';
import { RunbookDiagnostician } from '../../src/diagnosis/offline/runbook-diagnostician';
import type { Timeouts } from '../../src/domain';
import { TargetsSchema } from '../../src/plugins/targets';
import type { Targets } from '../../src/plugins/targets';
import type { DataCipher } from '../../src/security/encryption';
import type { FakeKubernetes } from '../fakes/kubernetes-api';
import type { TestDatabase } from './database';
import { createWorkflowHarness } from './workflow-harness';
import type { WorkflowHarness } from './workflow-harness';

/** The namespace and deployment the fixes scale: `shop/checkout`, which starts at 2 replicas. */
export const NAMESPACE = 'shop';
export const DEPLOYMENT = 'checkout';
export const START_REPLICAS = 2;

/**
 * What the fixes may touch: the flaky service as the http target `checkout` (its health check is the
 * fix's verification; `restart` makes it healthy and cannot be undone, `broken` answers 404 so its step
 * fails) and the fake cluster as the kubernetes target `prod`.
 */
export function rollbackTargets(serviceUrl: string, cluster: FakeKubernetes): Targets {
  return TargetsSchema.parse({
    http: {
      checkout: {
        baseUrl: serviceUrl,
        actions: {
          restart: { method: 'POST', path: '/admin/restart', risk: 'medium', remediatesUnhealthy: true },
          broken: { method: 'POST', path: '/admin/broken', risk: 'medium' },
        },
      },
    },
    kubernetes: { prod: { server: cluster.url, token: cluster.token, skipTlsVerify: true, namespaces: [NAMESPACE] } },
  });
}

/** Seeds the deployment the fixes scale. */
export function seedCheckout(cluster: FakeKubernetes): void {
  cluster.addNode({ name: 'node-a' });
  cluster.addDeployment({ namespace: NAMESPACE, name: DEPLOYMENT, replicas: START_REPLICAS });
  cluster.addDeployment({ namespace: NAMESPACE, name: 'api', replicas: START_REPLICAS });
}

export const replicasOf = (cluster: FakeKubernetes, deployment = DEPLOYMENT): number | undefined => cluster.deployment(NAMESPACE, deployment)?.spec.replicas;

/** PATCHes of a deployment's scale subresource the fake cluster received (every write a scale or its undo makes). */
export const scalePatches = (cluster: FakeKubernetes, deployment = DEPLOYMENT) =>
  cluster.requests.filter((r) => r.method === 'PATCH' && r.path === `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${deployment}/scale`);

/** The fix's steps, as a runbook lists them. */
export const STEP = {
  scaleUp: { plugin: 'kubernetes.scale', args: { target: '{{cluster}}', namespace: NAMESPACE, deployment: '{{service}}', replicas: 4 }, summary: 'Scale checkout up' },
  restart: { plugin: 'http.call', args: { target: '{{target}}', action: 'restart' }, summary: 'Restart checkout' },
  broken: { plugin: 'http.call', args: { target: '{{target}}', action: 'broken' }, summary: 'Call the broken admin endpoint' },
  /** Another deployment of the same namespace (seeded at 2 replicas by seedCheckout too). */
  scaleApiUp: { plugin: 'kubernetes.scale', args: { target: '{{cluster}}', namespace: NAMESPACE, deployment: 'api', replicas: 3 }, summary: 'Scale api up' },
} satisfies Record<string, RemediationStep>;

/** A runbook for `CheckoutDown` whose fix is `remediation` and whose check is checkout's health check. */
export function checkoutRunbook(remediation: RemediationStep[]): Runbook {
  return {
    path: 'checkout-capacity.md',
    title: 'Checkout down',
    services: [],
    labels: { alertname: ['CheckoutDown'] },
    keywords: [],
    body: '',
    hash: 'test',
    diagnostics: [],
    remediation,
    verification: [{ plugin: 'http.probe', args: { target: '{{target}}' } }],
  };
}

/** Runs nothing by itself: every fix and every rollback asks a person (anyone may approve). */
export const ASKING_POLICY = { everyone: 'operator', autoExecute: { upTo: 'none' } };
/** Runs medium-risk fixes and their rollbacks by itself; no cooldown, so the rollback of an automatic fix is automatic too. */
export const AUTOMATIC_POLICY = {
  everyone: 'operator',
  autoExecute: { upTo: 'medium', cooldown: 0, maxStepsPerIncident: 10, perHour: 100, perServicePerHour: 100 },
};

/** The real chart and implementations, the offline engine following only `runbook` (no built-in rules). */
export function rollbackHarness(
  targets: Targets,
  runbook: Runbook,
  options: { policy?: unknown; db?: TestDatabase; timeouts?: Partial<Timeouts>; cipher?: DataCipher } = {},
): Promise<WorkflowHarness> {
  return createWorkflowHarness({
    targets,
    policy: options.policy ?? ASKING_POLICY,
    ...(options.db && { db: options.db }),
    ...(options.timeouts && { timeouts: options.timeouts }),
    ...(options.cipher && { cipher: options.cipher }),
    diagnostician: ({ plugins, runner, logger }) => new RunbookDiagnostician(plugins, targets, runner, logger, { list: () => [runbook] }, []),
  });
}

export const checkoutDown = () => ({
  source: 'test',
  fingerprint: `checkout-down-${randomBytes(4).toString('hex')}`,
  title: 'CheckoutDown: checkout returns 503',
  severity: 'high' as const,
  service: DEPLOYMENT,
  labels: { alertname: 'CheckoutDown' },
});

export const alice = { by: { id: 'alice' }, source: { kind: 'command' as const } };

/** Waits for the incident to reach a state (the same wait the other workflow tests use). */
export { stateOf } from './sensitive-fix';

/** The `fix.stepped` rows of an incident's timeline: what each step reported, in order. */
export async function steppedRows(h: WorkflowHarness, id: string) {
  const timeline = await h.store.timeline(id);
  return timeline
    .filter((e) => e.eventType === 'fix.stepped')
    .map((e) => e.payload as { index: number; of: number; outcome: { pluginId: string; status: string; idempotencyKey: string } });
}

export interface FlagService {
  url: string;
  enabled: boolean;
  /** Requests that changed the flag, as `path key`. */
  applied: string[];
  close(): Promise<void>;
}

/** A feature-flag admin API (POST /flags/new-checkout/off and /on) that applies a request once per Idempotency-Key. */
export async function startFlagService(): Promise<FlagService> {
  const seen = new Set<string>();
  const service: FlagService = { url: '', enabled: true, applied: [], close: () => Promise.resolve() };
  const server = createServer((req, res) => {
    req.resume();
    const key = req.headers['idempotency-key'];
    const path = req.url ?? '';
    if (req.method !== 'POST' || (path !== '/flags/new-checkout/off' && path !== '/flags/new-checkout/on')) {
      res.writeHead(404).end();
      return;
    }
    if (typeof key !== 'string' || !seen.has(key)) {
      if (typeof key === 'string') seen.add(key);
      service.enabled = path.endsWith('/on');
      service.applied.push(`${path} ${String(key)}`);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ enabled: service.enabled }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  service.close = () => new Promise((resolve) => server.close(() => resolve()));
  return service;
}
