import type { MikroORM } from '@mikro-orm/postgresql';
import { StaleWriteError } from '../domain/errors';
import { IncidentEventRecord, IncidentRecord } from './entities';
import type { IncidentStatus } from '../domain/incident-status';
import { pooledQuery } from './pooled-sql';
import { manyStatement, oneStatement } from './transition-statements';
import type { TransitionWrite } from './transition-statements';
import { outcomeOf, WriteBatcher } from './write-batcher';
import type { ItemOutcome } from './write-batcher';
import type { AuditEntry, DueIncident, IncidentStorePort, IncidentWrite, NewIncident, RestorableIncident } from '../runtime/incident-store-port';
import type { StepOutcome } from '../runtime/step-journal-port';

/** The port's row types, for callers that reach the store directly. */
export type { AuditEntry, DueIncident, IncidentWrite, NewIncident } from '../runtime/incident-store-port';

/**
 * The incident row and its first audit row in one statement: one round trip, atomic without BEGIN/COMMIT.
 * Openings of one fingerprint take turns (a transaction lock on it), and each is timed by the database
 * once its turn has come: so of two, the older also committed first, and the younger's triage, which runs
 * after its own commit, sees the older one and merges into it.
 */
const INSERT_INCIDENT = `
  with turn as (
    select pg_advisory_xact_lock(hashtextextended('incident-fingerprint:' || $5, 0))
  ), opened as (
    select clock_timestamp() as at from turn
  ), inserted as (
    insert into incidents (id, state, status, machine_version, version, fingerprint, title, source, severity, service,
                           chat_id, merged_into, wake_at, snapshot, created_at, updated_at, group_key)
    select $1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, opened.at, opened.at, $19 from opened
    returning id, created_at
  )
  insert into incident_events (incident_id, seq, at, actor, event_type, from_state, to_state, payload)
  select id, 1, created_at, $14, $15, $16, $17, $18::jsonb from inserted
  returning at`;

const INCIDENT_COLUMNS = `id, state, status, machine_version as "machineVersion", version, fingerprint, title, source, severity,
  service, chat_id as "chatId", merged_into as "mergedInto", wake_at as "wakeAt", snapshot, created_at as "createdAt",
  updated_at as "updatedAt"`;

type StoredRow = Omit<IncidentRecord, 'createdAt' | 'updatedAt' | 'wakeAt'> & { createdAt: string; updatedAt: string; wakeAt: string | null };

/** The ORM's connections hand timestamps over as text (it parses them itself). */
function storedIncident<R extends StoredRow>(row: R): Omit<R, 'createdAt' | 'updatedAt' | 'wakeAt'> & Pick<IncidentRecord, 'createdAt' | 'updatedAt' | 'wakeAt'> {
  return { ...row, createdAt: new Date(row.createdAt), updatedAt: new Date(row.updatedAt), wakeAt: row.wakeAt === null ? null : new Date(row.wakeAt) };
}

/**
 * Incidents and their audit timeline (the runtime's store port, and the reads the console and metrics
 * make). Each write is one transaction: the row and its audit entry.
 */
export class IncidentStore implements IncidentStorePort {
  /**
   * Transitions of different incidents that arrive while others are being written go together (an
   * incident has at most one write in flight: the durability gate orders them).
   */
  private readonly transitions: WriteBatcher<TransitionWrite>;

  constructor(private readonly orm: MikroORM) {
    const poolSize = orm.config.get('pool')?.max ?? 1;
    this.transitions = new WriteBatcher((batch) => this.writeTransitions(batch), Math.max(1, Math.floor(poolSize / 2)));
  }

  async insert(incident: NewIncident, audit: AuditEntry): Promise<Date> {
    const [opened] = await pooledQuery<{ at: string }>(this.orm, INSERT_INCIDENT, [
      incident.id,
      incident.state,
      incident.status,
      incident.machineVersion,
      incident.fingerprint,
      incident.title,
      incident.source,
      incident.severity,
      incident.service,
      incident.chatId,
      incident.mergedInto,
      incident.wakeAt,
      JSON.stringify(incident.snapshot),
      audit.actor,
      audit.eventType,
      audit.fromState,
      audit.toState,
      JSON.stringify(audit.payload),
      incident.groupKey ?? null,
    ], 'incident-insert');
    if (!opened) throw new Error(`Incident ${incident.id} was not inserted.`);
    // The ORM's connections hand timestamps over as text (it parses them itself).
    return new Date(opened.at);
  }

  /**
   * Writes version `expectedVersion + 1`, its audit row and the outcomes of the steps it carries, or throws
   * StaleWriteError if someone else wrote first. One statement (the audit insert reads the update's result), so it is atomic without
   * a transaction block; under load, one statement for the transitions of several incidents.
   */
  async saveTransition(id: string, expectedVersion: number, write: IncidentWrite, audit: AuditEntry | readonly AuditEntry[], steps: StepOutcome[] = []): Promise<void> {
    await this.transitions.submit({ id, expectedVersion, write, audits: Array.isArray(audit) ? audit : [audit as AuditEntry], steps });
  }

  /** Each transition's outcome. */
  private async writeTransitions(batch: TransitionWrite[]): Promise<ItemOutcome<void>[]> {
    const alone = (t: TransitionWrite) => outcomeOf(this.writeTransition(t));
    if (batch.length === 1) return [await alone(batch[0]!)];
    let saved: { incident_id: string }[];
    try {
      const { text, values, name } = manyStatement(batch);
      saved = await pooledQuery<{ incident_id: string }>(this.orm, text, values, name);
    } catch {
      // One row the database refuses fails the whole statement: write each alone, each with its own outcome.
      return Promise.all(batch.map(alone));
    }
    const written = new Set(saved.map((row) => row.incident_id));
    return batch.map((t) => (written.has(t.id) ? { value: undefined } : { error: new StaleWriteError(t.id, t.expectedVersion) }));
  }

  private async writeTransition(t: TransitionWrite): Promise<void> {
    const { text, values, name } = oneStatement(t);
    const saved = await pooledQuery<{ seq: number }>(this.orm, text, values, name);
    if (saved.length !== t.audits.length) throw new StaleWriteError(t.id, t.expectedVersion);
  }

  async load(id: string): Promise<IncidentRecord | null> {
    const [row] = await pooledQuery<StoredRow>(this.orm, `select ${INCIDENT_COLUMNS} from incidents where id = $1`, [id], 'incident-load');
    return row ? storedIncident(row) : null;
  }

  async loadForRestore(id: string): Promise<RestorableIncident | null> {
    const [row] = await pooledQuery<StoredRow & { recordedSteps: string[] }>(
      this.orm,
      `select ${INCIDENT_COLUMNS}, array(select idempotency_key from step_journal where incident_id = $1) as "recordedSteps"
         from incidents where id = $1`,
      [id],
      'incident-restore',
    );
    return row ? { ...storedIncident(row), recordedSteps: row.recordedSteps } : null;
  }

  async listOpen(limit: number): Promise<IncidentRecord[]> {
    return this.orm.em
      .fork()
      .find(IncidentRecord, { status: { $ne: 'done' } }, { orderBy: { createdAt: 'desc' }, limit });
  }

  /** Incidents that were mid-step (not waiting for a person) when the process stopped. */
  async activeIds(): Promise<string[]> {
    const rows = await this.orm.em
      .fork()
      .find(IncidentRecord, { status: 'active' }, { fields: ['id'], orderBy: { createdAt: 'asc' } });
    return rows.map((r) => r.id);
  }

  /** Parked incidents whose earliest deadline has passed, in deadline order, after a keyset cursor. */
  async due(now: Date, limit: number, after?: DueIncident): Promise<DueIncident[]> {
    const cursor = after
      ? { $or: [{ wakeAt: { $gt: after.wakeAt } }, { wakeAt: after.wakeAt, id: { $gt: after.id } }] }
      : {};
    const rows = await this.orm.em
      .fork()
      .find(
        IncidentRecord,
        { status: 'parked', wakeAt: { $lte: now }, ...cursor },
        { fields: ['id', 'wakeAt'], orderBy: { wakeAt: 'asc', id: 'asc' }, limit },
      );
    return rows.map((r) => ({ id: r.id, wakeAt: r.wakeAt ?? now }));
  }

  async countByStatus(): Promise<Record<IncidentStatus, number>> {
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<{ status: IncidentStatus; n: string }[]>('select status, count(*) as n from incidents group by status');
    const counts: Record<IncidentStatus, number> = { active: 0, parked: 0, done: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  /** The oldest open incident with this fingerprint, if any. */
  async findOpenByFingerprint(fingerprint: string): Promise<string | null> {
    const [open] = await pooledQuery<{ id: string }>(
      this.orm,
      `select id from incidents where fingerprint = $1 and status <> 'done' order by created_at, id limit 1`,
      [fingerprint],
    );
    return open?.id ?? null;
  }

  /** The oldest other open incident with this fingerprint that was opened before `id`, if any. */
  async findOpenDuplicate(id: string, fingerprint: string): Promise<string | null> {
    const [older] = await pooledQuery<{ id: string }>(
      this.orm,
      `select other.id from incidents me join incidents other
          on other.fingerprint = $2 and other.status <> 'done' and other.id <> me.id
         and (other.created_at < me.created_at or other.created_at = me.created_at and other.id < me.id)
        where me.id = $1
        order by other.created_at, other.id limit 1`,
      [id, fingerprint],
    );
    return older?.id ?? null;
  }

  async timeline(id: string): Promise<IncidentEventRecord[]> {
    return this.orm.em.fork().find(IncidentEventRecord, { incidentId: id }, { orderBy: { seq: 'asc' } });
  }
}
