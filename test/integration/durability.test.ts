import { afterEach, describe, expect, it } from 'vitest';
import { startFlakyService } from '../fakes/flaky-service';
import type { FlakyService } from '../fakes/flaky-service';
import { ControllableActors } from '../support/controllable-actors';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { createHarness, eventually } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';

const alert = { source: 'test', fingerprint: 'checkout-503', title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;
const by = { by: { id: 'alice' }, source: { kind: 'command' as const } };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}
async function flaky(options?: { holdRestart?: boolean }): Promise<FlakyService> {
  const service = await startFlakyService(options);
  cleanups.push(() => service.close());
  return service;
}
function closing<T extends Harness>(h: T): T {
  cleanups.push(() => h.close());
  return h;
}
async function stateOf(h: Harness, id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

describe('restarts', () => {
  it('a new runtime on the same database continues a parked incident and repeats no step', async () => {
    const db = await database();
    const service = await flaky();
    const first = await createWorkflowHarness({ targets: flakyTargets(service.url), db });
    const { id } = await first.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await stateOf(first, id, 'open.awaitingDiagnosisApproval');
    await first.close();

    const second = closing(await createWorkflowHarness({ targets: flakyTargets(service.url), db }));
    expect(await second.runtime.recover()).toBe(0);
    await second.runtime.send(id, { type: 'diagnosis.approved', ...by });
    await stateOf(second, id, 'open.awaitingProposalApproval');
    await second.runtime.send(id, { type: 'proposal.approved', ...by });
    await stateOf(second, id, 'resolved');
    expect(service.restarts).toBe(1);
    // The diagnosis card went out once, before the restart; the restarted bot did not post it again.
    expect(second.chatOutput()).not.toContain('Is this diagnosis right?');
    const cards = await second.orm.em.fork().getConnection().execute<{ n: string }[]>(
      `select count(*) as n from step_journal where incident_id = ? and step = 'diagnosis-card'`,
      [id],
    );
    expect(Number(cards[0]?.n)).toBe(1);
  });

  it('a remediation interrupted mid-request is confirmed after restart, not sent again', async () => {
    const db = await database();
    const service = await flaky({ holdRestart: true });
    const first = await createWorkflowHarness({ targets: flakyTargets(service.url), db });
    const { id } = await first.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await stateOf(first, id, 'open.awaitingDiagnosisApproval');
    await first.runtime.send(id, { type: 'diagnosis.approved', ...by });
    await stateOf(first, id, 'open.awaitingProposalApproval');
    await first.runtime.send(id, { type: 'proposal.approved', ...by });
    await eventually(() => (service.restarts === 1 ? true : undefined), 'the restart request to arrive');
    await first.close(); // the process goes away while the request is in flight

    const second = closing(await createWorkflowHarness({ targets: flakyTargets(service.url), db }));
    const [intent] = await second.executions.forIncident(id);
    expect(intent?.status).toBe('intent');
    expect(await second.runtime.recover()).toBe(1);
    const resolved = await stateOf(second, id, 'resolved');
    expect(service.restarts).toBe(1);
    expect(resolved.context.execution?.steps[0]).toMatchObject({ status: 'success', recovered: true });
    expect((await second.executions.forIncident(id)).map((e) => e.status)).toEqual(['success']);
  });

  it('a deadline that passed while the bot was down fires on the first sweep after start', async () => {
    const db = await database();
    const service = await flaky();
    const timeouts = { diagnosisApproval: 300 };
    const first = await createWorkflowHarness({ targets: flakyTargets(service.url), db, timeouts });
    const { id } = await first.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    const parked = await stateOf(first, id, 'open.awaitingDiagnosisApproval');
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, parked.wakeAt!.getTime() - Date.now()) + 50));

    const second = closing(await createWorkflowHarness({ targets: flakyTargets(service.url), db, timeouts }));
    await second.runtime.recover();
    expect(await second.sweeper.sweep()).toBe(1);
    const escalated = await stateOf(second, id, 'escalated');
    expect(escalated.context.escalation?.reason).toBe('Nobody confirmed the diagnosis in time');
    const timeline = await second.store.timeline(id);
    expect(timeline.map((e) => e.eventType)).toContain('xstate.done.actor.diagnosisApprovalTimer');
  });
});

describe('one writer per incident', () => {
  it('a stale actor cannot overwrite a newer state written by another runtime', async () => {
    const db = await database();
    const actorsA = new ControllableActors();
    const actorsB = new ControllableActors();
    const a = closing(await createHarness({ db, machine: () => actorsA.machine() }));
    const b = closing(await createHarness({ db, machine: () => actorsB.machine() }));
    const { id } = await a.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await eventually(() => (actorsA.isPending(id, 'triage') ? true : undefined), 'triage to start in A');

    await b.runtime.send(id, { type: 'incident.escalate', ...by });
    actorsA.settle(id, 'triage', { output: { verdict: 'new', reason: 'new' } });
    await eventually(() => (a.runtime.isLive(id) ? undefined : true), 'A to drop its stale actor');

    const row = await b.store.load(id);
    expect(row?.state).toBe('escalating');
    expect(row?.version).toBe(2);
    expect((await b.store.timeline(id)).map((e) => e.toState)).toEqual(['open.triaging', 'escalating']);
  });
});

describe('a transition that cannot be saved', () => {
  it('starts no step, and the incident resumes from its last saved state once writes work again', async () => {
    const db = await database();
    const service = await flaky();
    const h = closing(await createWorkflowHarness({ targets: flakyTargets(service.url), db }));
    const sql = (text: string) => h.orm.em.fork().getConnection().execute(text);
    await sql(`alter table incident_events add constraint refuse_triage check (event_type <> 'xstate.done.actor.triage')`);
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await new Promise((resolve) => setTimeout(resolve, 500)); // several failed writes and resumes

    const row = await h.store.load(id);
    expect(row).toMatchObject({ state: 'open.triaging', version: 1 });
    expect(await sql(`select step from step_journal`)).toEqual([]);

    await sql(`alter table incident_events drop constraint refuse_triage`);
    await stateOf(h, id, 'open.awaitingDiagnosisApproval');
    expect(await sql(`select step from step_journal order by started_at`)).toEqual([{ step: 'diagnose' }, { step: 'diagnosis-card' }]);
  });
});

describe('memory', () => {
  it('10,000 parked incidents stay on disk, and one of them still wakes on its event', async () => {
    const db = await database();
    const actors = new ControllableActors();
    const h = closing(await createHarness({ db, machine: () => actors.machine() }));
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    const steps: [string, unknown][] = [
      ['triage', { verdict: 'new', reason: 'new' }],
      ['diagnose', { summary: 's', rootCause: 'r', category: 'c', severity: 'high', confidence: 0.5, evidence: [] }],
      ['sendDiagnosisCard', { messageId: 'm1' }],
    ];
    for (const [invokeId, output] of steps) {
      await eventually(() => (actors.isPending(id, invokeId) ? true : undefined), invokeId);
      actors.settle(id, invokeId, { output });
    }
    await stateOf(h, id, 'open.awaitingDiagnosisApproval');

    // Clone the real parked incident 10,000 times, as a long-running bot would accumulate them.
    await h.orm.em.fork().getConnection().execute(
      `insert into incidents (id, state, status, machine_version, version, fingerprint, title, source, severity, service, chat_id, merged_into, wake_at, snapshot, created_at, updated_at)
       select 'INC-P' || lpad(g::text, 7, '0'), state, status, machine_version, version, fingerprint || g, title, source, severity, service, chat_id, null, wake_at,
              jsonb_set(snapshot, '{context,incidentId}', to_jsonb('INC-P' || lpad(g::text, 7, '0'))), created_at, updated_at
       from incidents, generate_series(1, 10000) g where id = ?`,
      [id],
    );
    const restarted = closing(await createHarness({ db, machine: () => actors.machine() }));
    expect(await restarted.runtime.recover()).toBe(0);
    expect(await restarted.sweeper.sweep()).toBe(0);
    expect(restarted.runtime.liveCount).toBe(0);
    expect((await restarted.store.countByStatus()).parked).toBe(10_001);

    const woken = 'INC-P0004242';
    await restarted.runtime.send(woken, { type: 'diagnosis.approved', ...by });
    expect((await restarted.runtime.get(woken))?.state).toBe('open.proposing');
    expect(restarted.runtime.liveCount).toBe(1);
  });
});
