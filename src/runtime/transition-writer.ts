import type { EventObject } from 'xstate';
import type { Logger } from 'pino';
import type { IncidentEvent } from '../domain';
import { StaleWriteError } from '../domain/errors';
import type { DurabilityGate } from './durability-gate';
import type { IncidentChange, IncidentListener } from './incident-service';
import type { AuditEntry, IncidentStorePort, IncidentWrite } from './incident-store-port';
import { wakeWaiters } from './live-incident';
import type { IncidentSnapshot, LiveIncident, QueuedWrite } from './live-incident';
import type { StepOutcome } from './step-journal-port';
import { actorOf, payloadOf, stateName, statusOf, wakeAtOf } from './snapshot-info';

/** One turn of the event loop (after pending I/O callbacks). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How long an event may wait for a running step to reach a state that accepts it (e.g. a click racing the card). */
const ACCEPT_WAIT_MS = 5_000;

/** What the writer hands back to whoever keeps incidents in memory (IncidentOwnership). */
export interface TransitionOutcomes {
  /** The incident need not stay in memory (parked, done), or its actor may no longer write: drop it. */
  evict(live: LiveIncident): void;
  /** A transition could not be persisted (not a stale version): take the incident up again from its last saved state. */
  resumeLater(incidentId: string): void;
}

export interface TransitionWriterOptions {
  store: Pick<IncidentStorePort, 'saveTransition'>;
  gate: DurabilityGate;
  logger: Logger;
  outcomes: TransitionOutcomes;
}

/**
 * Persists every transition of a live incident — snapshot, audit row and the outcomes of the steps whose
 * results it carries, one statement, version-checked, in the order XState made them (through the
 * durability gate) — and only then tells listeners. A failed
 * write stops the actor's writing for good; what happens next is decided by the outcomes.
 */
export class TransitionWriter {
  private readonly listeners = new Set<IncidentListener>();

  constructor(private readonly options: TransitionWriterOptions) {}

  /** Hears every transition once it is persisted. Listeners must not throw. */
  subscribe(listener: IncidentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(change: IncidentChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.logger.error({ err: error, incidentId: change.incidentId }, 'incident listener failed');
      }
    }
  }

  /** Called synchronously by XState after each macrostep (the actor's inspector); queues the write in order. */
  record(live: LiveIncident, event: EventObject, snapshot: IncidentSnapshot): void {
    if (live.closed || snapshot === live.snapshot) return;
    const fromState = live.state;
    live.snapshot = snapshot;
    live.state = snapshot.status === 'error' ? 'crashed' : stateName(snapshot.value);
    if (snapshot.status === 'error') {
      this.options.logger.error({ err: snapshot.error, incidentId: live.id }, 'incident statechart crashed');
    }
    const write = writeFor(live);
    const audit = { at: write.at, actor: actorOf(event), eventType: event.type, fromState, toState: live.state, payload: payloadOf(event) };
    live.version++;
    live.written = write;
    // Outcomes of steps that finished since the last write (among them the one this event reports) go in the same statement.
    const steps = this.options.gate.takeCarried(live.id);
    const saved = this.queue(live, write, audit, steps);
    live.lastWrite = saved;
    wakeWaiters(live);
    void saved.then(
      () => {
        this.publish({ incidentId: live.id, eventType: event.type, payload: audit.payload, fromState, toState: audit.toState, status: write.status, context: snapshot.context });
        this.afterWrite(live, snapshot);
      },
      () => undefined,
    );
  }

  /**
   * A transition joins the incident's write that has not started yet, if there is one: that write then
   * stores this snapshot, and the audit rows and step outcomes of both (one statement, the version moving
   * by two). Else it is queued behind the incident's write in flight; a write that would start at once
   * waits for the event loop's next turn first, which lets a step that finishes at once join it.
   */
  private queue(live: LiveIncident, write: IncidentWrite, audit: AuditEntry, steps: StepOutcome[]): Promise<void> {
    const waiting = live.queued;
    if (waiting && !waiting.started) {
      waiting.write = write;
      waiting.audits.push(audit);
      waiting.steps.push(...steps);
      return waiting.saved;
    }
    const { gate, store } = this.options;
    const queued: QueuedWrite = { expected: live.version - 1, write, audits: [audit], steps, started: false, saved: Promise.resolve() };
    const idle = !gate.busy(live.id);
    queued.saved = gate.enqueue(
      live.id,
      async () => {
        if (idle) await nextTurn();
        queued.started = true;
        if (!live.writeFailed) return store.saveTransition(live.id, queued.expected, queued.write, queued.audits, queued.steps);
        gate.orphan(live.id, queued.steps);
        throw new StaleWriteError(live.id, queued.expected);
      },
      (error) => this.onWriteFailed(live, error),
    );
    live.queued = queued;
    return queued.saved;
  }

  /**
   * A step in flight (say, the card being posted) may be about to reach a state that accepts the
   * event: wait for it, bounded, instead of refusing a person who clicked a moment early.
   */
  async untilAcceptedOrSettled(live: LiveIncident, event: IncidentEvent): Promise<void> {
    const until = Date.now() + ACCEPT_WAIT_MS;
    while (!live.closed && !live.snapshot.can(event) && statusOf(live.snapshot) === 'active') {
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

  private afterWrite(live: LiveIncident, snapshot: IncidentSnapshot): void {
    if (live.closed || live.snapshot !== snapshot) return;
    if (statusOf(snapshot) !== 'active') this.options.outcomes.evict(live);
  }

  private onWriteFailed(live: LiveIncident, error: unknown): void {
    live.writeFailed = true;
    if (live.closed) return;
    this.options.outcomes.evict(live);
    if (error instanceof StaleWriteError) {
      this.options.logger.warn({ incidentId: live.id }, 'another writer moved this incident on; dropped the stale actor');
      return;
    }
    this.options.logger.error({ err: error, incidentId: live.id }, 'could not persist a transition; will resume from the last saved state');
    this.options.outcomes.resumeLater(live.id);
  }
}

/** The row the actor's current snapshot writes. */
export function writeFor(live: LiveIncident): IncidentWrite {
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
