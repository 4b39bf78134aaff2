import { Migration } from '@mikro-orm/migrations';

/** Post-incident summaries: one per ending of an incident, with TTA and TTR for the console. */
export class Migration20261207300000IncidentSummaries extends Migration {
  override up(): void {
    this.addSql(`create table "incident_summaries" (
      "incident_id" text not null, "ending" text not null, "outcome" text not null, "source" text not null,
      "facts" jsonb not null, "prose" jsonb null, "text" jsonb not null, "service" text null,
      "opened_at" timestamptz not null, "ended_at" timestamptz not null, "tta_ms" bigint null, "ttr_ms" bigint null,
      "created_at" timestamptz not null,
      constraint "incident_summaries_pkey" primary key ("incident_id", "ending"));`);
  }
}
