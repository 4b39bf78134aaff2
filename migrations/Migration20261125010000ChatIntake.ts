import { Migration } from '@mikro-orm/migrations';

/** Inbound delivery dedup and per-chat history cursors for the Lark intake. */
export class Migration20261125010000ChatIntake extends Migration {
  override up(): void {
    this.addSql(`create table "chat_cursors" ("chat_id" text not null, "last_create_time" bigint not null, "seen_ids" jsonb not null, "updated_at" timestamptz not null, constraint "chat_cursors_pkey" primary key ("chat_id"));`);
    this.addSql(`create table "inbound_events" ("key" text not null, "received_at" timestamptz not null, constraint "inbound_events_pkey" primary key ("key"));`);
    this.addSql(`create index "inbound_events_received_at_idx" on "inbound_events" ("received_at");`);
  }
}
