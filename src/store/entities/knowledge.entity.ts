import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';
import { VectorType } from 'pgvector/mikro-orm';

export const EMBEDDING_DIMENSIONS = 256;

/** Vector memory of past incidents and runbook knowledge. */
export const KnowledgeRecord = defineEntity({
  name: 'KnowledgeRecord',
  tableName: 'knowledge',
  properties: {
    id: p.integer().primary().autoincrement(),
    incidentId: p.text().nullable(),
    title: p.text(),
    content: p.text(),
    embedding: p.type(VectorType).columnType(`vector(${EMBEDDING_DIMENSIONS})`).$type<number[]>(),
    createdAt: p.datetime(),
  },
  indexes: [
    {
      name: 'knowledge_embedding_hnsw',
      expression: 'create index "knowledge_embedding_hnsw" on "knowledge" using hnsw ("embedding" vector_cosine_ops)',
    },
  ],
});
export type KnowledgeRecord = InferEntity<typeof KnowledgeRecord>;
