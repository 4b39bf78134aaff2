import { Migration } from '@mikro-orm/migrations';

/** Alert storms per chat (one going on per chat at most) and the incident openings they are counted from. */
export class Migration20261207020000Storms extends Migration {
  override up(): void {
    this.addSql(`create table "storms" ("id" text primary key, "chat_id" text not null, "started_at" timestamptz not null,
      "window_start" timestamptz not null, "last_opened_at" timestamptz not null, "ended_at" timestamptz null, "card_message_id" text null);`);
    this.addSql(`create unique index "storms_going_on_chat_unique" on "storms" ("chat_id") where "ended_at" is null;`);
    this.addSql(`create table "chat_openings" ("incident_id" text primary key, "chat_id" text not null, "opened_at" timestamptz not null,
      "storm_id" text null);`);
    this.addSql(`create index "chat_openings_chat_idx" on "chat_openings" ("chat_id", "opened_at");`);
    this.addSql(`create index "chat_openings_storm_idx" on "chat_openings" ("storm_id");`);
  }
}
