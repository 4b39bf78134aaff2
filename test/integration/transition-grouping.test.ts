import { afterEach, describe, expect, it } from 'vitest';
import { ControllableActors } from '../support/controllable-actors';
import { createHarness, eventually } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';

/**
 * Transitions that come while their incident's write has not started join it: the row takes the last
 * snapshot, every transition keeps its audit row, all in one transaction (fewer commits per incident).
 */
const alert = { source: 'test', fingerprint: 'checkout-503', title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function harness(actors: ControllableActors): Promise<Harness> {
  const h = await createHarness({ machine: () => actors.machine() });
  cleanups.push(() => h.close());
  return h;
}
async function events(h: Harness, id: string) {
  return h.orm.em
    .fork()
    .getConnection()
    .execute<{ seq: number; to_state: string; tx: string }[]>('select seq, to_state, xmin::text as tx from incident_events where incident_id = ? order by seq', [id]);
}

describe('transitions grouped into one write', () => {
  it('a step that finishes at once joins the write of the transition that started it: every audit row, one transaction', async () => {
    // The diagnosis slot is granted at once (ControllableActors' default), right after triage's transition.
    const actors = new ControllableActors();
    const h = await harness(actors);
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await eventually(() => (actors.isPending(id, 'triage') ? true : undefined), 'triage to start');
    actors.settle(id, 'triage', { output: { verdict: 'new', reason: 'new' } });
    await eventually(() => (actors.isPending(id, 'diagnose') ? true : undefined), 'the diagnosis to start');
    await h.gate.whenDurable(id);

    const rows = await events(h, id);
    expect(rows.map((r) => [r.seq, r.to_state])).toEqual([
      [1, 'open.triaging'],
      [2, 'open.awaitingDiagnosisSlot'],
      [3, 'open.diagnosing'],
    ]);
    expect(rows[1]!.tx).toBe(rows[2]!.tx);
    expect(await h.store.load(id)).toMatchObject({ version: 3, state: 'open.diagnosing' });
  });

  it('a stale write fails for every transition it holds and leaves the newer row alone', async () => {
    const actors = new ControllableActors();
    const h = await harness(actors);
    const { id } = await h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await eventually(() => (actors.isPending(id, 'triage') ? true : undefined), 'triage to start');
    await h.orm.em.fork().getConnection().execute('update incidents set version = version + 1 where id = ?', [id]);
    actors.settle(id, 'triage', { output: { verdict: 'new', reason: 'new' } });
    await eventually(() => (h.runtime.isLive(id) ? undefined : true), 'the stale actor to be dropped');

    expect((await events(h, id)).map((r) => r.to_state)).toEqual(['open.triaging']);
    expect(await h.store.load(id)).toMatchObject({ version: 2, state: 'open.triaging' });
  });
});
