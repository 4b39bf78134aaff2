import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosisSlots } from '../../src/alerts/diagnosis-slots';
import { GroupingIntake } from '../../src/alerts/grouping-intake';
import type { AlertInput } from '../../src/domain';
import { awaitDiagnosisSlot } from '../../src/implementations/diagnosis';
import type { ImplementationDeps } from '../../src/implementations';
import { MemoryLock } from '../../src/locks/memory-lock';
import { IncidentAlertStore } from '../../src/store/incident-alert-store';
import { ControllableActors } from '../support/controllable-actors';
import { createHarness, eventually } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';

const FLAP_LIMIT = 2;
const MAX_DIAGNOSES = 2;
let actors: ControllableActors;
let slots: DiagnosisSlots;
let h: Harness;
let intake: GroupingIntake;
let alerts: IncidentAlertStore;

// A fresh bot and database per test: incidents left diagnosing by one test must not hold the next one's slots.
beforeEach(async () => {
  actors = new ControllableActors(new Set());
  slots = new DiagnosisSlots(MAX_DIAGNOSES, (id) => h.runtime.isLive(id));
  // The real slot actor (with its own small limit); every other step is settled by the test.
  const slotActor = awaitDiagnosisSlot({ diagnosisSlots: slots } as Pick<ImplementationDeps, 'diagnosisSlots'> as ImplementationDeps);
  h = await createHarness({
    machine: () => actors.machine().provide({ actors: { awaitDiagnosisSlot: slotActor } }),
    recovery: { resolveOnRecovery: true, flapLimit: FLAP_LIMIT },
  });
  h.runtime.subscribe((change) => slots.onTransition(change.incidentId, change.toState));
  alerts = new IncidentAlertStore(h.orm);
  intake = new GroupingIntake(h.runtime, {
    alerts,
    rules: { groupBy: ['alertname', 'service', 'cluster', 'namespace'], windowMs: 300_000 },
    locks: new MemoryLock(),
    logger: h.logger,
  });
});
afterEach(async () => {
  await h.close();
});

let groupSeq = 0;
/** A 'KubeNodeNotReady' Alertmanager group of `size` nodes, as parseAlertmanagerPayload maps it. */
function nodeGroup(size: number, status: 'firing' | 'resolved' = 'firing', groupKey = `{}:{alertname="KubeNodeNotReady"}#${++groupSeq}`): AlertInput[] {
  return Array.from({ length: size }, (_, i) => ({
    source: 'alertmanager',
    fingerprint: `${groupKey}/node-${i + 1}`,
    title: 'KubeNodeNotReady',
    status,
    severity: i === 3 ? 'critical' : 'high',
    service: 'kubelet',
    labels: { alertname: 'KubeNodeNotReady', node: `node-${i + 1}`, rack: 'r7' },
    groupKey,
  }));
}

function post(group: AlertInput[], alertMessageId?: string) {
  const [alert, ...alongWith] = group;
  return intake.create({ alert: alert!, alongWith, chatId: 'ops', by: { id: 'alertmanager' }, alertMessageId });
}

async function opened(group: AlertInput[]) {
  const report = await post(group);
  if (report.silenced) throw new Error('unexpected silence');
  return report;
}

async function incidentCount(): Promise<number> {
  const [row] = await h.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from incidents');
  return Number(row!.n);
}

async function settle(id: string, invokeId: string, output: unknown) {
  await eventually(() => (actors.isPending(id, invokeId) ? true : undefined), `${invokeId} to run for ${id}`);
  actors.settle(id, invokeId, { output });
}

async function stateOf(id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

const diagnosis = { summary: 's', rootCause: 'r', category: 'availability', severity: 'high', confidence: 0.5, evidence: [] };

/** Triage says new; the slot is free; the diagnosis is running. */
async function toDiagnosing(id: string) {
  await settle(id, 'triage', { verdict: 'new', reason: 'new' });
  return stateOf(id, 'open.diagnosing');
}

describe('an incident holds a group of alerts', () => {
  it('opens one incident for a 20-alert Alertmanager group, led by its most severe alert, holding all 20', async () => {
    const report = await opened(nodeGroup(20));
    expect(report.opened).toBe(true);
    expect(await incidentCount()).toBe(1);
    expect(report.severity).toBe('critical');
    expect(report.context.alerts).toMatchObject({ total: 20, firing: 20, affectedTotal: 20 });
    expect(report.context.alerts?.affected.slice(0, 3)).toEqual(['node-1', 'node-2', 'node-3']);
    const held = await alerts.list(report.id);
    expect(held).toHaveLength(20);
    expect(held.every((a) => a.status === 'firing' && a.count === 1)).toBe(true);
  });

  it('records a late joiner and a repeat on the open incident without restarting anything', async () => {
    const group = nodeGroup(3);
    const first = await opened(group);
    await toDiagnosing(first.id);
    const late = { ...group[0]!, fingerprint: `${group[0]!.groupKey}/node-9`, labels: { ...group[0]!.labels, node: 'node-9' } };
    const joined = await opened([late]);
    expect(joined).toMatchObject({ id: first.id, opened: false, state: 'open.diagnosing' });
    expect(joined.context.alerts).toMatchObject({ total: 4, firing: 4 });
    const repeated = await opened([group[1]!]);
    expect(repeated).toMatchObject({ id: first.id, opened: false });
    const events = (await h.store.timeline(first.id)).map((e) => [e.eventType, e.toState]);
    expect(events.slice(-2)).toEqual([['alert.joined', 'open.diagnosing'], ['alert.repeated', 'open.diagnosing']]);
    expect(actors.isPending(first.id, 'diagnose')).toBe(true); // the one diagnosis still running, never restarted
    expect((await alerts.list(first.id)).find((a) => a.fingerprint === group[1]!.fingerprint)?.count).toBe(2);
    expect(await incidentCount()).toBe(1);
  });

  it('groups alerts without a sender group by GROUP_BY labels, and not a different service', async () => {
    const lark = (fingerprint: string, service: string): AlertInput => ({ source: 'lark', fingerprint, title: 'HighErrorRate', service, severity: 'high', labels: {} });
    const a = await opened([lark('lark-1', 'checkout')]);
    const b = await opened([lark('lark-2', 'checkout')]);
    const c = await opened([lark('lark-3', 'payments')]);
    expect(b).toMatchObject({ id: a.id, opened: false });
    expect(c.opened).toBe(true);
    expect(c.id).not.toBe(a.id);
  });
});

describe('recovery', () => {
  it("the group's resolved notice resolves it at source: the running diagnosis stops and nobody is asked", async () => {
    const group = nodeGroup(5);
    const { id } = await opened(group);
    await toDiagnosing(id);
    const partly = await opened(group.slice(0, 2).map((a) => ({ ...a, status: 'resolved' as const })));
    expect(partly).toMatchObject({ id, state: 'open.diagnosing' });
    expect(partly.context.alerts).toMatchObject({ total: 5, firing: 3 });
    const all = await opened(group.map((a) => ({ ...a, status: 'resolved' as const })));
    expect(all.state).toBe('recovering');
    expect(all.context.resolution).toMatchObject({ atSource: true, by: { id: 'system' } });
    // The running diagnosis (its model calls) was stopped, not left to finish.
    await eventually(() => (actors.wasStopped(id, 'diagnose') ? true : undefined), 'the diagnosis to be stopped');
    expect(actors.isPending(id, 'diagnose')).toBe(false);
    await settle(id, 'announceRecovery', { messageId: 'recovered-card' });
    const recovered = await stateOf(id, 'recovered');
    expect(recovered.status).toBe('parked');
    expect((await alerts.list(id)).every((a) => a.status === 'resolved' && a.resolvedAt)).toBe(true);
    const people = (await h.store.timeline(id)).filter((e) => e.actor !== 'system' && e.actor !== 'alertmanager');
    expect(people).toEqual([]);
  });

  it('an alert firing again within REOPEN_WINDOW reopens the same incident, until it has flapped FLAP_LIMIT times', async () => {
    const group = nodeGroup(2);
    const { id } = await opened(group);
    await toDiagnosing(id);
    for (let flap = 1; flap <= FLAP_LIMIT; flap++) {
      await opened(group.map((a) => ({ ...a, status: 'resolved' as const })));
      await settle(id, 'announceRecovery', { messageId: `recovered-${flap}` });
      await stateOf(id, 'recovered');
      const again = await opened([group[0]!]);
      // A new attempt of the same incident: straight back to diagnosis (it was triaged when it opened).
      expect(again).toMatchObject({ id, opened: false });
      expect(again.context).toMatchObject({ flaps: flap, attempt: flap + 1, resolution: null });
      await stateOf(id, 'open.diagnosing');
    }
    expect(await incidentCount()).toBe(1);
    // Flapped FLAP_LIMIT times: recovering no longer closes it; people decide.
    await settle(id, 'diagnose', diagnosis);
    const stays = await opened(group.map((a) => ({ ...a, status: 'resolved' as const })));
    expect(stays.state).toBe('open.notifyingDiagnosis');
    expect(stays.context.alerts?.firing).toBe(0);
  });

  it('escalated and every alert recovered: resolved after RECOVERY_QUIET, unless one fires again', async () => {
    const group = nodeGroup(2);
    const { id } = await opened(group);
    await toDiagnosing(id);
    await h.runtime.send(id, { type: 'incident.escalate', by: { id: 'alice' }, source: { kind: 'command' } });
    await settle(id, 'announceEscalation', { messageId: 'escalated' });
    await stateOf(id, 'escalated');
    await opened(group.map((a) => ({ ...a, status: 'resolved' as const })));
    const quiet = await stateOf(id, 'escalatedRecovered');
    expect(quiet.wakeAt).not.toBeNull();
    // It fires again: back with people.
    await opened([group[1]!]);
    await stateOf(id, 'escalated');
    await opened(group.map((a) => ({ ...a, status: 'resolved' as const })));
    await stateOf(id, 'escalatedRecovered');
    // The quiet period passes (its persisted deadline made due, as after a restart).
    await h.orm.em.fork().getConnection().execute(`update incidents set wake_at = now() - interval '1 second' where id = ?`, [id]);
    await h.sweeper.sweep();
    await settle(id, 'recoveryQuietTimer', undefined);
    await settle(id, 'announceRecovery', { messageId: 'recovered' });
    const recovered = await stateOf(id, 'recovered');
    expect(recovered.context.resolution?.atSource).toBe(true);
  });

  it('a recovery notice with nothing open opens nothing and reports the incident it belonged to', async () => {
    const group = nodeGroup(1);
    const { id } = await opened(group);
    await h.runtime.send(id, { type: 'incident.ignore', by: { id: 'alice' }, source: { kind: 'command' } });
    await stateOf(id, 'ignored');
    const late = await opened(group.map((a) => ({ ...a, status: 'resolved' as const })));
    expect(late).toMatchObject({ id, opened: false, state: 'ignored' });
    expect(await incidentCount()).toBe(1);
  });
});

describe('storms of incidents', () => {
  it(`diagnoses at most ${MAX_DIAGNOSES} at once; the rest wait in open.awaitingDiagnosisSlot and start most severe first`, async () => {
    const lone = (n: number, severity: AlertInput['severity']): AlertInput[] => [
      { source: 'api', fingerprint: `lone-${n}`, title: `Problem ${n}`, service: `svc-${n}`, severity, labels: {} },
    ];
    const ids: string[] = [];
    for (const [n, severity] of [[1, 'medium'], [2, 'medium'], [3, 'low'], [4, 'critical']] as const) {
      const { id } = await opened(lone(n, severity));
      await settle(id, 'triage', { verdict: 'new', reason: 'new' });
      ids.push(id);
    }
    const [first, second, low, critical] = ids as [string, string, string, string];
    await stateOf(first, 'open.diagnosing');
    await stateOf(second, 'open.diagnosing');
    await stateOf(low, 'open.awaitingDiagnosisSlot');
    await stateOf(critical, 'open.awaitingDiagnosisSlot');
    // One finishes: the critical one goes first, though it came last.
    await settle(first, 'diagnose', diagnosis);
    await stateOf(critical, 'open.diagnosing');
    expect((await h.runtime.get(low))?.state).toBe('open.awaitingDiagnosisSlot');
    await settle(second, 'diagnose', diagnosis);
    await stateOf(low, 'open.diagnosing');
  });
});
