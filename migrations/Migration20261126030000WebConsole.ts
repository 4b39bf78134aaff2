import { Migration } from '@mikro-orm/migrations';

/** The web console's chat history: the bot's posts (by idempotency key), people's messages, monitoring posts. */
export class Migration20261126030000WebConsole extends Migration {
  override up(): void {
    this.addSql(`create table "web_messages" ("seq" bigserial primary key, "message_id" text not null, "chat_id" text not null, "author" text check ("author" in ('bot', 'person', 'monitor')) not null, "sender_id" text not null, "text" text null, "card" jsonb null, "content" jsonb null, "reply_to" text null, "reactions" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "web_messages" add constraint "web_messages_message_id_unique" unique ("message_id");`);
  }
}
