import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventObject } from 'xstate';
import type { FixStepReport, IncidentEvent } from '../../src/domain';
import { FIX_FINISHED } from '../support/fix-stand-in';
import { ControllableActors } from '../support/controllable-actors';
import { createHarness, eventually } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';
import { GRAPH_INPUT, generatePaths } from './chart-paths';
import type { PathStep } from './chart-paths';

const { paths } = generatePaths();
// Every actor is driven by the path, the diagnosis slot included.
const actors = new ControllableActors(new Set());
let h: Harness;

beforeAll(async () => {
  h = await createHarness({ machine: () => actors.machine() });
});
afterAll(async () => {
  await h.close();
});

const ACTOR_EVENT = /^xstate\.(done|error)\.actor\.(.+)$/;

/** Applies one path step through the real runtime: a person's event is sent, an actor's result is fed in. */
async function apply(incidentId: string, step: PathStep, parked: boolean): Promise<void> {
  if (step.event.type === 'fix.stepped') {
    // The fix machine's report of a step: its stand-in's step finishes with it.
    const { type: _type, ...report } = step.event as EventObject & FixStepReport;
    await eventually(() => (actors.isPending(incidentId, 'fix') ? true : undefined), 'the fix to run a step');
    actors.settle(incidentId, 'fix', { output: report });
    return;
  }
  const match = ACTOR_EVENT.exec(step.event.type);
  if (!match) {
    await h.runtime.send(incidentId, step.event as IncidentEvent);
    return;
  }
  const [, kind, invokeId] = match as unknown as [string, 'done' | 'error', string];
  if (parked) {
    // An evicted incident's timer fires through the sweeper once its persisted deadline is due.
    await h.orm.em.fork().getConnection().execute(`update incidents set wake_at = now() - interval '1 second' where id = ?`, [incidentId]);
    await h.sweeper.sweep();
  }
  await eventually(() => (actors.isPending(incidentId, invokeId) ? true : undefined), `${invokeId} to run`);
  const event = step.event as EventObject & { output?: unknown; error?: unknown };
  // The fix machine ends when its stand-in is told it has finished.
  const output = invokeId === 'fix' ? FIX_FINISHED : event.output;
  actors.settle(incidentId, invokeId, kind === 'done' ? { output } : { error: event.error });
}

describe('paths generated from the production chart', () => {
  it('there are paths', () => {
    expect(paths.length).toBeGreaterThan(10);
  });

  for (const [index, path] of paths.entries()) {
    it(path.name, async () => {
      // One fingerprint per path: intake would record a second alert on the first path's open incident.
      const alert = { ...GRAPH_INPUT.alert, fingerprint: `path-${index}` };
      const created = await h.runtime.create({ alert, chatId: 'paths', by: { id: 'path-tester' } });
      expect(created.opened).toBe(true);
      const id = created.id;
      expect(created.state).toBe('open.triaging');
      expect(created.version).toBe(1);
      let previous = { state: created.state, version: 1, status: created.status };
      for (const step of path.steps) {
        await apply(id, step, previous.status === 'parked');
        const row = await eventually(async () => {
          const r = await h.store.load(id);
          return r && r.version > previous.version ? r : undefined;
        }, `${step.event.type} to be persisted`);
        expect(row.version).toBe(previous.version + 1);
        expect(row.state).toBe(step.state);
        expect(row.status).toBe(step.status);
        const audit = (await h.store.timeline(id)).at(-1);
        expect(audit).toMatchObject({ seq: row.version, eventType: step.event.type, fromState: previous.state, toState: step.state });
        if (step.status !== 'active') {
          await eventually(() => (h.runtime.isLive(id) ? undefined : true), `${id} to leave memory`);
          expect(row.wakeAt === null).toBe(step.status === 'done' || step.state === 'escalated');
        }
        previous = { state: row.state, version: row.version, status: row.status };
      }
      const timeline = await h.store.timeline(id);
      expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
      expect(timeline).toHaveLength(path.steps.length + 1);
    });
  }
});
