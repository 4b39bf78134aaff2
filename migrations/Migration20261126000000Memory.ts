import { Migration } from '@mikro-orm/migrations';

/**
 * Vector memory: knowledge rows become kinds (past incidents, runbooks) keyed by their source, so they
 * are upserted idempotently, with structured metadata and the hash and embedder of their vector.
 * Rows written before this are kept as incidents under a `legacy:<id>` key.
 */
export class Migration20261126000000Memory extends Migration {
  override up(): void {
    this.addSql(`alter table "knowledge" add column "kind" text check ("kind" in ('incident', 'runbook')) not null default 'incident', add column "source_key" text null, add column "metadata" jsonb not null default '{}', add column "content_hash" text not null default '', add column "embedder" text not null default 'unknown', add column "updated_at" timestamptz null;`);
    this.addSql(`update "knowledge" set "source_key" = 'legacy:' || "id", "updated_at" = "created_at";`);
    this.addSql(`alter table "knowledge" alter column "kind" drop default, alter column "source_key" set not null, alter column "metadata" drop default, alter column "content_hash" drop default, alter column "embedder" drop default, alter column "updated_at" set not null;`);
    this.addSql(`alter table "knowledge" add constraint "knowledge_source_key_unique" unique ("source_key");`);
    this.addSql(`create index "knowledge_runbook_embedding_hnsw" on "knowledge" using hnsw ("embedding" vector_cosine_ops) where "kind" = 'runbook';`);
  }
}
