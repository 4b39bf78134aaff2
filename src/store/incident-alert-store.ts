import type { MikroORM } from '@mikro-orm/postgresql';
import { opensWhileIn, statePathsWhere } from '../../machines/incident.view';
import type { HeldAlert } from '../domain/alert-group';
import type { AlertGroup } from '../domain/alert-group';
import type { Alert, AlertTally } from '../domain';
import { pooledQuery } from './pooled-sql';

/** What recording an alert did to the incident's set. */
export type AlertChange = 'new' | 'refired' | 'recovered' | 'repeat';

export interface AlertToRecord {
  alert: Alert;
  /** The pod, node or host it is about (see affectedOf). */
  affected: string | undefined;
}

/**
 * Upserts the alerts in one statement; `was` is each row's status before it (null: new). Data-modifying
 * CTEs see the table as it was, so `before` reads the old rows.
 */
const RECORD = `
  with input as (
    select * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::text[])
      as t(fingerprint, status, title, severity, service, instance, labels, source)
  ), before as (
    select fingerprint, status from incident_alerts where incident_id = $1 and fingerprint in (select fingerprint from input)
  ), upserted as (
    insert into incident_alerts as ia (incident_id, fingerprint, status, title, severity, service, instance, labels, source,
                                       message_id, count, first_seen, last_seen, resolved_at)
    select $1, fingerprint, status, title, severity, service, instance, labels, source, $10, 1, $11, $11,
           case when status = 'resolved' then $11::timestamptz end
      from input
    on conflict (incident_id, fingerprint) do update
       set status = excluded.status, count = ia.count + 1, last_seen = excluded.last_seen,
           resolved_at = case when excluded.status = 'resolved' then coalesce(ia.resolved_at, excluded.last_seen) end
    returning fingerprint, status
  )
  select upserted.fingerprint, upserted.status, before.status as was from upserted left join before using (fingerprint)`;

const TALLY = `
  select count(*)::int as total, (count(*) filter (where status = 'firing'))::int as firing, max(last_seen) as "lastAt",
         count(distinct instance)::int as "affectedTotal",
         array(select instance from incident_alerts where incident_id = $1 and instance is not null
                group by instance order by min(first_seen), instance limit 20) as affected
    from incident_alerts where incident_id = $1`;

const HELD_COLUMNS = `fingerprint, status, title, severity, service, instance, labels, source, message_id as "messageId", count,
  first_seen as "firstSeen", last_seen as "lastSeen", resolved_at as "resolvedAt"`;

/** States in which a label group's incident still takes alerts, from the chart's view: while opening, or watching for a relapse. */
const OPENING_STATES = statePathsWhere(opensWhileIn);
const RELAPSE_WATCH_STATES = statePathsWhere((phase) => phase === 'recovered');

type StoredAlert = Omit<HeldAlert, 'firstSeen' | 'lastSeen' | 'resolvedAt'> & { firstSeen: string | Date; lastSeen: string | Date; resolvedAt: string | Date | null };

function changeOf(status: string, was: string | null): AlertChange {
  if (was === null) return status === 'firing' ? 'new' : 'recovered';
  if (was === status) return 'repeat';
  return status === 'firing' ? 'refired' : 'recovered';
}

/** The alerts each incident holds (incident_alerts), and how intake finds the incident an alert belongs to. */
export class IncidentAlertStore {
  constructor(private readonly orm: MikroORM) {}

  async record(incidentId: string, alerts: AlertToRecord[], messageId: string | undefined, at: Date): Promise<AlertChange[]> {
    // One row per fingerprint: a payload naming an alert twice counts its last word.
    const byFingerprint = new Map(alerts.map((a) => [a.alert.fingerprint, a]));
    const rows = [...byFingerprint.values()];
    const column = <T>(pick: (a: AlertToRecord) => T) => rows.map(pick);
    const result = await pooledQuery<{ fingerprint: string; status: string; was: string | null }>(this.orm, RECORD, [
      incidentId,
      column((a) => a.alert.fingerprint),
      column((a) => a.alert.status),
      column((a) => a.alert.title),
      column((a) => a.alert.severity),
      column((a) => a.alert.service ?? null),
      column((a) => a.affected ?? null),
      column((a) => JSON.stringify(a.alert.labels)),
      column((a) => a.alert.source),
      messageId ?? null,
      at,
    ]);
    return result.map((row) => changeOf(row.status, row.was));
  }

  async tally(incidentId: string): Promise<AlertTally> {
    const [row] = await pooledQuery<{ total: number; firing: number; lastAt: Date | null; affectedTotal: number; affected: string[] }>(
      this.orm,
      TALLY,
      [incidentId],
    );
    return {
      total: row?.total ?? 0,
      firing: row?.firing ?? 0,
      affected: row?.affected ?? [],
      affectedTotal: row?.affectedTotal ?? 0,
      lastAt: (row?.lastAt ? new Date(row.lastAt) : new Date()).toISOString(),
    };
  }

  /** The alerts an incident holds, firing first, then by when they were first seen. */
  async list(incidentId: string, limit = 500): Promise<HeldAlert[]> {
    const rows = await pooledQuery<StoredAlert>(
      this.orm,
      `select ${HELD_COLUMNS} from incident_alerts where incident_id = $1
        order by case when status = 'firing' then 0 else 1 end, first_seen, fingerprint limit $2`,
      [incidentId, limit],
    );
    // Timestamps come back as text on the raw connection.
    return rows.map((row) => ({
      ...row,
      firstSeen: new Date(row.firstSeen),
      lastSeen: new Date(row.lastSeen),
      resolvedAt: row.resolvedAt === null ? null : new Date(row.resolvedAt),
    }));
  }

  /**
   * The open incident an alert belongs to: one that already holds one of these fingerprints, else one of
   * its group that may still take alerts — a sender's group while open at all; a label group while nothing
   * was changed and it opened within the window, or while it watches for a flap after recovering.
   */
  async openIncidentFor(fingerprints: string[], group: AlertGroup | undefined, windowMs: number): Promise<string | null> {
    const [held] = await pooledQuery<{ id: string }>(
      this.orm,
      // From the fingerprint indexes to the few incidents that hold them: never a scan of every open incident.
      `select i.id from incidents i
        where i.id in (select incident_id from incident_alerts where fingerprint = any($1)
                       union select id from incidents where fingerprint = any($1))
          and i.status <> 'done'
        order by i.created_at, i.id limit 1`,
      [fingerprints],
    );
    if (held) return held.id;
    if (!group) return null;
    const joinable =
      group.kind === 'sender'
        ? 'true'
        : `((state = any($3::text[]) and created_at > now() - make_interval(secs => $2::double precision / 1000)) or state = any($4::text[]))`;
    const [grouped] = await pooledQuery<{ id: string }>(
      this.orm,
      `select id from incidents where group_key = $1 and status <> 'done' and ${joinable} order by created_at desc, id limit 1`,
      group.kind === 'sender' ? [group.key] : [group.key, windowMs, OPENING_STATES, RELAPSE_WATCH_STATES],
    );
    return grouped?.id ?? null;
  }

  /** The latest incident, open or not, that held one of these fingerprints. */
  async latestIncidentWith(fingerprints: string[]): Promise<string | null> {
    const [row] = await pooledQuery<{ id: string }>(
      this.orm,
      `select incident_id as id from incident_alerts where fingerprint = any($1) order by last_seen desc limit 1`,
      [fingerprints],
    );
    return row?.id ?? null;
  }
}
