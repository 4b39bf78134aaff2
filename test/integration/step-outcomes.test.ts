import { afterEach, describe, expect, it } from 'vitest';
import { fromPromise } from 'xstate';
import type { Diagnosis } from '../../src/domain';
import { incidentContext, stepKey } from '../../src/implementations/incident-context';
import type { StepJournal } from '../../src/runtime/step-journal';
import { startFlakyService } from '../fakes/flaky-service';
import { ControllableActors } from '../support/controllable-actors';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { createHarness, eventually } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';

/**
 * A step's outcome is written by the statement of the transition its result causes (one commit, not
 * two), and a step XState runs again still gets the recorded outcome back instead of acting twice.
 */
const alert = { source: 'test', fingerprint: 'checkout-503', title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;
const DIAGNOSIS: Diagnosis = { summary: 's', rootCause: 'r', category: 'c', severity: 'high', confidence: 0.5, evidence: [] };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}
function closing<T extends Harness>(h: T): T {
  cleanups.push(() => h.close());
  return h;
}
async function sql<T>(h: Harness, text: string, values: unknown[] = []): Promise<T[]> {
  return h.orm.em.fork().getConnection().execute<T[]>(text, values);
}
async function stateOf(h: Harness, id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

/** A diagnosis that acts (counted) only when the test lets it, through the real journal. */
class HeldDiagnosis {
  acts = 0;
  private release: () => void = () => undefined;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  machine(actors: ControllableActors, journal: StepJournal) {
    const diagnose = fromPromise<Diagnosis, void>(async ({ system, signal }) =>
      journal.step(stepKey(incidentContext(system), 'diagnose'), signal, async () => {
        this.acts++;
        await this.released;
        return DIAGNOSIS;
      }),
    );
    return actors.machine().provide({ actors: { diagnose } });
  }

  finish(): void {
    this.release();
  }
}

/** Opens an incident whose diagnosis is running (held). */
async function diagnosing(h: Harness, actors: ControllableActors, held: HeldDiagnosis): Promise<string> {
  const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
  await eventually(() => (actors.isPending(id, 'triage') ? true : undefined), 'triage to start');
  actors.settle(id, 'triage', { output: { verdict: 'new', reason: 'new' } });
  await eventually(() => (held.acts === 1 ? true : undefined), 'the diagnosis to act');
  return id;
}

async function journalRows(h: Harness, id: string) {
  return sql<{ step: string; status: string }>(h, 'select step, status from step_journal where incident_id = ? order by started_at', [id]);
}

describe('step outcomes ride with their transition', () => {
  it('the real steps record their outcomes in the transaction of the transition their result causes', async () => {
    const db = await database();
    const service = await startFlakyService();
    cleanups.push(() => service.close());
    const h = closing(await createWorkflowHarness({ targets: flakyTargets(service.url), db }));
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await stateOf(h, id, 'open.awaitingDiagnosisApproval');

    // xmin names the transaction that wrote a row: each outcome and its `xstate.done.actor.*` audit row share one.
    const rows = await sql<{ step: string; event_type: string | null }>(
      h,
      `select j.step, e.event_type from step_journal j
         left join incident_events e on e.incident_id = j.incident_id and e.xmin::text = j.xmin::text
        where j.incident_id = ? order by j.started_at`,
      [id],
    );
    expect(rows).toEqual([
      { step: 'diagnose', event_type: 'xstate.done.actor.diagnose' },
      { step: 'diagnosis-card', event_type: 'xstate.done.actor.sendDiagnosisCard' },
    ]);
  });

  it('a stale writer still records what its step did, and the instance that runs the step again replays it', async () => {
    const db = await database();
    const actors = new ControllableActors();
    const held = new HeldDiagnosis();
    const a = closing(await createHarness({ db, machine: (_, base) => held.machine(actors, base.journal) }));
    const id = await diagnosing(a, actors, held);

    // Another writer moves the incident on meanwhile (same state): A's next transition is stale.
    await sql(a, 'update incidents set version = version + 1 where id = ?', [id]);
    held.finish();
    await eventually(() => (a.runtime.isLive(id) ? undefined : true), 'A to drop its stale actor');
    expect(await journalRows(a, id)).toEqual([{ step: 'diagnose', status: 'done' }]);
    expect((await a.store.load(id))?.state).toBe('open.diagnosing');

    const b = closing(await createHarness({ db, machine: (_, base) => held.machine(actors, base.journal) }));
    expect(await b.runtime.recover()).toBe(1);
    const view = await stateOf(b, id, 'open.notifyingDiagnosis');
    expect(view.context.diagnosis).toEqual(DIAGNOSIS);
    expect(held.acts).toBe(1);
  });

  it('a step that finishes after its actor was stopped records its outcome on its own, and the restarted runtime replays it', async () => {
    const db = await database();
    const actors = new ControllableActors();
    const held = new HeldDiagnosis();
    const a = await createHarness({ db, machine: (_, base) => held.machine(actors, base.journal) });
    cleanups.push(() => a.close());
    const id = await diagnosing(a, actors, held);

    await a.runtime.stop(); // shutting down: the step ignores its signal and finishes anyway
    held.finish();
    await eventually(async () => ((await journalRows(a, id)).length === 1 ? true : undefined), 'the outcome to be recorded');
    expect(await journalRows(a, id)).toEqual([{ step: 'diagnose', status: 'done' }]);

    const b = closing(await createHarness({ db, machine: (_, base) => held.machine(actors, base.journal) }));
    expect(await b.runtime.recover()).toBe(1);
    const view = await stateOf(b, id, 'open.notifyingDiagnosis');
    expect(view.context.diagnosis).toEqual(DIAGNOSIS);
    expect(held.acts).toBe(1);
  });

  it('a transition that cannot be written takes its outcome with it: nothing is recorded, and the re-run acts and records once', async () => {
    const db = await database();
    const actors = new ControllableActors();
    const held = new HeldDiagnosis();
    const h = closing(await createHarness({ db, machine: (_, base) => held.machine(actors, base.journal) }));
    await sql(h, `alter table incident_events add constraint refuse_diagnosis check (event_type <> 'xstate.done.actor.diagnose')`);
    const id = await diagnosing(h, actors, held);
    held.finish();
    await eventually(() => (held.acts >= 2 ? true : undefined), 'the step to run again from the last saved state');
    expect(await journalRows(h, id)).toEqual([]);

    await sql(h, 'alter table incident_events drop constraint refuse_diagnosis');
    await stateOf(h, id, 'open.notifyingDiagnosis');
    expect(await journalRows(h, id)).toEqual([{ step: 'diagnose', status: 'done' }]);
  });
});

describe('a step is looked up only when an outcome may exist', () => {
  const key = { incidentId: 'INC-LEDGER', step: 'probe', attempt: 1 };
  const run = (h: Harness) => h.journal.step(key, new AbortController().signal, () => Promise.resolve('acted now'));

  it('trusts the list of outcomes its actor started with; looks up a listed key, and every key of an incident not held here', async () => {
    const h = closing(await createHarness({ machine: () => new ControllableActors().machine() }));
    // A row the list below does not mention: only a lookup would find it.
    await sql(h, `insert into step_journal (idempotency_key, incident_id, step, status, result, started_at, finished_at) values (?, ?, 'probe', 'done', '"recorded earlier"', now(), now())`, [
      `${key.incidentId}/1/probe`,
      key.incidentId,
    ]);

    h.gate.recorded.open(key.incidentId, []);
    expect(await run(h)).toBe('acted now');
    expect(h.gate.recorded.mayHave(key.incidentId, `${key.incidentId}/1/probe`)).toBe(true); // its own outcome is listed at once
    h.gate.takeCarried(key.incidentId);

    h.gate.recorded.open(key.incidentId, [`${key.incidentId}/1/probe`]);
    expect(await run(h)).toBe('recorded earlier');
    h.gate.recorded.close(key.incidentId);
    expect(await run(h)).toBe('recorded earlier');
  });

  it('a live actor lists what it records and forgets its incident when it leaves memory', async () => {
    const actors = new ControllableActors();
    const held = new HeldDiagnosis();
    const h = closing(await createHarness({ machine: (_, base) => held.machine(actors, base.journal) }));
    const id = await diagnosing(h, actors, held);
    expect(h.gate.recorded.mayHave(id, `${id}/1/diagnose`)).toBe(false);
    held.finish();
    await stateOf(h, id, 'open.notifyingDiagnosis');
    expect(h.gate.recorded.mayHave(id, `${id}/1/diagnose`)).toBe(true);
    expect(h.gate.recorded.mayHave(id, `${id}/1/never-run`)).toBe(false);

    await h.runtime.stop();
    expect(h.gate.recorded.size).toBe(0);
    expect(h.gate.recorded.mayHave(id, `${id}/1/never-run`)).toBe(true);
  });
});
