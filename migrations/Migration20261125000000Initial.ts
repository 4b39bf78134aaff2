import { Migration } from '@mikro-orm/migrations';

/** Incidents, their audit timeline, step journal, domain records and vector memory. */
export class Migration20261125000000Initial extends Migration {
  override up(): void {
    this.addSql('create extension if not exists vector;');
    this.addSql(`create table "diagnoses" ("id" serial primary key, "incident_id" text not null, "attempt" int not null, "data" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "diagnoses" add constraint "diagnoses_incident_attempt_unique" unique ("incident_id", "attempt");`);
    this.addSql(`create table "executions" ("id" serial primary key, "incident_id" text not null, "idempotency_key" text not null, "plugin_id" text not null, "args" jsonb not null, "status" text check ("status" in ('intent', 'success', 'error', 'no_data', 'unknown')) not null, "result" jsonb null, "started_at" timestamptz not null, "finished_at" timestamptz null);`);
    this.addSql(`alter table "executions" add constraint "executions_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "executions_incident_idx" on "executions" ("incident_id");`);
    this.addSql(`create table "incident_events" ("id" bigserial primary key, "incident_id" text not null, "seq" int not null, "at" timestamptz not null, "actor" text not null, "event_type" text not null, "from_state" text null, "to_state" text not null, "payload" jsonb not null);`);
    this.addSql(`alter table "incident_events" add constraint "incident_events_incident_seq_unique" unique ("incident_id", "seq");`);
    this.addSql(`create table "incidents" ("id" text not null, "state" text not null, "status" text check ("status" in ('active', 'parked', 'done')) not null, "machine_version" int not null, "version" int not null, "fingerprint" text not null, "title" text not null, "source" text not null, "severity" text not null, "service" text null, "chat_id" text not null, "merged_into" text null, "wake_at" timestamptz null, "snapshot" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "incidents_pkey" primary key ("id"));`);
    this.addSql(`create index "incidents_status_idx" on "incidents" ("status");`);
    this.addSql(`create index "incidents_fingerprint_idx" on "incidents" ("fingerprint", "status");`);
    this.addSql(`create index "incidents_wake_at_idx" on "incidents" ("wake_at");`);
    this.addSql(`create table "knowledge" ("id" serial primary key, "incident_id" text null, "title" text not null, "content" text not null, "embedding" vector(256) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "knowledge_embedding_hnsw" on "knowledge" using hnsw ("embedding" vector_cosine_ops);`);
    this.addSql(`create table "proposals" ("id" serial primary key, "incident_id" text not null, "attempt" int not null, "data" jsonb not null, "decision" jsonb null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "proposals" add constraint "proposals_incident_attempt_unique" unique ("incident_id", "attempt");`);
    this.addSql(`create table "step_journal" ("idempotency_key" text not null, "incident_id" text not null, "step" text not null, "status" text check ("status" in ('started', 'done', 'failed')) not null, "result" jsonb null, "error" text null, "started_at" timestamptz not null, "finished_at" timestamptz null, constraint "step_journal_pkey" primary key ("idempotency_key"));`);
    this.addSql(`create index "step_journal_incident_idx" on "step_journal" ("incident_id");`);
  }
}
