import type { IncidentStatus } from '../domain/incident-status';
import type { StepOutcome } from './step-journal-port';

/** A transition's audit row: who moved the incident, by which event, from where to where. */
export interface AuditEntry {
  /** When the transition happened; the write's `at` when not given. */
  at?: Date;
  actor: string;
  eventType: string;
  fromState: string | null;
  toState: string;
  payload: Record<string, unknown>;
}

/** What one transition writes to the incident row. */
export interface IncidentWrite {
  /** When the transition happened: the row's updated_at and the audit row's at. */
  at: Date;
  state: string;
  status: IncidentStatus;
  wakeAt: Date | null;
  snapshot: Record<string, unknown>;
  mergedInto: string | null;
}

/** The first write of an incident: its transition plus the columns that never change afterwards. */
export interface NewIncident extends IncidentWrite {
  id: string;
  machineVersion: number;
  fingerprint: string;
  title: string;
  source: string;
  severity: string;
  service: string | null;
  chatId: string;
  groupKey?: string | null;
}

/** An incident row as the runtime reads it back. Columns without a value are null or undefined (as the ORM reads them). */
export interface StoredIncident {
  id: string;
  /** Dotted state path, e.g. `open.awaitingDiagnosisApproval`. */
  state: string;
  status: IncidentStatus;
  /** The chart version that wrote the snapshot. */
  machineVersion: number;
  /** Optimistic concurrency: the next write expects exactly this. */
  version: number;
  fingerprint: string;
  title: string;
  source: string;
  severity: string;
  service: string | null | undefined;
  chatId: string;
  mergedInto: string | null | undefined;
  groupKey: string | null | undefined;
  /** Earliest persisted deadline of a parked incident. */
  wakeAt: Date | null | undefined;
  snapshot: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** An incident row as an actor is restored from it, with the idempotency keys of every step outcome recorded for it. */
export interface RestorableIncident extends StoredIncident {
  recordedSteps: string[];
}

/** A parked incident whose deadline has passed; also the keyset cursor of `due`. */
export interface DueIncident {
  id: string;
  wakeAt: Date;
}

/**
 * What the runtime needs of storage (src/store/incident-store.ts implements it). Every write is one
 * transaction: the incident row, its audit row and the step outcomes it carries.
 */
export interface IncidentStorePort {
  /**
   * The incident row at version 1 and its first audit row; resolves to when it was opened, by the database's
   * clock (`incident.at` is not used): of two incidents with one fingerprint, the older committed first.
   */
  insert(incident: NewIncident, audit: AuditEntry): Promise<Date>;
  /**
   * Writes version `expectedVersion + n` and its `n` audit rows (the transitions it holds, the snapshot
   * being the last one's), or rejects with StaleWriteError (domain/errors)
   * when the row is no longer at `expectedVersion`: a stale writer fails, it never overwrites. `steps` are
   * outcomes of steps that finished since the last write, written in the same statement (also when the
   * version check fails: the steps did act, and whoever runs them again must find their results).
   */
  saveTransition(id: string, expectedVersion: number, write: IncidentWrite, audit: AuditEntry | readonly AuditEntry[], steps?: StepOutcome[]): Promise<void>;
  load(id: string): Promise<StoredIncident | null>;
  /** `load`, and in the same read the keys of the step outcomes recorded for the incident (see RecordedSteps). */
  loadForRestore(id: string): Promise<RestorableIncident | null>;
  /** Incidents not done, newest first. */
  listOpen(limit: number): Promise<StoredIncident[]>;
  /** Incidents that were mid-step (not waiting for a person), oldest first. */
  activeIds(): Promise<string[]>;
  /** The oldest open incident with this fingerprint, if any. */
  findOpenByFingerprint(fingerprint: string): Promise<string | null>;
  /** Parked incidents whose deadline is at or before `now`, in deadline order, after the cursor `after`. */
  due(now: Date, limit: number, after?: DueIncident): Promise<DueIncident[]>;
}
