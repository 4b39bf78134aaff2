import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { IncidentBusyError } from '../../src/domain/errors';
import { RedisLeases } from '../../src/locks/redis-leases';
import { MemoryLock } from '../../src/locks/memory-lock';
import { DeferredAlertDrainer } from '../../src/intake/deferred-alert-drainer';
import { DeferringIntake } from '../../src/intake/deferring-intake';
import { DeferredAlertStore } from '../../src/store/deferred-alert-store';
import { startFlakyService } from '../fakes/flaky-service';
import { ControllableActors } from '../support/controllable-actors';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { createHarness, eventually } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';
import { createWorkflowHarness, flakyTargets } from '../support/workflow-harness';

const alert = { source: 'test', fingerprint: 'checkout-503', title: 'checkout returns 503', severity: 'high', service: 'checkout' } as const;
const by = { by: { id: 'alice' }, source: { kind: 'command' as const } };
const logger = pino({ level: 'silent' });
const diagnosis = { summary: 's', rootCause: 'r', category: 'availability', severity: 'high', confidence: 0.5, evidence: [] };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One Redis connection per instance, and one key prefix per test: instances of one test share leases. */
function redisFor(prefix: string, ttlMs = 2_000) {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  cleanups.push(() => Promise.resolve(redis.disconnect()));
  return { redis, leases: new RedisLeases(redis, { ttlMs, prefix, logger }) };
}

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

async function instance(db: TestDatabase, prefix: string, options: { leaseWaitMs?: number; ttlMs?: number } = {}) {
  const actors = new ControllableActors();
  const { redis, leases } = redisFor(prefix, options.ttlMs);
  const h = await createHarness({ db, leases, leaseWaitMs: options.leaseWaitMs ?? 5_000, machine: () => actors.machine() });
  cleanups.push(() => h.close());
  return { h, actors, redis };
}

async function stateOf(h: Harness, id: string, state: string) {
  return eventually(async () => {
    const view = await h.runtime.get(id);
    return view?.state === state ? view : undefined;
  }, `${id} to reach ${state}`);
}

/** Drives an incident on `a` to the parked diagnosis card (the actors run where the incident lives). */
async function parkAtDiagnosis(a: Awaited<ReturnType<typeof instance>>) {
  const { id } = await a.h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
  const steps: [string, unknown][] = [['triage', { verdict: 'new', reason: 'new' }], ['diagnose', diagnosis], ['sendDiagnosisCard', { messageId: 'card-1' }]];
  for (const [invokeId, output] of steps) {
    await eventually(() => (a.actors.isPending(id, invokeId) ? true : undefined), `${invokeId} to start`);
    a.actors.settle(id, invokeId, { output });
  }
  await stateOf(a.h, id, 'open.awaitingDiagnosisApproval');
  await eventually(() => (a.h.runtime.isLive(id) ? undefined : true), 'the parked incident to leave memory');
  return id;
}

describe('several instances on one database and one Redis', () => {
  it('any instance takes the next event of a parked incident, and then owns it', async () => {
    const db = await database();
    const prefix = `test:mi1:${Date.now()}:`;
    const a = await instance(db, prefix, { leaseWaitMs: 300 });
    const b = await instance(db, prefix);
    const id = await parkAtDiagnosis(a);

    await b.h.runtime.send(id, { type: 'diagnosis.approved', ...by });
    await eventually(() => (b.actors.isPending(id, 'propose') ? true : undefined), 'B to run the next step');
    expect(b.h.runtime.isLive(id)).toBe(true);
    expect(a.h.runtime.isLive(id)).toBe(false);
    // A cannot take it while B works on it.
    await expect(a.h.runtime.send(id, { type: 'incident.escalate', ...by })).rejects.toBeInstanceOf(IncidentBusyError);
  });

  it('an event for an incident another instance is working on waits until it lets go, then applies', async () => {
    const db = await database();
    const prefix = `test:mi2:${Date.now()}:`;
    const a = await instance(db, prefix);
    const b = await instance(db, prefix, { leaseWaitMs: 10_000 });
    const { id } = await a.h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await eventually(() => (a.actors.isPending(id, 'triage') ? true : undefined), 'triage to start on A');

    const escalating = b.h.runtime.send(id, { type: 'incident.escalate', ...by });
    a.actors.settle(id, 'triage', { output: { verdict: 'new', reason: 'new' } });
    await eventually(() => (a.actors.isPending(id, 'diagnose') ? true : undefined), 'diagnose to start on A');
    a.actors.settle(id, 'diagnose', { output: diagnosis });
    await eventually(() => (a.actors.isPending(id, 'sendDiagnosisCard') ? true : undefined), 'the card step on A');
    a.actors.settle(id, 'sendDiagnosisCard', { output: { messageId: 'card-1' } });

    const view = await escalating;
    expect(view.state).toBe('escalating');
    const timeline = await b.h.store.timeline(id);
    expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
    expect(timeline.map((e) => e.toState).slice(-2)).toEqual(['open.awaitingDiagnosisApproval', 'escalating']);
  });

  it('an instance that loses its lease mid-step drops the incident, and another adopts it', async () => {
    const db = await database();
    const prefix = `test:mi3:${Date.now()}:`;
    const a = await instance(db, prefix, { ttlMs: 600 });
    const b = await instance(db, prefix, { ttlMs: 600 });
    const { id } = await a.h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await eventually(() => (a.actors.isPending(id, 'triage') ? true : undefined), 'triage to start on A');

    a.redis.disconnect(); // A can no longer renew: as if it hung or was cut off
    await eventually(() => (a.h.runtime.isLive(id) ? undefined : true), 'A to drop the incident');
    await eventually(async () => ((await b.h.sweeper.adoptOrphans()) === 1 ? true : undefined), 'B to adopt it once the lease expired');
    await eventually(() => (b.actors.isPending(id, 'triage') ? true : undefined), 'triage to run again on B');
    b.actors.settle(id, 'triage', { output: { verdict: 'new', reason: 'new' } });
    await eventually(() => (b.actors.isPending(id, 'diagnose') ? true : undefined), 'diagnose on B');
  });

  it('a deadline due on a shared database fires once, whichever instances sweep', async () => {
    const db = await database();
    const service = await startFlakyService();
    cleanups.push(() => service.close());
    const prefix = `test:mi4:${Date.now()}:`;
    const timeouts = { diagnosisApproval: 300 };
    const a = await createWorkflowHarness({ targets: flakyTargets(service.url), db, timeouts, leases: redisFor(prefix).leases });
    cleanups.push(() => a.close());
    const b = await createWorkflowHarness({ targets: flakyTargets(service.url), db, timeouts, leases: redisFor(prefix).leases });
    cleanups.push(() => b.close());
    const { id } = await a.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await stateOf(a, id, 'open.awaitingDiagnosisApproval');
    await eventually(() => (a.runtime.isLive(id) ? undefined : true), 'the incident to park');
    await new Promise((resolve) => setTimeout(resolve, 350)); // past its deadline

    await Promise.all([a.sweeper.sweep(), b.sweeper.sweep(), a.sweeper.sweep(), b.sweeper.sweep()]);
    await stateOf(a, id, 'escalated');
    const timeline = await a.store.timeline(id);
    expect(timeline.filter((e) => e.eventType === 'xstate.done.actor.diagnosisApprovalTimer')).toHaveLength(1);
  });

  it('a repeat alert for an incident busy on another instance is acknowledged, kept, and recorded once it is free', async () => {
    const db = await database();
    const prefix = `test:mi5:${Date.now()}:`;
    const a = await instance(db, prefix);
    const b = await instance(db, prefix, { leaseWaitMs: 200 });
    const deferred = new DeferredAlertStore(b.h.orm);
    const intakeOnB = new DeferringIntake(b.h.runtime, deferred, logger);
    const drainer = new DeferredAlertDrainer({ store: deferred, service: b.h.runtime, locks: new MemoryLock(), logger, intervalMs: 60_000 });
    const { id } = await a.h.runtime.create({ alert, chatId: 'ops', by: { id: 'm' } });
    await eventually(() => (a.actors.isPending(id, 'triage') ? true : undefined), 'triage to start on A');

    const repeat = await intakeOnB.create({ alert, chatId: 'ops', by: { id: 'm' } });
    expect(repeat).toMatchObject({ id, opened: false });
    expect(await deferred.waiting(10)).toHaveLength(1);
    expect(await drainer.drain()).toBe(0); // still busy on A: kept
    expect((await deferred.waiting(10))[0]?.attempts).toBe(1);

    a.actors.settle(id, 'triage', { output: { verdict: 'new', reason: 'new' } });
    await eventually(() => (a.actors.isPending(id, 'diagnose') ? true : undefined), 'diagnose on A');
    a.actors.settle(id, 'diagnose', { output: diagnosis });
    await eventually(() => (a.actors.isPending(id, 'sendDiagnosisCard') ? true : undefined), 'the card step on A');
    a.actors.settle(id, 'sendDiagnosisCard', { output: { messageId: 'card-1' } });
    await stateOf(a.h, id, 'open.awaitingDiagnosisApproval');
    await eventually(() => (a.h.runtime.isLive(id) ? undefined : true), 'the incident to park on A');

    expect(await drainer.drain()).toBe(1);
    expect(await deferred.waiting(10)).toEqual([]);
    const view = await b.h.runtime.get(id);
    expect(view?.context.repeats).toBe(1);
    expect(view?.state).toBe('open.awaitingDiagnosisApproval');
    expect(await drainer.drain()).toBe(0); // recorded once
    expect((await b.h.runtime.get(id))?.context.repeats).toBe(1);
  });
});
