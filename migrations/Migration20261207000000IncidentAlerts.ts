import { Migration } from '@mikro-orm/migrations';

/** An incident holds a group of alerts: each with its own status (firing/resolved), counts and times. */
export class Migration20261207000000IncidentAlerts extends Migration {
  override up(): void {
    this.addSql(`alter table "incidents" add column "group_key" text null;`);
    this.addSql(`create index "incidents_group_key_idx" on "incidents" ("group_key", "status");`);
    this.addSql(`create table "incident_alerts" (
      "incident_id" text not null, "fingerprint" text not null, "status" text not null, "title" text not null,
      "severity" text not null, "service" text null, "instance" text null, "labels" jsonb not null, "source" text not null,
      "message_id" text null, "count" int not null, "first_seen" timestamptz not null, "last_seen" timestamptz not null,
      "resolved_at" timestamptz null,
      constraint "incident_alerts_pkey" primary key ("incident_id", "fingerprint"));`);
    this.addSql(`create index "incident_alerts_fingerprint_idx" on "incident_alerts" ("fingerprint");`);
    // Incidents opened before this hold their one alert.
    this.addSql(`insert into "incident_alerts" ("incident_id", "fingerprint", "status", "title", "severity", "service", "instance", "labels", "source",
        "message_id", "count", "first_seen", "last_seen", "resolved_at")
      select "id", "fingerprint", coalesce("snapshot"->'context'->'alert'->>'status', 'firing'), "title", "severity", "service",
        "snapshot"->'context'->'alert'->>'instance', coalesce("snapshot"->'context'->'alert'->'labels', '{}'::jsonb), "source",
        "snapshot"->'context'->>'alertMessageId', 1, "created_at", "updated_at", null
      from "incidents" where "snapshot" ? 'context';`);
  }
}
