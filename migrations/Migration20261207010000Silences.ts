import { Migration } from '@mikro-orm/migrations';

/** Silences (shared by every instance) and the alerts they held back. */
export class Migration20261207010000Silences extends Migration {
  override up(): void {
    this.addSql(`create table "silences" ("id" text primary key, "matchers" jsonb not null, "starts_at" timestamptz not null,
      "ends_at" timestamptz not null, "created_by" text not null, "created_at" timestamptz not null, "reason" text not null,
      "expired_by" text null, "expired_at" timestamptz null);`);
    this.addSql(`create index "silences_ends_at_idx" on "silences" ("ends_at");`);
    this.addSql(`create table "silenced_alerts" ("id" bigserial primary key, "silence_id" text not null, "fingerprint" text not null,
      "title" text not null, "severity" text not null, "service" text null, "source" text not null, "chat_id" text not null,
      "message_id" text null, "at" timestamptz not null);`);
    this.addSql(`create index "silenced_alerts_silence_idx" on "silenced_alerts" ("silence_id", "at");`);
  }
}
