import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';
import { VectorType } from 'pgvector/mikro-orm';

export const EMBEDDING_DIMENSIONS = 256;

export const KNOWLEDGE_KINDS = ['incident', 'runbook'] as const;
export type KnowledgeKind = (typeof KNOWLEDGE_KINDS)[number];

/** Vector memory of past incidents and runbook knowledge. */
export const KnowledgeRecord = defineEntity({
  name: 'KnowledgeRecord',
  tableName: 'knowledge',
  properties: {
    id: p.integer().primary().autoincrement(),
    kind: p.enum([...KNOWLEDGE_KINDS]),
    /** What the entry stands for (`incident:<id>`, `runbook:<relative path>`): upserts are idempotent by it. */
    sourceKey: p.text().unique('knowledge_source_key_unique'),
    incidentId: p.text().nullable(),
    title: p.text(),
    content: p.text(),
    /** Structured data of the entry (an incident's outcome and fix, a runbook's steps). */
    metadata: p.json<Record<string, unknown>>(),
    /** Hash of the embedded source text: unchanged text is not embedded again. */
    contentHash: p.text(),
    /** Which embedder made the vector; vectors of different embedders are not comparable. */
    embedder: p.text(),
    embedding: p.type(VectorType).columnType(`vector(${EMBEDDING_DIMENSIONS})`).$type<number[]>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
  indexes: [
    {
      name: 'knowledge_embedding_hnsw',
      expression: 'create index "knowledge_embedding_hnsw" on "knowledge" using hnsw ("embedding" vector_cosine_ops)',
    },
    {
      // HNSW filters after the scan (ef_search candidates): runbooks, a few among many incidents, get their own graph.
      name: 'knowledge_runbook_embedding_hnsw',
      expression:
        'create index "knowledge_runbook_embedding_hnsw" on "knowledge" using hnsw ("embedding" vector_cosine_ops) where "kind" = \'runbook\'',
    },
  ],
});
export type KnowledgeRecord = InferEntity<typeof KnowledgeRecord>;
