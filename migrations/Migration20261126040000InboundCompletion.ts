import { Migration } from '@mikro-orm/migrations';

/** Inbound claims record when their work was done, so a claim left by a crash can be taken over. */
export class Migration20261126040000InboundCompletion extends Migration {
  override up(): void {
    this.addSql(`alter table "inbound_events" add column "done_at" timestamptz null;`);
    // Claims taken before this column existed were completed or released by the code of the time.
    this.addSql(`update "inbound_events" set "done_at" = "received_at";`);
  }
}
