import { pino } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MemoryLock } from '../src/locks/memory-lock';
import type { LeasePort } from '../src/locks/lease-port';
import { DeadlineSweeper } from '../src/runtime/deadline-sweeper';
import { DurabilityGate } from '../src/runtime/durability-gate';
import { IncidentRuntime } from '../src/runtime/incident-runtime';
import { StepJournal } from '../src/runtime/step-journal';
import { IncidentStore } from '../src/store/incident-store';
import type { AuditEntry } from '../src/store/incident-store';
import { migrate, openOrm } from '../src/store/orm';
import { StepJournalStore } from '../src/store/step-journal-store';
import { TEST_TIMEOUTS } from '../test/support/runtime-harness';
import { IncidentTimeline } from './incident-timeline';
import { instantIncidentMachine } from './instant-actors';
import { StepMarks } from './step-marks';

/** The connection pool app.ts gives a real Postgres server; the raw-insert baseline gets the same. */
export const POOL_SIZE = 10;

/**
 * The real store, timing each transition's own write, group commit included (as opposed to its wait in the
 * per-incident queue), and, for a marked transition, how long after its event the write started: XState's
 * step, the snapshot taken, and the wait in the incident's queue.
 */
export class TimedIncidentStore extends IncidentStore {
  readonly saveTransitionMs: number[] = [];
  readonly untilWriteMs: number[] = [];

  constructor(
    orm: MikroORM,
    private readonly marks: StepMarks,
  ) {
    super(orm);
  }

  override async saveTransition(...args: Parameters<IncidentStore['saveTransition']>): Promise<void> {
    const started = performance.now();
    const [id, , , audits] = args;
    for (const audit of Array.isArray(audits) ? audits : [audits]) {
      const askedAt = this.marks.peek(id, (audit as AuditEntry).eventType);
      if (askedAt !== undefined) this.untilWriteMs.push(started - askedAt);
    }
    await super.saveTransition(...args);
    this.saveTransitionMs.push(performance.now() - started);
  }
}

export interface BenchRuntime {
  orm: MikroORM;
  store: TimedIncidentStore;
  gate: DurabilityGate;
  runtime: IncidentRuntime;
  sweeper: DeadlineSweeper;
  marks: StepMarks;
  timeline: IncidentTimeline;
  /** Stops the runtime and closes the pool; the database stays. */
  close(): Promise<void>;
}

/**
 * The production runtime wiring (as in src/app.ts) with instant actors, on the given database: pool
 * opened and migrations applied, as a booting bot does before it recovers incidents.
 */
export async function openBenchRuntime(databaseUrl: string, poolSize = POOL_SIZE, leases?: LeasePort): Promise<BenchRuntime> {
  // Warnings and errors (a failed write, a crashed chart) go to stderr, away from the table.
  const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const orm = await openOrm({ databaseUrl, poolSize, logger });
  await migrate(orm);
  const marks = new StepMarks();
  const store = new TimedIncidentStore(orm, marks);
  const gate = new DurabilityGate();
  const journal = new StepJournal(new StepJournalStore(orm), gate);
  const runtime = new IncidentRuntime({
    store,
    locks: new MemoryLock(),
    gate,
    logger,
    timeouts: TEST_TIMEOUTS,
    leases,
    machine: (incidents) => instantIncidentMachine({ journal, store, incidents, marks }),
  });
  const sweeper = new DeadlineSweeper(store, runtime, logger, 60_000);
  const timeline = new IncidentTimeline((listener) => runtime.subscribe(listener));
  return {
    orm,
    store,
    gate,
    runtime,
    sweeper,
    marks,
    timeline,
    async close() {
      // The runtime does not wait for a stopped step's journal query; issued after the pool closes, it would
      // hold the process for knex's 60 s acquire timeout. Instant steps finish quickly: let them.
      await settled({ runtime, gate }, 5_000).catch(() => undefined);
      await sweeper.stop();
      await runtime.stop();
      await orm.close();
    },
  };
}

/** Resolves once no incident is in memory and no write is queued: every incident is parked or done. */
export async function settled(bench: Pick<BenchRuntime, 'runtime' | 'gate'>, timeoutMs = 120_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (bench.runtime.liveCount > 0 || bench.gate.pending > 0) {
    if (performance.now() > until) throw new Error(`${bench.runtime.liveCount} incidents still live after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
