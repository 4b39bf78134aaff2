import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../src/domain';
import { TargetsSchema } from '../../src/plugins/targets';
import { EventNotAcceptedError } from '../../src/domain/errors';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';

/** The policy in the real workflow: real chart, runtime, runbook, plugins and Postgres; a real HTTP service to fix. */

const alert = { source: 'test', fingerprint: 'checkout-503', title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;
const ROLES = { admin: ['alice', 'bob'], operator: ['carol'] };
let service: FlakyService;
let h: WorkflowHarness | undefined;

beforeEach(async () => {
  service = await startFlakyService();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await service.close();
});

/** The checkout service's restart, configured at the given risk (the plugin's riskOf reports it). */
async function harness(restartRisk: 'medium' | 'high' | 'critical', policy: unknown): Promise<WorkflowHarness> {
  const targets = TargetsSchema.parse({
    http: { checkout: { baseUrl: service.url, actions: { restart: { method: 'POST', path: '/admin/restart', remediatesUnhealthy: true, risk: restartRisk } } } },
  });
  h = await createWorkflowHarness({ targets, policy });
  return h;
}

const by = (id: string) => ({ by: { id }, source: { kind: 'command' as const } });

async function stateOf(w: WorkflowHarness, id: string, state: string) {
  return eventually(async () => {
    const view = await w.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

async function awaitingFix(w: WorkflowHarness, opener = 'monitor', fingerprint: string = alert.fingerprint) {
  const { id } = await w.runtime.create({ alert: { ...alert, fingerprint }, chatId: 'ops', by: { id: opener } });
  await stateOf(w, id, 'open.awaitingDiagnosisApproval');
  await w.runtime.send(id, { type: 'diagnosis.approved', ...by('carol') });
  return id;
}

describe('who may approve, enforced by the chart itself', () => {
  it('a critical fix runs only after two distinct admins; an operator and a repeat approval change nothing', async () => {
    const w = await harness('critical', { roles: ROLES, approvers: { critical: ['admin'] } });
    const id = await awaitingFix(w);
    const waiting = await stateOf(w, id, 'open.awaitingProposalApproval');
    expect(waiting.context.decision).toMatchObject({ action: 'require_approval', risk: 'critical', approvalsRequired: 2, approvers: { roles: ['admin'], ids: ['alice', 'bob'] } });
    expect(w.chatOutput()).toMatch(/Approvals:\s+0 of 2/);

    const refuse = async (event: IncidentEvent) => {
      const before = await w.runtime.get(id);
      await expect(w.runtime.send(id, event)).rejects.toThrow(EventNotAcceptedError);
      expect((await w.runtime.get(id))?.version).toBe(before?.version);
    };
    await refuse({ type: 'proposal.approved', ...by('carol') });
    const first = await w.runtime.send(id, { type: 'proposal.approved', ...by('alice') });
    expect(first.state).toBe('open.awaitingProposalApproval');
    expect(first.context.approvals.proposalApprovers?.map((a) => a.by.id)).toEqual(['alice']);
    expect(first.context.approvals.proposal).toBeUndefined();
    await refuse({ type: 'proposal.approved', ...by('alice') });
    expect(service.restarts).toBe(0);

    await w.runtime.send(id, { type: 'proposal.approved', ...by('bob') });
    await stateOf(w, id, 'resolved');
    expect(service.restarts).toBe(1);

    const timeline = await w.store.timeline(id);
    const decided = timeline.find((e) => e.eventType === 'xstate.done.actor.evaluatePolicy');
    expect(JSON.stringify(decided?.payload)).toContain('Critical changes never run by themselves.');
    expect(timeline.filter((e) => e.eventType === 'proposal.approved').map((e) => [e.actor, e.toState])).toEqual([
      ['alice', 'open.awaitingProposalApproval'],
      ['bob', 'remediating.executing'],
    ]);
  });

  it('at high risk, the person who brought the alert in cannot approve alone', async () => {
    const w = await harness('high', { roles: ROLES, approvers: { high: ['admin'] } });
    const id = await awaitingFix(w, 'alice');
    const waiting = await stateOf(w, id, 'open.awaitingProposalApproval');
    expect(waiting.context.decision?.approvers).toMatchObject({ requester: 'alice' });
    expect((await w.runtime.send(id, { type: 'proposal.approved', ...by('alice') })).state).toBe('open.awaitingProposalApproval');
    expect(service.restarts).toBe(0);
    await w.runtime.send(id, { type: 'proposal.approved', ...by('bob') });
    await stateOf(w, id, 'resolved');
  });
});

describe('automatic execution under the policy', () => {
  it('runs a fix by itself, then cools the target down for the next incident', async () => {
    const w = await harness('medium', { everyone: 'operator', autoExecute: { upTo: 'medium', cooldown: '10m' } });
    const first = await awaitingFix(w);
    const resolved = await stateOf(w, first, 'resolved');
    expect(resolved.context.decision?.action).toBe('auto_execute');
    expect(service.restarts).toBe(1);
    expect(w.chatOutput()).toContain('ran without asking');

    service.setHealthy(false);
    const second = await awaitingFix(w, 'monitor', 'checkout-503-again');
    const waiting = await stateOf(w, second, 'open.awaitingProposalApproval');
    expect(waiting.context.decision?.reasons.map((r) => (typeof r === 'string' ? r : r.en)).join('\n')).toMatch(/checkout had an automatic action at .*; it cools down until/);
    expect(service.restarts).toBe(1);
  });

  it('in dry run evaluates and plans, runs nothing, and hands the incident to people saying what would have run', async () => {
    const w = await harness('medium', { everyone: 'operator', dryRun: true, autoExecute: { upTo: 'medium' } });
    const id = await awaitingFix(w);
    const escalated = await stateOf(w, id, 'escalated');
    expect(escalated.context.decision).toMatchObject({ action: 'auto_execute', dryRun: true });
    expect(escalated.context.escalation?.reason).toBe('Dry run: nothing was changed');
    expect(escalated.context.execution?.steps[0]?.summary).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/admin\/restart/);
    expect(service.restarts).toBe(0);
    expect(await w.executions.forIncident(id)).toEqual([]);
    expect(w.chatOutput()).toContain('What would have run');
  });
});
