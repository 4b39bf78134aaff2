import type { Logger } from 'pino';
import { INCIDENT_MACHINE_VERSION } from '../../machines/incident.machine';
import type { IncidentMachine } from '../../machines/incident.machine';
import { AlertSchema } from '../domain';
import type { Alert, IncidentEvent, IncidentInput, RecoveryRules, Timeouts } from '../domain';
import { EventNotAcceptedError, InvalidInputError } from '../domain/errors';
import type { LockPort } from '../locks/lock-port';
import type { LeasePort } from '../locks/lease-port';
import { LocalLeases } from '../locks/local-leases';
import type { DurabilityGate } from './durability-gate';
import { IncidentEventSchema } from './incident-events';
import { newIncidentId } from './incident-id';
import { IncidentOwnership } from './incident-ownership';
import type { AlertChangeTarget, CreateIncidentRequest, IncidentListener, IncidentService, IncidentView, OpenedOrRepeated } from './incident-service';
import type { IncidentStorePort } from './incident-store-port';
import { eventNotAccepted, toView } from './incident-view';
import { statusOf } from './snapshot-info';
import { viewOf } from './live-incident';
import type { FixedColumns, LiveIncident } from './live-incident';
import { TransitionWriter, writeFor } from './transition-writer';

export interface IncidentRuntimeOptions {
  store: IncidentStorePort;
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
const DEFAULT_RESUME_DELAY_MS = 1_000;

/**
 * Runs incidents as persisted XState actors (the seed's WorkflowRunManager). Every transition is
 * written — snapshot and audit row, one transaction, version-checked — before a caller is answered or
 * a step acts on it (TransitionWriter). Parked incidents are evicted from memory and rehydrated on their
 * next event or deadline (IncidentOwnership). This class is what callers see: one event at a time per
 * incident, under its lock.
 */
export class IncidentRuntime implements AlertChangeTarget {
  private readonly machine: IncidentMachine;
  private readonly writer: TransitionWriter;
  private readonly ownership: IncidentOwnership;

  constructor(private readonly options: IncidentRuntimeOptions) {
    // The writer reports evictions and failed writes to ownership, which holds the actors it writes for.
    this.writer = new TransitionWriter({
      store: options.store,
      gate: options.gate,
      logger: options.logger,
      outcomes: { evict: (live) => this.ownership.evict(live), resumeLater: (id) => this.ownership.resumeLater(id) },
    });
    this.machine = options.machine(this);
    this.ownership = new IncidentOwnership({
      store: options.store,
      locks: options.locks,
      gate: options.gate,
      leases: options.leases ?? new LocalLeases(),
      logger: options.logger,
      machine: this.machine,
      writer: this.writer,
      leaseWaitMs: options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS,
      resumeDelayMs: options.resumeDelayMs ?? DEFAULT_RESUME_DELAY_MS,
    });
  }

  async create(request: CreateIncidentRequest): Promise<OpenedOrRepeated> {
    this.assertRunning();
    const parsed = AlertSchema.safeParse(request.alert);
    if (!parsed.success) throw new InvalidInputError(`Malformed alert: ${parsed.error.issues.map(describeIssue).join('; ')}`);
    const alert = parsed.data;
    const repeated = await this.repeatOnOpenIncident(alert, request.alertMessageId);
    if (repeated) return { ...repeated, opened: false };
    const live = await this.open(alert, request);
    // Answered from what was just written, before the actor starts moving on.
    const view = viewOf(live);
    this.ownership.adopt(live);
    this.writer.publish({ incidentId: live.id, eventType: 'alert.received', payload: { alert }, fromState: null, toState: live.state, status: live.written.status, context: live.snapshot.context });
    live.actor.start();
    return { ...view, opened: true };
  }

  async send(incidentId: string, event: IncidentEvent): Promise<IncidentView> {
    this.assertRunning();
    const parsed = IncidentEventSchema.safeParse(event);
    if (!parsed.success) throw new InvalidInputError(`Malformed event: ${parsed.error.issues.map(describeIssue).join('; ')}`);
    const checked = parsed.data;
    return this.options.locks.withLock(incidentId, async () => {
      let live = await this.ownership.hold(incidentId, checked.type);
      await this.writer.untilAcceptedOrSettled(live, checked);
      // It may have parked and left memory while we waited.
      if (live.closed) live = await this.ownership.hold(incidentId, checked.type);
      return this.deliver(live, checked);
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
      let live = await this.ownership.hold(incidentId, 'alert change', 0);
      const parsed = IncidentEventSchema.safeParse(await build());
      if (!parsed.success) throw new InvalidInputError(`Malformed event: ${parsed.error.issues.map(describeIssue).join('; ')}`);
      // It may have parked and left memory while the event was built: it is still open, take it up again.
      if (live.closed) live = await this.ownership.hold(incidentId, parsed.data.type, 0);
      return this.deliver(live, parsed.data);
    });
  }

  async get(incidentId: string): Promise<IncidentView | null> {
    const row = await this.ownership.loadSettled(incidentId);
    return row ? toView(this.machine, row) : null;
  }

  async listOpen(limit = 50): Promise<IncidentView[]> {
    const rows = await this.options.store.listOpen(limit);
    return rows.map((row) => toView(this.machine, row));
  }

  /** On boot: resume every incident that was mid-step. Parked ones stay on disk until due. */
  async recover(): Promise<number> {
    return this.ownership.recover();
  }

  /** Rehydrates a parked incident whose deadline has passed (see DeadlineSweeper). */
  async wake(incidentId: string): Promise<void> {
    await this.ownership.wake(incidentId);
  }

  /** Hears every transition once it is persisted (chat progress, live views). Listeners must not throw. */
  subscribe(listener: IncidentListener): () => void {
    return this.writer.subscribe(listener);
  }

  /** Incidents whose actors are in memory now. Parked incidents are not among them. */
  get liveCount(): number {
    return this.ownership.count;
  }

  isLive(incidentId: string): boolean {
    return this.ownership.has(incidentId);
  }

  /** Stops all actors (in-flight steps are aborted and re-run after restart) and waits for pending writes. */
  async stop(): Promise<void> {
    await this.ownership.stop();
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

  /** A new incident's actor, not yet started, whose first row and audit row are written. */
  private async open(alert: Alert, request: CreateIncidentRequest): Promise<LiveIncident> {
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
    const lease = await this.ownership.leaseNew(id);
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
    const live = this.ownership.spawn(id, 1, { input }, lease, fixed);
    const write = { ...writeFor(live), at: opened };
    live.written = write;
    await this.ownership.releaseIfFirstWriteFails(live, async () => {
      const at = await this.options.store.insert(
        { ...write, ...fixed, machineVersion: INCIDENT_MACHINE_VERSION, source: alert.source, groupKey: request.groupKey ?? null },
        { actor: request.by.id, eventType: 'alert.received', fromState: null, toState: live.state, payload: { alert } },
      );
      // Opened when the database says (see IncidentStorePort.insert).
      live.fixed.createdAt = at;
      live.written = { ...write, at };
    });
    return live;
  }

  /** Sends the event to the held incident if its state takes it; answers once the transition is persisted. */
  private async deliver(live: LiveIncident, event: IncidentEvent): Promise<IncidentView> {
    if (!live.snapshot.can(event)) {
      if (statusOf(live.snapshot) !== 'active') this.ownership.evict(live);
      throw eventNotAccepted(live.id, event.type, live.state);
    }
    live.actor.send(event);
    // The transition the event made is the last write enqueued (synchronously, by the writer): answer with it once persisted.
    const view = viewOf(live);
    await live.lastWrite;
    return view;
  }

  private assertRunning(): void {
    if (this.ownership.stopped) throw new Error('The incident runtime is shutting down.');
  }
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}
