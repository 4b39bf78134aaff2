import { createActor } from 'xstate';
import type { ActorOptions, Actor as XStateActor, EventObject, InspectionEvent, SnapshotFrom } from 'xstate';
import type { Logger } from 'pino';
import { INCIDENT_MACHINE_VERSION } from '../../machines/incident.machine';
import type { IncidentMachine } from '../../machines/incident.machine';
import { AlertSchema } from '../domain';
import type { Alert, IncidentEvent, IncidentInput, RecoveryRules, Timeouts } from '../domain';
import type { LockPort } from '../locks/lock-port';
import { IncidentBusyError } from '../domain/errors';
import type { Lease, LeasePort } from '../locks/lease-port';
import { LocalLeases } from '../locks/local-leases';
import type { IncidentRecord } from '../store/entities';
import type { IncidentStore, IncidentWrite } from '../store/incident-store';
import type { DurabilityGate } from './durability-gate';
import { newIncidentId } from './incident-id';
import { IncidentEventSchema } from './incident-events';
import { EventNotAcceptedError, InvalidInputError, StaleWriteError, UnknownIncidentError } from '../domain/errors';
import type { CreateIncidentRequest, IncidentChange, IncidentListener, IncidentService, IncidentView, OpenedOrRepeated } from './incident-service';
import { actorOf, payloadOf, stateName, statusOf, wakeAtOf } from './snapshot-info';
import { toView, viewOfWritten } from './incident-view';
import type { IncidentColumns } from './incident-view';

type IncidentSnapshot = SnapshotFrom<IncidentMachine>;

/** An incident whose actor is in memory: running a step, or briefly while an event is applied. */
interface LiveIncident {
  id: string;
  actor: XStateActor<IncidentMachine>;
  /** Version the next write expects to find in the database (that of the last write enqueued). */
  version: number;
  snapshot: IncidentSnapshot;
  state: string;
  /** Columns that never change after the incident is opened. */
  fixed: FixedColumns;
  /** The last write enqueued (or, for a restored incident, the stored row): what `lastWrite` persists. */
  written: IncidentWrite;
  /** The last enqueued write; a caller awaits it before acknowledging. */
  lastWrite: Promise<void>;
  /** Woken on every transition (for callers waiting for a step to finish). */
  onTransition: Set<() => void>;
  closed: boolean;
  /**
   * A write of this actor failed: the transitions it queued after that one are never written. (Their
   * expected versions were counted from the failed one, and another writer's rows could match them.)
   */
  writeFailed: boolean;
  /** This instance's ownership of the incident while it is in memory. */
  lease: Lease;
}

interface FixedColumns extends Pick<IncidentColumns, 'id' | 'title' | 'severity' | 'fingerprint' | 'chatId' | 'createdAt'> {
  service: string | null;
}

/** How long an event may wait for a running step to reach a state that accepts it (e.g. a click racing the card). */
const ACCEPT_WAIT_MS = 5_000;

export interface IncidentRuntimeOptions {
  store: IncidentStore;
  locks: LockPort;
  gate: DurabilityGate;
  logger: Logger;
  timeouts: Timeouts;
  /** How incidents treat their alerts' recovery (RESOLVE_ON_RECOVERY, FLAP_LIMIT). */
  recovery?: RecoveryRules;
  /** Builds the machine with real implementations; they may talk back to the runtime (merging). */
  machine: (service: IncidentService) => IncidentMachine;
  /** Delay before an incident whose write failed (database down) is rehydrated and resumed. */
  resumeDelayMs?: number;
  /** Ownership across instances (Redis); in process when there is one instance. */
  leases?: LeasePort;
  /** How long an event waits for another instance to let go of an incident it is working on. */
  leaseWaitMs?: number;
}

const DEFAULT_LEASE_WAIT_MS = 10_000;

/**
 * Runs incidents as persisted XState actors (the seed's WorkflowRunManager). Every transition is
 * written — snapshot and audit row, one transaction, version-checked — before a caller is answered or
 * a step acts on it. Parked incidents are evicted from memory and rehydrated on their next event or deadline.
 */
export class IncidentRuntime implements IncidentService {
  private readonly live = new Map<string, LiveIncident>();
  private readonly machine: IncidentMachine;
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<IncidentListener>();
  /** Leases being let go (after their incident's last write): stop() waits for them. */
  private readonly releasing = new Set<Promise<void>>();
  private stopped = false;
  private readonly leases: LeasePort;

  constructor(private readonly options: IncidentRuntimeOptions) {
    this.machine = options.machine(this);
    this.leases = options.leases ?? new LocalLeases();
  }

  async create(request: CreateIncidentRequest): Promise<OpenedOrRepeated> {
    this.assertRunning();
    const parsed = AlertSchema.safeParse(request.alert);
    if (!parsed.success) throw new InvalidInputError(`Malformed alert: ${parsed.error.issues.map(describeIssue).join('; ')}`);
    const alert = parsed.data;
    const repeated = await this.repeatOnOpenIncident(alert, request.alertMessageId);
    if (repeated) return { ...repeated, opened: false };
    const id = newIncidentId();
    const input: IncidentInput = {
      incidentId: id,
      alert,
      chatId: request.chatId,
      alertMessageId: request.alertMessageId,
      timeouts: this.options.timeouts,
      recovery: this.options.recovery,
      groupKey: request.groupKey,
      alerts: request.alerts,
    };
    const lease = await this.leases.acquire(id, 0);
    if (!lease) throw new Error(`Incident id ${id} is already leased: refusing to open it twice.`);
    const opened = new Date();
    const fixed: FixedColumns = {
      id,
      fingerprint: alert.fingerprint,
      title: alert.title,
      severity: alert.severity,
      service: alert.service ?? null,
      chatId: request.chatId,
      createdAt: opened,
    };
    const live = this.spawn(id, 1, { input }, lease, fixed);
    const write = { ...this.writeFor(live), at: opened };
    live.written = write;
    await this.insertOrRelease(live, () => this.options.store.insert(
      { ...write, ...fixed, machineVersion: INCIDENT_MACHINE_VERSION, source: alert.source, groupKey: request.groupKey ?? null },
      { actor: request.by.id, eventType: 'alert.received', fromState: null, toState: live.state, payload: { alert } },
    ));
    // Answered from what was just written, before the actor starts moving on.
    const view = this.viewOf(live);
    this.live.set(id, live);
    this.publish({ incidentId: id, eventType: 'alert.received', payload: { alert }, fromState: null, toState: live.state, status: write.status, context: live.snapshot.context });
    live.actor.start();
    return { ...view, opened: true };
  }

  /**
   * An alert whose fingerprint an open incident already has is recorded there. Two alerts arriving at
   * once may both miss; triage then merges the younger incident into the older.
   */
  private async repeatOnOpenIncident(alert: Alert, alertMessageId?: string): Promise<IncidentView | undefined> {
    const openId = await this.options.store.findOpenByFingerprint(alert.fingerprint);
    if (!openId) return undefined;
    try {
      return await this.send(openId, { type: 'alert.repeated', status: alert.status, ...(alertMessageId ? { alertMessageId } : {}) });
    } catch (error) {
      if (error instanceof EventNotAcceptedError) return undefined; // it closed meanwhile: open a new one
      throw error;
    }
  }

  async send(incidentId: string, event: IncidentEvent): Promise<IncidentView> {
    this.assertRunning();
    const parsed = IncidentEventSchema.safeParse(event);
    if (!parsed.success) throw new InvalidInputError(`Malformed event: ${parsed.error.issues.map(describeIssue).join('; ')}`);
    const checked = parsed.data;
    return this.options.locks.withLock(incidentId, async () => {
      let live = this.live.get(incidentId) ?? (await this.rehydrate(incidentId, checked.type));
      await this.untilAcceptedOrSettled(live, checked);
      // It may have parked and left memory while we waited.
      if (live.closed) live = this.live.get(incidentId) ?? (await this.rehydrate(incidentId, checked.type));
      if (!live.snapshot.can(checked)) {
        if (live.snapshot.hasTag('parked')) this.evict(live);
        throw new EventNotAcceptedError(incidentId, checked.type, live.state);
      }
      live.actor.send(checked);
      // The transition the event made is the last write enqueued (synchronously, by onSnapshot): answer with it once persisted.
      const view = this.viewOf(live);
      await live.lastWrite;
      return view;
    });
  }

  /**
   * Applies the alert event `build` makes, built while this instance holds the incident (so what it reads —
   * the incident's alerts — cannot change under it). Another instance working on the incident is not waited
   * for: IncidentBusyError at once, before `build` runs, so intake can keep the alert for later instead.
   */
  async applyAlertChange(incidentId: string, build: () => Promise<IncidentEvent>): Promise<IncidentView> {
    this.assertRunning();
    return this.options.locks.withLock(incidentId, async () => {
      let live = this.live.get(incidentId) ?? (await this.rehydrate(incidentId, 'alert change', 0));
      const parsed = IncidentEventSchema.safeParse(await build());
      if (!parsed.success) throw new InvalidInputError(`Malformed event: ${parsed.error.issues.map(describeIssue).join('; ')}`);
      // It may have parked and left memory while the event was built: it is still open, take it up again.
      if (live.closed) live = this.live.get(incidentId) ?? (await this.rehydrate(incidentId, parsed.data.type, 0));
      if (!live.snapshot.can(parsed.data)) {
        if (live.snapshot.hasTag('parked')) this.evict(live);
        throw new EventNotAcceptedError(incidentId, parsed.data.type, live.state);
      }
      live.actor.send(parsed.data);
      const view = this.viewOf(live);
      await live.lastWrite;
      return view;
    });
  }

  async get(incidentId: string): Promise<IncidentView | null> {
    const row = await this.loadSettled(incidentId);
    return row ? toView(this.machine, row) : null;
  }

  async listOpen(limit = 50): Promise<IncidentView[]> {
    const rows = await this.options.store.listOpen(limit);
    return rows.map((row) => toView(this.machine, row));
  }

  /** On boot: resume every incident that was mid-step. Parked ones stay on disk until due. */
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
      if (this.stopped || this.live.has(incidentId)) return;
      await this.withLease(incidentId, 0, async (lease) => {
        const row = await this.loadSettled(incidentId);
        if (!row || row.status !== 'parked' || !row.wakeAt || row.wakeAt.getTime() > Date.now()) return false;
        this.restore(row, lease);
        return true;
      });
    });
  }

  /** Hears every transition once it is persisted (chat progress, live views). Listeners must not throw. */
  subscribe(listener: IncidentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Incidents whose actors are in memory now. Parked incidents are not among them. */
  get liveCount(): number {
    return this.live.size;
  }

  isLive(incidentId: string): boolean {
    return this.live.has(incidentId);
  }

  /** Stops all actors (in-flight steps are aborted and re-run after restart) and waits for pending writes. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    const pending = [...this.live.values()].map((l) => l.lastWrite.catch(() => undefined));
    for (const live of this.live.values()) this.evict(live);
    await Promise.all(pending);
    await Promise.all([...this.releasing]);
  }

  /**
   * A step in flight (say, the card being posted) may be about to reach a state that accepts the
   * event: wait for it, bounded, instead of refusing a person who clicked a moment early.
   */
  private async untilAcceptedOrSettled(live: LiveIncident, event: IncidentEvent): Promise<void> {
    const until = Date.now() + ACCEPT_WAIT_MS;
    while (!live.closed && !live.snapshot.can(event) && live.snapshot.status === 'active' && !live.snapshot.hasTag('parked')) {
      const remaining = until - Date.now();
      if (remaining <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        function done() {
          clearTimeout(timer);
          live.onTransition.delete(done);
          resolve();
        }
        live.onTransition.add(done);
      });
    }
  }

  /** Resumes an incident that was mid-step, unless another instance is working on it (holds its lease). */
  private async resume(incidentId: string): Promise<boolean> {
    let loaded = false;
    try {
      return await this.options.locks.withLock(incidentId, async () => {
        if (this.stopped || this.live.has(incidentId)) return false;
        return this.withLease(incidentId, 0, async (lease) => {
          const row = await this.loadSettled(incidentId);
          loaded = true;
          if (!row || row.status !== 'active') return false;
          this.restore(row, lease);
          return true;
        });
      });
    } catch (error) {
      this.options.logger.error({ err: error, incidentId }, 'could not resume incident');
      // A snapshot that cannot be restored will not improve with time; a database outage will.
      if (!loaded) this.scheduleResume(incidentId);
      return false;
    }
  }

  private async rehydrate(incidentId: string, eventType: string, leaseWaitMs = this.options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS): Promise<LiveIncident> {
    let restored: LiveIncident | undefined;
    const got = await this.withLease(incidentId, leaseWaitMs, async (lease) => {
      const row = await this.loadSettled(incidentId);
      if (!row) throw new UnknownIncidentError(incidentId);
      if (row.status === 'done') throw new EventNotAcceptedError(incidentId, eventType, row.state);
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
    const lease = await this.leases.acquire(incidentId, waitMs);
    if (!lease) return false;
    let kept = false;
    try {
      kept = await take(lease);
      return kept;
    } finally {
      if (!kept) await lease.release();
    }
  }

  /** A new incident whose first write failed was never opened: let its lease go with it. */
  private async insertOrRelease(live: LiveIncident, insert: () => Promise<void>): Promise<void> {
    try {
      await insert();
    } catch (error) {
      live.actor.stop();
      await live.lease.release();
      throw error;
    }
  }

  /**
   * The stored incident once every write already queued for it has landed: an actor evicted a moment ago
   * may still be saving its last transition, and restoring the row before that would fork its history.
   */
  private async loadSettled(incidentId: string): Promise<IncidentRecord | null> {
    await this.options.gate.whenDurable(incidentId);
    return this.options.store.load(incidentId);
  }

  private restore(row: IncidentRecord, lease: Lease): LiveIncident {
    if (row.machineVersion !== INCIDENT_MACHINE_VERSION) {
      this.options.logger.warn(
        { incidentId: row.id, stored: row.machineVersion, current: INCIDENT_MACHINE_VERSION },
        'restoring a snapshot written by another machine version',
      );
    }
    const { id, title, severity, fingerprint, chatId, createdAt } = row;
    const live = this.spawn(row.id, row.version, { snapshot: row.snapshot }, lease, { id, title, severity, service: row.service ?? null, fingerprint, chatId, createdAt });
    live.written = { at: row.updatedAt, state: row.state, status: row.status, wakeAt: row.wakeAt ?? null, snapshot: row.snapshot, mergedInto: row.mergedInto ?? null };
    if (live.snapshot.status === 'error') throw new Error(`Incident ${row.id} has a snapshot this chart cannot restore.`);
    this.live.set(row.id, live);
    live.actor.start();
    return live;
  }

  private spawn(
    id: string,
    version: number,
    start: { input: IncidentInput } | { snapshot: unknown },
    lease: Lease,
    fixed: FixedColumns,
  ): LiveIncident {
    const live = { id, version, fixed, closed: false, writeFailed: false, lastWrite: Promise.resolve(), onTransition: new Set(), lease } as LiveIncident;
    // Another instance may take over once the lease is gone: stop acting on it here (the version check fences the rest).
    lease.lost.addEventListener('abort', () => {
      if (live.closed) return;
      this.options.logger.warn({ incidentId: id }, 'lost the lease on this incident; dropping it here');
      this.evict(live);
    }, { once: true });
    const inspect = (ev: InspectionEvent) => {
      if (ev.type === '@xstate.snapshot' && ev.actorRef === live.actor) {
        this.onSnapshot(live, ev.event, ev.snapshot as IncidentSnapshot);
      }
    };
    live.actor =
      'snapshot' in start
        ? // A restored actor takes its context from the snapshot; the typed options still ask for an input.
          createActor(this.machine, { snapshot: start.snapshot, systemId: 'incident', inspect } as ActorOptions<IncidentMachine> & {
            input: IncidentInput;
          })
        : createActor(this.machine, { input: start.input, systemId: 'incident', inspect });
    live.snapshot = live.actor.getSnapshot();
    live.state = stateName(live.snapshot.value);
    return live;
  }

  /** Called synchronously by XState after each macrostep; queues the write in order. */
  private onSnapshot(live: LiveIncident, event: EventObject, snapshot: IncidentSnapshot): void {
    if (live.closed || snapshot === live.snapshot) return;
    const fromState = live.state;
    live.snapshot = snapshot;
    live.state = snapshot.status === 'error' ? 'crashed' : stateName(snapshot.value);
    if (snapshot.status === 'error') {
      this.options.logger.error({ err: snapshot.error, incidentId: live.id }, 'incident statechart crashed');
    }
    const write = this.writeFor(live);
    const audit = { actor: actorOf(event), eventType: event.type, fromState, toState: live.state, payload: payloadOf(event) };
    const expected = live.version++;
    live.written = write;
    const saved = this.options.gate.enqueue(
      live.id,
      () => (live.writeFailed ? Promise.reject(new StaleWriteError(live.id, expected)) : this.options.store.saveTransition(live.id, expected, write, audit)),
      (error) => this.onWriteFailed(live, error),
    );
    live.lastWrite = saved;
    for (const wake of live.onTransition) wake();
    void saved.then(
      () => {
        this.publish({ incidentId: live.id, eventType: event.type, payload: audit.payload, fromState, toState: audit.toState, status: write.status, context: snapshot.context });
        this.afterWrite(live, snapshot);
      },
      () => undefined,
    );
  }

  private writeFor(live: LiveIncident): IncidentWrite {
    const persisted = live.actor.getPersistedSnapshot() as unknown as IncidentWrite['snapshot'] & Parameters<typeof wakeAtOf>[0];
    const crashed = live.snapshot.status === 'error';
    const status = crashed ? 'parked' : statusOf(live.snapshot);
    const triage = live.snapshot.context.triage;
    return {
      at: new Date(),
      state: live.state,
      status,
      wakeAt: status === 'parked' ? wakeAtOf(persisted) : null,
      snapshot: persisted,
      mergedInto: live.state === 'merged' && triage?.verdict === 'duplicate' ? triage.duplicateOf : null,
    };
  }

  private afterWrite(live: LiveIncident, snapshot: IncidentSnapshot): void {
    if (live.closed || live.snapshot !== snapshot) return;
    if (snapshot.status !== 'active' || snapshot.hasTag('parked')) this.evict(live);
  }

  private onWriteFailed(live: LiveIncident, error: unknown): void {
    live.writeFailed = true;
    if (live.closed) return;
    this.evict(live);
    if (error instanceof StaleWriteError) {
      this.options.logger.warn({ incidentId: live.id }, 'another writer moved this incident on; dropped the stale actor');
      return;
    }
    this.options.logger.error({ err: error, incidentId: live.id }, 'could not persist a transition; will resume from the last saved state');
    this.scheduleResume(live.id);
  }

  private publish(change: IncidentChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.logger.error({ err: error, incidentId: change.incidentId }, 'incident listener failed');
      }
    }
  }

  private scheduleResume(incidentId: string): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      void this.resume(incidentId);
    }, this.options.resumeDelayMs ?? 1_000);
    this.resumeTimers.add(timer);
  }

  private evict(live: LiveIncident): void {
    if (live.closed) return;
    live.closed = true;
    for (const wake of live.onTransition) wake();
    if (this.live.get(live.id) === live) this.live.delete(live.id);
    live.actor.stop();
    // Another instance may load the incident once the lease is gone: only after its last write has landed.
    const releasing = live.lastWrite
      .catch(() => undefined)
      .then(() => live.lease.release())
      .catch((error: unknown) => this.options.logger.warn({ err: error, incidentId: live.id }, 'could not release the lease; it expires by itself'))
      .finally(() => this.releasing.delete(releasing));
    this.releasing.add(releasing);
  }

  /** The incident as its last enqueued write stores it. */
  private viewOf(live: LiveIncident): IncidentView {
    const { written } = live;
    return viewOfWritten(
      { ...live.fixed, state: written.state, status: written.status, version: live.version, mergedInto: written.mergedInto, wakeAt: written.wakeAt, updatedAt: written.at },
      live.snapshot,
    );
  }

  private assertRunning(): void {
    if (this.stopped) throw new Error('The incident runtime is shutting down.');
  }
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}
