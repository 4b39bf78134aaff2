import { pino } from 'pino';
import type { Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { IncidentMachine } from '../../machines/incident.machine';
import type { RecoveryRules, Timeouts } from '../../src/domain';
import type { LeasePort } from '../../src/locks/lease-port';
import { MemoryLock } from '../../src/locks/memory-lock';
import { DeadlineSweeper } from '../../src/runtime/deadline-sweeper';
import { DurabilityGate } from '../../src/runtime/durability-gate';
import { IncidentRuntime } from '../../src/runtime/incident-runtime';
import type { IncidentService } from '../../src/runtime/incident-service';
import { StepJournal } from '../../src/runtime/step-journal';
import { IncidentStore } from '../../src/store/incident-store';
import { closeOrm, migrate, openOrm } from '../../src/store/orm';
import { StepJournalStore } from '../../src/store/step-journal-store';
import type { DataCipher } from '../../src/security/encryption';
import { createTestDatabase } from './database';
import type { TestDatabase } from './database';

export const TEST_TIMEOUTS: Timeouts = {
  diagnosisApproval: 3_600_000,
  proposalApproval: 3_600_000,
  diagnosisStep: 3_600_000,
  proposalStep: 3_600_000,
  executionStep: 3_600_000,
  verificationStep: 3_600_000,
  recoveryQuiet: 3_600_000,
  reopenWindow: 3_600_000,
};

export interface Harness {
  db: TestDatabase;
  orm: MikroORM;
  store: IncidentStore;
  gate: DurabilityGate;
  journal: StepJournal;
  runtime: IncidentRuntime;
  sweeper: DeadlineSweeper;
  logger: Logger;
  close(): Promise<void>;
}

export interface HarnessOptions {
  machine: (service: IncidentService, harness: Omit<Harness, 'runtime' | 'sweeper' | 'close'>) => IncidentMachine;
  timeouts?: Partial<Timeouts>;
  /** Reuse a database (a "restart" of the bot on the same data). */
  db?: TestDatabase;
  poolSize?: number;
  /** Encrypts step results at rest, as ENCRYPTION_KEY does; default plain. */
  cipher?: DataCipher;
  /** Shared leases (several instances on one Redis); each harness keeps its own in memory otherwise. */
  leases?: LeasePort;
  leaseWaitMs?: number;
  recovery?: RecoveryRules;
}

/** The real runtime on a fresh database on the real Postgres server; the sweeper is driven by hand. */
export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const db = options.db ?? (await createTestDatabase());
  const orm = await openOrm({ databaseUrl: db.url, poolSize: options.poolSize ?? 5 });
  await migrate(orm);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const store = new IncidentStore(orm);
  const gate = new DurabilityGate();
  const journal = new StepJournal(new StepJournalStore(orm, options.cipher), gate);
  const base = { db, orm, store, gate, journal, logger };
  const runtime = new IncidentRuntime({
    store,
    locks: new MemoryLock(),
    gate,
    logger,
    timeouts: { ...TEST_TIMEOUTS, ...options.timeouts },
    machine: (service) => options.machine(service, base),
    resumeDelayMs: 50,
    leases: options.leases,
    leaseWaitMs: options.leaseWaitMs,
    recovery: options.recovery,
  });
  const sweeper = new DeadlineSweeper(store, runtime, logger, 60_000, { adoptOrphans: !!options.leases });
  return {
    ...base,
    runtime,
    sweeper,
    async close() {
      await sweeper.stop();
      await runtime.stop();
      await closeOrm(orm);
      if (!options.db) await db.drop();
    },
  };
}

/** Polls until `check` returns a value (not undefined) or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
