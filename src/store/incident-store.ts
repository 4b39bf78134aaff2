import type { MikroORM } from '@mikro-orm/postgresql';
import { StaleWriteError } from '../domain/errors';
import { IncidentEventRecord, IncidentRecord } from './entities';
import type { IncidentStatus } from '../domain/incident-status';
import { pooledQuery } from './pooled-sql';
import { insertStepOutcomes, stepOutcomeParameters } from './step-journal-store';
import { outcomeOf, WriteBatcher } from './write-batcher';
import type { ItemOutcome } from './write-batcher';
import type { AuditEntry, DueIncident, IncidentStorePort, IncidentWrite, NewIncident } from '../runtime/incident-store-port';
import type { StepOutcome } from '../runtime/step-journal-port';

/** The port's row types, for callers that reach the store directly. */
export type { AuditEntry, DueIncident, IncidentWrite, NewIncident } from '../runtime/incident-store-port';

/**
 * The row's update and its audit insert; with `steps`, the outcomes of the steps it carries are inserted by
 * the same statement. (A data-modifying CTE runs whether or not the rest reads it: outcomes are recorded
 * also when the version check fails.)
 */
const saveTransition = (steps: boolean) => `
  with updated as (
    update incidents
       set state = $1, status = $2, wake_at = $3, snapshot = $4::jsonb, merged_into = $5, version = $6, updated_at = $7
     where id = $8 and version = $9
    returning id, version, updated_at
  )${steps ? `, journaled as (${insertStepOutcomes(15)})` : ''}
  insert into incident_events (incident_id, seq, at, actor, event_type, from_state, to_state, payload)
  select id, version, updated_at, $10, $11, $12, $13, $14::jsonb from updated
  returning seq`;
const SAVE_TRANSITION = saveTransition(false);
const SAVE_TRANSITION_WITH_STEPS = saveTransition(true);

/** SAVE_TRANSITION for several incidents at once (one row each): one round trip and one commit. */
const saveTransitions = (steps: boolean) => `
  with input as (
    select * from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::text[], $8::timestamptz[],
                         $9::text[], $10::text[], $11::text[], $12::text[], $13::jsonb[])
      as t(id, expected, state, status, wake_at, snapshot, merged_into, at, actor, event_type, from_state, to_state, payload)
  ), updated as (
    update incidents i
       set state = input.state, status = input.status, wake_at = input.wake_at, snapshot = input.snapshot,
           merged_into = input.merged_into, version = input.expected + 1, updated_at = input.at
      from input
     where i.id = input.id and i.version = input.expected
    returning i.id, i.version, i.updated_at
  )${steps ? `, journaled as (${insertStepOutcomes(14)})` : ''}
  insert into incident_events (incident_id, seq, at, actor, event_type, from_state, to_state, payload)
  select updated.id, updated.version, updated.updated_at, input.actor, input.event_type, input.from_state, input.to_state, input.payload
    from updated join input on input.id = updated.id
  returning incident_id`;
const SAVE_TRANSITIONS = saveTransitions(false);
const SAVE_TRANSITIONS_WITH_STEPS = saveTransitions(true);

interface TransitionWrite {
  id: string;
  expectedVersion: number;
  write: IncidentWrite;
  audit: AuditEntry;
  steps: StepOutcome[];
}

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
    ]);
    if (!opened) throw new Error(`Incident ${incident.id} was not inserted.`);
    // The ORM's connections hand timestamps over as text (it parses them itself).
    return new Date(opened.at);
  }

  /**
   * Writes version `expectedVersion + 1`, its audit row and the outcomes of the steps it carries, or throws
   * StaleWriteError if someone else wrote first. One statement (the audit insert reads the update's result), so it is atomic without
   * a transaction block; under load, one statement for the transitions of several incidents.
   */
  async saveTransition(id: string, expectedVersion: number, write: IncidentWrite, audit: AuditEntry, steps: StepOutcome[] = []): Promise<void> {
    await this.transitions.submit({ id, expectedVersion, write, audit, steps });
  }

  /** Each transition's outcome. */
  private async writeTransitions(batch: TransitionWrite[]): Promise<ItemOutcome<void>[]> {
    const alone = (t: TransitionWrite) => outcomeOf(this.writeTransition(t));
    if (batch.length === 1) return [await alone(batch[0]!)];
    const steps = batch.flatMap((t) => t.steps);
    let saved: { incident_id: string }[];
    try {
      saved = await pooledQuery<{ incident_id: string }>(this.orm, steps.length > 0 ? SAVE_TRANSITIONS_WITH_STEPS : SAVE_TRANSITIONS, [
        batch.map((t) => t.id),
        batch.map((t) => t.expectedVersion),
        batch.map((t) => t.write.state),
        batch.map((t) => t.write.status),
        batch.map((t) => t.write.wakeAt),
        batch.map((t) => JSON.stringify(t.write.snapshot)),
        batch.map((t) => t.write.mergedInto),
        batch.map((t) => t.write.at),
        batch.map((t) => t.audit.actor),
        batch.map((t) => t.audit.eventType),
        batch.map((t) => t.audit.fromState),
        batch.map((t) => t.audit.toState),
        batch.map((t) => JSON.stringify(t.audit.payload)),
        ...(steps.length > 0 ? stepOutcomeParameters(steps) : []),
      ]);
    } catch {
      // One row the database refuses fails the whole statement: write each alone, each with its own outcome.
      return Promise.all(batch.map(alone));
    }
    const written = new Set(saved.map((row) => row.incident_id));
    return batch.map((t) => (written.has(t.id) ? { value: undefined } : { error: new StaleWriteError(t.id, t.expectedVersion) }));
  }

  private async writeTransition({ id, expectedVersion, write, audit, steps }: TransitionWrite): Promise<void> {
    const version = expectedVersion + 1;
    const saved = await pooledQuery<{ seq: number }>(this.orm, steps.length > 0 ? SAVE_TRANSITION_WITH_STEPS : SAVE_TRANSITION, [
      write.state,
      write.status,
      write.wakeAt,
      JSON.stringify(write.snapshot),
      write.mergedInto,
      version,
      write.at,
      id,
      expectedVersion,
      audit.actor,
      audit.eventType,
      audit.fromState,
      audit.toState,
      JSON.stringify(audit.payload),
      ...(steps.length > 0 ? stepOutcomeParameters(steps) : []),
    ]);
    if (saved.length !== 1) throw new StaleWriteError(id, expectedVersion);
  }

  async load(id: string): Promise<IncidentRecord | null> {
    const [row] = await pooledQuery<StoredRow>(this.orm, `select ${INCIDENT_COLUMNS} from incidents where id = $1`, [id]);
    if (!row) return null;
    // The ORM's connections hand timestamps over as text (it parses them itself).
    return { ...row, createdAt: new Date(row.createdAt), updatedAt: new Date(row.updatedAt), wakeAt: row.wakeAt === null ? null : new Date(row.wakeAt) };
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
