import { Migration } from '@mikro-orm/migrations';

/** Repeats of an alert whose incident was busy on another instance, kept until they are recorded on it. */
export class Migration20261126060000DeferredAlerts extends Migration {
  override up(): void {
    this.addSql(`create table "deferred_alerts" ("id" bigserial primary key, "incident_id" text not null, "request" jsonb not null, "created_at" timestamptz not null, "attempts" int not null default 0);`);
    this.addSql(`create index "deferred_alerts_created_at_idx" on "deferred_alerts" ("created_at");`);
  }
}
