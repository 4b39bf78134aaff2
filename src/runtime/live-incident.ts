import type { Actor as XStateActor, SnapshotFrom } from 'xstate';
import type { IncidentMachine } from '../../machines/incident.machine';
import type { Lease } from '../locks/lease-port';
import type { IncidentView } from './incident-service';
import type { AuditEntry, IncidentWrite } from './incident-store-port';
import type { StepOutcome } from './step-journal-port';
import { viewOfWritten } from './incident-view';
import type { IncidentColumns } from './incident-view';

export type IncidentSnapshot = SnapshotFrom<IncidentMachine>;

/** Columns that never change after the incident is opened. */
export interface FixedColumns extends Pick<IncidentColumns, 'id' | 'title' | 'severity' | 'fingerprint' | 'chatId' | 'createdAt'> {
  service: string | null;
}

/** A write of the incident that may still take further transitions (until it starts). */
export interface QueuedWrite {
  /** The version it expects to find. */
  expected: number;
  /** The latest snapshot's row. */
  write: IncidentWrite;
  /** One per transition it holds, in order. */
  audits: AuditEntry[];
  steps: StepOutcome[];
  started: boolean;
  saved: Promise<void>;
}

/** An incident whose actor is in memory: running a step, or briefly while an event is applied. */
export interface LiveIncident {
  id: string;
  actor: XStateActor<IncidentMachine>;
  /** Version the next write expects to find in the database (that of the last write enqueued). */
  version: number;
  snapshot: IncidentSnapshot;
  state: string;
  fixed: FixedColumns;
  /** The last write enqueued (or, for a restored incident, the stored row): what `lastWrite` persists. */
  written: IncidentWrite;
  /** The last enqueued write; a caller awaits it before acknowledging. */
  lastWrite: Promise<void>;
  /** The latest write queued for it (see TransitionWriter): transitions join it until it starts. */
  queued?: QueuedWrite;
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

/** Wakes everyone waiting for the incident's next transition (it moved, or it left memory). */
export function wakeWaiters(live: LiveIncident): void {
  for (const wake of live.onTransition) wake();
}

/** The incident as its last enqueued write stores it. */
export function viewOf(live: LiveIncident): IncidentView {
  const { written } = live;
  return viewOfWritten(
    { ...live.fixed, state: written.state, status: written.status, version: live.version, mergedInto: written.mergedInto, wakeAt: written.wakeAt, updatedAt: written.at },
    live.snapshot,
  );
}
