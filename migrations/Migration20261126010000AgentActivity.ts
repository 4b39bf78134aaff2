import { Migration } from '@mikro-orm/migrations';

/** The agent loop's audit: model turns (tokens, cost) and tool calls, one row per journaled activity. */
export class Migration20261126010000AgentActivity extends Migration {
  override up(): void {
    this.addSql(`create table "agent_activity" ("id" bigserial primary key, "activity_key" text not null, "incident_id" text not null, "attempt" int not null, "step" text not null, "kind" text check ("kind" in ('model_turn', 'tool_call')) not null, "at" timestamptz not null, "provider" text null, "model" text null, "input_tokens" int not null default 0, "output_tokens" int not null default 0, "cost_usd" double precision null, "duration_ms" int not null, "cached" boolean not null default false, "detail" jsonb not null);`);
    this.addSql(`alter table "agent_activity" add constraint "agent_activity_activity_key_unique" unique ("activity_key");`);
    this.addSql(`create index "agent_activity_incident_idx" on "agent_activity" ("incident_id");`);
  }
}
