import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupingIntake } from '../../src/alerts/grouping-intake';
import { DeferredAlertDrainer } from '../../src/intake/deferred-alert-drainer';
import { DeferringIntake } from '../../src/intake/deferring-intake';
import { MemoryLock } from '../../src/locks/memory-lock';
import { DeferredAlertStore } from '../../src/store/deferred-alert-store';
import type { AlertInput } from '../../src/domain';
import { LeasedLock } from '../../src/locks/leased-lock';
import { RedisLeases } from '../../src/locks/redis-leases';
import { IncidentAlertStore } from '../../src/store/incident-alert-store';
import { ControllableActors } from '../support/controllable-actors';
import { createTestDatabase } from '../support/database';
import { createHarness, eventually } from '../support/runtime-harness';

const logger = pino({ level: 'silent' });
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One bot instance: its own runtime, Redis connection and grouping intake, on the shared database and Redis. */
async function instance(db: Awaited<ReturnType<typeof createTestDatabase>>, prefix: string) {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  cleanups.push(() => Promise.resolve(redis.disconnect()));
  const leases = new RedisLeases(redis, { ttlMs: 5_000, prefix, logger });
  const actors = new ControllableActors();
  const h = await createHarness({ db, leases, leaseWaitMs: 5_000, machine: () => actors.machine() });
  cleanups.push(() => h.close());
  const grouping = new GroupingIntake(h.runtime, {
    alerts: new IncidentAlertStore(h.orm),
    rules: { groupBy: ['alertname', 'service'], windowMs: 300_000 },
    locks: new LeasedLock(leases, 10_000),
    logger,
  });
  // As in the app: an alert for an incident the other instance is working on is kept and recorded once it is free.
  const deferred = new DeferredAlertStore(h.orm);
  const intake = new DeferringIntake(grouping, deferred, logger);
  const drainer = new DeferredAlertDrainer({ store: deferred, service: grouping, locks: new MemoryLock(), logger, intervalMs: 60_000 });
  return { h, actors, intake, drainer };
}

async function count(db: { url: string }, table: string): Promise<number> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(`select count(*) as n from ${table}`);
    return Number(result.rows[0]!.n);
  } finally {
    await client.end();
  }
}

const alert = (i: number, groupKey?: string): AlertInput => ({
  source: 'alertmanager',
  fingerprint: `disk-${i}`,
  title: 'DiskFull',
  service: 'storage',
  severity: 'high',
  labels: { alertname: 'DiskFull', host: `host-${i}` },
  groupKey,
});

describe('grouping across instances', () => {
  it.each([
    ['a sender group (Alertmanager groupKey)', (i: number) => alert(i, '{}:{alertname="DiskFull"}')],
    ['a label group (GROUP_BY)', (i: number) => alert(i)],
  ])('alerts of %s reaching two instances at the same moment make one incident', async (_, make) => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const prefix = `grouping-${Date.now()}-${Math.random().toString(36).slice(2)}:`;
    const [a, b] = [await instance(db, prefix), await instance(db, prefix)];
    const reports = await Promise.all(
      Array.from({ length: 12 }, (_, n) => (n % 2 ? a : b).intake.create({ alert: make(n), chatId: 'ops', by: { id: 'alertmanager' } })),
    );
    const ids = new Set(reports.map((r) => (r.silenced ? 'silenced' : r.id)));
    expect(ids.size).toBe(1);
    expect(reports.filter((r) => r.opened)).toHaveLength(1);
    expect(await count(db, 'incidents')).toBe(1);
    // Every alert is held by the incident, or kept until the instance working on it lets go.
    expect((await count(db, 'incident_alerts')) + (await count(db, 'deferred_alerts'))).toBeGreaterThanOrEqual(12);
    // The owner parks it (diagnosis card posted); the other instance then records what it kept.
    const [id] = [...ids] as [string];
    const owner = a.h.runtime.isLive(id) ? a : b;
    const steps: [string, unknown][] = [
      ['triage', { verdict: 'new', reason: 'new' }],
      ['diagnose', { summary: 's', rootCause: 'r', category: 'availability', severity: 'high', confidence: 0.5, evidence: [] }],
      ['sendDiagnosisCard', { messageId: 'card-1' }],
    ];
    for (const [invokeId, output] of steps) {
      await eventually(() => (owner.actors.isPending(id, invokeId) ? true : undefined), `${invokeId} to run`);
      owner.actors.settle(id, invokeId, { output });
    }
    await eventually(() => (owner.h.runtime.isLive(id) ? undefined : true), 'the parked incident to leave memory');
    await a.drainer.drain();
    await b.drainer.drain();
    expect(await count(db, 'deferred_alerts')).toBe(0);
    expect(await count(db, 'incident_alerts')).toBe(12);
    expect(await count(db, 'incidents')).toBe(1);
    expect((await a.h.runtime.get(id))?.context.alerts).toMatchObject({ total: 12, firing: 12 });
  });
});
