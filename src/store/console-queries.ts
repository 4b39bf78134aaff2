import type { HeldAlert } from '../domain/alert-group';
import { IncidentAlertStore } from './incident-alert-store';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AgentActivityRecord, DiagnosisRecord, ExecutionRecord, IncidentEventRecord, IncidentRecord, ProposalRecord } from './entities';
import type { IncidentStatus } from '../domain/incident-status';
import { DecryptionError, EncryptionKeyUnavailableError, PLAINTEXT } from '../security/encryption';
import type { DataCipher } from '../security/encryption';
import { openExecution } from './execution-store';
import { SummaryStore } from './summary-store';
import type { StoredSummary } from './summary-store';

export interface IncidentFilter {
  status?: IncidentStatus;
  severity?: string;
  service?: string;
  /** Matched, case-insensitively, against the id, title and service. */
  search?: string;
  limit: number;
}

export type IncidentRow = Pick<IncidentRecord, 'id' | 'state' | 'status' | 'title' | 'severity' | 'service' | 'source' | 'chatId' | 'mergedInto' | 'createdAt' | 'updatedAt'>;

const LIST_FIELDS = ['id', 'state', 'status', 'title', 'severity', 'service', 'source', 'chatId', 'mergedInto', 'createdAt', 'updatedAt'] as const;

/** Median time to acknowledge and to resolve of one group (a service or a week); ms, null when none had one. */
export interface ResponseTimes {
  /** The service ('' for none), or the week's Monday (YYYY-MM-DD, UTC). */
  key: string;
  incidents: number;
  ttaMedianMs: number | null;
  ttaCount: number;
  ttrMedianMs: number | null;
  ttrCount: number;
}

/**
 * Per incident that ended in the window: its first TTA and its last TTR (an escalation resolved later counts
 * once, resolved), then medians per group. Reads the post-incident summaries, where each ending keeps both.
 */
const responseTimesBy = (group: string) => `
  with per_incident as (
    select incident_id, min(service) as service, min(opened_at) as opened_at, min(tta_ms) as tta_ms, max(ttr_ms) as ttr_ms
      from incident_summaries where opened_at >= now() - make_interval(weeks => ?) group by incident_id
  )
  select ${group} as key, count(*)::int as incidents,
         percentile_cont(0.5) within group (order by tta_ms) as "ttaMedianMs", count(tta_ms)::int as "ttaCount",
         percentile_cont(0.5) within group (order by ttr_ms) as "ttrMedianMs", count(ttr_ms)::int as "ttrCount"
    from per_incident group by 1 order by 1 desc limit 200`;
const BY_SERVICE = responseTimesBy(`coalesce(service, '')`);
const BY_WEEK = responseTimesBy(`to_char(date_trunc('week', opened_at at time zone 'UTC'), 'YYYY-MM-DD')`);

const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Math.round(Number(value)));
const responseTimesOf = (row: ResponseTimes): ResponseTimes => ({
  key: row.key,
  incidents: Number(row.incidents),
  ttaMedianMs: numberOrNull(row.ttaMedianMs),
  ttaCount: Number(row.ttaCount),
  ttrMedianMs: numberOrNull(row.ttrMedianMs),
  ttrCount: Number(row.ttrCount),
});

/** `%` and `_` in what a person typed are literal, not wildcards. */
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** What the web console reads: incident lists with filters, and everything recorded about one incident. */
export class ConsoleQueries {
  constructor(
    private readonly orm: MikroORM,
    /** Opens sealed execution results for the incident page. */
    private readonly cipher: DataCipher = PLAINTEXT,
  ) {}

  async incidents(filter: IncidentFilter): Promise<IncidentRow[]> {
    const where: Record<string, unknown> = {};
    if (filter.status) where.status = filter.status;
    if (filter.severity) where.severity = filter.severity;
    if (filter.service) where.service = filter.service;
    if (filter.search) {
      const like = likePattern(filter.search);
      where.$or = [{ id: { $ilike: like } }, { title: { $ilike: like } }, { service: { $ilike: like } }];
    }
    return this.orm.em.fork().find(IncidentRecord, where, { fields: [...LIST_FIELDS], orderBy: { createdAt: 'desc', id: 'desc' }, limit: filter.limit });
  }

  /** The services incidents were opened for, for the filter's choices. */
  async services(): Promise<string[]> {
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<{ service: string }[]>('select distinct service from incidents where service is not null order by service limit 200');
    return rows.map((row) => row.service);
  }

  /** TTA and TTR medians per service and per week over the last `weeks` weeks (incidents that ended). */
  async responseTimes(weeks = 12): Promise<{ byService: ResponseTimes[]; byWeek: ResponseTimes[] }> {
    const sql = this.orm.em.fork().getConnection();
    const [byService, byWeek] = await Promise.all([sql.execute<ResponseTimes[]>(BY_SERVICE, [weeks]), sql.execute<ResponseTimes[]>(BY_WEEK, [weeks])]);
    return { byService: byService.map(responseTimesOf).sort((a, b) => a.key.localeCompare(b.key)), byWeek: byWeek.map(responseTimesOf) };
  }

  /** The incident's latest post-incident summary, if it ended. */
  summary(incidentId: string): Promise<StoredSummary | undefined> {
    return new SummaryStore(this.orm).latest(incidentId);
  }

  timeline(incidentId: string): Promise<IncidentEventRecord[]> {
    return this.orm.em.fork().find(IncidentEventRecord, { incidentId }, { orderBy: { seq: 'asc' } });
  }

  agentActivity(incidentId: string): Promise<AgentActivityRecord[]> {
    return this.orm.em.fork().find(AgentActivityRecord, { incidentId }, { orderBy: { id: 'asc' } });
  }

  diagnoses(incidentId: string): Promise<DiagnosisRecord[]> {
    return this.orm.em.fork().find(DiagnosisRecord, { incidentId }, { orderBy: { attempt: 'asc' } });
  }

  proposals(incidentId: string): Promise<ProposalRecord[]> {
    return this.orm.em.fork().find(ProposalRecord, { incidentId }, { orderBy: { attempt: 'asc' } });
  }

  /** The alerts the incident holds, firing first (capped: a storm's group can be large). */
  async alerts(incidentId: string, limit = 200): Promise<HeldAlert[]> {
    return new IncidentAlertStore(this.orm).list(incidentId, limit);
  }

  async executions(incidentId: string): Promise<ExecutionRecord[]> {
    const rows = await this.orm.em.fork().find(ExecutionRecord, { incidentId }, { orderBy: { id: 'asc' } });
    return rows.map((row) => this.readable(row));
  }

  /** A result sealed with a key no longer configured shows why it cannot be read; the rest of the page still loads. */
  private readable(row: ExecutionRecord): ExecutionRecord {
    try {
      return openExecution(row, this.cipher);
    } catch (error) {
      if (!(error instanceof EncryptionKeyUnavailableError || error instanceof DecryptionError)) throw error;
      row.result = { unreadable: error.message };
      return row;
    }
  }
}
