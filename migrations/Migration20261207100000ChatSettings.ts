import { Migration } from '@mikro-orm/migrations';

/** Per-chat settings people change from the chat (`/lang`). */
export class Migration20261207100000ChatSettings extends Migration {
  override up(): void {
    this.addSql(`create table "chat_settings" ("chat_id" text primary key, "language" text null, "updated_by" text not null,
      "updated_at" timestamptz not null);`);
  }
}
