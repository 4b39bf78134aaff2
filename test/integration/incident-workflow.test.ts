import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../src/domain';
import { EventNotAcceptedError, InvalidInputError, UnknownIncidentError } from '../../src/domain/errors';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { accessFrom, builtinPolicy } from '../../src/policy';
import { eventually } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';
import type { WorkflowHarness } from '../support/workflow-harness';
import { terminalConversation } from '../support/terminal-kit';

const alert = { source: 'test', fingerprint: 'checkout-503', title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;
const by = { by: { id: 'alice' }, source: { kind: 'command' as const } };

let service: FlakyService;
let h: WorkflowHarness;

beforeEach(async () => {
  service = await startFlakyService();
  h = await createWorkflowHarness({ targets: flakyTargets(service.url) });
});
afterEach(async () => {
  await h.close();
  await service.close();
});

async function stateOf(id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

describe('an incident through the real implementations', () => {
  it('goes from alert to a verified fix with both approvals, each step once', async () => {
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'monitor' } });
    const waiting = await stateOf(id, 'open.awaitingDiagnosisApproval');
    expect(waiting.context.diagnosis).toMatchObject({ category: 'availability', affectedService: 'checkout' });
    expect(waiting.status).toBe('parked');
    expect(waiting.wakeAt).not.toBeNull();
    expect(h.runtime.isLive(id)).toBe(false);
    expect(h.chatOutput()).toContain('checkout fails its health check');

    await h.runtime.send(id, { type: 'diagnosis.approved', ...by });
    const proposing = await stateOf(id, 'open.awaitingProposalApproval');
    expect(proposing.context.decision).toMatchObject({ action: 'require_approval', risk: 'medium' });
    expect(proposing.context.proposal?.steps[0]?.plan).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/admin\/restart/);
    expect(h.chatOutput()).toMatch(/Plan: POST http:\/\/127\.0\.0\.1:\d+\/admin\/restart/);
    // The restart action names no undo action in the targets file: the card says so before approval.
    expect(proposing.context.proposal?.steps[0]?.undo).toBe('none');
    expect(h.chatOutput()).toContain('This fix cannot be fully undone: step 1 (http.call)');
    expect(service.restarts).toBe(0);

    await h.runtime.send(id, { type: 'proposal.approved', ...by });
    const resolved = await stateOf(id, 'resolved');
    expect(resolved.status).toBe('done');
    expect(resolved.context.verification?.passed).toBe(true);
    expect(service.restarts).toBe(1);

    const executions = await h.executions.forIncident(id);
    expect(executions.map((e) => [e.pluginId, e.status])).toEqual([['http.call', 'success']]);
    const timeline = await h.store.timeline(id);
    expect(timeline.map((e) => e.toState)).toEqual([
      'open.triaging',
      'open.awaitingDiagnosisSlot',
      'open.diagnosing',
      'open.notifyingDiagnosis',
      'open.awaitingDiagnosisApproval',
      'open.proposing',
      'open.evaluatingPolicy',
      'open.notifyingProposal',
      'open.awaitingProposalApproval',
      'remediating.executing',
      'remediating.executing',
      'remediating.verifying',
      'resolving',
      'resolved',
    ]);
    expect(timeline.find((e) => e.eventType === 'proposal.approved')?.actor).toBe('alice');
    // The fix's one step has its own row, reported by the fix machine before the fix ended.
    expect(timeline.map((e) => e.eventType).slice(10, 12)).toEqual(['fix.stepped', 'xstate.done.actor.fix']);
    expect(timeline[10]?.payload).toMatchObject({ index: 0, of: 1, outcome: { pluginId: 'http.call', status: 'success' } });
    const journal = await h.orm.em.fork().getConnection().execute<{ step: string; status: string }[]>(
      'select step, status from step_journal where incident_id = ? order by started_at',
      [id],
    );
    expect(journal).toEqual([
      { step: 'diagnose', status: 'done' },
      { step: 'diagnosis-card', status: 'done' },
      { step: 'propose', status: 'done' },
      { step: 'proposal-card', status: 'done' },
      { step: 'announce-resolved', status: 'done' },
    ]);
  });

  it('records a repeat of an open incident on it instead of opening another', async () => {
    const first = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'monitor' } });
    await stateOf(first.id, 'open.awaitingDiagnosisApproval');
    const second = await h.runtime.create({ alert: { ...alert, status: 'resolved' }, chatId: 'ops', alertMessageId: 'msg-2', by: { id: 'monitor' } });
    expect(second).toMatchObject({ id: first.id, opened: false, state: 'open.awaitingDiagnosisApproval' });
    expect(second.context.repeats).toBe(1);
    expect(await h.store.countByStatus()).toEqual({ active: 0, parked: 1, done: 0 });
    const repeat = (await h.store.timeline(first.id)).at(-1);
    expect(repeat).toMatchObject({ eventType: 'alert.repeated', payload: { status: 'resolved', alertMessageId: 'msg-2' } });
  });

  it('leaves one incident when the same alert arrives twice at once (triage merges a lost race)', async () => {
    const both = await Promise.all([1, 2].map(() => h.runtime.create({ alert, chatId: 'ops', by: { id: 'monitor' } })));
    const ids = [...new Set(both.map((v) => v.id))];
    const views = await eventually(async () => {
      const all = await Promise.all(ids.map((id) => h.runtime.get(id)));
      return all.every((v) => v && v.state !== 'open.triaging' && v.state !== 'open.merging') ? all : undefined;
    }, 'triage to settle');
    const survivors = views.filter((v) => v?.state !== 'merged');
    expect(survivors).toHaveLength(1);
    expect(survivors[0]?.context.repeats).toBe(1);
  });

  it('ignores an informational alert as noise', async () => {
    const { id } = await h.runtime.create({ alert: { ...alert, fingerprint: 'info', severity: 'info' }, chatId: 'ops', by: { id: 'm' } });
    const view = await stateOf(id, 'ignored');
    expect(view.context.triage).toMatchObject({ verdict: 'noise' });
  });

  it('escalates with the reason when no fix is known, keeping the diagnosis', async () => {
    const { id } = await h.runtime.create({ alert: { ...alert, fingerprint: 'x', service: 'unknown-svc' }, chatId: 'ops', by: { id: 'm' } });
    await stateOf(id, 'open.awaitingDiagnosisApproval');
    await h.runtime.send(id, { type: 'diagnosis.approved', ...by });
    const view = await stateOf(id, 'escalated');
    expect(view.context.escalation).toMatchObject({ reason: 'No automatic fix is known' });
    expect(view.context.diagnosis?.category).toBe('unknown');
    expect(view.accepts).toEqual(expect.arrayContaining(['incident.retry', 'incident.resolve', 'incident.ignore']));
  });
});

describe('commands through the chat intake', () => {
  it('/diag opens an incident from the text, threaded on the command message', async () => {
    const access = accessFrom(() => builtinPolicy({ autoExecuteLowRisk: false, approverIds: ['alice'], dryRun: false }));
    const terminal = terminalConversation({ orm: h.orm, logger: h.logger, service: h.runtime, access });
    await terminal.terminal.handle({ chatId: 'ops', messageId: 'msg-diag-1', sender: { id: 'alice' }, text: '/diag [high] checkout returns 503 service=checkout' });
    const reply = terminal.chat.texts.find((posted) => posted.options?.replyTo === 'msg-diag-1')?.text ?? '';
    const [, id] = /Opened (INC-\w+)/.exec(reply) ?? [];
    const view = await stateOf(id!, 'open.awaitingDiagnosisApproval');
    expect(view.context).toMatchObject({ chatId: 'ops', alertMessageId: 'msg-diag-1' });
    expect(view.context.alert).toMatchObject({ severity: 'high', service: 'checkout', title: 'checkout returns 503' });
  });
});

describe('a person racing the bot', () => {
  it('is not refused for approving the instant a card appears, before the incident has parked', async () => {
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'monitor' } });
    await eventually(() => (h.chatOutput().includes(`/approve ${id} diagnosis`) ? true : undefined), 'the diagnosis card');
    const approved = await h.runtime.send(id, { type: 'diagnosis.approved', ...by });
    expect(approved.context.approvals.diagnosis?.by.id).toBe('alice');
    await eventually(() => (h.chatOutput().includes(`/approve ${id} fix`) ? true : undefined), 'the proposal card');
    await h.runtime.send(id, { type: 'proposal.approved', ...by });
    await stateOf(id, 'resolved');
    expect(service.restarts).toBe(1);
  });
});

describe('bad input gets a clear answer and changes nothing', () => {
  it('rejects a malformed alert without creating anything', async () => {
    await expect(h.runtime.create({ alert: { source: 'x', title: '' } as never, chatId: 'ops', by: { id: 'm' } })).rejects.toThrow(
      InvalidInputError,
    );
    expect(await h.store.countByStatus()).toEqual({ active: 0, parked: 0, done: 0 });
  });

  it('answers an unknown incident, an unacceptable event and a malformed event without writing', async () => {
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    const before = await stateOf(id, 'open.awaitingDiagnosisApproval');
    const timelineBefore = (await h.store.timeline(id)).length;

    await expect(h.runtime.send('INC-NOSUCH00', { type: 'incident.escalate', ...by })).rejects.toThrow(UnknownIncidentError);
    await expect(h.runtime.send(id, { type: 'proposal.approved', ...by })).rejects.toThrow(
      /cannot take "Fix approved" now\. Where it stands: Waiting for someone to confirm the diagnosis\./,
    );
    await expect(h.runtime.send(id, { type: 'proposal.approved', ...by })).rejects.toThrow(EventNotAcceptedError);
    await expect(h.runtime.send(id, { type: 'diagnosis.approved' } as IncidentEvent)).rejects.toThrow(/Malformed event: by/);
    await expect(h.runtime.send(id, { type: 'no.such.event', ...by } as unknown as IncidentEvent)).rejects.toThrow(InvalidInputError);
    const stale = { type: 'diagnosis.approved', by: { id: 'bob' }, source: { kind: 'card', messageId: 'old-card' } } as IncidentEvent;
    await expect(h.runtime.send(id, stale)).rejects.toThrow(EventNotAcceptedError);

    const after = await h.runtime.get(id);
    expect(after?.version).toBe(before.version);
    expect(await h.store.timeline(id)).toHaveLength(timelineBefore);
    expect(h.runtime.isLive(id)).toBe(false);
  });
});

describe('verification and the monitoring source', () => {
  it('counts every alert recovered at source as the fix holding, though its own check still fails', async () => {
    const slow = await startFlakyService({ restartDelayMs: 800 });
    const w = await createWorkflowHarness({ targets: flakyTargets(slow.url) });
    try {
      const { id } = await w.runtime.create({ alert, chatId: 'ops', by: { id: 'monitor' } });
      await eventually(async () => ((await w.runtime.get(id))?.state === 'open.awaitingDiagnosisApproval' ? true : undefined), 'the diagnosis card');
      await w.runtime.send(id, { type: 'diagnosis.approved', ...by });
      await eventually(async () => ((await w.runtime.get(id))?.state === 'open.awaitingProposalApproval' ? true : undefined), 'the fix card');
      await w.runtime.send(id, { type: 'proposal.approved', ...by });
      // The restart is in flight: the service's own health check will keep failing, but the alert recovers at its source.
      await eventually(() => (slow.restarts === 1 ? true : undefined), 'the restart to arrive');
      slow.setHealthy(false);
      const alerts = { total: 1, firing: 0, affected: [], affectedTotal: 0, lastAt: new Date().toISOString() };
      await w.runtime.send(id, { type: 'alert.recovered', recovered: 1, alerts });
      const resolved = await eventually(async () => {
        const view = await w.runtime.get(id);
        return view?.status === 'done' ? view : undefined;
      }, 'the incident to end');
      expect(resolved.state).toBe('resolved');
      expect(resolved.context.verification?.passed).toBe(true);
      expect(resolved.context.verification?.checks.map((c) => [c.pluginId, c.passed])).toEqual([['http.probe', false], ['alerts', true]]);
    } finally {
      await w.close();
      await slow.close();
    }
  });
});
