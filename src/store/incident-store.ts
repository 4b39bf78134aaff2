import type { MikroORM } from '@mikro-orm/postgresql';
import { StaleWriteError } from '../runtime/incident-service';
import { IncidentEventRecord, IncidentRecord } from './entities';
import type { IncidentStatus } from './entities';

export interface AuditEntry {
  actor: string;
  eventType: string;
  fromState: string | null;
  toState: string;
  payload: Record<string, unknown>;
}

export interface IncidentWrite {
  state: string;
  status: IncidentStatus;
  wakeAt: Date | null;
  snapshot: Record<string, unknown>;
  mergedInto: string | null;
}

const SAVE_TRANSITION = `
  with updated as (
    update incidents
       set state = ?, status = ?, wake_at = ?, snapshot = ?::jsonb, merged_into = ?, version = ?, updated_at = ?
     where id = ? and version = ?
    returning id, version, updated_at
  )
  insert into incident_events (incident_id, seq, at, actor, event_type, from_state, to_state, payload)
  select id, version, updated_at, ?, ?, ?, ?, ?::jsonb from updated
  returning seq`;

export interface DueIncident {
  id: string;
  wakeAt: Date;
}

export interface NewIncident extends IncidentWrite {
  id: string;
  machineVersion: number;
  fingerprint: string;
  title: string;
  source: string;
  severity: string;
  service: string | null;
  chatId: string;
}

/** Incidents and their audit timeline. Each write is one transaction: the row and its audit entry. */
export class IncidentStore {
  constructor(private readonly orm: MikroORM) {}

  async insert(incident: NewIncident, audit: AuditEntry): Promise<void> {
    const now = new Date();
    await this.orm.em.fork().transactional(async (em) => {
      await em.insert(IncidentRecord, { ...incident, version: 1, createdAt: now, updatedAt: now });
      await em.insert(IncidentEventRecord, { incidentId: incident.id, seq: 1, at: now, ...audit });
    });
  }

  /**
   * Writes version `expectedVersion + 1` and its audit row, or throws StaleWriteError if someone else
   * wrote first. One statement (the audit insert reads the update's result), so it is atomic without
   * a transaction block: one round trip on the hot path instead of four.
   */
  async saveTransition(id: string, expectedVersion: number, write: IncidentWrite, audit: AuditEntry): Promise<void> {
    const now = new Date();
    const version = expectedVersion + 1;
    const saved = await this.orm.em.getConnection().execute<{ seq: number }[]>(SAVE_TRANSITION, [
      write.state,
      write.status,
      write.wakeAt,
      JSON.stringify(write.snapshot),
      write.mergedInto,
      version,
      now,
      id,
      expectedVersion,
      audit.actor,
      audit.eventType,
      audit.fromState,
      audit.toState,
      JSON.stringify(audit.payload),
    ]);
    if (saved.length !== 1) throw new StaleWriteError(id, expectedVersion);
  }

  async load(id: string): Promise<IncidentRecord | null> {
    return this.orm.em.fork().findOne(IncidentRecord, { id });
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
    const open = await this.orm.em
      .fork()
      .findOne(IncidentRecord, { fingerprint, status: { $ne: 'done' } }, { fields: ['id'], orderBy: { createdAt: 'asc', id: 'asc' } });
    return open?.id ?? null;
  }

  /** The oldest other open incident with this fingerprint that was opened before `id`, if any. */
  async findOpenDuplicate(id: string, fingerprint: string): Promise<string | null> {
    const em = this.orm.em.fork();
    const me = await em.findOne(IncidentRecord, { id }, { fields: ['createdAt'] });
    if (!me) return null;
    const older = await em.findOne(
      IncidentRecord,
      {
        fingerprint,
        status: { $ne: 'done' },
        id: { $ne: id },
        $or: [{ createdAt: { $lt: me.createdAt } }, { createdAt: me.createdAt, id: { $lt: id } }],
      },
      { fields: ['id'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return older?.id ?? null;
  }

  async timeline(id: string): Promise<IncidentEventRecord[]> {
    return this.orm.em.fork().find(IncidentEventRecord, { incidentId: id }, { orderBy: { seq: 'asc' } });
  }
}
