import type { MikroORM } from '@mikro-orm/postgresql';
import { EMBEDDING_DIMENSIONS, KNOWLEDGE_KINDS, KnowledgeRecord } from '../store/entities/knowledge.entity';
import type { KnowledgeKind } from '../store/entities/knowledge.entity';

export interface KnowledgeEntry {
  kind: KnowledgeKind;
  sourceKey: string;
  incidentId?: string | null;
  title: string;
  content: string;
  metadata: Record<string, unknown>;
  contentHash: string;
  embedder: string;
}

export interface StoredKnowledge extends Required<KnowledgeEntry> {
  id: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What sync needs to decide whether an entry must be embedded again. */
export interface KnowledgeStamp {
  sourceKey: string;
  contentHash: string;
  embedder: string;
}

export interface KnowledgeHit extends StoredKnowledge {
  /** Cosine similarity, 1 - distance: 1 is the same direction, 0 unrelated. */
  similarity: number;
}

export interface SearchOptions {
  kind: KnowledgeKind;
  k: number;
  /** Only vectors made by this embedder: another model's vectors live in another space. */
  embedder?: string;
}

/** A vector that does not fit the knowledge table: the embedder and the schema disagree. */
export class EmbeddingShapeError extends Error {
  override name = 'EmbeddingShapeError';
}

interface HitRow {
  id: number;
  kind: KnowledgeKind;
  source_key: string;
  incident_id: string | null;
  title: string;
  content: string;
  metadata: Record<string, unknown>;
  content_hash: string;
  embedder: string;
  created_at: Date;
  updated_at: Date;
  similarity: number;
}

/** The knowledge table: upsert by source key, delete, and nearest neighbours by cosine distance. */
export class KnowledgeStore {
  constructor(
    private readonly orm: MikroORM,
    readonly dimensions: number = EMBEDDING_DIMENSIONS,
  ) {}

  async upsert(entry: KnowledgeEntry, embedding: number[]): Promise<void> {
    this.check(embedding);
    const now = new Date();
    await this.orm.em
      .fork()
      .createQueryBuilder(KnowledgeRecord)
      .insert({ ...entry, incidentId: entry.incidentId ?? null, embedding, createdAt: now, updatedAt: now })
      .onConflict('source_key')
      .merge(['kind', 'incidentId', 'title', 'content', 'metadata', 'contentHash', 'embedder', 'embedding', 'updatedAt'])
      .execute();
  }

  /** Updates what is shown of an entry whose embedded text (hence vector) did not change. */
  async updateDetails(entry: Omit<KnowledgeEntry, 'contentHash' | 'embedder'>): Promise<number> {
    const { sourceKey, kind, title, content, metadata } = entry;
    const changes = { kind, title, content, metadata, incidentId: entry.incidentId ?? null, updatedAt: new Date() };
    return this.orm.em.fork().nativeUpdate(KnowledgeRecord, { sourceKey }, changes);
  }

  async get(sourceKey: string): Promise<StoredKnowledge | null> {
    const row = await this.orm.em.fork().findOne(KnowledgeRecord, { sourceKey }, { exclude: ['embedding'] });
    if (!row) return null;
    const { id, kind, incidentId, title, content, metadata, contentHash, embedder, createdAt, updatedAt } = row;
    return { id, kind, sourceKey, incidentId: incidentId ?? null, title, content, metadata, contentHash, embedder, createdAt, updatedAt };
  }

  async stamps(kind: KnowledgeKind): Promise<KnowledgeStamp[]> {
    return this.orm.em
      .fork()
      .find(KnowledgeRecord, { kind }, { fields: ['sourceKey', 'contentHash', 'embedder'], orderBy: { sourceKey: 'asc' } })
      .then((rows) => rows.map(({ sourceKey, contentHash, embedder }) => ({ sourceKey, contentHash, embedder })));
  }

  async delete(sourceKeys: string[]): Promise<number> {
    if (sourceKeys.length === 0) return 0;
    return this.orm.em.fork().nativeDelete(KnowledgeRecord, { sourceKey: { $in: sourceKeys } });
  }

  /** The k nearest entries of one kind, most similar first. */
  async search(vector: number[], options: SearchOptions): Promise<KnowledgeHit[]> {
    this.check(vector);
    if (!KNOWLEDGE_KINDS.includes(options.kind)) throw new Error(`Unknown knowledge kind "${String(options.kind)}"`);
    const k = Math.max(1, Math.min(100, Math.floor(options.k)));
    const literal = JSON.stringify(vector);
    // The kind is inlined (checked above against the closed list) so the planner can pick the partial runbook index.
    const embedderFilter = options.embedder === undefined ? '' : 'and embedder = ?';
    const params: unknown[] = [literal, ...(options.embedder === undefined ? [] : [options.embedder]), literal, k];
    const rows = await this.orm.em.fork().getConnection().execute<HitRow[]>(
      `select id, kind, source_key, incident_id, title, content, metadata, content_hash, embedder, created_at, updated_at,
         1 - (embedding <=> ?::vector) as similarity
       from knowledge where kind = '${options.kind}' ${embedderFilter}
       order by embedding <=> ?::vector limit ?`,
      params,
    );
    return rows.map(toHit);
  }

  /** Fails loudly, naming both sizes, rather than letting Postgres reject (or a zero vector poison) the query. */
  private check(vector: number[]): void {
    if (vector.length !== this.dimensions) {
      throw new EmbeddingShapeError(
        `Embedding has ${vector.length} dimensions but the knowledge table stores vector(${this.dimensions}): ` +
          'configure an embedder with matching dimensions.',
      );
    }
    if (!vector.every(Number.isFinite)) throw new EmbeddingShapeError('Embedding contains a value that is not a finite number.');
    if (vector.every((value) => value === 0)) throw new EmbeddingShapeError('Embedding is all zeros: it has no direction to compare.');
  }
}

function toHit(row: HitRow): KnowledgeHit {
  return {
    id: row.id,
    kind: row.kind,
    sourceKey: row.source_key,
    incidentId: row.incident_id,
    title: row.title,
    content: row.content,
    metadata: row.metadata,
    contentHash: row.content_hash,
    embedder: row.embedder,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    similarity: Number(row.similarity),
  };
}
