import { createActor } from 'xstate';
import type { ActorOptions, InspectionEvent } from 'xstate';
import type { Logger } from 'pino';
import { INCIDENT_MACHINE_VERSION } from '../../machines/incident.machine';
import type { IncidentMachine } from '../../machines/incident.machine';
import type { IncidentInput } from '../domain';
import { IncidentBusyError, UnknownIncidentError } from '../domain/errors';
import type { LockPort } from '../locks/lock-port';
import type { Lease, LeasePort } from '../locks/lease-port';
import type { DurabilityGate } from './durability-gate';
import type { IncidentStorePort, RestorableIncident, StoredIncident } from './incident-store-port';
import { eventNotAccepted } from './incident-view';
import { wakeWaiters } from './live-incident';
import type { FixedColumns, IncidentSnapshot, LiveIncident } from './live-incident';
import { stateName } from './snapshot-info';
import type { TransitionOutcomes, TransitionWriter } from './transition-writer';

export interface IncidentOwnershipOptions {
  store: Pick<IncidentStorePort, 'load' | 'loadForRestore' | 'activeIds'>;
  locks: LockPort;
  gate: DurabilityGate;
  leases: LeasePort;
  logger: Logger;
  machine: IncidentMachine;
  writer: TransitionWriter;
  /** How long an event waits for another instance to let go of an incident it is working on. */
  leaseWaitMs: number;
  /** Delay before an incident whose write failed (database down) is rehydrated and resumed. */
  resumeDelayMs: number;
}

/**
 * Which incidents this instance holds in memory, and on what terms: an actor lives only while its lease
 * is held; parked and finished incidents are evicted (their lease let go once their last write landed) and
 * rehydrated from the stored snapshot on their next event or deadline; incidents left mid-step are resumed.
 */
export class IncidentOwnership implements TransitionOutcomes {
  private readonly live = new Map<string, LiveIncident>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  /** Leases being let go (after their incident's last write): stop() waits for them. */
  private readonly releasing = new Set<Promise<void>>();
  private stopping = false;

  constructor(private readonly options: IncidentOwnershipOptions) {}

  get stopped(): boolean {
    return this.stopping;
  }

  /** Incidents whose actors are in memory now. */
  get count(): number {
    return this.live.size;
  }

  has(incidentId: string): boolean {
    return this.live.has(incidentId);
  }

  /**
   * The incident's actor, rehydrated (under its lease) if it is not in memory. IncidentBusyError when
   * another instance holds it beyond `leaseWaitMs`. Call it holding the incident's lock.
   */
  async hold(incidentId: string, eventType: string, leaseWaitMs = this.options.leaseWaitMs): Promise<LiveIncident> {
    return this.live.get(incidentId) ?? (await this.rehydrate(incidentId, eventType, leaseWaitMs));
  }

  /** The lease of a brand-new incident id; nobody can hold it yet. */
  async leaseNew(incidentId: string): Promise<Lease> {
    const lease = await this.options.leases.acquire(incidentId, 0);
    if (!lease) throw new Error(`Incident id ${incidentId} is already leased: refusing to open it twice.`);
    return lease;
  }

  /** A new incident whose first write failed was never opened: let its lease go with it. */
  async releaseIfFirstWriteFails(live: LiveIncident, insert: () => Promise<void>): Promise<void> {
    try {
      await insert();
    } catch (error) {
      live.actor.stop();
      this.options.gate.recorded.close(live.id);
      await live.lease.release();
      throw error;
    }
  }

  /** Keeps an opened incident in memory (its first write has landed). */
  adopt(live: LiveIncident): void {
    this.live.set(live.id, live);
  }

  /**
   * The stored incident once every write already queued for it has landed: an actor evicted a moment ago
   * may still be saving its last transition, and restoring the row before that would fork its history.
   */
  async loadSettled(incidentId: string): Promise<StoredIncident | null> {
    await this.options.gate.whenDurable(incidentId);
    return this.options.store.load(incidentId);
  }

  /** `loadSettled` for an actor to be restored from: with the keys of its recorded step outcomes. */
  private async loadToRestore(incidentId: string): Promise<RestorableIncident | null> {
    await this.options.gate.whenDurable(incidentId);
    return this.options.store.loadForRestore(incidentId);
  }

  /** On boot (and when adopting orphans): resume every incident that was mid-step. Parked ones stay on disk until due. */
  async recover(): Promise<number> {
    let resumed = 0;
    for (const id of await this.options.store.activeIds()) {
      if (await this.resume(id)) resumed++;
    }
    return resumed;
  }

  /**
   * Rehydrates a parked incident whose deadline has passed; its restored timer then fires at once. With
   * several instances sweeping, only the one that gets the lease fires it.
   */
  async wake(incidentId: string): Promise<void> {
    await this.options.locks.withLock(incidentId, async () => {
      if (this.stopping || this.live.has(incidentId)) return;
      await this.withLease(incidentId, 0, async (lease) => {
        const row = await this.loadToRestore(incidentId);
        if (!row || row.status !== 'parked' || !row.wakeAt || row.wakeAt.getTime() > Date.now()) return false;
        this.restore(row, lease);
        return true;
      });
    });
  }

  /** An actor for the incident, holding its lease; it moves only once started. Its transitions go to the writer. */
  spawn(id: string, version: number, start: { input: IncidentInput } | { snapshot: unknown; recordedSteps: string[] }, lease: Lease, fixed: FixedColumns): LiveIncident {
    const live = { id, version, fixed, closed: false, writeFailed: false, lastWrite: Promise.resolve(), onTransition: new Set(), lease } as LiveIncident;
    // Another instance may take over once the lease is gone: stop acting on it here (the version check fences the rest).
    lease.lost.addEventListener('abort', () => {
      if (live.closed) return;
      this.options.logger.warn({ incidentId: id }, 'lost the lease on this incident; dropping it here');
      this.evict(live);
    }, { once: true });
    const inspect = (ev: InspectionEvent) => {
      if (ev.type === '@xstate.snapshot' && ev.actorRef === live.actor) {
        this.options.writer.record(live, ev.event, ev.snapshot as IncidentSnapshot);
      }
    };
    const { machine } = this.options;
    live.actor =
      'snapshot' in start
        ? // A restored actor takes its context from the snapshot; the typed options still ask for an input.
          createActor(machine, { snapshot: start.snapshot, systemId: 'incident', inspect } as ActorOptions<IncidentMachine> & {
            input: IncidentInput;
          })
        : createActor(machine, { input: start.input, systemId: 'incident', inspect });
    live.snapshot = live.actor.getSnapshot();
    live.state = stateName(live.snapshot.value);
    this.options.gate.recorded.open(id, 'snapshot' in start ? start.recordedSteps : []);
    return live;
  }

  /** Drops the actor from memory; its lease is let go once its last write has landed. */
  evict(live: LiveIncident): void {
    if (live.closed) return;
    live.closed = true;
    wakeWaiters(live);
    if (this.live.get(live.id) === live) this.live.delete(live.id);
    live.actor.stop();
    this.options.gate.recorded.close(live.id);
    // A step that finished just now has no transition left to ride with: its outcome is written on its own.
    this.options.gate.orphan(live.id);
    // Another instance may load the incident once the lease is gone: only after its last write has landed.
    const releasing = live.lastWrite
      .catch(() => undefined)
      .then(() => live.lease.release())
      .catch((error: unknown) => this.options.logger.warn({ err: error, incidentId: live.id }, 'could not release the lease; it expires by itself'))
      .finally(() => this.releasing.delete(releasing));
    this.releasing.add(releasing);
  }

  resumeLater(incidentId: string): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      void this.resume(incidentId);
    }, this.options.resumeDelayMs);
    this.resumeTimers.add(timer);
  }

  /** Stops all actors (in-flight steps are aborted and re-run after restart), waits for pending writes and lease releases. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    const pending = [...this.live.values()].map((l) => l.lastWrite.catch(() => undefined));
    const ids = [...this.live.keys()];
    for (const live of this.live.values()) this.evict(live);
    await Promise.all(pending);
    // Outcomes of steps that finished with no transition left to take them are written before the pool closes.
    await Promise.all(ids.map((id) => this.options.gate.whenDurable(id)));
    await Promise.all([...this.releasing]);
  }

  /** Resumes an incident that was mid-step, unless another instance is working on it (holds its lease). */
  private async resume(incidentId: string): Promise<boolean> {
    let loaded = false;
    try {
      return await this.options.locks.withLock(incidentId, async () => {
        if (this.stopping || this.live.has(incidentId)) return false;
        return this.withLease(incidentId, 0, async (lease) => {
          const row = await this.loadToRestore(incidentId);
          loaded = true;
          if (!row || row.status !== 'active') return false;
          this.restore(row, lease);
          return true;
        });
      });
    } catch (error) {
      this.options.logger.error({ err: error, incidentId }, 'could not resume incident');
      // A snapshot that cannot be restored will not improve with time; a database outage will.
      if (!loaded) this.resumeLater(incidentId);
      return false;
    }
  }

  private async rehydrate(incidentId: string, eventType: string, leaseWaitMs: number): Promise<LiveIncident> {
    let restored: LiveIncident | undefined;
    const got = await this.withLease(incidentId, leaseWaitMs, async (lease) => {
      const row = await this.loadToRestore(incidentId);
      if (!row) throw new UnknownIncidentError(incidentId);
      // Done for good, unless its snapshot is still active: closed, but /rollback may take it up again.
      if (row.status === 'done' && (row.snapshot as { status?: unknown }).status !== 'active') throw eventNotAccepted(incidentId, eventType, row.state);
      restored = this.restore(row, lease);
      return true;
    });
    if (!got || !restored) throw new IncidentBusyError(incidentId);
    return restored;
  }

  /**
   * Runs `take` holding the incident's lease; a lease not handed to an actor (take returned false or
   * threw) is released again. False when another instance holds it beyond `waitMs`.
   */
  private async withLease(incidentId: string, waitMs: number, take: (lease: Lease) => Promise<boolean>): Promise<boolean> {
    const lease = await this.options.leases.acquire(incidentId, waitMs);
    if (!lease) return false;
    let kept = false;
    try {
      kept = await take(lease);
      return kept;
    } finally {
      if (!kept) await lease.release();
    }
  }

  private restore(row: RestorableIncident, lease: Lease): LiveIncident {
    if (row.machineVersion !== INCIDENT_MACHINE_VERSION) {
      this.options.logger.warn(
        { incidentId: row.id, stored: row.machineVersion, current: INCIDENT_MACHINE_VERSION },
        'restoring a snapshot written by another machine version',
      );
    }
    const { id, title, severity, fingerprint, chatId, createdAt } = row;
    const live = this.spawn(row.id, row.version, { snapshot: row.snapshot, recordedSteps: row.recordedSteps }, lease, { id, title, severity, service: row.service ?? null, fingerprint, chatId, createdAt });
    live.written = { at: row.updatedAt, state: row.state, status: row.status, wakeAt: row.wakeAt ?? null, snapshot: row.snapshot, mergedInto: row.mergedInto ?? null };
    if (live.snapshot.status === 'error') {
      this.options.gate.recorded.close(row.id);
      throw new Error(`Incident ${row.id} has a snapshot this chart cannot restore.`);
    }
    this.live.set(row.id, live);
    live.actor.start();
    return live;
  }
}
