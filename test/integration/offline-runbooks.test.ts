import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRunbooks } from '../../src/memory';
import type { Runbook } from '../../src/memory';
import { RunbookDiagnostician } from '../../src/diagnosis/offline/runbook-diagnostician';
import { TargetsSchema } from '../../src/plugins/targets';
import type { Targets } from '../../src/plugins/targets';
import { startFakeKubernetes } from '../fakes/kubernetes-api';
import type { FakeKubernetes } from '../fakes/kubernetes-api';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

const by = { by: { id: 'alice' }, source: { kind: 'command' as const } };
let fake: FakeKubernetes;
let h: WorkflowHarness;
let runbooks: Runbook[];
/** What vector memory would find for an alert: set per test. */
let similar: { path: string; similarity: number }[] = [];

beforeEach(async () => {
  fake = await startFakeKubernetes();
  fake.addNode({ name: 'node-a' });
  ({ runbooks } = await loadRunbooks('runbooks'));
  similar = [];
  const targets: Targets = TargetsSchema.parse({ kubernetes: { prod: { server: fake.url, token: fake.token, skipTlsVerify: true, namespaces: ['shop'] } } });
  h = await createWorkflowHarness({
    targets,
    diagnostician: ({ plugins, runner, logger }) => new RunbookDiagnostician(plugins, targets, runner, logger, { list: () => runbooks, similar: () => Promise.resolve(similar) }),
  });
});
afterEach(async () => {
  await h.close();
  await fake.close();
});

async function stateOf(id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`, 20_000);
}

function crashLoopAlert(pod: string) {
  return {
    source: 'alertmanager',
    fingerprint: `crashloop-${pod}`,
    title: `KubePodCrashLooping: pod shop/${pod} is restarting`,
    severity: 'high' as const,
    labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod },
  };
}

describe('the offline engine following the shipped runbooks, no model', () => {
  it('confirms a crash loop with the runbook checks, proposes its fix, and verifies it on the cluster', async () => {
    fake.addDeployment({ namespace: 'shop', name: 'web', replicas: 2, podStates: ['crashloop', 'running'] });
    const crashing = fake.pods('shop').find((pod) => pod.status.containerStatuses.some((s) => s.state.waiting?.reason === 'CrashLoopBackOff'))!;
    const { id } = await h.runtime.create({ alert: crashLoopAlert(crashing.metadata.name), chatId: 'ops', by: { id: 'alertmanager' } });

    const waiting = await stateOf(id, 'open.awaitingDiagnosisApproval');
    const diagnosis = waiting.context.diagnosis!;
    expect(diagnosis).toMatchObject({ runbook: 'kubernetes-crashloop.md', category: 'kubernetes-workload' });
    expect(diagnosis.rootCause).toMatch(/Runbook "Kubernetes pod crash-looping" matched \(label alertname=KubePodCrashLooping/);
    expect(diagnosis.summary).toMatch(/^Kubernetes pod crash-looping: kubernetes\.rollout_status: .*1 of 2 updated replicas are available/);
    expect(diagnosis.rootCause).toMatch(/kubernetes\.pods: 2 pods in shop: 1 healthy, 1 unhealthy — .*CrashLoopBackOff/);
    expect(diagnosis.evidence.map((e) => e.source)).toEqual(
      expect.arrayContaining(['kubernetes.pods', 'kubernetes.pod_logs', 'kubernetes.events', 'kubernetes.rollout_status']),
    );
    expect(diagnosis.confidence).toBeGreaterThan(0.5);

    await h.runtime.send(id, { type: 'diagnosis.approved', ...by });
    const proposing = await stateOf(id, 'open.awaitingProposalApproval');
    expect(proposing.context.proposal?.steps.map((s) => [s.pluginId, s.args])).toEqual([
      ['kubernetes.rollout_restart', { target: 'prod', namespace: 'shop', deployment: 'web' }],
    ]);
    expect(proposing.context.decision).toMatchObject({ action: 'require_approval', risk: 'medium' });
    expect(fake.deployment('shop', 'web')?.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();

    // The cluster moves on while verification polls: new pods start, the crashing old ones go away.
    const time = setInterval(() => fake.advance(), 20);
    try {
      await h.runtime.send(id, { type: 'proposal.approved', ...by });
      await stateOf(id, 'resolved');
    } finally {
      clearInterval(time);
    }
    expect(fake.deployment('shop', 'web')?.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeDefined();
  });

  it('calls it transient when the runbook health checks pass, and proposes nothing', async () => {
    fake.addDeployment({ namespace: 'shop', name: 'web', replicas: 2 });
    const pod = fake.pods('shop')[0]!.metadata.name;
    const { id } = await h.runtime.create({ alert: crashLoopAlert(pod), chatId: 'ops', by: { id: 'alertmanager' } });
    const waiting = await stateOf(id, 'open.awaitingDiagnosisApproval');
    expect(waiting.context.diagnosis).toMatchObject({ category: 'transient', runbook: 'kubernetes-crashloop.md' });
    await h.runtime.send(id, { type: 'diagnosis.approved', ...by });
    const escalated = await stateOf(id, 'escalated');
    expect(escalated.context.escalation?.detail).toMatch(/no fix/i);
  });

  it('follows a runbook found only by text similarity when it is close enough, and says so', async () => {
    fake.addDeployment({ namespace: 'shop', name: 'web', replicas: 2, podStates: ['crashloop', 'running'] });
    const pod = fake.pods('shop').find((p) => p.status.containerStatuses.some((s) => s.state.waiting?.reason === 'CrashLoopBackOff'))!.metadata.name;
    const vague = { source: 'grafana', title: `web in shop is unhappy`, severity: 'medium' as const, labels: { namespace: 'shop', pod } };

    similar = [{ path: 'kubernetes-crashloop.md', similarity: 0.2 }];
    const far = await h.runtime.create({ alert: { ...vague, fingerprint: 'vague-1' }, chatId: 'ops', by: { id: 'grafana' } });
    expect((await stateOf(far.id, 'open.awaitingDiagnosisApproval')).context.diagnosis).toMatchObject({ category: 'unknown' });

    similar = [{ path: 'kubernetes-crashloop.md', similarity: 0.52 }];
    const near = await h.runtime.create({ alert: { ...vague, fingerprint: 'vague-2' }, chatId: 'ops', by: { id: 'grafana' } });
    const diagnosis = (await stateOf(near.id, 'open.awaitingDiagnosisApproval')).context.diagnosis!;
    expect(diagnosis).toMatchObject({ runbook: 'kubernetes-crashloop.md', category: 'kubernetes-workload' });
    expect(diagnosis.rootCause).toContain('matched (text similarity 0.52)');
  });
});
