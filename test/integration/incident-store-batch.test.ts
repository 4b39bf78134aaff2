import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { StaleWriteError } from '../../src/domain/errors';
import { IncidentStore } from '../../src/store/incident-store';
import type { IncidentWrite } from '../../src/store/incident-store';
import { migrate, openOrm } from '../../src/store/orm';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

let db: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openOrm({ databaseUrl: db.url, poolSize: 2 });
  await migrate(orm);
});

afterAll(async () => {
  await orm.close();
  await db.drop();
});

const write = (state: string, wakeAt: Date | null = null): IncidentWrite => ({
  at: new Date(),
  state,
  status: wakeAt ? 'parked' : 'active',
  wakeAt,
  snapshot: { value: state, context: { note: `it's "${state}"` } },
  mergedInto: null,
});

async function open(store: IncidentStore, id: string): Promise<void> {
  const first = write('open.triaging');
  await store.insert(
    { ...first, id, machineVersion: 1, fingerprint: `fp-${id}`, title: id, source: 'test', severity: 'high', service: null, chatId: 'ops' },
    { actor: 'test', eventType: 'alert.received', fromState: null, toState: first.state, payload: {} },
  );
}

describe('transitions written together (group commit)', () => {
  it('writes each incident that arrived while others were being written, and fences a stale one alone', async () => {
    // Pool of 2 → one write in flight: the rest queue up and go as one statement.
    const store = new IncidentStore(orm);
    const ids = Array.from({ length: 6 }, (_, i) => `INC-BATCH-${i}`);
    for (const id of ids) await open(store, id);
    const wake = new Date(Date.now() + 60_000);
    const outcomes = await Promise.allSettled(
      ids.map((id, i) =>
        store.saveTransition(id, i === 3 ? 7 : 1, write('open.awaitingDiagnosisApproval', wake), {
          actor: 'alice',
          eventType: 'bench.step',
          fromState: 'open.triaging',
          toState: 'open.awaitingDiagnosisApproval',
          payload: { i },
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(StaleWriteError);
    for (const [i, id] of ids.entries()) {
      const row = await store.load(id);
      expect(row).toMatchObject(i === 3 ? { version: 1, state: 'open.triaging' } : { version: 2, state: 'open.awaitingDiagnosisApproval', status: 'parked', wakeAt: wake });
      expect(row?.snapshot).toEqual(i === 3 ? write('open.triaging').snapshot : write('open.awaitingDiagnosisApproval').snapshot);
      const timeline = await store.timeline(id);
      expect(timeline.map((e) => e.seq)).toEqual(i === 3 ? [1] : [1, 2]);
      if (i !== 3) expect(timeline[1]).toMatchObject({ actor: 'alice', eventType: 'bench.step', payload: { i } });
    }
  });

  it('gives each transition its own outcome when the database refuses one row of a batch', async () => {
    const store = new IncidentStore(orm);
    const ids = Array.from({ length: 5 }, (_, i) => `INC-REFUSE-${i}`);
    for (const id of ids) await open(store, id);
    const sql = (text: string) => orm.em.fork().getConnection().execute(text);
    await sql(`alter table incident_events add constraint refuse_one check (event_type <> 'refused')`);
    try {
      const outcomes = await Promise.allSettled(
        ids.map((id, i) =>
          store.saveTransition(id, 1, write('open.diagnosing'), { actor: 'system', eventType: i === 2 ? 'refused' : 'fine', fromState: 'open.triaging', toState: 'open.diagnosing', payload: {} }),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((await store.load(ids[2]!))?.version).toBe(1);
      expect((await store.load(ids[4]!))?.version).toBe(2);
    } finally {
      await sql(`alter table incident_events drop constraint refuse_one`);
    }
  });
});
