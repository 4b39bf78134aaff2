import { Migration } from '@mikro-orm/migrations';

/**
 * An inbound claim keeps what is needed to do its work again (the delivery, as received) until the
 * work is done, so a delivery acknowledged by an instance that then died is finished by another.
 */
export class Migration20261126050000InboundReplay extends Migration {
  override up(): void {
    this.addSql(`alter table "inbound_events" add column "replay" jsonb null, add column "takeovers" int not null default 0;`);
    this.addSql(`create index "inbound_events_unfinished_idx" on "inbound_events" ("received_at") where "done_at" is null and "replay" is not null;`);
  }
}
