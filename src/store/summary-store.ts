import type { MikroORM } from '@mikro-orm/postgresql';
import type { IncidentSummary, SummaryProse } from '../domain/incident-summary';

const SAVE = `
  insert into incident_summaries (incident_id, ending, outcome, source, facts, prose, text, service, opened_at, ended_at, tta_ms, ttr_ms, created_at)
  values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, now())
  on conflict (incident_id, ending) do update set source = excluded.source, facts = excluded.facts, prose = excluded.prose,
    text = excluded.text, tta_ms = excluded.tta_ms, ttr_ms = excluded.ttr_ms, ended_at = excluded.ended_at`;

const LATEST = `
  select source, facts, prose, text, created_at as "createdAt" from incident_summaries
   where incident_id = ? order by created_at desc, ending desc limit 1`;

/** A kept summary, as the console and memory read it. */
export interface StoredSummary extends IncidentSummary {
  prose: SummaryProse | null;
  createdAt: Date;
}

type Row = Omit<StoredSummary, 'createdAt'> & { createdAt: Date | string };

/** Post-incident summaries: one per ending (`ending`: attempt and outcome); saving again replaces it. */
export class SummaryStore {
  constructor(private readonly orm: MikroORM) {}

  async save(ending: string, summary: IncidentSummary & { prose?: SummaryProse }): Promise<void> {
    const { facts } = summary;
    await this.orm.em
      .fork()
      .getConnection()
      .execute(SAVE, [
        facts.incidentId,
        ending,
        facts.outcome,
        summary.source,
        JSON.stringify(facts),
        summary.prose ? JSON.stringify(summary.prose) : null,
        JSON.stringify(summary.text),
        facts.fired.service ?? null,
        facts.openedAt,
        facts.endedAt,
        facts.ttaMs,
        facts.ttrMs,
      ]);
  }

  /** The incident's most recent summary, if it ever ended. */
  async latest(incidentId: string): Promise<StoredSummary | undefined> {
    const [row] = await this.orm.em.fork().getConnection().execute<Row[]>(LATEST, [incidentId]);
    return row && { ...row, createdAt: new Date(row.createdAt) };
  }
}
